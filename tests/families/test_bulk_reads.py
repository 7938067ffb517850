"""Unusual volume (security.md R29): one person opening many different families
in an hour alerts the information governance leads, then is refused."""

import pytest
from django.core import mail
from django.urls import reverse

from onestory.accounts.models import Role
from onestory.core.models import AuditEvent
from tests import factories


@pytest.fixture
def many(city, lead, settings):
    settings.BULK_READ_ALERT_FAMILIES = 3
    settings.BULK_READ_LIMIT_FAMILIES = 5
    families = [city.family] + [
        factories.family(by=lead, team=city.team_a, family_name=f"Bulkson{n}")
        for n in range(6)
    ]
    ig_lead = factories.staff(
        "Ivy Governance", city.council, Role.INFORMATION_GOVERNANCE
    )
    return lead, families, ig_lead


def _open(client, family):
    return client.get(reverse("families:family_record", args=[family.pk]))


def test_the_alert_comes_once_at_the_threshold_and_reading_is_refused_past_the_limit(
    many, client, django_capture_on_commit_callbacks
):
    lead, families, ig_lead = many
    client.force_login(lead)
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for family in families[:5]:
            statuses += [
                _open(client, family).status_code,
                _open(client, family).status_code,
            ]
    # Opening the same family again does not count twice.
    assert statuses == [200] * 10
    alerts = AuditEvent.objects.filter(action="bulk_read_alert")
    assert [(a.outcome, a.detail) for a in alerts] == [
        ("allowed", {"families_this_hour": 3})
    ]
    assert [m.to for m in mail.outbox] == [[ig_lead.email]]
    assert "opened 3 different family records" in mail.outbox[0].body
    assert "Bulkson" not in mail.outbox[0].body

    refused = _open(client, families[5])
    assert refused.status_code == 429
    assert "You have opened a lot of family records" in refused.text
    assert "Bulkson5" not in refused.text
    event = AuditEvent.objects.filter(action="bulk_read_alert", outcome="refused").get()
    assert event.family_id == families[5].pk
    assert not AuditEvent.objects.filter(
        action="view_family", family_id=families[5].pk
    ).exists()


def test_the_count_is_per_person(same_team_practitioner, many, client):
    lead, families, _ = many
    client.force_login(lead)
    for family in families[:5]:
        _open(client, family)
    assert _open(client, families[5]).status_code == 429
    client.force_login(same_team_practitioner)
    assert _open(client, families[5]).status_code == 200


def test_families_already_opened_stay_open_past_the_limit(many, client):
    lead, families, _ = many
    client.force_login(lead)
    for family in families[:5]:
        _open(client, family)
    assert _open(client, families[5]).status_code == 429
    assert _open(client, families[5]).status_code == 429  # still refused
    assert _open(client, families[0]).status_code == 200  # already opened


def test_families_shown_by_a_search_count_toward_the_limit(
    many, client, django_capture_on_commit_callbacks
):
    """Searching is reading: names and dates of birth are on the results page,
    so an hour of broad searches meets the same limit as opening records."""
    lead, families, ig_lead = many
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        shown = factories.search(client, name="Bulkson")  # six families
    assert shown.status_code == 429
    assert "You have opened a lot of family records" in shown.text
    assert "Bulkson" not in shown.text
    assert [m.to for m in mail.outbox] == [[ig_lead.email]]  # the alert at 3
    assert AuditEvent.objects.filter(
        action="bulk_read_alert", outcome="refused"
    ).exists()
    assert not AuditEvent.objects.filter(action="search_families").exists()
    # The search counted five families: the hour's limit is reached.
    assert _open(client, families[0]).status_code == 429
