"""The header is GOV.UK's service navigation: on a laptop the team manager's
navigation (the role with the most places to go) and their account sit on one
line; on a phone the list folds behind "Menu", and without JavaScript it is
shown whole (docs/decisions/0023)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Journey
from tests.browser.test_journeys import sign_in

pytestmark = pytest.mark.browser

# The rows the service name, each navigation item and the account area sit on,
# as [top, bottom] pairs.
HEADER_ROWS = """() => [...document.querySelectorAll(
  ".govuk-service-navigation__service-name, .govuk-service-navigation__item, .onestory-account > *"
)].map(el => { const box = el.getBoundingClientRect(); return [box.top, box.bottom]; })"""


def _on_one_line(rows):
    return max(top for top, _ in rows) < min(bottom for _, bottom in rows)


def test_the_team_managers_header_fits_a_laptop_and_folds_on_a_phone(
    transactional_db, team_manager, browser, live_server
):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    journey = Journey(context.new_page(), live_server.url, javascript=True)
    sign_in(journey, team_manager.email)
    page = journey.page
    navigation = page.get_by_role("navigation", name="Menu")
    rows = page.evaluate(HEADER_ROWS)
    assert len(rows) >= 8  # the service name, six places, the account
    assert _on_one_line(rows), rows

    page.set_viewport_size({"width": 320, "height": 800})
    menu = navigation.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(navigation.get_by_role("link", name="Your team")).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(navigation.get_by_role("link", name="Your team")).to_be_visible()
    journey.check()

    plain = browser.new_context(
        java_script_enabled=False,
        viewport={"width": 320, "height": 800},
        storage_state=context.storage_state(),
    )
    without = Journey(plain.new_page(), live_server.url, javascript=False)
    without.go("/")
    navigation = without.page.get_by_role("navigation", name="Menu")
    expect(navigation.get_by_role("button", name="Menu")).to_be_hidden()
    expect(navigation.get_by_role("link", name="Your team")).to_be_visible()
    assert len(without.reflowed) == 1
    plain.close()
    context.close()
