"""Stored XSS (security case 20, R24): every free-text field of every record in a
small demo city holds an attack, and every page staff use shows it as text.

The fields are found from the models, so a field added later is swept too.
"""

import io
import itertools

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, models, transaction
from django.test import override_settings
from django.urls import reverse

from onestory.accounts import demo as accounts_demo
from onestory.accounts.models import User
from onestory.families.models import Family
from onestory.families.record_views import SECTIONS
from onestory.support.models import TriageMeeting

pytestmark = pytest.mark.security_case(20)

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "</textarea><img src=x onerror=alert(1)>",
    "{{7*7}} {% now 'Y' %}",
    "javascript:alert(1)",
    "<b>bold</b>",
]
# What must never reach a page unescaped.
LIVE = ["<script>alert", "<svg onload", "<img src=x", "<b>bold"]
# Values the application reads as codes, numbers or secrets, not as text.
NOT_TEXT = {
    "code",
    "postcode",
    "password",
    "secret",
    "code_hash",
    "token_hash",
    "nhs_number",
    "instrument_code",
    "email",
    "status",
}


def _text_fields(model):
    for field in model._meta.concrete_fields:
        if (
            isinstance(field, models.CharField | models.TextField)
            and not field.choices
            and field.name not in NOT_TEXT
        ):
            yield field


def _fill_every_text_field_with_attacks() -> int:
    turn = itertools.count()
    filled = 0
    for label in ("accounts", "families", "measures", "support"):
        for model in apps.get_app_config(label).get_models():
            for field in _text_fields(model):
                limit = field.max_length or 10_000
                fits = [p for p in PAYLOADS if len(p) + 4 <= limit]
                if not fits:
                    continue
                payload = fits[next(turn) % len(fits)]
                try:
                    with transaction.atomic():
                        model.objects.update(**{field.name: payload})
                except IntegrityError:  # unique, alone or with other fields
                    for n, pk in enumerate(model.objects.values_list("pk", flat=True)):
                        model.objects.filter(pk=pk).update(
                            **{field.name: f"{payload} {n}"}
                        )
                filled += 1
    return filled


@pytest.fixture
def attacked_city(db):
    with override_settings(DEBUG=True):  # the demo runs in development only
        call_command("demo", families=8, seed=3, stdout=io.StringIO())
    assert _fill_every_text_field_with_attacks() > 40


def _user(local_part):
    return User.objects.get(email=f"{local_part}@{accounts_demo.EMAIL_DOMAIN}")


def _pages_for(user):
    family_ids = list(Family.objects.visible_to(user).values_list("pk", flat=True)[:2])
    pages = [reverse("families:my_caseload")]
    for family_id in family_ids:
        pages += [
            # The record's summary and each of its pages (issue 15).
            *(reverse(f"families:{s.name}", args=[family_id]) for s in SECTIONS),
            reverse("families:edit_story", args=[family_id]),
            reverse("support:show_plan", args=[family_id]),
            reverse("support:print_plan", args=[family_id]),
            reverse("support:record_contact", args=[family_id]),
            reverse("support:transfer_lead", args=[family_id]),
            reverse("support:make_request", args=[family_id]),
            reverse("measures:print_progress_sheet", args=[family_id]),
        ]
    return pages


def _staff_pages():
    meeting = TriageMeeting.objects.order_by("starts_at").first()
    return {
        "practitioner": _pages_for(_user("practitioner")),
        "triage.chair": [
            reverse("support:triage_home"),
            reverse("support:show_meeting", args=[meeting.pk]),
            reverse("support:print_meeting", args=[meeting.pk]),
            *_pages_for(_user("triage.chair"))[:3],
        ],
        "specialist": [reverse("support:consultation_inbox")],
        "team.manager": [
            *_pages_for(_user("team.manager"))[:3],
            reverse("insights:service_report"),
            reverse("insights:print_report"),
            reverse("insights:learning_log"),
        ],
        "ig.lead": [
            reverse("families:emergency_access_reviews"),
            reverse("core:audit_trail") + "?since_0=1&since_1=1&since_2=2020",
        ],
    }


def test_every_page_shows_stored_attacks_as_text(attacked_city, client):
    shown = ""
    visited = 0
    for local_part, pages in _staff_pages().items():
        client.force_login(_user(local_part))
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            body = response.text
            for live in LIVE:
                assert live not in body, (url, live)
            shown += body
            visited += 1
    assert visited > 25
    # Not a vacuous pass: the attacks were on the pages, escaped.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert "&lt;b&gt;bold&lt;/b&gt;" in shown
    # Template syntax in data is never evaluated.
    assert "{{7*7}} {% now &#x27;Y&#x27; %}" in shown


def test_the_subject_access_export_shows_attacks_as_text(attacked_city, client):
    client.force_login(_user("ig.lead"))
    person = Family.objects.first().members.first()
    response = client.post(reverse("families:subject_access"), {"person": person.pk})
    assert response.status_code == 200
    for live in LIVE:
        assert live not in response.text
    assert "&lt;" in response.text
