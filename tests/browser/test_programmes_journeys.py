"""Issue 6 journeys through real pages in Chromium, with and without JavaScript;
axe-core checks every page in the JavaScript journey."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_journeys import sign_in

pytestmark = pytest.mark.browser


def test_a_family_gives_feedback_and_it_appears_among_the_quotes(
    transactional_db, city, team_manager, journey
):
    from onestory.accounts.models import Hub

    Hub.objects.create(name="Harbour Hub", organisation=city.council)
    page = journey.page
    journey.go(f"/feedback/{city.council.local_authority_id}/")
    page.get_by_role("button", name="Send").click()
    assert (
        "Enter what you would like to tell us" in page.get_by_role("alert").inner_text()
    )
    journey.check()
    page.get_by_label("Which family hub? (optional)").select_option(label="Harbour Hub")
    page.get_by_label("What would you like to tell us?").fill(
        "Coming to the group each week gave me my confidence back."
    )
    page.get_by_label("4: good").check()
    page.get_by_label("You may quote what I said", exact=False).check()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    journey.check()
    # A team manager reads it before it is shown.
    sign_in(journey, team_manager.email)
    journey.go("/feedback/quotes/")
    page.get_by_role("link", name="Read them").click()
    journey.check()
    page.get_by_role("button", name="Show this quote", exact=False).click()
    journey.go("/feedback/quotes/")
    body = page.text_content("body")
    assert "Coming to the group each week gave me my confidence back." in body
    assert "Harbour Hub" in body
    assert "Rated 4 out of 5" in body


def test_training_allows_delivery_then_a_course_is_run_to_completion(
    transactional_db, city, lead, team_manager, journey
):
    """Record an accreditation, set up a course (allowed now), book a parent from
    their family record, take six registers, and see their attendance and
    completion beside their outcomes on the family record."""
    from datetime import timedelta

    from django.utils import timezone

    from onestory.accounts.models import Hub
    from tests import factories
    from tests.browser.test_journeys import fill_date

    course_type = factories.course("Circle of Security Parenting facilitator")
    factories.programme(
        "Circle of Security Parenting", required=course_type, delivery="group"
    )
    Hub.objects.create(name="Harbour Hub", organisation=city.council)
    page = journey.page
    # The team manager records (and so confirms) the lead's accreditation.
    sign_in(journey, team_manager.email)
    journey.go(f"/development/staff/{lead.pk}/training/add/")
    page.get_by_label("Course").select_option(label=course_type.name)
    page.get_by_label("Yes, completed").check()
    fill_date(page, "Date completed", "3", "9", "2026")
    page.get_by_role("button", name="Save training").click()
    assert "Training recorded for Lena Lead" in page.text_content("body")
    journey.check()
    page.context.clear_cookies()
    sign_in(journey, lead.email)

    # The course has run: it is entered afterwards, each register from its day.
    start = timezone.localdate() - timedelta(weeks=7)
    journey.go("/courses/new/")
    page.get_by_label("Programme").select_option(label="Circle of Security Parenting")
    page.get_by_label("Hub").select_option(label="Harbour Hub")
    page.get_by_label("Name for this run").fill("Spring")
    page.get_by_label("Lena Lead").check()
    fill_date(
        page,
        "Date of the first session",
        str(start.day),
        str(start.month),
        str(start.year),
    )
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("This course has already started or run").check()
    page.get_by_label("Number of weekly sessions").fill("8")
    page.get_by_label("Venue").fill("Harbour Hub hall")
    page.get_by_label("Places (optional)").fill("8")
    page.get_by_label("Sessions to attend to complete it (optional)").fill("6")
    page.get_by_role("button", name="Set up course").click()
    expect(page.get_by_role("heading", name="Spring")).to_be_visible()
    expect(page.get_by_text("Entered later")).to_be_visible()
    journey.check()
    course_url = page.url

    carer = city.family.members.get(role="parent_carer")
    journey.go(f"/families/{city.family.pk}/courses/book/")
    page.get_by_label(carer.full_name).check()
    page.get_by_label("Course").select_option(
        label="Circle of Security Parenting: Spring"
    )
    page.get_by_role("button", name="Book place").click()
    assert "Place booked" in page.text_content("body")

    for number in range(1, 7):
        page.goto(course_url)
        page.get_by_role("link", name=f"Take register for session {number}").click()
        page.get_by_role("group", name=carer.full_name).get_by_label(
            "Late" if number == 2 else "Attended"
        ).check()
        page.get_by_role("button", name="Save register").click()
        assert "Register saved: 1 marked" in page.text_content("body")
    journey.check()

    journey.go(f"/families/{city.family.pk}/record/courses/")
    courses = page.get_by_role("table", name="Courses and groups")
    assert "6 of 8" in courses.inner_text()
    assert "Completed" in courses.inner_text()
    journey.go(f"/families/{city.family.pk}/record/timeline/")
    assert "at session 6 of Circle of Security Parenting" in page.text_content("body")
