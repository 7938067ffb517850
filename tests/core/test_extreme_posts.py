"""Every form that can be posted, posted with extreme dates and numbers: day 31
of February, year 1 and 9999, huge and negative integers, very long strings,
control characters. Not one answer is a server error (issue 13: "no date
anywhere raises"), on both databases.

The forms are found, not listed: the URL conf is walked, each URL filled with
objects of the demo city, and each page that some member of staff may open is
read for its `method="post"` forms and their fields.
"""

import io
import re
import uuid
from html.parser import HTMLParser

from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onestory.accounts.models import LocalAuthority, User
from onestory.families.models import Consent, Family, Person
from onestory.incidents.models import (
    Incident,
    IncidentArea,
    RestCentre,
    WelfareCheck,
)
from onestory.measures.models import Intervention, QuestionnaireResponse, ReviewPoint
from onestory.parents.models import StorySuggestion
from onestory.programmes.models import Course, Place
from onestory.support.models import (
    ArrangedContact,
    Consultation,
    PlanAction,
    SupportRequest,
    TriageMeeting,
)
from onestory.workforce.models import Supervision, TrainingNeed, TrainingRecord

# The layout's own forms, on every page; signing out would end the sweep.
EVERY_PAGE = {"/sign-out/", "/account/stay-signed-in/"}
STATUSES = {}  # each form's answers, by URL name
LAST = ("/close/", "/withdraw/", "/leave/", "/done/")
EXAMPLES_PER_FORM = 15

EXTREME_PARTS = [
    "1", "0001", "0", "00", "9999", "31", "29", "30", "-1", "-31", "13", "99",
    "10000", "99999999999999999999999", "-99999999999999999999", "1e9", "٣",
    "2026", "1900", "1899", " 12 ", "x" * 5000, "\x00", "\u202e12",
]  # fmt: skip
WHOLE_DATES = st.one_of(
    st.dates().map(lambda d: (str(d.day), str(d.month), f"{d.year:04d}")),
    st.sampled_from([("31", "2", "2026"), ("29", "2", "2025"), ("31", "12", "9999")]),
    st.sampled_from([("1", "1", "0001"), ("1", "1", "1899"), ("30", "4", "2031")]),
)
EXTREME_NUMBERS = [
    "0", "-1", "-2147483649", "2147483648", "9223372036854775808",
    "99999999999999999999999999999", "1e308", "NaN", "inf", "-0", "1.5",
    "0x10", "٣", "x" * 5000, "\x00", "",
]  # fmt: skip
EXTREME_TEXT = ["", "x" * 100_000, "a\x00b\x1b[31m\u202e", "😀\u200d👍\ufe0f", " "]


class _Forms(HTMLParser):
    """The post forms of a page: their action and fields with a plain value."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            self._form = {
                "action": attrs.get("action") or "",
                "method": method,
                "fields": {},
            }
            self.forms.append(self._form)
        if self._form is None or ("name" not in attrs and tag != "option"):
            return
        fields = self._form["fields"]
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("radio", "checkbox"):
                fields.setdefault(attrs["name"], (kind, attrs.get("value", "on")))
            elif kind != "submit":
                fields[attrs["name"]] = (kind, attrs.get("value") or "")
        elif tag == "textarea":
            fields[attrs["name"]] = ("textarea", "Some text")
        elif tag == "select":
            self._select = attrs["name"]
            fields[self._select] = ("select", "")
        elif tag == "option" and self._select and not fields[self._select][1]:
            fields[self._select] = ("select", attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        if tag == "select":
            self._select = None


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", entry


def _arguments(family):
    """An object of the demo city for each kind of URL argument."""
    in_family = {"family": family}
    episode = {"episode__family": family}

    def first(model, **where):
        found = model.objects.filter(**where).first() or model.objects.first()
        return found.pk if found else uuid.uuid4()

    response = QuestionnaireResponse.objects.filter(person__family=family).first()
    return {
        "family_id": family.pk,
        "person_id": response.person_id if response else first(Person, **in_family),
        "code": response.instrument_code if response else "PHQ9",
        "response_id": response.pk if response else uuid.uuid4(),
        "consent_id": first(Consent, **in_family),
        "suggestion_id": first(StorySuggestion, **in_family),
        "point_id": ReviewPoint.objects.values_list("pk", flat=True).first() or 1,
        "arranged_id": first(ArrangedContact, **episode),
        "consultation_id": first(Consultation, **episode),
        "request_id": first(SupportRequest, **in_family),
        "action_id": first(PlanAction, plan__family=family),
        "enrolment_id": first(Intervention, person__family=family),
        "course_id": first(Course),
        "place_id": first(Place),
        "number": 1,
        "meeting_id": first(TriageMeeting),
        "grant_id": uuid.uuid4(),
        "download_id": uuid.uuid4(),
        "need_id": first(TrainingNeed),
        "supervision_id": first(Supervision),
        "record_id": first(TrainingRecord),
        "user_id": first(User),
        "local_authority_id": first(LocalAuthority),
        "file_format": "csv",
        "incident_id": first(Incident, stood_down_at=None),
        "check_id": first(WelfareCheck, incident__stood_down_at=None),
        "area_id": first(IncidentArea, incident__stood_down_at=None, ended_at=None),
        "centre_id": first(RestCentre, incident__stood_down_at=None),
        "token": "not-a-real-token",
    }


def _an_open_incident():
    """An open incident around the demo's first family, with a rest centre,
    so that its forms are swept too (the demo's own incident is stood down)."""
    from onestory.accounts import demo as accounts_demo
    from onestory.incidents import services

    family = Family.objects.first()
    lead = accounts_demo.named("emergency.lead")
    incident = services.declare(
        name="Sweep",
        started_at=timezone.now(),
        area_name="Around the first family",
        kind="circle",
        where=family.postcode,
        radius_m=100,
        by=lead,
    )
    services.open_rest_centre(incident=incident, name="Hall", postcode="", by=lead)


def _post_forms():
    """(url, client, fields) for every post form some member of staff reaches."""
    family = (
        Family.objects.filter(plan__actions__isnull=False).first()
        or Family.objects.first()
    )
    arguments = _arguments(family)
    clients = []
    for user in _one_of_each_kind(family):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    found, seen = [], set()
    for name, pattern in _walk(get_resolver().url_patterns):
        if name.startswith("admin:"):
            continue
        keys = re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern))
        url = reverse(name, kwargs={key: arguments[key] for key in keys})
        for client in clients:
            page = client.get(url)
            if page.status_code != 200 or "text/html" not in page["Content-Type"]:
                continue
            parser = _Forms()
            parser.feed(page.content.decode())
            forms = [
                (form["method"], form["action"] or url, form["fields"])
                for form in parser.forms
                if form["fields"] and (form["action"] or url) not in EVERY_PAGE
            ]
            for method, target, fields in forms:
                if (method, target) not in seen and not target.startswith("/admin/"):
                    seen.add((method, target))
                    found.append((name, method, target, client, fields))
            if forms:
                break
    # What ends the episode or a consent goes last, so the rest stays reachable.
    return sorted(found, key=lambda form: any(w in form[2] for w in LAST))


