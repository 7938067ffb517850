"""A triage decision not to support a family says "Declined", as its request
does, wherever it is shown: one word, defined once (support/models.py)."""

import pytest
from django.urls import reverse

from onestory.support.models import (
    DecisionOutcome,
    RequestStatus,
    TriageDecision,
    decision_label,
)
from tests.support.test_triage import _awaiting, _decide, _meeting


def test_a_decision_not_to_support_uses_the_requests_own_word():
    declined = RequestStatus.DECLINED.label
    assert decision_label(DecisionOutcome.SUPPORT) == "Support from us"
    assert decision_label(DecisionOutcome.SIGNPOST) == (
        f"{declined}: signposted to another service"
    )
    assert decision_label(DecisionOutcome.NO_FURTHER_ACTION) == (
        f"{declined}: no further action"
    )


@pytest.mark.parametrize(
    ("outcome", "extra", "said", "why"),
    [
        (
            "no_further_action",
            {},
            "Declined: no further action",
            "No further action: Met by the universal offer",
        ),
        (
            "signpost",
            {"signpost_to": "Home-Start"},
            "Declined: signposted to another service",
            "Signposted to another service: Met by the universal offer",
        ),
    ],
)
def test_the_record_the_request_and_the_timeline_say_declined(
    city, team_manager, client, lead, chair, outcome, extra, said, why
):
    made = _awaiting(city, lead)
    meeting = _meeting(chair)
    client.force_login(chair)
    _decide(
        client,
        meeting,
        city.family,
        lead,
        outcome=outcome,
        summary="Met by the universal offer",
        **extra,
    )
    made.refresh_from_db()
    assert made.get_status_display() == "Declined"
    assert made.status_changes.last().reason == why
    assert str(TriageDecision.objects.get()) == said
    client.force_login(team_manager)  # the chair's scope has ended
    record = client.get(reverse("support:show_meeting", args=[meeting.pk]))
    assert f"{said}</dd>" in record.content.decode()
    request_page = client.get(
        reverse("support:show_request", args=[city.family.pk, made.pk])
    ).content.decode()
    assert ">Declined</strong>" in request_page
    assert f"{said}, " in request_page
    client.force_login(lead)
    timeline = client.get(reverse("families:family_timeline", args=[city.family.pk]))
    assert f"Triage decision: {said.lower()}" in timeline.content.decode()


def test_the_decision_form_offers_the_same_words(city, client, lead, chair):
    _awaiting(city, lead)
    meeting = _meeting(chair)
    client.force_login(chair)
    body = client.get(
        reverse("support:decide", args=[meeting.pk, city.family.pk])
    ).content.decode()
    for outcome in DecisionOutcome.values:
        assert f">{decision_label(outcome)}</label>" in body
