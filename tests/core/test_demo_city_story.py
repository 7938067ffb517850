"""The demo city tells a true story (issue 15): nothing is dated after today,
the service report's default period has figures in every section, a step-up
goes up a level, a meeting that has not happened has no attendance, most open
families were seen in the last few weeks.

One city for the module: the one `make run` loads (the default size and
seed), loaded once and rolled back at the end.
"""

import io
from collections import Counter
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models, transaction
from django.db.models import Max, Q
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from onestory.accounts import demo as accounts_demo
from onestory.insights import disclosure
from onestory.support.models import (
    ATTENDED,
    Contact,
    Episode,
    Involvement,
    Level,
    LevelChange,
    RequestKind,
    RequestStatus,
    SupportRequest,
    TriageMeeting,
)

# Fields the demo fills with a date after today on purpose, each with why, and
# the rows that would make such a date untrue (none may exist).
IN_THE_FUTURE = {
    ("families", "Person", "expected_delivery_date"): (
        "a baby not born yet is due",
        lambda rows: rows.exclude(role="unborn_baby", date_of_birth=None),
    ),
    ("support", "Consultation", "review_on"): ("when advice is reviewed", None),
    ("incidents", "WelfareCheck", "birth_due_on"): (
        "when a baby not born by the incident was due",
        None,
    ),
    ("support", "Plan", "review_on"): ("when the plan is reviewed", None),
    ("support", "PlanAction", "due_on"): ("when an action is due", None),
    ("support", "TriageAction", "due_on"): ("when an agreed action is due", None),
    ("support", "ArrangedContact", "starts_at"): ("the next visit arranged", None),
    ("support", "TriageMeeting", "starts_at"): (
        "the next meeting: nothing decided, no one attended",
        lambda rows: rows.filter(Q(decisions__isnull=False) | ~Q(attendees="")),
    ),
    ("measures", "ReviewPoint", "due_on"): (
        "a review point still to come, not completed",
        lambda rows: rows.exclude(completed_by=None),
    ),
    ("workforce", "TrainingRecord", "planned_for"): (
        "training booked",
        lambda rows: rows.exclude(status="planned"),
    ),
    ("workforce", "TrainingRecord", "expires_on"): ("a current accreditation", None),
    # The demo queues messages (the family's own view's invitations): their
    # drain waits to run, and django-tasks-db's "no time set" is the year 9999.
    ("django_tasks_database", "DBTaskResult", "run_after"): (
        "a task waiting to run as soon as it can",
        lambda rows: rows.exclude(run_after=_no_time_set()),
    ),
    ("programmes", "CourseSession", "starts_at"): (
        "a session still to come: no register taken, no head count",
        lambda rows: rows.filter(
            Q(register__isnull=False) | Q(head_count__isnull=False)
        ),
    ),
}


def _no_time_set():
    from django_tasks_db.models import get_date_max

    return get_date_max()


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    """The default demo city, as `make run` loads it."""
    with (
        django_db_blocker.unblock(),
        override_settings(DEBUG=True),
        transaction.atomic(),
    ):
        call_command("demo", stdout=io.StringIO(), stderr=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def loaded(city, db):
    """The city, for a test that reads the database."""


def _date_fields():
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateField):  # DateTimeField is one too
                yield model, field


def _dated_after_today() -> list[tuple]:
    """Every model's date and date-time fields, walked through the app
    registry (a new model is covered by itself): (app, model, field, rows)
    for each dated after today where it should not be."""
    now, today = timezone.now(), timezone.localdate()
    future = []
    for model, field in _date_fields():
        after = now if isinstance(field, models.DateTimeField) else today
        rows = model._default_manager.filter(**{f"{field.name}__gt": after})
        key = (model._meta.app_label, model.__name__, field.name)
        if key in IN_THE_FUTURE:
            _why, untrue = IN_THE_FUTURE[key]
            rows = rows.none() if untrue is None else untrue(rows)
        if rows.exists():
            future.append((*key, rows.count()))
    return future


