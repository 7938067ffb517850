"""Requests for support and multi-agency triage meetings."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from onestory.accounts.models import Role
from onestory.core.models import AuditEvent
from onestory.families.models import ConsentPurpose
from onestory.support import triage
from onestory.support.models import (
    Consultation,
    Involvement,
    LevelChange,
    RequestStatus,
    SupportRequest,
    TriageDecision,
)
from tests import factories
from tests.conftest import CANARIES
from tests.families.test_access_matrix import (
    DOORS,
    FORBIDDEN,
    MATRIX,
    OK,
    SIGN_IN,
    _client_for,
    _refusal,
)
from tests.pages import queries_for

RISK = "Immediate risk to the baby: the family cannot be reached"


@pytest.fixture
def trust_chair(city):
    return factories.staff("Trudy Trust", city.trust, Role.TRIAGE_CHAIR)


def _request(client, city, **overrides):
    today = timezone.localdate()
    data = {
        "requested_level": "specialist",
        "to_organisation": city.council.pk,
        "source": "hub_team",
        "received_on_0": today.day,
        "received_on_1": today.month,
        "received_on_2": today.year,
        "urgency": "soon",
        "reason": "Low mood is getting worse; bonding is hard.",
        "override_reason": "",
    } | overrides
    return client.post(reverse("support:make_request", args=[city.family.pk]), data)


def _referral_consent(city, lead, organisation):
    return city.family.consents.create(
        organisation=organisation,
        purpose=ConsentPurpose.REFERRAL,
        given_by=city.family.members.get(role="parent_carer"),
        given_on="2026-11-01",
        recorded_by=lead,
        recorded_by_organisation=city.council,
    )


def _record(client, family):
    return client.get(reverse("families:family_timeline", args=[family.pk]))


def _awaiting(city, by, screener=None, **overrides):
    """A request `by` someone, put on the triage agenda by `screener` (by default
    the council's team manager)."""
    episode = city.family.episodes.get()
    request = triage.make_request(
        episode=episode,
        to_organisation=overrides.pop("to_organisation", city.council),
        requested_level="specialist",
        source="hub_team",
        urgency="routine",
        reason="Needs more help",
        received_on=timezone.localdate(),
        by=by,
        **overrides,
    )
    return triage.change_request_status(
        request=request,
        to=RequestStatus.AWAITING_TRIAGE,
        reason="",
        by=screener or city.personas["team_manager"],
    )


def _meeting(chair, *organisations, days=0):
    return triage.schedule_meeting(
        starts_at=timezone.now() + timedelta(days=days),
        location="Room 2",
        chair=chair,
        organisations=organisations,
        attendees="",
        by=chair,
    )


# Requests for support


def test_a_step_up_request_starts_new_with_its_history_and_audit(city, client, lead):
    client.force_login(lead)
    response = _request(client, city)
    made = SupportRequest.objects.get()
    assert response.status_code == 302
    assert (made.kind, made.status) == ("step_up", "new")
    assert list(made.status_changes.values_list("status", flat=True)) == ["new"]
    assert AuditEvent.objects.filter(
        action="make_request", family_id=city.family.pk
    ).exists()
    body = _record(client, city.family).content.decode()
    assert "Step-up for specialist support" in body


def test_a_bad_request_keeps_what_was_typed(city, client, lead):
    client.force_login(lead)
    response = _request(client, city, reason="Kept text", requested_level="")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Select the level of support needed" in body
    assert "Kept text" in body
    assert not SupportRequest.objects.exists()


@pytest.mark.security_case(8)
def test_a_referral_elsewhere_needs_consent(city, client, lead):
    client.force_login(lead)
    body = _request(client, city, to_organisation=city.trust.pk).content.decode()
    assert "has not agreed to a referral to them" in body
    assert not SupportRequest.objects.exists()


@pytest.mark.security_case(9)
def test_a_practitioner_may_not_override_consent(city, client, lead):
    client.force_login(lead)
    response = _request(
        client, city, to_organisation=city.trust.pk, override_reason="Urgent risk"
    )
    assert "Only triage chairs and team managers" in response.content.decode()
    assert not SupportRequest.objects.exists()


@pytest.mark.security_case(9)
def test_a_team_manager_may_override_consent_and_it_is_audited(
    city, team_manager, client
):
    client.force_login(team_manager)
    body = _request(
        client, city, to_organisation=city.trust.pk, override_reason="Risk"
    ).text
    assert "at least 20 characters" in body
    assert not SupportRequest.objects.exists()
    _request(client, city, to_organisation=city.trust.pk, override_reason=RISK)
    made = SupportRequest.objects.get()
    assert made.consent_override_reason == RISK
    event = AuditEvent.objects.get(action="consent_override")
    assert (event.actor, event.family_id) == (team_manager, city.family.pk)
    assert event.detail["reason"] == RISK


def test_a_referral_rests_on_the_familys_consent(
    city, lead, partner_worker_with_consent, client
):
    consent = _referral_consent(city, lead, city.trust)
    client.force_login(partner_worker_with_consent)
    _request(client, city, to_organisation=city.trust.pk, source="voluntary_partner")
    made = SupportRequest.objects.get()
    assert (made.kind, made.consent, made.consent_override_reason) == (
        "referral",
        consent,
        "",
    )


def test_only_triage_of_the_receiving_organisation_sends_it_to_triage(
    city, client, lead, chair
):
    client.force_login(lead)
    _request(client, city)
    made = SupportRequest.objects.get()
    url = reverse("support:show_request", args=[city.family.pk, made.pk])
    body = client.get(url).content.decode()
    assert "Ready for the next triage meeting" not in body
    assert "Withdrawn" in body  # the maker may withdraw
    response = client.post(url, {"status": "awaiting_triage", "expected": "new"})
    assert response.status_code == 200
    made.refresh_from_db()
    assert made.status == "new"

    client.force_login(chair)
    client.post(url, {"status": "awaiting_triage", "expected": "new"})
    made.refresh_from_db()
    assert made.status == "awaiting_triage"


def test_withdrawing_needs_a_reason(city, client, lead):
    client.force_login(lead)
    _request(client, city)
    made = SupportRequest.objects.get()
    url = reverse("support:show_request", args=[city.family.pk, made.pk])
    body = client.post(url, {"status": "withdrawn", "expected": "new"}).content
    assert "Enter the reason" in body.decode()
    client.post(url, {"status": "withdrawn", "expected": "new", "reason": "Moved"})
    made.refresh_from_db()
    assert made.status == "withdrawn"
    assert list(made.status_changes.values_list("status", "reason")) == [
        ("new", ""),
        ("withdrawn", "Moved"),
    ]


def test_a_stale_status_change_is_refused_and_keeps_the_reason(
    city, client, lead, chair
):
    client.force_login(lead)
    _request(client, city)
    made = SupportRequest.objects.get()
    triage.change_request_status(
        request=made, to=RequestStatus.AWAITING_TRIAGE, reason="", by=chair
    )
    url = reverse("support:show_request", args=[city.family.pk, made.pk])
    response = client.post(
        url, {"status": "withdrawn", "expected": "new", "reason": "Typed reason"}
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "Someone changed this request" in body
    assert "Typed reason" in body
    made.refresh_from_db()
    assert made.status == "awaiting_triage"


def test_no_one_can_decide_a_request_outside_a_meeting(city, lead, chair):
    made = _awaiting(city, lead)
    with pytest.raises(triage.NotAllowedNow):
        triage.change_request_status(
            request=made, to=RequestStatus.DECIDED, reason="", by=chair
        )


# Who may see what


def test_triage_reads_a_family_only_while_a_request_to_it_is_open(
    city, client, lead, chair
):
    client.force_login(chair)
    assert _record(client, city.family).status_code == 404
    made = _awaiting(city, lead)
    assert _record(client, city.family).status_code == 200
    home = client.get(reverse("support:triage_home")).content.decode()
    assert "Zzcanaryson" in home
    triage.change_request_status(
        request=made, to=RequestStatus.WITHDRAWN, reason="Not needed", by=lead
    )
    assert _record(client, city.family).status_code == 404
    home = client.get(reverse("support:triage_home")).content.decode()
    assert [c for c in CANARIES if c in home] == []


def test_another_organisations_triage_reads_only_with_referral_consent(
    city, lead, team_manager, client, trust_chair
):
    consent = _referral_consent(city, lead, city.trust)
    _awaiting(city, team_manager, trust_chair, to_organisation=city.trust)
    client.force_login(trust_chair)
    assert _record(client, city.family).status_code == 200
    consent.withdrawn_at = timezone.now()
    consent.save()
    assert _record(client, city.family).status_code == 404
    body = client.get(reverse("support:triage_home")).content.decode()
    assert [c for c in CANARIES if c in body] == []


def test_an_override_lets_the_receiving_triage_read(
    city, team_manager, client, trust_chair
):
    _awaiting(
        city,
        team_manager,
        trust_chair,
        to_organisation=city.trust,
        override_reason=RISK,
    )
    client.force_login(trust_chair)
    assert _record(client, city.family).status_code == 200


def test_a_request_gives_no_access_to_other_roles_of_that_organisation(
    city, other_hub_practitioner, client, lead
):
    _awaiting(city, lead)
    client.force_login(other_hub_practitioner)
    assert _record(client, city.family).status_code == 404


@pytest.mark.parametrize(
    "persona",
    ["lead_practitioner", "commissioner", "admin", "partner_worker_with_consent"],
)
def test_triage_pages_are_for_triage_chairs_and_team_managers(city, client, persona):
    client.force_login(city.personas[persona])
    assert client.get(reverse("support:triage_home")).status_code == 403
    assert client.get(reverse("support:schedule_meeting")).status_code == 403


def test_a_meeting_of_another_organisation_is_not_found(
    city, client, chair, trust_chair
):
    meeting = _meeting(chair)
    client.force_login(trust_chair)
    url = reverse("support:show_meeting", args=[meeting.pk])
    assert client.get(url).status_code == 404


# Meetings and decisions


def test_scheduling_a_meeting(city, client, chair):
    client.force_login(chair)
    day = timezone.localdate() + timedelta(days=7)
    response = client.post(
        reverse("support:schedule_meeting"),
        {
            "held_on_0": day.day,
            "held_on_1": day.month,
            "held_on_2": day.year,
            "time": "09:30",
            "location": "Devonport hub, room 1",
            "chair": chair.pk,
            "organisations": [city.trust.pk, city.partner.pk],
            "attendees": "Health visiting: Jo",
        },
    )
    assert response.status_code == 302
    body = client.get(response["Location"]).content.decode()
    assert "Devonport hub, room 1" in body
    for organisation in (city.council, city.trust, city.partner):
        assert str(organisation) in body
    assert "Nothing is waiting for this meeting" in body


def test_the_agenda_lists_requests_and_flagged_consultations_with_a_consent_check(
    city, client, lead, chair
):
    _awaiting(city, lead)
    specialist = factories.staff("Priya Specialist", city.council, Role.SPECIALIST)
    other = factories.family(by=lead, team=city.team_a, family_name="Flaggedfamily")
    from onestory.support import services

    services.ask_consultation(
        episode=other.episodes.get(),
        specialist=specialist,
        question="Q",
        tried="",
        urgency="routine",
        discuss_at_triage=True,
        by=lead,
    )
    meeting = _meeting(chair, city.trust, city.partner)
    client.force_login(chair)
    body = client.get(reverse("support:show_meeting", args=[meeting.pk])).content
    body = body.decode()
    assert "Zzcanaryson" in body
    assert "Flaggedfamily" in body
    assert "Step-up" in body
    assert "Flagged for discussion" in body
    # The canary agreed to share with the partner, not the trust.
    assert f"Do not discuss with {city.trust}" in body


def _decide(client, meeting, family, current_lead, **overrides):
    data = {
        "consent_checked": "on",
        "outcome": "support",
        "level": "specialist",
        "lead": current_lead.pk,
        "expected_lead": current_lead.pk,
        "summary": "Agreed: specialist support, keeping Lena as lead.",
        "specialist": "",
    } | overrides
    return client.post(reverse("support:decide", args=[meeting.pk, family.pk]), data)


def test_a_decision_steps_up_keeping_the_lead_with_actions(city, client, lead, chair):
    made = _awaiting(city, lead)
    meeting = _meeting(chair, city.partner)
    client.force_login(chair)
    due = timezone.localdate() + timedelta(days=14)
    response = _decide(
        client,
        meeting,
        city.family,
        lead,
        action_1="Book a joint visit",
        owner_1=lead.pk,
        due_1_0=due.day,
        due_1_1=due.month,
        due_1_2=due.year,
    )
    assert response.status_code == 302
    decision = TriageDecision.objects.get()
    assert (decision.level, decision.lead, decision.lead_changed) == (
        "specialist",
        lead,
        False,
    )
    assert [a.description for a in decision.actions.all()] == ["Book a joint visit"]
    change = LevelChange.objects.filter(from_level="universal").get()
    assert (change.to_level, change.lead_kept) == ("specialist", True)
    leads = Involvement.objects.filter(role="lead", ended_at=None)
    assert [i.practitioner for i in leads] == [lead]
    made.refresh_from_db()
    assert (made.status, made.decision) == ("decided", decision)
    assert AuditEvent.objects.filter(action="record_triage_decision").count() == 1
    # The record and the printable record show it.
    client.force_login(lead)
    assert (
        "Triage decision: support from us"
        in _record(client, city.family).content.decode()
    )
    client.force_login(chair)
    printed = client.get(reverse("support:print_meeting", args=[meeting.pk]))
    assert "Book a joint visit" in printed.content.decode()


def test_a_decision_needs_the_consent_check_and_keeps_what_was_typed(
    city, client, lead, chair
):
    _awaiting(city, lead)
    meeting = _meeting(chair)
    client.force_login(chair)
    response = _decide(client, meeting, city.family, lead, consent_checked="")
    body = response.content.decode()
    assert "Confirm that you have checked who may hear about this family" in body
    assert "Agreed: specialist support" in body
    assert not TriageDecision.objects.exists()


def test_changing_the_lead_at_triage_needs_a_reason_and_is_a_transfer(
    city, same_team_practitioner, client, lead, chair
):
    _awaiting(city, lead)
    meeting = _meeting(chair)
    client.force_login(chair)
    body = _decide(
        client, meeting, city.family, lead, lead=same_team_practitioner.pk
    ).content.decode()
    assert "Enter why the lead is changing" in body
    _decide(
        client,
        meeting,
        city.family,
        lead,
        lead=same_team_practitioner.pk,
        lead_reason="Trained",
    )
    current = Involvement.objects.get(role="lead", ended_at=None)
    assert current.practitioner == same_team_practitioner
    assert current.reason.startswith("Decided at triage")
    assert TriageDecision.objects.get().lead_changed is True


def test_a_stale_lead_is_refused_and_nothing_is_saved(
    city, same_team_practitioner, client, lead, chair
):
    from onestory.support import services

    made = _awaiting(city, lead)
    meeting = _meeting(chair)
    services.transfer_lead(
        episode=city.family.episodes.get(),
        to=same_team_practitioner,
        reason="Meanwhile",
        expected_lead_id=lead.pk,
        by=lead,
    )
    client.force_login(chair)
    body = _decide(client, meeting, city.family, lead).content.decode()
    assert "Someone changed the lead practitioner" in body
    assert not TriageDecision.objects.exists()
    made.refresh_from_db()
    assert made.status == "awaiting_triage"
    assert (
        Involvement.objects.get(role="lead", ended_at=None).practitioner
        == same_team_practitioner
    )


def test_no_further_action_declines_the_request_with_the_reason(
    city, client, lead, chair
):
    made = _awaiting(city, lead)
    meeting = _meeting(chair)
    client.force_login(chair)
    _decide(
        client,
        meeting,
        city.family,
        lead,
        outcome="no_further_action",
        summary="Needs are met by the universal offer",
    )
    made.refresh_from_db()
    assert made.status == "declined"
    assert list(made.status_changes.values_list("status", flat=True)) == [
        "new",
        "awaiting_triage",
        "decided",
        "declined",
    ]
    assert made.status_changes.last().reason == (
        "No further action: Needs are met by the universal offer"
    )
    assert LevelChange.objects.count() == 1  # the level did not change


def test_a_decision_can_ask_for_a_consultation_and_clears_the_flag(
    city, client, lead, chair
):
    from onestory.support import services

    specialist = factories.staff("Priya Specialist", city.council, Role.SPECIALIST)
    flagged = services.ask_consultation(
        episode=city.family.episodes.get(),
        specialist=specialist,
        question="Bonding",
        tried="",
        urgency="routine",
        discuss_at_triage=True,
        by=lead,
    )
    meeting = _meeting(chair)
    client.force_login(chair)
    _decide(
        client,
        meeting,
        city.family,
        lead,
        level="universal",
        specialist=specialist.pk,
        question="Is VIG right for them?",
    )
    decision = TriageDecision.objects.get()
    flagged.refresh_from_db()
    assert flagged.discussed_at == decision
    asked = Consultation.objects.exclude(pk=flagged.pk).get()
    assert (asked.question, asked.specialist) == ("Is VIG right for them?", specialist)
    assert Involvement.objects.get(role="lead", ended_at=None).practitioner == lead
    body = client.get(reverse("support:show_meeting", args=[meeting.pk])).content
    assert "Nothing is waiting for this meeting" in body.decode()


def test_a_family_is_decided_once_per_meeting(city, lead, chair):
    _awaiting(city, lead)
    meeting = _meeting(chair)
    check = triage.ConsentCheck([city.council], [])
    decision = triage.Decision(outcome="no_further_action", summary="Fine")
    triage.record_decision(
        meeting=meeting, family=city.family, decision=decision, check=check, by=chair
    )
    with pytest.raises(triage.AlreadyDecided):
        triage.record_decision(
            meeting=meeting,
            family=city.family,
            decision=decision,
            check=check,
            by=chair,
        )
    assert TriageDecision.objects.count() == 1


def test_the_record_of_a_meeting_hides_families_out_of_scope(city, client, lead, chair):
    made = _awaiting(city, lead)
    meeting = _meeting(chair)
    client.force_login(chair)
    _decide(client, meeting, city.family, lead)
    triage.change_request_status(
        request=SupportRequest.objects.get(pk=made.pk),
        to=RequestStatus.ACCEPTED,
        reason="",
        by=lead,
    )
    body = client.get(reverse("support:print_meeting", args=[meeting.pk])).content
    body = body.decode()
    assert [c for c in CANARIES if c in body] == []
    assert "1 family no longer in your scope" in body


def test_the_agenda_runs_a_fixed_number_of_queries(city, client, lead, chair):
    meeting = _meeting(chair, city.trust, city.partner)
    url = reverse("support:show_meeting", args=[meeting.pk])
    _awaiting(city, lead)

    def count():
        return queries_for(client, url)

    client.force_login(chair)
    client.get(url)
    small = count()
    for number in range(6):
        family = factories.family(by=lead, team=city.team_a, family_name=f"G{number}")
        triage.change_request_status(
            request=triage.make_request(
                episode=family.episodes.get(),
                to_organisation=city.council,
                requested_level="targeted",
                source="self",
                urgency="routine",
                reason="R",
                received_on=timezone.localdate(),
                by=lead,
            ),
            to=RequestStatus.AWAITING_TRIAGE,
            reason="",
            by=chair,
        )
    assert count() == small


def test_the_triage_home_runs_a_fixed_number_of_queries(city, client, lead, chair):
    url = reverse("support:triage_home")
    _awaiting(city, lead)
    _meeting(chair)

    def count():
        return queries_for(client, url)

    client.force_login(chair)
    client.get(url)
    small = count()
    for number in range(6):
        family = factories.family(by=lead, team=city.team_a, family_name=f"G{number}")
        triage.make_request(
            episode=family.episodes.get(),
            to_organisation=city.council,
            requested_level="targeted",
            source="self",
            urgency="routine",
            reason="R",
            received_on=timezone.localdate(),
            by=lead,
        )
        _meeting(chair, days=-number - 1)
    assert count() == small


@pytest.mark.security_case(10)
@pytest.mark.parametrize("persona", [*MATRIX])
def test_request_and_triage_pages_leak_nothing_to_any_persona(
    persona, city, team_manager, lead, client
):
    """The request page answers as the family record does; triage pages are for
    triage chairs and team managers, and only about families in their scope."""
    made = _awaiting(city, lead)
    meeting = _meeting(team_manager)
    expected = MATRIX[persona][DOORS.index("family record")]
    triage_role = persona == "team_manager"
    pages = {
        reverse("support:show_request", args=[city.family.pk, made.pk]): expected,
        reverse("support:triage_home"): OK if triage_role else None,
        reverse("support:show_meeting", args=[meeting.pk]): OK if triage_role else None,
        reverse("support:print_meeting", args=[meeting.pk]): OK
        if triage_role
        else None,
        reverse("support:decide", args=[meeting.pk, city.family.pk]): (
            OK if triage_role else None
        ),
    }
    client = _client_for(persona, city, client)
    for url, outcome in pages.items():
        response = client.get(url)
        if outcome is None:  # refused by role: 403, or sign in first
            outcome = SIGN_IN if persona == "anonymous" else FORBIDDEN
        assert (url, _outcome(response)) == (url, outcome)
        if outcome != OK:
            body = response.content.decode()
            assert [c for c in CANARIES if c in body] == []


def _outcome(response):
    return OK if response.status_code == 200 else _refusal(response)
