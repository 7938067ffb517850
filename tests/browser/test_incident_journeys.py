"""An emergency lead on a phone in a major incident: declare it (one mistake
first), widen the cordon, check on three families, check a fourth in at a rest
centre, stand it down and read the report. With JavaScript and without; axe
and reflow on every page."""

from playwright.sync_api import expect

from tests.browser.test_journeys import fill_date, sign_in
from tests.conftest import CANARY_SURNAME


def test_declare_widen_check_three_families_and_stand_down(
    transactional_db, city, keyham, journey
):
    page = journey.page
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(journey, keyham.lead.email)
    expect(page.get_by_role("heading", name="Major incidents")).to_be_visible()
    journey.check()

    page.get_by_role("link", name="Declare a major incident").click()
    page.get_by_label("Name of the incident").fill("Unexploded bomb, Keyham")
    fill_date(page, "When did it start?", "1", "1", "2026")
    page.get_by_label("Time").fill("10:30")
    page.get_by_label("Name of the area").fill("Cordon around St Michael Avenue")
    page.get_by_label("A circle").check()
    page.get_by_label("Centre").fill("PL1 4AB")
    page.get_by_role("button", name="Declare").click()
    expect(page.get_by_role("alert").get_by_text("Enter the radius")).to_be_visible()
    expect(page.get_by_label("Centre")).to_have_value("PL1 4AB")
    journey.check()
    page.get_by_label("Radius").fill("309")
    page.get_by_role("button", name="Declare").click()
    expect(page.get_by_text("0 of 3 families reached")).to_be_visible()
    journey.check()

    page.get_by_role("link", name="Widen Cordon around St Michael Avenue").click()
    page.get_by_label("New radius").fill("700")
    page.get_by_role("button", name="Widen").click()
    expect(page.get_by_text("0 of 4 families reached")).to_be_visible()
    journey.check()

    page.get_by_role("link", name="Families", exact=True).click()
    expect(
        page.get_by_role("heading", name="Families inside the incident's areas")
    ).to_be_visible()
    expect(page.get_by_text("Birth due within 6 weeks")).to_be_visible()
    journey.check()
    page.get_by_role("link", name="print it").click()
    expect(page.get_by_role("cell", name="Alex Duesoon's family")).to_be_visible()
    journey.check()
    page.get_by_role("link", name="Back to the families").click()
    for surname in ("Duesoon", "Edgeworth", CANARY_SURNAME):
        page.get_by_role("link", name=f"Alex {surname}'s family").click()
        page.get_by_label("Phone call").check()
        page.get_by_label("Safe at home").check()
        page.get_by_role("button", name="Record").click()
        expect(page.get_by_text("Welfare check recorded.")).to_be_visible()
        journey.check()
        page.get_by_role("link", name="Back to the families").click()
    expect(page.get_by_role("link", name="Alex Farley's family")).to_be_visible()
    expect(page.get_by_role("link", name="Alex Duesoon's family")).to_have_count(0)

    # The fourth family arrives at a rest centre: found by surname, checked in.
    page.get_by_role("link", name="Rest centres").click()
    page.get_by_label("Name of the rest centre").fill("Life Centre, Central Park")
    page.get_by_role("button", name="Open rest centre").click()
    page.get_by_role("link", name="Check a family in at Life Centre").click()
    page.get_by_label("Their surname or postcode").fill("farley")
    page.get_by_role("button", name="Find").click()
    journey.check()
    page.get_by_role("button", name="Check in Alex Farley's family").click()
    expect(page.get_by_text("Checked in at Life Centre, Central Park.")).to_be_visible()
    journey.check()

    page.get_by_role("link", name="Back to rest centres").click()
    page.get_by_role("link", name="Summary").click()
    expect(page.get_by_text("4 of 4 families reached")).to_be_visible()
    page.get_by_role("link", name="Stand down").click()
    page.get_by_role("button", name="Stand down").click()
    expect(
        page.get_by_role("alert").get_by_text("Confirm the incident is over")
    ).to_be_visible()
    journey.check()
    page.get_by_label("I confirm the incident is over").check()
    page.get_by_role("button", name="Stand down").click()
    expect(page.get_by_role("heading", name="Report for learning")).to_be_visible()
    expect(page.get_by_text(CANARY_SURNAME)).to_have_count(0)
    journey.check()
