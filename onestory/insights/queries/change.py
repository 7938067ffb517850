"""Mean change on measures with no agreed reliable-change threshold (domain.md
§8.4): MORS-SF Warmth and Invasion (O4), SDQ for parents of 2 to 4 year olds
(O5), and Outcomes Star stages (O6). Same unit as outcomes.py: one person in
one completed episode, first and last score."""

from onestory.insights import domain
from onestory.insights.domain import Figure, percent
from onestory.insights.queries import Scope, run
from onestory.insights.queries.outcomes import FIRST_AND_LAST, _inputs

CHANGE = """
SELECT COUNT(*), COALESCE(SUM(last - first), 0),
  COALESCE(SUM((last - first) * (last - first)), 0),
  COALESCE(SUM(CASE WHEN ROUND(last - first, 2) > 0 THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN ROUND(last - first, 2) = 0 THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN ROUND(last - first, 2) < 0 THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN ROUND(first - last, 2) >= %s THEN 1 ELSE 0 END), 0)
FROM u WHERE scores >= 2
"""
NO_THRESHOLD = 10**6  # no reliable-change threshold: nobody reaches it


def _change(scope: Scope, code: str, scale: str | None, threshold=NO_THRESHOLD):
    [row] = run(
        _inputs(scope, (code,), scale=scale),
        CHANGE,
        (threshold,),
        then=FIRST_AND_LAST,
    )
    count, total, squares, up, same, down, reliable = (
        int(row[0]), float(row[1]), float(row[2]), *(int(v) for v in row[3:])
    )  # fmt: skip
    return domain.mean_change(count, total, squares), (up, same, down), reliable


def _mean_figure(code, title, found, counts, definition, *, better) -> Figure:
    change, (up, same, down) = found, counts
    note = ""
    if change is not None and change.low is not None:
        note = f"95% confidence interval {change.low:.2f} to {change.high:.2f}."
    labels = ("Went up", "No change", "Went down")
    return Figure(
        code,
        title,
        None if change is None else change.mean,
        f"{definition} Mean of last minus first score ({better}), with a 95% "
        "confidence interval (Student's t), and how many went up, stayed the "
        "same or went down.",
        denominator=0 if change is None else change.count,
        unit="mean",
        note=note,
        breakdown=tuple(
            (label, Figure(code, label, n, ""))
            for label, n in zip(labels, (up, same, down), strict=True)
        ),
    )


def mors(scope: Scope) -> list[Figure]:
    provisional = (
        "No reliable-change threshold has been published for MORS-SF, so no one "
        "is labelled as reliably changed: these are group figures, provisional."
    )
    figures = []
    for scale, name, better in (
        ("warmth", "Warmth", "higher is better"),
        ("invasion", "Invasion", "lower is better"),
    ):
        found, counts, _ = _change(scope, "MORS_SF", scale)
        figures.append(
            _mean_figure(
                f"O4 {scale}",
                f"MORS-SF {name}: mean change",
                found,
                counts,
                f"People in completed episodes (E1) with two or more MORS-SF "
                f"{name} scores. {provisional}",
                better=better,
            )
        )
    return figures


SDQ = "SDQ_P2_4"
SDQ_IMPACT_RELIABLE_CHANGE = 3  # MHSDS threshold for the impact score (§8.4 O5)


def sdq(scope: Scope) -> list[Figure]:
    total, total_counts, _ = _change(scope, SDQ, None)
    impact, impact_counts, reliable = _change(
        scope, SDQ, "impact", SDQ_IMPACT_RELIABLE_CHANGE
    )
    people = "People in completed episodes (E1) with two or more SDQ (parent, 2 to 4)"
    paired = 0 if impact is None else impact.count
    return [
        _mean_figure(
            "O5 total",
            "SDQ total difficulties: mean change",
            total,
            total_counts,
            f"{people} total difficulties scores.",
            better="lower is better",
        ),
        _mean_figure(
            "O5 impact",
            "SDQ impact: mean change",
            impact,
            impact_counts,
            f"{people} impact scores.",
            better="lower is better",
        ),
        Figure(
            "O5 reliable",
            "SDQ impact: reliable improvement",
            percent(reliable, paired),
            f"{people} impact scores whose impact fell by "
            f"{SDQ_IMPACT_RELIABLE_CHANGE} or more (the Mental Health Services Data "
            "Set's threshold), out of all of them.",
            numerator=reliable,
            denominator=paired,
            unit="percent",
        ),
    ]


STAR = "STAR"
STAR_AREAS = 10  # Family Star Plus
# Journey of Change stage from a reading: ceil(reading / 2) (local rule, as in
# measures/instruments/star.py); a stage higher means a reading 2 bands up.
STAR_STAGES = """
SELECT COUNT(*),
  COALESCE(SUM(CASE WHEN
    (CASE WHEN last <= 2 THEN 1 WHEN last <= 4 THEN 2 WHEN last <= 6 THEN 3
          WHEN last <= 8 THEN 4 ELSE 5 END)
    - (CASE WHEN first <= 2 THEN 1 WHEN first <= 4 THEN 2 WHEN first <= 6 THEN 3
            WHEN first <= 8 THEN 4 ELSE 5 END) >= 1 THEN 1 ELSE 0 END), 0)
FROM u WHERE scores >= 2
"""


def star(scope: Scope) -> list[Figure]:
    breakdown = []
    for area in range(1, STAR_AREAS + 1):
        [(readings, moved)] = run(
            _inputs(scope, (STAR,), scale=f"area_{area}"),
            STAR_STAGES,
            then=FIRST_AND_LAST,
        )
        breakdown.append(
            (
                f"Area {area}",
                Figure(
                    "O6",
                    f"Area {area}",
                    percent(moved, readings),
                    "",
                    numerator=moved,
                    denominator=readings,
                    unit="percent",
                ),
            )
        )
    return [
        Figure(
            "O6",
            "Outcomes Star: a stage higher, by area",
            None,
            "Per Family Star Plus area, people in completed episodes (E1) whose last "
            "reading is at least one Journey of Change stage above their first "
            "(stage = reading ÷ 2, rounded up: a local rule, as the stage names "
            "were not available), out of those with two or more readings.",
            unit="percent",
            breakdown=tuple(breakdown),
        )
    ]


def change(scope: Scope) -> list[Figure]:
    return [*mors(scope), *sdq(scope), *star(scope)]
