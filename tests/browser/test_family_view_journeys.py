"""A parent on their phone: sign in with a link and their date of birth, read
the family's story and suggest a change; and the lead deciding on it. With
JavaScript and without; axe and reflow on every page."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from onestory.measures.models import Intervention, ReviewPoint
from onestory.parents.models import SuggestionStatus
from onestory.support import plans
from tests import factories
from tests.browser.test_journeys import fill_date, sign_in
from tests.conftest import CANARY_STORY
from tests.parents.conftest import latest_link


def _a_plan_and_a_questionnaire_due(city, lead, adult):
    plans.add_goal(family=city.family, text="Enjoy bath time with Robin", by=lead)
    plans.add_plan_action(
        family=city.family,
        description="Try the baby massage group",
        owner="Parent",
        due_on=timezone.localdate() + timedelta(days=7),
        by=lead,
    )
    programme = factories.programme()
    enrolment = Intervention.objects.create(
        person=adult.person,
        programme=programme,
        name=programme.name,
        started_on=timezone.localdate() - timedelta(weeks=6),
        planned_weeks=12,
        created_by=lead,
    )
    ReviewPoint.objects.create(
        intervention=enrolment,
        kind="midpoint",
        instrument_code="PHQ9",
        due_on=timezone.localdate(),
    )


def test_a_parent_signs_in_reads_suggests_fills_in_and_stops_sharing(
    transactional_db, city, lead, family_personas, journey
):
    """Sign in, read the story and suggest a change, mark an action in the
    plan done, fill in a PHQ-9 and see it in the progress, stop sharing with
    an organisation: on a phone, with JavaScript and without."""
    adult = family_personas.this_parent
    _a_plan_and_a_questionnaire_due(city, lead, adult)
    page = journey.page
    page.set_viewport_size({"width": 375, "height": 667})
    journey.go("/your-family/")  # leads to the sign-in page
    expect(
        page.get_by_role("heading", name="Sign in to your family's own view")
    ).to_be_visible()
    page.get_by_label("Email address or mobile number").fill(adult.address)
    page.get_by_role("button", name="Send me a link").click()
    expect(
        page.get_by_role("heading", name="Check your email or phone")
    ).to_be_visible()
    journey.check()

    journey.go(f"/your-family/sign-in/{latest_link(adult.access)}/")
    dob = adult.person.date_of_birth
    fill_date(page, "What is your date of birth?", "1", "1", "1980")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("You have 2 more tries").first).to_be_visible()
    journey.check()
    fill_date(
        page, "What is your date of birth?", str(dob.day), str(dob.month), str(dob.year)
    )
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Your family")).to_be_visible()
    expect(page.get_by_text("Your practitioner is Lena Lead")).to_be_visible()
    journey.check()

    page.get_by_role("link", name="Our story").click()
    expect(page.get_by_text(CANARY_STORY)).to_be_visible()
    journey.check()
    page.get_by_role("link", name="Suggest something to add or correct").click()
    page.get_by_role("button", name="Send my suggestion").click()
    expect(
        page.get_by_text("Select whether to add or correct something").first
    ).to_be_visible()
    journey.check()
    page.get_by_label("Something to correct").check()
    page.get_by_label("In your own words").fill("Robin was born at home.")
    page.get_by_role("button", name="Send my suggestion").click()
    expect(page.get_by_text("Waiting for your practitioner")).to_be_visible()
    journey.check()

    page.get_by_role("link", name="Back to your family").click()
    page.get_by_role("link", name="Our plan").click()
    expect(page.get_by_text("Enjoy bath time with Robin")).to_be_visible()
    journey.check()
    page.get_by_role(
        "link", name=re.compile(r"^Mark as done.*Try the baby massage group$")
    ).click()
    journey.check()
    page.get_by_label("Anything to add? (optional)").fill("We went on Tuesday")
    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_text("Marked done by Alex")).to_be_visible()
    journey.check()

    journey.go("/your-family/questionnaires/")
    page.get_by_role("link", name=re.compile(r"^Fill it in.*PHQ-9$")).click()
    journey.check()
    for item in range(1, 10):
        group = page.get_by_role("group", name=re.compile(rf"^{item}\. "))
        group.get_by_label("Several days" if item < 9 else "Not at all").check()
    page.get_by_role("button", name="Send my answers").click()
    expect(
        page.get_by_text("Your answers have gone to your practitioner")
    ).to_be_visible()
    expect(page.get_by_text("You have no questionnaires to do")).to_be_visible()
    journey.check()
    journey.go("/your-family/progress/")
    expect(page.get_by_role("heading", name="Alex: PHQ-9")).to_be_visible()
    expect(page.get_by_role("table", name="PHQ-9 scores")).to_be_visible()

    journey.go("/your-family/who-can-see/")
    page.get_by_role("link", name="Stop sharing with Test Harbour Families").click()
    journey.check()
    page.get_by_role("button", name="Stop sharing").click()
    expect(
        page.get_by_text(
            "Test Harbour Families can no longer see your family's record."
        )
    ).to_be_visible()
    journey.check()
    journey.go("/your-family/coming-up/")
    expect(page.get_by_text("Lena Lead, Test City Council")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="You have signed out")).to_be_visible()
    journey.check()


def test_the_lead_gives_access_and_decides_on_a_suggestion(
    transactional_db, city, lead, family_personas, journey
):
    from onestory.parents import services

    services.suggest_story_change(
        access=family_personas.this_parent.access,
        kind="addition",
        text="We go to the baby group now.",
    )
    page = journey.page
    sign_in(journey, lead.email)
    journey.go(f"/families/{city.family.pk}/record/story/")
    page.get_by_role(
        "link", name="The family's own view: who has it, and the family's suggestions"
    ).click()
    expect(page.get_by_role("heading", name="The family's own view")).to_be_visible()
    journey.check()
    page.get_by_role("link", name="Pause access for Jordan Zzcanaryson").click()
    journey.check()
    page.get_by_label("Why is their access paused?").fill("They asked us to")
    page.get_by_role("button", name="Pause access").click()
    expect(page.get_by_text("Jordan Zzcanaryson's access is paused.")).to_be_visible()
    journey.check()
    page.get_by_role("link", name="Decide").first.click()
    journey.check()
    page.get_by_label("Add it to the story, as they wrote it").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    suggestion = family_personas.this_parent.access.family.story_suggestions.get()
    assert suggestion.status == SuggestionStatus.ACCEPTED

    journey.go(f"/families/{city.family.pk}/contacts/arrange/")
    expect(page.get_by_role("heading", name="Arrange the next contact")).to_be_visible()
