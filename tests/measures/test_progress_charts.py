"""A person's progress chart is drawn once (core/charts.py): the same on the
progress page and on the family's printed sheet, with its values up the side,
its dates across and the review points still to do."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from onestory.measures import instruments, services
from tests import factories


@pytest.fixture
def pages(city, lead, client):
    carer = city.family.members.get(role="parent_carer")
    today = timezone.localdate()
    services.start_intervention(
        person=carer,
        programme=factories.programme(),
        deliverer=lead,
        started_on=today - timedelta(days=30),
        planned_weeks=12,
        instrument_codes=["PHQ9"],
        by=lead,
    )
    for days_ago, positions in [(60, [2] * 7 + [1, 0]), (10, [1] * 8 + [0])]:
        services.record_response(
            person=carer,
            instrument=instruments.get("PHQ9"),
            answers={str(n): p for n, p in enumerate(positions, 1)},
            completed_on=today - timedelta(days=days_ago),
            by=lead,
        )
    client.force_login(lead)
    screen = client.get(
        reverse("measures:show_progress", args=[city.family.pk, carer.pk, "PHQ9"])
    ).content.decode()
    paper = client.get(
        reverse("measures:print_progress_sheet", args=[city.family.pk])
    ).content.decode()
    return screen, paper


def _chart(body):
    """The chart and its key, without the ids that tell one page's apart."""
    start = body.index('<div class="onestory-chart">')
    end = body.index("</ul>", start)
    return re.sub(r"chart-[\w-]+?-(title|desc)", r"chart-\1", body[start:end])


def _drawing(chart):
    """The chart without its description, which speaks to its reader."""
    return re.sub(r"<desc [^>]*>.*?</desc>", "<desc></desc>", chart, flags=re.S)


def test_the_progress_page_and_the_printed_sheet_draw_the_same_chart(pages):
    screen, paper = pages
    assert _drawing(_chart(screen)) == _drawing(_chart(paper))
    # The same change, told to the practitioner and to the family.
    assert "s PHQ-9 score went from 15 to 8" in _chart(screen)
    assert "Your score went from 15 to 8" in _chart(paper)


def test_the_chart_labels_its_values_its_dates_and_what_is_still_due(pages):
    chart = _chart(pages[0])
    side = re.findall(r'text-anchor="end">(\d+)</text>', chart)
    assert side == ["0", "5", "10", "15", "20", "25"]  # PHQ-9 runs from 0 to 27
    assert chart.count('<tspan x="') == 3  # first day, the middle, the last
    assert "Dashed line: Midpoint due" in chart
    assert "Dashed line: End due" in chart
    assert "viewBox" not in chart  # the text is never scaled down
