"""Stepping up to specialist support while keeping the lead, and continuity."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_journeys import fill_date, sign_in

pytestmark = pytest.mark.browser


def test_step_up_keeping_the_lead_then_record_contacts(
    transactional_db, city, lead, journey
):
    page = journey.page
    sign_in(journey, lead.email)
    journey.go(f"/families/{city.family.pk}/")
    page.get_by_role("link", name="Change the level of support").click()
    page.get_by_role("button", name="Change level").click()
    expect(
        page.get_by_role("alert").get_by_text("Select the new level of support")
    ).to_be_visible()
    journey.check()
    page.get_by_label("Specialist").check()
    page.get_by_label("Why is the level changing?").fill("Low mood is getting worse.")
    page.get_by_role("button", name="Change level").click()
    expect(page.get_by_text("Level of support changed.")).to_be_visible()
    expect(page.get_by_text("Lena Lead, Test City Council, since")).to_be_visible()
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
        expect(page.get_by_text("Contact recorded.")).to_be_visible()
    expect(
        page.get_by_text("Seen by the same practitioner in 2 of 2 contacts")
    ).to_be_visible()
    journey.check()


def test_ask_a_specialist_who_answers_and_the_lead_stays(
    transactional_db, city, lead, journey
):
    from datetime import timedelta

    from django.utils import timezone

    from onestory.accounts.models import Role
    from tests import factories

    factories.staff("Priya Specialist", city.council, Role.SPECIALIST)
    page = journey.page
    sign_in(journey, lead.email)
    journey.go(f"/families/{city.family.pk}/record/support/")
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
    expect(page.get_by_text("You stay the family's lead.")).to_be_visible()
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
    expect(
        page.get_by_text("Advice sent. The lead practitioner stays.")
    ).to_be_visible()
    journey.check()

    # The family needs her to work with them too: she joins the team.
    page.get_by_role("button", name="Join the team as a contributor").click()
    expect(page.get_by_text("Families do best with a small team")).to_be_visible()
    page.get_by_role("button", name="Join the team").click()
    expect(page.get_by_role("alert")).to_be_visible()
    journey.check()
    page.get_by_label("Why does the team need to be bigger?").fill(
        "Weekly parent-infant sessions at home"
    )
    page.get_by_role("button", name="Join the team").click()
    expect(
        page.get_by_text("You have joined the team around the family as a contributor")
    ).to_be_visible()
    journey.check()

    journey.go(f"/families/{city.family.pk}/record/support/")
    expect(page.get_by_text("Lena Lead, Test City Council, since")).to_be_visible()
    journey.go(f"/families/{city.family.pk}/record/timeline/")
    expect(page.get_by_text("Consultation answered")).to_be_visible()


def test_the_familys_plan_in_their_words(transactional_db, city, lead, journey):
    page = journey.page
    sign_in(journey, lead.email)
    journey.go(f"/families/{city.family.pk}/record/support/")
    page.get_by_role("link", name="The family's plan").click()
    journey.check()
    page.get_by_role("button", name="Add goal").click()
    expect(
        page.get_by_role("alert").get_by_text("Enter the goal").first
    ).to_be_visible()
    journey.check()
    page.get_by_label("A goal, in the family's own words").fill(
        "Enjoy bath time together"
    )
    page.get_by_role("button", name="Add goal").click()
    expect(page.get_by_text("Goal added.")).to_be_visible()
    page.get_by_role("link", name="Print the family's copy").click()
    expect(page.get_by_role("heading", name="Our plan")).to_be_visible()
    expect(page.get_by_text("Enjoy bath time together")).to_be_visible()
    journey.check()


def test_a_triage_chair_runs_a_meeting(transactional_db, city, lead, journey):
    from datetime import timedelta

    from django.utils import timezone

    from onestory.accounts.models import Role
    from tests import factories

    factories.staff(
        "Tom Chair",
        city.council,
        Role.TRIAGE_CHAIR,
        teams=[factories.team("Triage", city.council)],
    )
    page = journey.page
    sign_in(journey, lead.email)
    journey.go(f"/families/{city.family.pk}/record/support/")
    page.get_by_role("link", name="Request more support").click()
    journey.check()
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("alert").get_by_text("Enter what support")).to_be_visible()
    journey.check()
    page.get_by_label("Specialist").check()
    page.get_by_label("Soon: within a week").check()
    page.get_by_label("What support is needed, and why?").fill(
        "Low mood is worse and bonding is hard."
    )
    page.get_by_role("button", name="Send request").click()
    expect(
        page.get_by_text("Request sent to Test City Council's triage.")
    ).to_be_visible()
    journey.check()
    page.get_by_role("button", name="Sign out").click()

    sign_in(journey, "tom.chair@test.onestory.example")
    page.get_by_role("link", name="Triage", exact=True).click()
    journey.check()
    page.get_by_role("link", name="Alex Zzcanaryson's family").click()
    page.get_by_label("Ready for the next triage meeting").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Request updated.")).to_be_visible()
    journey.check()

    page.get_by_role("link", name="Triage", exact=True).click()
    page.get_by_role("link", name="Schedule a triage meeting").click()
    journey.check()
    today = timezone.localdate()
    fill_date(page, "Date", str(today.day), str(today.month), str(today.year))
    page.get_by_label("Start time").fill("23:30")
    page.get_by_label("Where").fill("Devonport hub, room 1")
    page.get_by_label("Test Health NHS Trust").check()
    page.get_by_role("button", name="Schedule meeting").click()
    expect(page.get_by_text("Triage meeting scheduled.")).to_be_visible()
    expect(
        page.get_by_text("Do not discuss with Test Health NHS Trust")
    ).to_be_visible()
    journey.check()

    page.get_by_role("link", name="Discuss and decide").click()
    journey.check()
    page.get_by_role("button", name="Record decision").click()
    expect(
        page.get_by_role("alert").get_by_text(
            "Confirm that you have checked who may hear"
        )
    ).to_be_visible()
    journey.check()
    page.get_by_label("We have checked the consent").check()
    page.get_by_label("Support from us").check()
    page.get_by_label("Specialist", exact=True).check()
    page.get_by_label("What was discussed and decided, and why").fill(
        "Specialist support, keeping Lena as lead: she knows the family."
    )
    page.get_by_label("What will be done (action 1)").fill("Book a joint visit")
    page.get_by_label("Who will do action 1").select_option(
        label="Lena Lead, Test City Council"
    )
    due = today + timedelta(days=14)
    fill_date(page, "Action 1 due by", str(due.day), str(due.month), str(due.year))
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    expect(page.get_by_text("Lena Lead (lead kept)")).to_be_visible()
    journey.check()
    page.get_by_role("link", name="Printable record of the meeting").click()
    expect(page.get_by_text("Book a joint visit: Lena Lead")).to_be_visible()
    journey.check()

    journey.go(f"/families/{city.family.pk}/record/support/")
    expect(page.get_by_text("Lena Lead, Test City Council, since")).to_be_visible()
    journey.go(f"/families/{city.family.pk}/record/timeline/")
    expect(page.get_by_text("Triage decision: support from us")).to_be_visible()
    expect(
        page.get_by_text("Level changed from universal to specialist")
    ).to_be_visible()
