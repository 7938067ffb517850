"""Retention: a dry run, then anonymisation, idempotent (security.md R43)."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from onestory.core.models import AuditEvent
from onestory.families.models import Family, Person, StoryVersion
from onestory.operations import retention
from onestory.support import services as support
from onestory.support.models import Contact, Episode
from tests import factories
from tests.conftest import CANARIES, CANARY_NHS_NUMBER, CANARY_PHONE


def _close(family, *, years_ago, by):
    episode = family.episodes.get(closed_at=None)
    support.record_contact(
        episode=episode,
        occurred_at=timezone.now() - timedelta(days=365 * years_ago + 30),
        contact_type="phone",
        practitioner=by,
        attendance="attended",
        purpose="review",
        notes="NOTE-CANARY about the baby",
        by=by,
    )
    support.close_episode(episode=episode, reason="needs_met", note="", by=by)
    Episode.objects.filter(pk=episode.pk).update(
        closed_at=timezone.now() - timedelta(days=365 * years_ago)
    )


def _run(*args):
    out = io.StringIO()
    call_command("retention", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def families(city, lead):
    recent = factories.family(by=lead, team=city.team_a, family_name="Recentson")
    still_open = factories.family(by=lead, team=city.team_a, family_name="Openson")
    _close(city.family, years_ago=7, by=lead)
    _close(recent, years_ago=5, by=lead)
    return city.family, recent, still_open


def _identifying(family) -> str:
    family.refresh_from_db()
    people = list(
        Person.objects.filter(family=family).values_list(
            "given_name", "family_name", "nhs_number", "phone"
        )
    )
    stories = list(StoryVersion.objects.filter(family=family).values_list("text"))
    notes = list(Contact.objects.filter(episode__family=family).values_list("notes"))
    return str([family.address_line_1, family.postcode, people, stories, notes])


def test_the_dry_run_lists_and_changes_nothing(families):
    old, recent, still_open = families
    before = _identifying(old)
    report = _run()
    assert "Dry run: 1 family" in report
    assert str(old.pk) in report
    assert str(recent.pk) not in report
    assert str(still_open.pk) not in report
    assert _identifying(old) == before
    assert not AuditEvent.objects.filter(action="anonymise_family").exists()


def test_applying_removes_identifying_details_and_keeps_the_rest(families):
    old, recent, _ = families
    recent_before = _identifying(recent)
    assert "Anonymised 1 family" in _run("--apply")
    text = _identifying(old)
    assert [c for c in (*CANARIES, "NOTE-CANARY", "Zzcanaryson") if c in text] == []
    assert CANARY_NHS_NUMBER not in text
    assert CANARY_PHONE not in text
    assert not Person.objects.filter(family=old).exclude(phone="").exists()
    carer = Person.objects.filter(family=old, role="parent_carer").first()
    assert carer.date_of_birth.month == carer.date_of_birth.day == 1  # the year stays
    old.refresh_from_db()
    assert old.anonymised_at is not None
    assert old.postcode == "PL1"
    assert Contact.objects.filter(episode__family=old).count() == 1  # kept, for figures
    assert _identifying(recent) == recent_before
    event = AuditEvent.objects.get(action="anonymise_family")
    assert (event.family_id, event.actor) == (old.pk, None)


def test_running_again_changes_nothing(families):
    _run("--apply")
    assert "Anonymised 0 families" in _run("--apply")
    assert AuditEvent.objects.filter(action="anonymise_family").count() == 1
    assert not retention.anonymise(Family.objects.get(anonymised_at__isnull=False))


def test_the_retention_period_is_a_setting(families, settings):
    settings.RETENTION_YEARS = 4
    assert "Dry run: 2 families" in _run()
