"""The family's plan: their goals in their words, strengths, actions; no lost updates."""

import pytest
from django.urls import reverse
from django.utils import timezone

from onestory.core.models import AuditEvent
from onestory.support.models import Plan
from tests.conftest import CANARIES


def _url(city, name, *args):
    return reverse(f"support:{name}", args=[city.family.pk, *args])


def test_goals_actions_and_strengths_build_the_plan(city, lead, lead_client):
    lead_client.post(_url(city, "add_goal"), {"goal": "I want to enjoy bath time"})
    lead_client.post(
        _url(city, "add_plan_action"),
        {
            "description": "Try baby massage group",
            "owner": "Alex",
            "due_on_0": "1",
            "due_on_1": "12",
            "due_on_2": "2026",
        },
    )
    lead_client.post(
        _url(city, "update_plan"),
        {
            "strengths": "Loving and curious",
            "based_on": "1",
            "review_on_0": "15",
            "review_on_1": "1",
            "review_on_2": "2027",
        },
    )
    page = lead_client.get(_url(city, "show_plan")).content.decode()
    for text in [
        "I want to enjoy bath time",
        "Try baby massage group",
        "Loving and curious",
        "15 January 2027",
    ]:
        assert text in page
    printed = lead_client.get(_url(city, "print_plan")).content.decode()
    assert "Our plan" in printed
    assert "I want to enjoy bath time" in printed
    assert "Mark done" not in printed
    # Who made it with them, how to reach them, and when it was printed.
    assert f"{lead.full_name}, {lead.organisation}" in printed
    assert lead.email in printed
    today = timezone.localdate()
    assert f"Printed on {today.day} {today:%B %Y}" in printed
    assert AuditEvent.objects.filter(action="update_plan").count() == 3


def test_an_action_can_be_marked_done(city, lead_client):
    lead_client.post(
        _url(city, "add_plan_action"),
        {
            "description": "Call GP",
            "owner": "Lena",
            "due_on_0": "1",
            "due_on_1": "12",
            "due_on_2": "2026",
        },
    )
    action = Plan.objects.get().actions.get()
    lead_client.post(_url(city, "mark_action_done", action.pk))
    action.refresh_from_db()
    assert action.done_at is not None


def test_a_stale_plan_edit_is_refused_and_keeps_what_was_typed(city, lead_client):
    lead_client.post(_url(city, "update_plan"), {"strengths": "First", "based_on": "1"})
    response = lead_client.post(
        _url(city, "update_plan"), {"strengths": "My careful words", "based_on": "1"}
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "Someone saved the plan while you were editing it" in body
    assert "My careful words" in body
    assert 'name="based_on" value="2"' in body
    assert Plan.objects.get().strengths == "First"


def test_empty_goal_and_incomplete_action_get_clear_errors(city, lead_client):
    body = lead_client.post(_url(city, "add_goal"), {"goal": "  "}).content.decode()
    assert "Enter the goal, in the family&#x27;s words" in body
    body = lead_client.post(
        _url(city, "add_plan_action"), {"description": "Walks", "owner": ""}
    ).content.decode()
    assert "Enter who will do it" in body
    assert 'value="Walks"' in body


@pytest.mark.parametrize("name", ["show_plan", "print_plan"])
def test_the_plan_is_refused_outside_the_scope(
    city, other_hub_practitioner_client, name
):
    response = other_hub_practitioner_client.get(_url(city, name))
    assert response.status_code == 404
    assert [c for c in CANARIES if c in response.content.decode()] == []


def test_plan_writes_are_refused_outside_the_scope(
    city, partner_worker_without_consent_client
):
    assert (
        partner_worker_without_consent_client.post(
            _url(city, "add_goal"), {"goal": "Intruder"}
        ).status_code
        == 404
    )
    assert not Plan.objects.exists()


def test_the_caseload_shows_what_needs_doing_next(city, lead, lead_client, settings):
    from datetime import UTC, datetime, timedelta

    from django.utils import timezone

    from onestory.support import services

    caseload = reverse("families:my_caseload")
    city.family.__class__.objects.filter(pk=city.family.pk).update(
        created_at=timezone.now() - timedelta(days=60)
    )
    body = lead_client.get(caseload).content.decode()
    added = timezone.localdate() - timedelta(days=60)
    assert f"No contact since added on {added.day} {added:%B}" in body
    assert ", 8 weeks" in body
    assert "Plan action due" not in body

    due = timezone.localdate() + timedelta(days=2)
    lead_client.post(
        _url(city, "add_plan_action"),
        {
            "description": "Call",
            "owner": "Lena",
            "due_on_0": due.day,
            "due_on_1": due.month,
            "due_on_2": due.year,
        },
    )
    services.record_contact(
        episode=city.family.episodes.get(),
        occurred_at=datetime.now(UTC) - timedelta(days=1),
        contact_type="phone",
        practitioner=lead,
        attendance="attended",
        purpose="review",
        by=lead,
    )
    body = lead_client.get(caseload).content.decode()
    assert "Plan action due" in body
    assert "No contact since" not in body
