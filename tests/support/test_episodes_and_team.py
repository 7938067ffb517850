"""Levels change, the lead stays unless someone decides and says why; small teams."""

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from onestory.accounts.models import Role
from onestory.core.models import AuditEvent
from onestory.support import services
from onestory.support.models import Contact, Involvement, InvolvementRole
from tests import factories
from tests.conftest import CANARIES


def _leads(episode):
    return list(
        episode.involvements.filter(role="lead", ended_at=None).values_list(
            "practitioner__full_name", flat=True
        )
    )


def test_a_new_episode_has_one_lead_and_a_level(episode):
    assert _leads(episode) == ["Lena Lead"]
    assert services.current_level(episode) == "universal"


def test_a_level_change_keeps_the_lead(episode, lead):
    services.change_level(
        episode=episode, to_level="targeted", reason="More help", by=lead
    )
    assert services.current_level(episode) == "targeted"
    assert _leads(episode) == ["Lena Lead"]
    assert episode.level_changes.last().lead_kept is True


def test_a_level_change_can_transfer_the_lead_with_a_reason(
    same_team_practitioner, episode, lead
):
    services.change_level(
        episode=episode,
        to_level="specialist",
        reason="Needs VIG",
        by=lead,
        new_lead=same_team_practitioner,
        expected_lead_id=lead.pk,
    )
    assert _leads(episode) == ["Sam Same"]
    ended = episode.involvements.get(practitioner=lead, role="lead")
    assert ended.ended_at is not None
    assert ended.end_reason == "Needs VIG"
    assert AuditEvent.objects.filter(action="transfer_lead").count() == 1


def test_a_transfer_needs_a_reason(same_team_practitioner, episode, lead):
    with pytest.raises(services.ReasonNeeded):
        services.transfer_lead(
            episode=episode,
            to=same_team_practitioner,
            reason=" ",
            expected_lead_id=lead.pk,
            by=lead,
        )
    assert _leads(episode) == ["Lena Lead"]


def test_two_transfers_from_the_same_page_the_second_is_refused(
    same_team_practitioner, team_manager, episode, lead
):
    sam, tess = same_team_practitioner, team_manager
    services.transfer_lead(
        episode=episode, to=sam, reason="First", expected_lead_id=lead.pk, by=lead
    )
    with pytest.raises(services.LeadChangedMeanwhile):
        services.transfer_lead(
            episode=episode, to=tess, reason="Second", expected_lead_id=lead.pk, by=lead
        )
    assert _leads(episode) == ["Sam Same"]


def test_the_database_refuses_a_second_current_lead(same_team_practitioner, episode):
    with pytest.raises(IntegrityError), transaction.atomic():
        Involvement.objects.create(
            episode=episode,
            practitioner=same_team_practitioner,
            role=InvolvementRole.LEAD,
        )


def test_a_stale_transfer_page_shows_a_clear_message(
    city, same_team_practitioner, team_manager, client, episode, lead
):
    sam, tess = same_team_practitioner, team_manager
    client.force_login(lead)
    url = reverse("support:transfer_lead", args=[city.family.pk])
    first = client.post(
        url, {"new_lead": sam.pk, "reason": "First", "expected_lead": lead.pk}
    )
    assert first.status_code == 302
    second = client.post(
        url,
        {"new_lead": tess.pk, "reason": "Second", "expected_lead": lead.pk},
    )
    body = second.content.decode()
    assert "Someone changed the lead practitioner while you were on this page" in body
    assert _leads(episode) == ["Sam Same"]


def test_the_team_past_its_usual_size_needs_a_reason_and_is_flagged(
    city, episode, lead, settings
):
    settings.TEAM_SIZE_WARNING = 3  # lead + two partner contributors are already in
    extra = factories.staff(
        "Extra Person", city.council, Role.PRACTITIONER, teams=[city.team_a]
    )
    with pytest.raises(services.ReasonNeeded):
        services.add_to_team(
            episode=episode, practitioner=extra, role="contributor", reason="", by=lead
        )
    involvement = services.add_to_team(
        episode=episode,
        practitioner=extra,
        role="contributor",
        reason="Twins and a move",
        by=lead,
    )
    assert involvement.beyond_team_size


