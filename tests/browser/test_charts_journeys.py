"""Charts in Chromium: their text is the GOV.UK font at 16 pixels, not scaled
down on a phone, and every label stays inside the page at 320 pixels, on
screen and in print."""

import pytest

from tests.browser.conftest import Journey
from tests.browser.test_journeys import sign_in

pytestmark = pytest.mark.browser

TEXT = """[...document.querySelectorAll('.onestory-chart text')].map(t => {
  const style = getComputedStyle(t), box = t.getBoundingClientRect();
  return [style.fontSize, style.fontFamily, box.height, box.left, box.right];
})"""


@pytest.mark.parametrize("width", [320, 1024])
def test_chart_text_is_readable_and_inside_the_page(
    transactional_db, city, lead, team_manager, browser, live_server, width
):
    from django.utils import timezone

    from onestory.insights import domain
    from tests.insights.test_views import _seen_in

    period = domain.last_full_quarter(timezone.localdate())
    _seen_in(period, city.family, lead, count=2)
    context = browser.new_context(viewport={"width": width, "height": 800})
    journey = Journey(context.new_page(), live_server.url, javascript=True)
    sign_in(journey, team_manager.email)
    journey.go("/insights/")
    for media in ("screen", "print"):
        journey.page.emulate_media(media=media)
        texts = journey.page.evaluate(TEXT)
        assert len(texts) > 10, media
        for size, family, height, left, right in texts:
            assert size == "16px"
            assert family == '"GDS Transport", arial, sans-serif'
            assert height >= 15  # drawn at its size, not scaled down
            assert left >= 0, (media, left)
            assert right <= width, (media, right)
    journey.page.emulate_media(media="screen")
    assert (
        journey.page.evaluate("document.querySelector('.onestory-chart').scrollWidth")
        <= width
    )
    context.close()
