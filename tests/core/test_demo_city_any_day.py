"""The demo city is dated from the day it runs: the same story on the first
and the last day of a quarter (its own module: test_demo_city_story.py keeps
one city loaded for all of its tests)."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from tests.core.test_demo_city_story import (
    _dated_after_today,
    _shown_sections,
    _shows_something,
)

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    "moment",
    [
        # The first day of a quarter (none of it over yet), and its last.
        datetime(2027, 1, 1, 0, 10, tzinfo=LONDON),
        datetime(2027, 3, 31, 17, 0, tzinfo=LONDON),
    ],
    ids=["first-day-of-a-quarter", "last-day-of-a-quarter"],
)
def test_the_demo_tells_the_same_story_on_any_day(db, settings, client, moment):
    """Dated from the day it runs: loaded on the first day of a quarter (which
    failed: an ending was drawn from a quarter with no day over) and on its
    last, nothing is after today and every section of the report has figures."""
    settings.DEBUG = True
    with time_machine.travel(moment, tick=False):
        call_command("demo", stdout=io.StringIO(), stderr=io.StringIO())
        assert _dated_after_today() == []
        sections = _shown_sections(client)
        assert [
            key
            for key, items in sections.items()
            if not any(_shows_something(item) for item in items)
        ] == []