def test_the_add_to_team_page_asks_for_a_reason_when_the_team_is_full(
    city, client, lead, settings
):
    settings.TEAM_SIZE_WARNING = 3
    extra = factories.staff(
        "Extra Person", city.council, Role.PRACTITIONER, teams=[city.team_a]
    )
    client.force_login(lead)
    url = reverse("support:add_to_team", args=[city.family.pk])
    page = client.get(url).content.decode()
    assert "Families do best with a small team" in page
    body = client.post(
        url, {"practitioner": extra.pk, "role": "contributor", "reason": ""}
    ).content.decode()
    assert "Enter why the team needs to be bigger" in body


def test_candidates_the_family_knows_come_first(same_team_practitioner, episode, lead):
    from onestory.support.queries import allocation_candidates

    for day in (1, 2):
        services.record_contact(
            episode=episode,
            occurred_at=datetime(2026, 11, day, 10, tzinfo=UTC),
            contact_type="hub",
            practitioner=same_team_practitioner,
            attendance="attended",
            purpose="review",
            by=lead,
        )
    names = [p.full_name for p in allocation_candidates(episode, exclude=[lead])]
    # Two contacts, then one involvement (the partner), then the rest of the team.
    assert names[:2] == ["Sam Same", "Pat Partner"]
    assert "Tess Manager" in names
    assert "Olly Other" not in names  # another team: not someone the family knows
    assert "Nia Nurse" not in names  # involved, but no consent for her organisation


def test_restricted_notes_are_for_their_author_and_the_lead_only(
    city, same_team_practitioner, client, episode, lead
):
    factories.contact(
        city.family,
        by=same_team_practitioner,
        notes="RESTRICTED-CANARY domestic abuse disclosed",
        restricted=True,
        when=datetime(2026, 11, 1, 10, tzinfo=UTC),
        contact_type="phone",
        purpose="welfare_check",
    )
    record = reverse("families:family_support", args=[city.family.pk])
    for persona, sees in [
        ("same_team_practitioner", True),
        ("lead_practitioner", True),
        ("team_manager", False),
        ("partner_worker_with_consent", False),
    ]:
        client.force_login(city.personas[persona])
        body = client.get(record).content.decode()
        assert ("RESTRICTED-CANARY" in body) is sees, persona


def test_a_restricted_note_can_be_opened_to_named_roles(
    city, same_team_practitioner, client, episode, lead
):
    services.record_contact(
        episode=episode,
        occurred_at=datetime(2026, 11, 1, 10, tzinfo=UTC),
        contact_type="phone",
        practitioner=same_team_practitioner,
        attendance="attended",
        purpose="welfare_check",
        notes="RESTRICTED-CANARY safeguarding concern",
        notes_restricted=True,
        notes_roles=["team_manager"],
        by=same_team_practitioner,
    )
    record = reverse("families:family_support", args=[city.family.pk])
    for persona, sees in [
        ("team_manager", True),
        ("partner_worker_with_consent", False),
        ("other_hub_practitioner", False),  # the role alone is not scope
    ]:
        client.force_login(city.personas[persona])
        body = client.get(record).content.decode()
        assert ("RESTRICTED-CANARY" in body) is sees, persona


def test_named_roles_are_kept_only_for_a_restricted_note(city, client, lead):
    client.force_login(lead)
    data = {
        "occurred_on_0": "3",
        "occurred_on_1": "11",
        "occurred_on_2": "2026",
        "time": "14:30",
        "contact_type": "home_visit",
        "practitioner": lead.pk,
        "attendance": "attended",
        "purpose": "intervention",
        "notes": "Open note",
        "notes_roles": ["team_manager"],
    }
    url = reverse("support:record_contact", args=[city.family.pk])
    client.post(url, data)
    client.post(url, data | {"notes": "Closed note", "notes_restricted": "on"})
    assert dict(Contact.objects.values_list("notes", "notes_roles")) == {
        "Open note": [],
        "Closed note": ["team_manager"],
    }