def _one_of_each_kind(family):
    """The staff who reach different forms: everyone in the family's episodes
    (the lead sees most), then one member of staff for each set of roles in
    each team of each organisation. Others of the same kind reach the same
    pages, and
    opening every page as each of them is most of the sweep's time."""
    from onestory.support.models import Involvement

    involved = set(
        Involvement.objects.filter(episode__family=family).values_list(
            "practitioner_id", flat=True
        )
    )
    users = sorted(
        User.objects.filter(is_active=True).prefetch_related("role_grants", "teams"),
        key=lambda user: (user.pk not in involved, user.email),
    )
    chosen, kinds = [], set()
    for user in users:
        kind = (user.roles, user.organisation_id, user.team_ids)
        if user.pk in involved or kind not in kinds:
            kinds.add(kind)
            chosen.append(user)
    return chosen


def _base_value(field, kind, value):
    """A plain, likely valid value: today for a date, 1 for a number."""
    today = timezone.localdate()
    if field.endswith(("_0", "_1", "_2")):
        return str((today.day, today.month, today.year)[int(field[-1])])
    if kind == "number" or (kind == "text" and field.endswith(("minutes", "count"))):
        return value or "1"
    if kind in ("text", "textarea") and not value:
        return "Some text"
    return value


def _extreme_post(draw, fields):
    """The form's plain values, with one to three fields (or dates) extreme."""
    fields = {
        field: kind_value
        for field, kind_value in fields.items()
        if field not in ("csrfmiddlewaretoken", "submission")
    }
    data = {
        field: _base_value(field, *kind_value) for field, kind_value in fields.items()
    }
    groups = sorted({re.sub(r"_[012]$", "", field) for field in fields})
    if not groups:
        return data
    for group in draw(st.lists(st.sampled_from(groups), min_size=1, max_size=3)):
        if group in fields:
            kind = fields[group][0]
            if kind in ("text", "textarea", "email", "tel", "password"):
                data[group] = draw(st.sampled_from(EXTREME_TEXT + EXTREME_NUMBERS))
            elif kind in ("hidden", "number"):
                data[group] = draw(st.sampled_from(EXTREME_NUMBERS))
            else:
                data[group] = draw(
                    st.sampled_from(["", "not-a-choice", *EXTREME_NUMBERS])
                )
        elif draw(st.booleans()):  # a whole date: year 1 to 9999, or 31 February
            day, month, year = draw(WHOLE_DATES)
            data.update({f"{group}_0": day, f"{group}_1": month, f"{group}_2": year})
        else:
            for part in "012":
                data[f"{group}_{part}"] = draw(st.sampled_from(EXTREME_PARTS))
    return data


def test_no_post_of_extreme_dates_and_numbers_to_any_form_is_a_server_error(db):
    with override_settings(DEBUG=True):  # the demo city is for development only
        call_command(
            "demo", families=6, seed=11, stdout=io.StringIO(), stderr=io.StringIO()
        )
    _an_open_incident()
    demo_forms = _post_forms()
    names = {url for _, _, url, *_ in demo_forms}
    assert len(names) >= 30, sorted(names)  # the sweep really reaches the forms
    failures = []
    for form in demo_forms:
        _post_extremes(form, failures)
    accepted = {name for name, codes in STATUSES.items() if 302 in codes}
    assert len(accepted) >= 10, STATUSES  # many forms were also saved, not only refused
    posts = sum(len(codes) for codes in STATUSES.values())
    assert posts >= EXAMPLES_PER_FORM * len(demo_forms) / 2
    assert not failures, sorted(
        {(name, str(sent)[:300]) for name, _, _, sent in failures}
    )[:40]


def _post_extremes(form, failures):
    name, method, url, client, fields = form
    send = client.post if method == "post" else client.get

    @settings(
        max_examples=EXAMPLES_PER_FORM,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def post(data):
        sent = _extreme_post(data.draw, fields)
        response = send(url, sent)
        STATUSES.setdefault(name, []).append(response.status_code)
        if response.status_code >= 500:
            failures.append((name, url, response.status_code, sent))

    post()
