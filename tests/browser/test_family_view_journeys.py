"""A parent on their phone: sign in with a link and their date of birth, read
the family's story and suggest a change; and the lead deciding on it. With
JavaScript and without; axe and reflow on every page."""

from playwright.sync_api import expect

from onestory.parents.models import SuggestionStatus
from tests.browser.test_journeys import fill_date, sign_in
from tests.conftest import CANARY_STORY
from tests.parents.conftest import latest_link


def test_a_parent_signs_in_and_suggests_a_change_to_the_story(
    transactional_db, family_personas, journey
):
    adult = family_personas.this_parent
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