def test_recording_a_contact_through_the_page(city, client, episode, lead):
    client.force_login(lead)
    response = client.post(
        reverse("support:record_contact", args=[city.family.pk]),
        {
            "occurred_on_0": "3",
            "occurred_on_1": "11",
            "occurred_on_2": "2026",
            "time": "14:30",
            "contact_type": "home_visit",
            "practitioner": lead.pk,
            "attendance": "attended",
            "purpose": "intervention",
            "duration_minutes": "60",
            "notes": "Good visit",
        },
    )
    assert response.status_code == 302
    contact = episode.contacts.get()
    assert contact.occurred_at == datetime(
        2026, 11, 3, 14, 30, tzinfo=UTC
    )  # GMT in November
    assert AuditEvent.objects.filter(action="record_contact").count() == 1


@pytest.mark.security_case(35)
def test_a_contact_in_the_future_is_refused_and_keeps_what_was_typed(
    city, client, lead
):
    client.force_login(lead)
    body = client.post(
        reverse("support:record_contact", args=[city.family.pk]),
        {
            "occurred_on_0": "3",
            "occurred_on_1": "11",
            "occurred_on_2": "2099",
            "time": "9:00",
            "contact_type": "hub",
            "practitioner": lead.pk,
            "attendance": "attended",
            "purpose": "review",
            "notes": "Typed notes",
        },
    ).content.decode()
    # The date range of a contact (core.forms.DATE_RANGES["past"]).
    assert "Date must be today or in the past" in body
    assert "Typed notes" in body


def test_continuity_is_shown_in_plain_words(
    city, same_team_practitioner, client, episode, lead
):
    for day, who in enumerate(
        [lead, lead, lead, same_team_practitioner, lead], start=1
    ):
        services.record_contact(
            episode=episode,
            occurred_at=datetime(2026, 10, day, 10, tzinfo=UTC),
            contact_type="home_visit",
            practitioner=who,
            attendance="attended",
            purpose="intervention",
            by=lead,
        )
    client.force_login(lead)
    body = client.get(
        reverse("families:family_support", args=[city.family.pk])
    ).content.decode()
    assert "Seen by the same practitioner in 4 of 5 contacts (Lena Lead)" in body


def test_ending_support_closes_the_episode_and_the_team(city, client, episode, lead):
    client.force_login(lead)
    response = client.post(
        reverse("support:close_episode", args=[city.family.pk]),
        {"reason": "needs_met", "note": ""},
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.closure_reason == "needs_met"
    assert episode.closed_by == lead
    assert not episode.involvements.filter(ended_at=None).exists()
    assert (
        client.get(reverse("families:family_record", args=[city.family.pk])).status_code
        == 404
    )


@pytest.mark.parametrize(
    "url_name",
    ["change_level", "transfer_lead", "add_to_team", "record_contact", "close_episode"],
)
@pytest.mark.parametrize(
    "persona", ["other_hub_practitioner", "partner_worker_without_consent"]
)
def test_support_pages_are_refused_outside_the_scope(city, client, url_name, persona):
    client.force_login(city.personas[persona])
    for method in (client.get, client.post):
        response = method(reverse(f"support:{url_name}", args=[city.family.pk]))
        assert response.status_code == 404
        assert [c for c in CANARIES if c in response.content.decode()] == []


def test_lead_retention_and_days_without_a_lead_are_shown(
    city, same_team_practitioner, client, episode, lead
):
    services.change_level(
        episode=episode, to_level="targeted", reason="More help", by=lead
    )
    services.change_level(
        episode=episode,
        to_level="specialist",
        reason="VIG",
        by=lead,
        new_lead=same_team_practitioner,
        expected_lead_id=lead.pk,
    )
    client.force_login(lead)
    body = client.get(
        reverse("families:family_support", args=[city.family.pk])
    ).content.decode()
    assert "The lead was kept at 1 of 2 changes of level." in body
    assert "Never without a lead." in body
