"""Who may be a lead (only those who hold a caseload), and triage decisions
recorded on or after the meeting's date (issue 13)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from onestory.accounts.models import Role
from onestory.families.models import Family
from onestory.support import services, triage
from onestory.support.forms import NOT_A_LEAD
from onestory.support.meeting_consent import consent_check
from onestory.support.models import Involvement, TriageDecision
from tests import factories
from tests.families.test_views import valid_family_post
from tests.support.test_triage import _awaiting, _decide, _meeting


def _offered_as_lead(body, person) -> bool:
    """Whether a lead radio (`lead`, `new_lead`) has this person as its value."""
    radios = re.findall(r"<input[^>]*>", body)
    return any(
        re.search(r'name="(new_)?lead"', radio) and f'value="{person.pk}"' in radio
        for radio in radios
    )


@pytest.fixture
def peer(city):
    """A peer support worker in the holding team: in the team, never a lead."""
    return factories.staff(
        "Pia Peer", city.council, Role.PEER_SUPPORT_WORKER, teams=[city.team_a]
    )


def _current_lead(city):
    return Involvement.objects.get(
        episode__family=city.family, role="lead", ended_at=None
    ).practitioner


def test_the_service_refuses_a_lead_who_holds_no_caseload(
    city, team_manager, lead, peer, commissioner
):
    episode = city.family.episodes.get()
    for person in (peer, commissioner):
        with pytest.raises(services.CannotLead, match="hold a caseload"):
            services.transfer_lead(
                episode=episode,
                to=person,
                reason="Asked for",
                expected_lead_id=lead.pk,
                by=lead,
            )
        with pytest.raises(services.CannotLead):
            services.open_episode(
                family=city.family, team=city.team_a, lead=person, by=lead
            )
    assert _current_lead(city) == lead
    assert city.family.episodes.count() == 1
    # A team manager and a practitioner do hold caseloads.
    services.transfer_lead(
        episode=episode,
        to=team_manager,
        reason="Asked for",
        expected_lead_id=lead.pk,
        by=lead,
    )
    assert _current_lead(city) == team_manager


def test_peer_support_workers_are_offered_for_the_team_but_not_as_leads(
    city, same_team_practitioner, client, lead, peer, chair
):
    _awaiting(city, lead)
    meeting = _meeting(chair)
    family = city.family.pk
    client.force_login(lead)
    for name in ("support:transfer_lead", "support:change_level"):
        body = client.get(reverse(name, args=[family])).text
        assert _offered_as_lead(body, same_team_practitioner)
        assert not _offered_as_lead(body, peer)
    # The team still offers them: they work with the family, alongside a lead.
    assert "Pia Peer" in client.get(reverse("support:add_to_team", args=[family])).text
    client.force_login(chair)
    body = client.get(reverse("support:decide", args=[meeting.pk, family])).text
    assert _offered_as_lead(body, same_team_practitioner)
    assert not _offered_as_lead(body, peer)
    assert "Pia Peer" in body  # as an owner of an action


@pytest.mark.security_case(7)
def test_posting_a_peer_support_worker_as_lead_is_refused_everywhere(
    city, client, lead, peer, chair
):
    family = city.family.pk
    client.force_login(lead)
    posts = {
        reverse("support:transfer_lead", args=[family]): {
            "new_lead": peer.pk,
            "reason": "They know the family",
            "expected_lead": lead.pk,
        },
        reverse("support:change_level", args=[family]): {
            "to_level": "targeted",
            "lead": peer.pk,
            "reason": "They know the family",
            "expected_lead": lead.pk,
        },
    }
    for url, data in posts.items():
        response = client.post(url, data)
        assert response.status_code == 200
        assert NOT_A_LEAD in response.text
        assert "They know the family" in response.text  # what was typed is kept
    _awaiting(city, lead)
    meeting = _meeting(chair)
    client.force_login(chair)
    response = _decide(
        client, meeting, city.family, lead, lead=peer.pk, lead_reason="Known"
    )
    assert NOT_A_LEAD in response.text
    assert not TriageDecision.objects.exists()
    assert _current_lead(city) == lead
    assert city.family.episodes.get().level_changes.count() == 1


def test_someone_who_holds_no_caseload_cannot_add_a_family_as_its_lead(
    city, client, peer
):
    client.force_login(peer)
    response = client.post(
        reverse("families:add_family"),
        valid_family_post(city, carer_nhs_number=factories.nhs_number()),
    )
    assert response.status_code == 200
    assert "Pia Peer cannot be a family&#x27;s lead practitioner" in response.text
    assert "Ask a practitioner in your team to add them" in response.text
    assert "Since Noah came I feel low." in response.text
    assert Family.objects.count() == 1  # only the canary


def test_a_decision_before_the_meeting_day_is_refused_keeping_what_was_typed(
    city, client, lead, chair
):
    made = _awaiting(city, lead)
    meeting = _meeting(chair, days=2)
    client.force_login(chair)
    url = reverse("support:decide", args=[meeting.pk, city.family.pk])
    day = timezone.localdate(meeting.starts_at)
    assert "its decisions can be recorded from that day" in client.get(url).text
    response = _decide(client, meeting, city.family, lead, summary="Typed summary")
    assert response.status_code == 200
    assert f"This meeting is on {day.day} " in response.text
    assert "Nothing was saved" in response.text
    assert "Typed summary" in response.text
    assert not TriageDecision.objects.exists()
    made.refresh_from_db()
    assert made.status == "awaiting_triage"


def test_the_service_records_decisions_on_or_after_the_meeting_day_only(
    city, lead, chair
):
    _awaiting(city, lead)
    check = consent_check(
        [], holder_id=city.council.pk, agreed_ids=set(), overridden_ids=()
    )
    decision = triage.Decision(outcome="no_further_action", summary="Not now")
    tomorrow = _meeting(chair, days=1)
    with pytest.raises(triage.MeetingNotYet):
        triage.record_decision(
            meeting=tomorrow,
            family=city.family,
            decision=decision,
            check=check,
            by=chair,
        )
    assert not TriageDecision.objects.exists()
    yesterday = _meeting(chair, days=-1)
    triage.record_decision(
        meeting=yesterday, family=city.family, decision=decision, check=check, by=chair
    )
    assert TriageDecision.objects.get().meeting == yesterday


def test_the_triage_decision_says_which_consent_would_offer_a_specialist(
    city, client, lead, chair
):
    from onestory.accounts.models import Role

    factories.staff("Nick Nhs Specialist", city.trust, Role.SPECIALIST)
    _awaiting(city, lead)
    meeting = _meeting(chair)
    client.force_login(chair)
    body = client.get(reverse("support:decide", args=[meeting.pk, city.family.pk])).text
    assert "Nick Nhs Specialist" not in body
    assert f"{city.trust.name} (1 specialist)" in body
    link = reverse("families:record_consent", args=[city.family.pk])
    assert f"{link}?organisation={city.trust.pk}" in body
