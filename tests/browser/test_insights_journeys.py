"""Issue 7 journey in Chromium, with and without JavaScript; axe-core checks
every page in the JavaScript run."""

import io

import pytest
from playwright.sync_api import expect

from tests.browser.test_journeys import sign_in

pytestmark = pytest.mark.browser


def test_a_team_manager_reads_the_quarter_report_and_adds_learning(
    transactional_db, city, lead, team_manager, journey
):
    """Open the quarter's report, filter by hub, expand a definition, download
    CSV and XLSX, open the printable version, and add a learning-log entry
    about a figure that then shows beside it."""
    from openpyxl import load_workbook

    from onestory.accounts.models import Hub
    from onestory.insights import domain
    from tests.insights.test_views import _seen_in

    hub = Hub.objects.create(name="Harbour Hub", organisation=city.council)
    city.team_a.hub = hub
    city.team_a.save()
    from django.utils import timezone

    period = domain.last_full_quarter(timezone.localdate())
    _seen_in(period, city.family, lead, count=3)

    page = journey.page
    sign_in(journey, team_manager.email)
    page.get_by_role("link", name="Reports").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        f"Service report: {period.label}"
    )
    journey.check()

    page.get_by_label("Hub").select_option(label="Harbour Hub")
    page.get_by_role("button", name="Show figures").click()
    assert "Hub: Harbour Hub" in page.text_content("body")
    journey.check()

    figure = page.locator("#figure-R1")
    assert figure.locator("p").first.inner_text() == "1"
    figure.get_by_text("How this is calculated").click()
    expect(
        figure.get_by_text(
            "Different families with at least one attended contact", exact=False
        )
    ).to_be_visible()

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Download as CSV").click()
    with open(csv_download.value.path(), encoding="utf-8") as handle:
        text = handle.read()
    assert "Families reached" in text
    assert "Hub: Harbour Hub" in text
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Download as a spreadsheet (XLSX)").click()
    with open(xlsx_download.value.path(), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    assert sheet["A1"].value == "Section"

    page.get_by_role("link", name="Printable report", exact=False).click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        f"Service report: {period.label}"
    )
    assert "fewer than 5" in page.locator("#figure-R1").inner_text()
    journey.check()
    page.get_by_role("link", name="Back to the report").click()

    page.get_by_role(
        "link", name="Add learning about Families reached", exact=True
    ).click()
    assert page.get_by_label("Which figure is this about?").input_value() == "R1"
    page.get_by_role("button", name="Save to the learning log").click()
    assert "Enter what you wanted to understand" in (
        page.get_by_role("alert").inner_text()
    )
    journey.check()
    page.get_by_label("What did we want to understand?").fill(
        "Are families in the north of the city reaching us?"
    )
    page.get_by_label("What did we try?").fill("A pop-up hub at the library.")
    page.get_by_label("What did we notice?").fill("New faces every week.")
    page.get_by_label("What will we try next?").fill(
        "Ask health visitors to mention it."
    )
    page.get_by_role("button", name="Save to the learning log").click()
    assert "Added to the learning log." in page.text_content("body")
    assert "Are families in the north of the city reaching us?" in (
        page.locator("#figure-R1").inner_text()
    )
    journey.check()
    page.get_by_role("link", name="Learning log").click()
    assert "A pop-up hub at the library." in page.text_content("body")
    journey.check()
