"""Mean change on measures with no agreed reliable-change threshold (domain.md
§8.4): MORS-SF Warmth and Invasion (O4), SDQ for parents of 2 to 4 year olds
(O5), and Outcomes Star stages (O6). Same unit as outcomes.py: one person in
one completed episode, first and last score."""

from onestory.insights import domain
from onestory.insights.domain import Figure, percent
from onestory.insights.queries import Scope, run
from onestory.insights.queries.outcomes import FIRST_AND_LAST, _inputs

CHANGE = """
SELECT code, COUNT(*), COALESCE(SUM(last - first), 0),
  COALESCE(SUM((last - first) * (last - first)), 0),
  COALESCE(SUM(CASE WHEN ROUND(last - first, 2) > 0 THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN ROUND(last - first, 2) = 0 THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN ROUND(last - first, 2) < 0 THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN ROUND(first - last, 2) >= %s THEN 1 ELSE 0 END), 0)
FROM u WHERE scores >= 2 GROUP BY code
"""
NO_THRESHOLD = 10**6  # no reliable-change threshold: nobody reaches it


def _changes(scope: Scope, code: str, scales, threshold=NO_THRESHOLD) -> dict:
    """For each scale (None: the total), the mean change, how many went up,
    stayed or went down, and how many improved by `threshold` or more: one
    query for all of them."""
    rows = run(
        _inputs(scope, (code,), scales=scales),
        CHANGE,
        (threshold,),
        then=FIRST_AND_LAST,
    )
    found = {label: row for label, *row in rows}
    out = {}
    for scale in scales:
        label = code if scale is None else f"{code} {scale}"
        count, total, squares, up, same, down, reliable = found.get(label, [0] * 7)
        out[scale] = (
            domain.mean_change(int(count), float(total), float(squares)),
            (int(up), int(same), int(down)),
            int(reliable),
        )
    return out


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
    scales = (
        ("warmth", "Warmth", "higher is better"),
        ("invasion", "Invasion", "lower is better"),
    )
    changes = _changes(scope, "MORS_SF", [scale for scale, _, _ in scales])
    for scale, name, better in scales:
        found, counts, _ = changes[scale]
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
    changes = _changes(scope, SDQ, (None, "impact"), SDQ_IMPACT_RELIABLE_CHANGE)
    total, total_counts, _ = changes[None]
    impact, impact_counts, reliable = changes["impact"]
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
SELECT code, COUNT(*),
  COALESCE(SUM(CASE WHEN
    (CASE WHEN last <= 2 THEN 1 WHEN last <= 4 THEN 2 WHEN last <= 6 THEN 3
          WHEN last <= 8 THEN 4 ELSE 5 END)
    - (CASE WHEN first <= 2 THEN 1 WHEN first <= 4 THEN 2 WHEN first <= 6 THEN 3
            WHEN first <= 8 THEN 4 ELSE 5 END) >= 1 THEN 1 ELSE 0 END), 0)
FROM u WHERE scores >= 2 GROUP BY code
"""


def star(scope: Scope) -> list[Figure]:
    areas = [f"area_{n}" for n in range(1, STAR_AREAS + 1)]
    rows = run(_inputs(scope, (STAR,), scales=areas), STAR_STAGES, then=FIRST_AND_LAST)
    found = {label: (int(readings), int(moved)) for label, readings, moved in rows}
    breakdown = []
    for number, area in enumerate(areas, start=1):
        readings, moved = found.get(f"{STAR} {area}", (0, 0))
        breakdown.append(
            (
                f"Area {number}",
                Figure(
                    "O6",
                    f"Area {number}",
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
