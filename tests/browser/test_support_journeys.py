"""Stepping up to specialist support while keeping the lead, and continuity."""

import pytest

from tests.browser.test_journeys import fill_date, sign_in

pytestmark = pytest.mark.browser


def test_step_up_keeping_the_lead_then_record_contacts(transactional_db, city, journey):
    page = journey.page
    sign_in(journey, city.personas["lead_practitioner"].email)
    journey.go(f"/families/{city.family.pk}/")
    page.get_by_role("link", name="Change the level of support").click()
    page.get_by_role("button", name="Change level").click()
    assert (
        page.get_by_role("alert")
        .get_by_text("Select the new level of support")
        .is_visible()
    )
    journey.check()
    page.get_by_label("Specialist").check()
    page.get_by_label("Why is the level changing?").fill("Low mood is getting worse.")
    page.get_by_role("button", name="Change level").click()
    assert page.get_by_text("Level of support changed.").is_visible()
    assert page.get_by_text("Lena Lead, Test City Council, since").is_visible()
    journey.check()

    for day, who in [("1", "Lena Lead"), ("2", "Lena Lead")]:
        page.get_by_role("link", name="Record a contact").click()
        fill_date(page, "Date", day, "11", "2026")
        page.get_by_label("Time").fill("10:00")
        page.get_by_label("Home visit").check()
        page.get_by_label("Practitioner", exact=True).select_option(
            label=f"{who}, Test City Council"
        )
        page.get_by_label("Attended", exact=True).check()
        page.get_by_label("Intervention session").check()
        page.get_by_role("button", name="Save contact").click()
        assert page.get_by_text("Contact recorded.").is_visible()
    assert page.get_by_text(
        "Seen by the same practitioner in 2 of 2 contacts"
    ).is_visible()
    journey.check()


def test_ask_a_specialist_who_answers_and_the_lead_stays(
    transactional_db, city, journey
):
    from datetime import timedelta

    from django.utils import timezone

    from onestory.accounts.models import Role
    from tests import factories

    factories.staff("Priya Specialist", city.council, Role.SPECIALIST)
    page = journey.page
    sign_in(journey, city.personas["lead_practitioner"].email)
    journey.go(f"/families/{city.family.pk}/")
    page.get_by_role("link", name="Ask a specialist for advice").click()
    journey.check()
    page.get_by_label("Specialist").select_option(
        label="Priya Specialist, Test City Council"
    )
    page.get_by_label("What would you like advice on?").fill(
        "Bonding is hard. What next?"
    )
    page.get_by_label("Soon: within a week").check()
    page.get_by_role("button", name="Send question").click()
    assert page.get_by_text("You stay the family's lead.").is_visible()
    journey.check()
    page.get_by_role("button", name="Sign out").click()

    sign_in(journey, "priya.specialist@test.onestory.example")
    page.get_by_role("link", name="Consultations").click()
    journey.check()
    page.get_by_role("link", name="Alex Zzcanaryson's family").click()
    review = timezone.localdate() + timedelta(days=21)
    page.get_by_label("Your advice").fill("Offer Video Interaction Guidance.")
    fill_date(page, "Review date", str(review.day), str(review.month), str(review.year))
    page.get_by_role("button", name="Send advice").click()
    assert page.get_by_text("Advice sent. The lead practitioner stays.").is_visible()
    journey.check()

    journey.go(f"/families/{city.family.pk}/")
    assert page.get_by_text("Lena Lead, Test City Council, since").is_visible()
    assert page.get_by_text("Consultation answered").is_visible()


def test_the_familys_plan_in_their_words(transactional_db, city, journey):
    page = journey.page
    sign_in(journey, city.personas["lead_practitioner"].email)
    journey.go(f"/families/{city.family.pk}/")
    page.get_by_role("link", name="The family's plan").click()
    journey.check()
    page.get_by_role("button", name="Add goal").click()
    assert page.get_by_role("alert").get_by_text("Enter the goal").first.is_visible()
    journey.check()
    page.get_by_label("A goal, in the family's own words").fill(
        "Enjoy bath time together"
    )
    page.get_by_role("button", name="Add goal").click()
    assert page.get_by_text("Goal added.").is_visible()
    page.get_by_role("link", name="Print the family's copy").click()
    assert page.get_by_role("heading", name="Our plan").is_visible()
    assert page.get_by_text("Enjoy bath time together").is_visible()
    journey.check()
