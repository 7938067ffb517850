"""An administrator sets what families see, a mistake first; a family's page
then carries the names and contact. Every GOV.UK page is checked by axe."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_journeys import sign_in

pytestmark = pytest.mark.browser


def test_an_administrator_sets_what_families_see(
    transactional_db, city, admin, journey
):
    page = journey.page
    sign_in(journey, admin.email)
    on_the_admin_index = page.get_by_role("link", name="What families see")
    expect(on_the_admin_index).to_be_visible()
    journey.check_reflow()  # Django's page, so not checked by axe
    on_the_admin_index.click()
    expect(page.get_by_role("heading", name="What families see")).to_be_visible()
    journey.check()

    page.get_by_label("Name families see").fill("Tamarside Family Hubs")
    page.get_by_label("Council").fill("Tamarside City Council")
    page.get_by_label("Phone number (optional)").fill("call us")
    page.get_by_label("Email address (optional)").fill("familyhubs@tamarside.example")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a phone number")
    expect(page.get_by_label("Name families see")).to_have_value(
        "Tamarside Family Hubs"
    )
    journey.check()

    page.get_by_label("Phone number (optional)").fill("01632 960 001")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("What families see has been saved.")).to_be_visible()
    journey.check()

    journey.go(
        reverse("programmes:give_feedback", args=[city.council.local_authority_id])
    )
    header = page.locator(".govuk-service-navigation__service-name")
    expect(header).to_have_text("Tamarside Family Hubs")
    expect(page.get_by_text("Phone: 01632 960 001")).to_be_visible()
