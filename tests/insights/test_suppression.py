"""Suppression across the whole report (docs/insights.md): random small
reports, shaped as the real one and with its identities holding, suppressed by
the one rule; then nothing hidden can be worked out from what is shown
(`suppression_check`, written apart from the rule)."""

from fractions import Fraction
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from onestory.insights import disclosure, domain, presenters
from onestory.insights.disclosure import Cell
from onestory.insights.domain import Figure
from onestory.insights.queries.report import Point, Section
from tests.insights.suppression_check import check, recovered

CITIES = 3000  # random small reports: the figure stated in docs/insights.md


class Shared(int):
    """A count the generator puts in more than one place, by name: the test's
    own record of which cells hold the same count, apart from the rule's."""

    def __new__(cls, name, n):
        made = super().__new__(cls, n)
        made.name = name
        return made


def shared_cells(figures) -> list:
    """Same-count identities of the cells the generator filled from one
    `Shared` count."""
    places = {}
    for figure in figures:
        rows = [(figure, None)] + [(p, i) for i, (_, p) in enumerate(figure.breakdown)]
        for part, line in rows:
            for name in ("value", "numerator", "denominator"):
                n = getattr(part, name)
                if isinstance(n, Shared):
                    places.setdefault(n.name, []).append(Cell(figure.code, name, line))
    return [
        disclosure.Identity(a, (b,), "same")
        for cells in places.values()
        for a, b in pairwise(cells)
    ]


def count(code, n, lines=()):
    return Figure(code, code, n, "", breakdown=_lines(code, lines))


def rate(code, num, den, lines=()):
    value = Fraction(num, den) if den else None
    return Figure(code, code, value, "", num, den, unit="percent",
                  breakdown=_lines(code, lines))  # fmt: skip


def mean(code, lines, total):
    return Figure(code, code, 1.5, "", denominator=total, unit="mean",
                  breakdown=_lines(code, lines))  # fmt: skip


def _lines(code, lines):
    pairs = lines.items() if isinstance(lines, dict) else enumerate(lines)
    return tuple((str(k), Figure(code, str(k), n, "")) for k, n in pairs)


@st.composite
def split(draw, total, parts):
    """`total` split into `parts` counts (0 or more each)."""
    cuts = sorted(draw(st.integers(0, total)) for _ in range(parts - 1))
    edges = [0, *cuts, total]
    return [b - a for a, b in pairwise(edges)]


@st.composite
def upto(draw, n):
    return draw(st.integers(0, n))


@st.composite
def reports(draw):
    """A small city's report and run charts, as the queries would give them."""
    n = st.integers(0, 14)
    done = Shared("done", draw(n))
    none, one = draw(n), draw(n)
    ended = Shared("ended", done + none + one)
    levels = [draw(n), draw(n), draw(n)]
    reached = Shared("reached", sum(levels))
    babies, parents = draw(n), Shared("parents", draw(n))
    by_role = draw(split(parents, 3))
    contacted = Shared("contacted", draw(n) + draw(n))
    measured = Shared("measured", draw(n))
    seconds = Shared("seconds", draw(n))
    w2, w2_all, w1 = (
        Shared("w2", draw(n)),
        Shared("w2 all", draw(n)),
        Shared("w1", draw(n)),
    )
    over_28, w2_6, w2a_6 = draw(upto(seconds)), draw(upto(w2)), draw(upto(w2_all))
    paired, clinical = Shared("paired", draw(n)), Shared("clinical", draw(n))
    at_start = Shared("at start", draw(upto(paired)))
    in_range = Shared("in range", draw(upto(clinical)))
    impact = [draw(n), draw(n), draw(n)]
    impacts = Shared("impacts", sum(impact))
    months = [(draw(n), draw(n)) for _ in range(12)]
    quarter = draw(st.booleans())
    new = months[-1][1] if not quarter else sum(r for _, r in months[-3:])
    figures = [
        count("R1", reached, levels),
        rate("R1 share", reached, reached + draw(st.integers(0, 300))),
        count("R2", babies + parents, {"baby": babies, "parent_carer": parents}),
        count("R3", new, draw(split(new, 3))),
        count("R4", draw(n)),
        Figure("W1 median", "", 12, "", denominator=w1, unit="days"),
        Figure("W1 90th percentile", "", 30, "", denominator=w1, unit="days"),
        rate("W2 6 weeks", w2_6, w2),
        rate("W2 18 weeks", draw(st.integers(w2_6, w2)), w2),
        rate("W2 6 weeks all", w2a_6, w2_all),
        rate("W2 18 weeks all", draw(st.integers(w2a_6, w2_all)), w2_all),
        rate("W3 28 days", over_28, seconds),
        rate("W3 90 days", draw(upto(over_28)), seconds),
        count("W4", sum(w4 := [draw(n) for _ in range(4)]), w4),
        count("W5", sum(w5 := [draw(n) for _ in range(3)]), w5),
        rate("E1", done, ended),
        rate("E2", none, ended),
        rate("E3", one, ended),
        count("E4", ended, draw(split(ended, 3))),
        rate("E5", draw(n), draw(n) + 14),
        rate("O1 midpoint", draw(upto(done)), done),
        count("O2 paired", paired),
        rate("O2 recovery", (recovered_ := draw(upto(at_start))), at_start),
        rate("O2 reliable improvement", draw(upto(paired)), paired),
        rate("O2 reliable recovery", draw(upto(recovered_)), at_start),
        rate("O2 reliable deterioration", draw(upto(paired)), paired),
        rate("O3 clinical range", in_range, clinical),
        rate("O3 reliable improvement", draw(upto(clinical)), clinical),
        rate("O3 reliable improvement 6.6", draw(upto(clinical)), clinical),
        rate("O3 clinically significant", draw(upto(in_range)), in_range),
        mean("O5 impact", impact, impacts),
        rate("O5 reliable", draw(upto(impacts)), impacts),
        count("C episodes", measured),
        *(
            rate(code, draw(upto(measured)), measured)
            for code in ("C1 0.6", "C2 0.7", "C4 big team")
        ),
        rate("C9 repeated", draw(upto(contacted)), contacted),
        rate("C9 other services", draw(upto(contacted)), contacted),
        rate("P1 share", draw(upto(contacted)), contacted),
        count("T1", draw(n), [draw(n), draw(n)]),
        count("F1", draw(n), [draw(n), draw(n)]),
        count("R1 age", reached, draw(split(reached, 5))),
        count("R1 deprivation", reached, draw(split(reached, 6))),
        rate("R1 language", draw(upto(reached)), reached),
        count("R2 parents", parents, by_role),
        count("R2 ethnic group", parents, draw(split(parents, 7))),
    ]
    period = domain.quarter(2026, 2) if quarter else domain.month(2026, 6)
    points = [
        Point(domain.month(2025 + (m > 6), (m - 1) % 12 + 1), f, r)
        for m, (f, r) in zip(range(7, 19), months, strict=True)
    ]
    if not quarter:  # a month's report: its R1 is the chart's last month
        figures[0] = count("R1", points[-1].families, [points[-1].families])
    ended_by = (("E1", "numerator"), ("E2", "numerator"), ("E3", "numerator"))
    sums = [disclosure.Identity(Cell("E4"), tuple(Cell(*c) for c in ended_by))]
    return [Section("all", "All", figures)], points, period, sums


