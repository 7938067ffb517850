"""Our plan: the family's goals, strengths and actions; an adult marks the
family's own actions done with a note; staff are named only as their own
practitioner."""

from datetime import date

import pytest
from django.urls import reverse

from onestory.core.models import AuditEvent
from onestory.parents import domain
from onestory.support import plans
from onestory.support.models import PlanAction
from tests.parents.conftest import sign_in


@pytest.fixture
def plan(city, lead, family_personas):
    plans.add_goal(family=city.family, text="Enjoy bath time with Robin", by=lead)
    plans.update_plan(
        family=city.family,
        strengths="Warm and playful with Robin",
        review_on=date(2027, 1, 15),
        based_on=1,
        by=lead,
    )
    made = {
        owner: plans.add_plan_action(
            family=city.family,
            description=f"ACTION number {number}",
            owner=owner,
            due_on=date(2026, 12, 20),
            by=lead,
        )
        for number, owner in enumerate(("Parent", "Lena Lead", "sam same"))
    }
    other = plans.add_plan_action(
        family=family_personas.other_family,
        description="OTHER-FAMILY-ACTION",
        owner="Parent",
        due_on=date(2026, 12, 20),
        by=lead,
    )
    return made, other


def test_the_plan_names_only_their_own_practitioner(client, family_personas, plan):
    sign_in(client, family_personas.this_parent)
    page = client.get("/your-family/plan/").content.decode()
    assert "Enjoy bath time with Robin" in page
    assert "Warm and playful with Robin" in page
    assert "15 January 2027" in page
    assert "Who: Lena Lead." in page
    assert "Who: Someone in your team." in page
    assert "sam same" not in page.lower()
    assert "OTHER-FAMILY-ACTION" not in page
    made, _ = plan
    assert reverse("parents:action_done", args=[made["Parent"].pk]) in page
    for staffs in ("Lena Lead", "sam same"):
        assert reverse("parents:action_done", args=[made[staffs].pk]) not in page


def test_an_adult_marks_the_familys_action_done_with_a_note(
    client, city, lead, family_personas, plan
):
    made, _ = plan
    adult = family_personas.other_parent
    sign_in(client, adult)
    url = reverse("parents:action_done", args=[made["Parent"].pk])
    response = client.post(url, {"note": "We went on Tuesday and loved it"})
    assert response["Location"] == "/your-family/plan/"
    action = PlanAction.objects.get(pk=made["Parent"].pk)
    assert action.done_at is not None
    assert action.done_by_person == adult.person
    assert action.done_note == "We went on Tuesday and loved it"
    event = AuditEvent.objects.get(
        action="update_plan", object_type="PlanAction", actor_roles="family member"
    )
    assert event.object_id == str(action.pk)
    assert event.detail["family_member"] == str(adult.person.pk)
    again = client.post(url, {"note": ""})
    assert "already marked done" in again.content.decode()
    client.force_login(lead)
    staff_plan = client.get(
        reverse("support:show_plan", args=[city.family.pk])
    ).content.decode()
    assert "Marked done by Jordan Zzcanaryson" in staff_plan
    assert "We went on Tuesday and loved it" in staff_plan


def test_staff_actions_and_another_familys_cannot_be_marked(
    client, family_personas, plan
):
    made, other = plan
    sign_in(client, family_personas.this_parent)
    refused = client.post(
        reverse("parents:action_done", args=[made["Lena Lead"].pk]), {"note": ""}
    )
    assert "for your practitioner or your team" in refused.content.decode()
    assert PlanAction.objects.get(pk=made["Lena Lead"].pk).done_at is None
    elsewhere = client.post(
        reverse("parents:action_done", args=[other.pk]), {"note": ""}
    )
    assert elsewhere.status_code == 404
    assert PlanAction.objects.get(pk=other.pk).done_at is None


def test_no_plan_yet_says_so(client, family_personas):
    sign_in(client, family_personas.this_parent)
    page = client.get("/your-family/plan/").content.decode()
    assert "You do not have a plan yet" in page


@pytest.mark.parametrize(
    ("owner", "shown", "familys"),
    [
        ("Parent", "Parent", True),
        ("Mum and Dad", "Mum and Dad", True),
        ("Lena Lead", "Lena Lead", False),
        ("  lena lead ", "Lena Lead", False),
        ("Sam Same", "Someone in your team", False),
        ("", "", False),
    ],
)
def test_who_does_an_action_in_words(owner, shown, familys):
    staff = {"lena lead", "sam same"}
    assert (
        domain.action_owner_in_words(owner, lead_name="Lena Lead", staff_names=staff)
        == shown
    )
    assert domain.is_familys_action(owner, staff_names=staff) is familys