def test_nothing_in_the_demo_city_is_dated_after_today(loaded):
    assert sum(1 for _ in _date_fields()) > 50  # every model is walked
    assert _dated_after_today() == []


def test_a_request_dated_tomorrow_or_a_register_taken_early_is_found(loaded):
    """The walk above can fail."""
    from onestory.programmes.models import CourseSession

    request = SupportRequest.objects.order_by("made_at").first()
    request.received_on = timezone.localdate() + timedelta(days=1)
    request.save(update_fields=["received_on"])
    session = CourseSession.objects.filter(starts_at__gt=timezone.now()).first()
    CourseSession.objects.filter(pk=session.pk).update(head_count=9)
    assert _dated_after_today() == [
        ("support", "SupportRequest", "received_on", 1),
        ("programmes", "CourseSession", "starts_at", 1),
    ]


def _shown_sections(client, reader="commissioner"):
    """The report's sections as the page shows them to `reader`, for the
    default period (the last full quarter). A commissioner's page hides
    small numbers; a team manager's shows them exactly."""
    client.force_login(accounts_demo.named(reader))
    response = client.get(reverse("insights:service_report"))
    assert response.status_code == 200
    return {section.key: items for section, items in response.context["sections"]}


# A figure shows something when the page gives a value (not "No data", not
# hidden as a small number) and that value is not an empty zero: a count of 0
# or 0% would say the section had nothing to count.
HIDDEN = {"No data", disclosure.SUPPRESSED, disclosure.SUPPRESSED_RATE}


def _shows_something(item) -> bool:
    return item.value not in HIDDEN and item.figure.value not in (None, 0)


def test_every_section_of_the_default_report_has_figures(loaded, client):
    sections = _shown_sections(client)
    assert len(sections) == 9
    empty = [
        key
        for key, items in sections.items()
        if not any(_shows_something(item) for item in items)
    ]
    assert empty == []


def test_the_default_report_has_new_requests_and_every_wait(loaded, client):
    """R3 was 0 and every wait said "No data" before the demo's families came
    through requests for support. Exact figures (the team manager's page): a
    wait has data when it has something to measure (a rate of 0% would be a
    true figure); the waiting list and the families not seen are not empty."""
    sections = _shown_sections(client, reader="team.manager")
    reach = {item.figure.code: item for item in sections["reach"]}
    assert _shows_something(reach["R3"])
    waits = {item.figure.code: item for item in sections["waits"]}
    assert len(waits) == 10
    assert [code for code, item in waits.items() if item.value == "No data"] == []
    for code in ("W1 median", "W4", "W5"):
        assert _shows_something(waits[code]), code
    triage = {item.figure.code: item for item in sections["triage"]}
    for code in ("T1", "T1 days", "P1 share", "P1 sessions", "P1 families"):
        assert _shows_something(triage[code]), code
    assert all(_shows_something(item) for item in sections["feedback"])


def test_the_default_report_has_outcomes_on_every_measure_the_demo_uses(loaded, client):
    """Exact figures. "No data" only where there is a reason: the SDQ here is
    for children of 2 to 4, and the demo's children are under 2 (Start for
    Life); the Outcomes Star's figure is its breakdown by area, with no value
    of its own."""
    outcomes = {
        item.figure.code: item
        for item in _shown_sections(client, reader="team.manager")["outcomes"]
    }
    no_data = {code for code, item in outcomes.items() if item.value == "No data"}
    assert no_data == {"O5 total", "O5 impact", "O5 reliable", "O6"}
    assert outcomes["O6"].breakdown  # some area's readings moved a stage
    assert _shows_something(outcomes["O2 paired"])
    # A rate or a mean change of 0 is a true figure when someone was measured.
    for code in ("O3 clinical range", "O4 warmth", "O4 invasion"):
        figure = outcomes[code].figure
        assert figure.value is not None, code
        assert figure.denominator, code


ORDER = {level: number for number, level in enumerate(Level.values)}