@settings(max_examples=CITIES, deadline=None)
@given(reports())
def test_no_hidden_count_can_be_worked_out_from_a_random_small_report(drawn):
    sections, points, period, sums = drawn
    figures, identities, fixed = presenters.with_charts(sections, points, period)
    shown = presenters.suppression(sections, points, period)
    counts = disclosure.counts_of(figures) | fixed
    # The reader's equations: the generic ones (rates' rests, breakdowns) and
    # the charts', and the shared counts and sums as the generator made them.
    known = disclosure.report_identities(figures) + identities
    check(counts, known + shared_cells(figures) + sums, shown)


def test_the_reviewers_case_e1_is_not_given_away_by_o1_midpoint():
    """2026-Q3: E1 and E3 were hidden but O1 midpoint showed E1 as its
    denominator, and E3 = E4 - E2 - E1."""
    figures = [
        rate("E1", 3, 40), rate("E2", 30, 40), rate("E3", 7, 40),
        count("E4", 40, [40]), rate("O1 midpoint", 2, 3),
    ]  # fmt: skip
    shown = disclosure.suppressed(figures)
    assert Cell("E1", "numerator") in shown.hidden
    assert Cell("O1 midpoint", "denominator") in shown.hidden
    assert Cell("E3", "numerator") in shown.hidden  # E3 = 40 - 30 - 3
    assert shown.value("E3", figures[2])
    assert not shown.value("E2", figures[1])
    assert Cell("E4") not in shown.hidden  # the 40 ended is still shown
    counts = disclosure.counts_of(figures)
    identities = disclosure.report_identities(figures)
    assert recovered(counts, identities, shown.hidden) == set()
    # Without the declared identities the old per-figure rule gives E1 away:
    alone = disclosure.Shown(disclosure.hidden_cells(counts, []))
    assert recovered(counts, identities, alone.hidden)


def test_a_hidden_rate_keeps_its_denominator_but_hides_what_gives_it_away():
    figure = rate("E5", 18, 20)  # 20 - 18 = 2 booked contacts were not missed
    shown = disclosure.suppressed([figure])
    assert shown.parts("E5") == (True, False)
    assert shown.value("E5", figure)
    assert disclosure.parts_cells(figure, shown.parts("E5")) == (
        disclosure.SUPPRESSED_CELL,
        20,
    )
    assert disclosure.suppressed([rate("E5", 10, 20)]).hidden == frozenset()


def test_a_month_hidden_alone_in_its_quarter_takes_the_next_smallest_with_it():
    counts = [(20, 20), (20, 3), (20, 12), (20, 9), (20, 8), (20, 7)]
    points = [
        Point(domain.month(2026, m), f, r)
        for m, (f, r) in zip(range(1, 7), counts, strict=True)
    ]
    sections = [Section("r", "R", [count("R3", 24, [24])])]
    shown = presenters.suppression(sections, points, domain.quarter(2026, 2))
    _, requests = presenters.charts(points, shown)
    # Q1 = 35 is shown on its own report: with only February hidden,
    # 35 - 20 - 12 = 3.
    assert [p.value for p in requests.points] == [20, None, None, 9, 8, 7]
    exact = presenters.charts(points, disclosure.Shown())[1]
    assert [p.value for p in exact.points] == [20, 3, 12, 9, 8, 7]


def test_a_count_hidden_to_protect_another_does_not_say_fewer_than_5():
    from onestory.insights.presenters import page_sections

    figure = count("W4", 60, [40, 17, 3])
    sections = [Section("w", "W", [figure])]
    [(_, [item])] = page_sections(sections, {}, disclosure.suppressed([figure]))
    assert [text for _, text in item.breakdown] == [
        "40",
        disclosure.SUPPRESSED_RATE,  # 17: hidden so the 3 cannot be worked out
        disclosure.SUPPRESSED,
    ]
    assert item.value == "60"
