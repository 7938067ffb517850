"""Suppression on real data: random small cities in the database, through the
real report and run charts. The identities declared in insights/disclosure.py
must hold on what the queries give (this keeps the declaration honest), and
no hidden count can be worked out from the suppressed report."""

import random
from datetime import date, timedelta

import pytest

from onestory.insights import disclosure, presenters
from onestory.insights.disclosure import Cell
from onestory.insights.queries import Scope
from onestory.insights.queries.report import monthly, report
from tests.insights.builders import PERIOD, at
from tests.insights.suppression_check import check
from tests.insights.test_reach_and_waits import close, contact, new_family, request

CITIES = 8  # with the 3,000 random reports of test_suppression.py
LEVELS = ("universal", "targeted", "specialist")
REASONS = ("needs_met", "moved_away", "declined", "other")
SOURCES = ("self", "health_visitor", "midwife", "gp")
PURPOSES = ("intervention", "intervention", "review", "assessment")
ATTENDANCE = ("attended", "attended", "late", "did_not_attend")


def random_city(city, seed: int) -> None:
    """A few families with random episodes, contacts, closures and requests,
    from a year before the period to its end."""
    rng = random.Random(seed)
    first, days = date(2025, 7, 1), (PERIOD.end - date(2025, 7, 1)).days
    for _ in range(rng.randint(8, 24)):
        team = rng.choice([city.team_a, city.team_b])
        opened = first + timedelta(days=rng.randrange(days // 2))
        family, episode = new_family(
            city, team=team, opened=opened, level=rng.choice(LEVELS)
        )
        for _ in range(rng.randint(0, 2)):
            when = opened + timedelta(days=rng.randrange(days // 2))
            request(family, when, source=rng.choice(SOURCES))
        last = opened
        for _ in range(rng.randint(0, 8)):
            last = min(last + timedelta(days=rng.randint(1, 60)), PERIOD.end)
            if last >= PERIOD.end:
                break
            contact(
                episode,
                at(last),
                attendance=rng.choice(ATTENDANCE),
                purpose=rng.choice(PURPOSES),
            )
        if rng.random() < 0.6 and last < PERIOD.end - timedelta(days=1):
            close(episode, at(last, 16), rng.choice(REASONS))


def declared_codes() -> set[str]:
    codes = {ref[0] for refs in disclosure.SAME_COUNTS for ref in refs}
    for total, parts in disclosure.SUMS:
        codes |= {total[0], *(part[0] for part in parts)}
    return codes | set(disclosure.OVERLAPPING) | set(disclosure.NOT_A_SUM)


@pytest.mark.parametrize("seed", range(CITIES))
def test_the_declared_identities_hold_and_nothing_hidden_can_be_worked_out(city, seed):
    random_city(city, seed)
    for period in (PERIOD, PERIOD.months()[-1]):
        where = Scope(city.council.local_authority_id, period)
        sections, points = report(where), monthly(where)
        figures, identities, fixed = presenters.with_charts(sections, points, period)
        # Every figure the declaration names is in the report.
        assert declared_codes() <= {f.code for f in figures}
        counts = disclosure.counts_of(figures) | fixed
        every = disclosure.report_identities(figures) + identities
        for identity in every:
            if identity.total is None or not all(c in counts for c in identity.cells):
                continue
            total = counts[identity.total]
            added = sum(counts[c] for c in identity.parts)
            if identity.kind == "covers":
                assert total <= added, identity
            else:
                assert total == added, (identity, total, added)
        shown = presenters.suppression(sections, points, period)
        check(counts, every, shown)
        assert counts[Cell("E4")] == sum(
            counts[Cell(c, "numerator")] for c in ("E1", "E2", "E3")
        )