def _level_at(episode_id, moment):
    return (
        LevelChange.objects.filter(episode=episode_id, changed_at__lt=moment)
        .order_by("-changed_at", "-id")
        .values_list("to_level", flat=True)
        .first()
    )


def test_a_step_up_goes_up_a_level(loaded):
    changes = LevelChange.objects.exclude(from_level="")
    assert changes.exists()
    # The demo's changes of level are all step-ups.
    assert all(ORDER[c.to_level] > ORDER[c.from_level] for c in changes)
    step_ups = SupportRequest.objects.filter(kind=RequestKind.STEP_UP)
    assert step_ups.count() >= 5
    for request in step_ups:
        episode = Episode.objects.get(family=request.family_id, closed_at=None)
        level = _level_at(episode.pk, request.made_at)
        assert ORDER[request.requested_level] > ORDER[level], request
        if request.status == RequestStatus.ACCEPTED:
            decided = request.decision.decided_at
            assert request.decision.level == request.requested_level
            after = _level_at(episode.pk, decided + timedelta(seconds=1))
            assert after == request.requested_level


def test_a_meeting_that_has_not_happened_has_no_decisions_or_attendance(loaded):
    now = timezone.now()
    upcoming = TriageMeeting.objects.filter(starts_at__gt=now)
    assert upcoming.count() == 1
    assert not upcoming.filter(decisions__isnull=False).exists()
    assert upcoming.get().attendees == ""
    # Its agenda: requests made before today, waiting for it.
    waiting = SupportRequest.objects.filter(
        status__in=[RequestStatus.NEW, RequestStatus.AWAITING_TRIAGE]
    )
    assert waiting.exists()
    assert not waiting.filter(made_at__gt=now).exists()
    held = TriageMeeting.objects.filter(starts_at__lt=now)
    assert not held.filter(decisions__isnull=True).exists()
    assert not held.filter(attendees="").exists()


def test_most_open_families_were_seen_in_the_last_few_weeks(loaded):
    now = timezone.now()
    open_episodes = Episode.objects.filter(closed_at=None).annotate(
        last_seen=Max(
            "contacts__occurred_at", filter=Q(contacts__attendance__in=ATTENDED)
        )
    )
    total = open_episodes.count()
    four_weeks, six_weeks = (now - timedelta(weeks=n) for n in (4, 6))
    assert open_episodes.filter(last_seen__gte=four_weeks).count() >= 2 / 3 * total
    assert open_episodes.filter(last_seen__gte=six_weeks).count() >= 4 / 5 * total
    # ... and a few were not seen for over two months: the report's W5.
    assert open_episodes.filter(last_seen__lt=now - timedelta(days=61)).exists()


def test_an_episode_holds_nothing_before_it_opened_or_after_it_ended(loaded):
    for model, field in [
        (Contact, "occurred_at"),
        (LevelChange, "changed_at"),
        (Involvement, "started_at"),
    ]:
        outside = model.objects.filter(
            Q(**{f"{field}__lt": models.F("episode__opened_at")})
            | Q(**{f"{field}__gt": models.F("episode__closed_at")})
        )
        assert not outside.exists(), model
    assert not Involvement.objects.filter(
        ended_at__gt=models.F("episode__closed_at")
    ).exists()
    assert not Involvement.objects.filter(ended_at__lt=models.F("started_at")).exists()
    # Each family's first request came before its episode opened.
    first = (
        SupportRequest.objects.exclude(kind=RequestKind.STEP_UP)
        .filter(made_at__gte=models.F("family__episodes__opened_at"))
        .exists()
    )
    assert not first


def test_dates_of_birth_spread_across_the_month(loaded):
    from onestory.families.models import Person

    days = Counter(
        born.day
        for born in Person.objects.exclude(date_of_birth=None).values_list(
            "date_of_birth", flat=True
        )
    )
    assert len(days) >= 28
    assert max(days.values()) < 0.1 * sum(days.values())
