"""The report's figure codes stand apart from their titles, and its run charts
are drawn once (core/charts.py): the same on screen and in the printable report."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.insights.test_views import _seen_in

CODE = re.compile(r"\b[A-Z]\d\b")  # R1, W4, C7...


@pytest.fixture
def report(city, lead, commissioner, sign_in):
    from django.utils import timezone

    from onestory.insights import domain

    period = domain.last_full_quarter(timezone.localdate())
    _seen_in(period, city.family, lead, count=2)
    client = sign_in(commissioner)
    screen = client.get(reverse("insights:service_report")).content.decode()
    paper = client.get(reverse("insights:print_report")).content.decode()
    return screen, paper


class _Titles(HTMLParser):
    """Each figure's and chart's (code, title): the code is its caption."""

    def __init__(self):
        super().__init__()
        self.found, self._depth, self._in_caption = [], 0, False

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if self._depth:
            self._depth += 1
            self._in_caption = "govuk-caption-m" in classes
        elif tag in ("dt", "figcaption") and (
            "summary-list__key" in classes or tag == "figcaption"
        ):
            self._depth = 1
            self.found.append(["", ""])

    def handle_endtag(self, tag):
        if self._depth:
            self._depth -= 1
            self._in_caption = False

    def handle_data(self, data):
        if self._depth:
            self.found[-1][0 if self._in_caption else 1] += data


def _titles(body):
    parser = _Titles()
    parser.feed(body)
    return [(code.strip(), title.strip()) for code, title in parser.found]


@pytest.mark.parametrize("page", [0, 1], ids=["on screen", "printed"])
def test_no_title_carries_its_figure_code(report, page):
    titles = _titles(report[page])
    assert ("R1", "Families reached, by month") in titles
    assert ("R1 share", "Share of the area's families reached") in titles
    assert len(titles) > 40
    for code, title in titles:
        assert code, title
        assert not CODE.search(title), title


def _charts(body):
    return re.findall(r'<div class="onestory-chart">.*?</svg>\s*</div>', body, re.S)


def test_the_run_charts_are_the_same_on_screen_and_on_paper(report):
    screen, paper = report
    assert len(_charts(screen)) == 2
    assert _charts(screen) == _charts(paper)
    axis = re.findall(r'text-anchor="end">([\d,]+)</text>', _charts(screen)[0])
    assert axis[0] == "0"  # counts start from zero
    assert "viewBox" not in _charts(screen)[0]
