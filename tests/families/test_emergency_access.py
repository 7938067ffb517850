"""Break-glass: emergency access outside one's scope, with a reason, for 4
hours, every action flagged, the information governance lead told and able to
review (security.md R6, case 11)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from onestory.accounts.models import Role
from onestory.core.models import AuditEvent
from onestory.families.models import BreakGlass
from tests import factories
from tests.conftest import CANARIES, CANARY_NHS_NUMBER

REASON = "Police called: mother missing with baby, need the address and contacts"


@pytest.fixture
def outsider(other_hub_practitioner):
    return other_hub_practitioner


@pytest.fixture
def ig_lead(city):
    return factories.staff("Iona Governance", city.council, Role.INFORMATION_GOVERNANCE)


def _break_glass(client, nhs=CANARY_NHS_NUMBER, reason=REASON, understood="on"):
    return client.post(
        reverse("families:emergency_access"),
        {"nhs_number": nhs, "reason": reason, "understood": understood},
    )


def _record(client, city):
    return client.get(reverse("families:family_record", args=[city.family.pk]))


@pytest.mark.security_case(11)
def test_a_reason_and_confirmation_are_needed(client, city, outsider):
    client.force_login(outsider)
    body = _break_glass(client, reason="urgent", understood="").text
    assert "at least 20 characters" in body
    assert "Confirm that you understand" in body
    assert "urgent" in body  # kept
    assert not BreakGlass.objects.exists()
    assert _record(client, city).status_code == 404


def test_emergency_access_opens_the_record_flags_everything_and_tells_ig(
    client, city, outsider, ig_lead
):
    client.force_login(outsider)
    assert _record(client, city).status_code == 404
    response = _break_glass(client)
    assert response["Location"] == reverse(
        "families:family_record", args=[city.family.pk]
    )
    grant = BreakGlass.objects.get()
    assert grant.expires_at - grant.started_at == timedelta(hours=4)
    record = _record(client, city)
    assert record.status_code == 200
    assert "You are using emergency access to this record" in record.text
    client.get(reverse("support:show_plan", args=[city.family.pk]))

    flagged = AuditEvent.objects.filter(
        actor=outsider, family_id=city.family.pk
    ).exclude(action="refused")
    assert flagged.count() == 3  # the break-glass, the record, the plan
    assert all(e.detail.get("break_glass") == str(grant.pk) for e in flagged[1:])
    assert flagged.filter(action="break_glass").get().detail["reason"] == REASON

    (alert,) = mail.outbox
    assert alert.to == [ig_lead.email]
    # The free-text reason may name the family: it stays in onestory.
    assert REASON not in alert.body
    assert "They gave a reason" in alert.body
    review = reverse("families:review_emergency_access", args=[grant.pk])
    assert f"http://testserver{review}" in alert.body
    assert [c for c in CANARIES if c in alert.body + alert.subject] == []


@pytest.mark.security_case(11)
def test_every_page_of_the_record_says_emergency_access_is_in_use(
    client, city, outsider
):
    from onestory.families.record_views import SECTIONS

    client.force_login(outsider)
    _break_glass(client)
    factories.clear_audit_trail()
    for section in SECTIONS:
        page = client.get(reverse(f"families:{section.name}", args=[city.family.pk]))
        assert page.status_code == 200, section
        assert "You are using emergency access to this record" in page.text, section
        assert "moj-identity-bar" in page.text, section
    flagged = AuditEvent.objects.filter(actor=outsider, action="view_family")
    assert flagged.count() == len(SECTIONS)
    assert all("break_glass" in event.detail for event in flagged)


@pytest.mark.security_case(11)
def test_access_ends_when_the_time_is_up(client, city, outsider):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(outsider)
        _break_glass(client)
        clock.shift(timedelta(hours=3, minutes=59))
        client.force_login(outsider)  # a new session: the idle timeout is shorter
        assert _record(client, city).status_code == 200
        clock.shift(timedelta(minutes=2))
        response = _record(client, city)
        assert response.status_code == 404
        assert [c for c in CANARIES if c in response.text] == []


def test_an_unknown_nhs_number_is_refused_and_audited(client, city, outsider):
    client.force_login(outsider)
    body = _break_glass(client, nhs="999 000 0042").text
    assert "No one in onestory has this NHS number" in body
    event = AuditEvent.objects.get(action="break_glass")
    assert (event.outcome, event.detail["found"]) == ("refused", False)


def test_ordinary_use_is_not_flagged(lead_client, city):
    _record(lead_client, city)
    assert "break_glass" not in AuditEvent.objects.get(action="view_family").detail


@pytest.mark.parametrize("persona", ["commissioner", "admin"])
def test_roles_without_family_work_cannot_break_glass(client, city, persona):
    client.force_login(city.personas[persona])
    assert _break_glass(client).status_code == 403
    assert not BreakGlass.objects.exists()


def test_the_ig_lead_reviews_what_was_done(client, city, outsider, ig_lead):
    client.force_login(outsider)
    _break_glass(client)
    _record(client, city)
    grant = BreakGlass.objects.get()

    client.force_login(ig_lead)
    listing = client.get(reverse("families:emergency_access_reviews")).text
    assert "To review" in listing
    assert outsider.full_name in listing
    url = reverse("families:review_emergency_access", args=[grant.pk])
    page = client.get(url).text
    assert "Opened the family record" in page
    assert [c for c in CANARIES if c in page] == []  # a reference, not the family
    assert "Enter your review note" in client.post(url, {"note": ""}).text
    client.post(url, {"note": "Justified: police welfare request, confirmed."})
    grant.refresh_from_db()
    assert (grant.reviewed_by, grant.review_note) == (
        ig_lead,
        "Justified: police welfare request, confirmed.",
    )
    assert AuditEvent.objects.filter(action="review_break_glass").count() == 1


@pytest.mark.parametrize("persona", ["lead_practitioner", "team_manager", "admin"])
def test_only_ig_leads_see_the_reviews(client, city, persona):
    client.force_login(city.personas[persona])
    assert client.get(reverse("families:emergency_access_reviews")).status_code == 403


@pytest.mark.security_case(11)
def test_emergency_access_is_limited_per_person_per_day(
    client, city, partner_worker_without_consent, outsider, settings
):
    settings.BREAK_GLASS_PER_DAY = 2
    client.force_login(outsider)
    assert _break_glass(client, nhs=factories.nhs_number()).status_code == 200
    opened = reverse("families:family_record", args=[city.family.pk])
    assert _break_glass(client)["Location"] == opened  # unknown, then found: two
    refused = _break_glass(client)
    assert refused.status_code == 429
    assert "emergency access 2 times in the last 24 hours" in refused.text
    assert REASON in refused.text  # what was typed is kept
    assert BreakGlass.objects.count() == 1
    # Someone else is not held back; and the next day, nor are they.
    colleague = Client()
    colleague.force_login(partner_worker_without_consent)
    assert _break_glass(colleague)["Location"] == opened
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        client.force_login(outsider)  # the session itself has ended by then
        assert _break_glass(client)["Location"] == opened
