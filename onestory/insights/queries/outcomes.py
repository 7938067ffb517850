"""Outcomes from stored scores (domain.md §8.4): paired measures (O1), NHS
Talking Therapies recovery and reliable change on PHQ-9 plus GAD-7 (O2), and ORS
(O3). Reports read the totals stored when each questionnaire was scored; nothing
is rescored here.

The unit is one person in one completed episode (E1): their first and last
score on each measure between the day the episode opened and the day it ended.
"""

from django.db.models import CharField, DecimalField, Exists, F, OuterRef, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from onestory.insights.domain import Figure, percent
from onestory.insights.queries import Day, Scope, local_day, run
from onestory.insights.queries.activity import completed, ended
from onestory.measures import instruments
from onestory.measures.instruments.talking_therapies import talking_therapies_rules

MEASURED = (
    "PHQ9",
    "GAD7",
    "ORS",
    "CORE10",
    "EPDS",
    "SWEMWBS",
    "WEMWBS",
    "MORS_SF",
    "SDQ_P2_4",
    "SDQ_P4_17",
)

# Totals are stored to 2 decimal places, but SQLite holds them as binary floats:
# there 28.7 - 22.1 is 6.599999999999998, short of a 6.6 threshold. Changes are
# rounded back to 2 places before they are compared with a threshold.

# First and last score of each person on each measure within each episode.
FIRST_AND_LAST = """
s AS (
  SELECT ep.episode_id, qr.person_id, qr.code, qr.total,
    ROW_NUMBER() OVER (PARTITION BY ep.episode_id, qr.person_id, qr.code
                       ORDER BY qr.day, qr.seq) AS from_first,
    ROW_NUMBER() OVER (PARTITION BY ep.episode_id, qr.person_id, qr.code
                       ORDER BY qr.day DESC, qr.seq DESC) AS from_last
  FROM ep JOIN qr ON qr.family_id = ep.family_id
   AND qr.day >= ep.opened AND qr.day <= ep.closed
),
u AS (
  SELECT episode_id, person_id, code, COUNT(*) AS scores,
    MAX(CASE WHEN from_first = 1 THEN total END) AS first,
    MAX(CASE WHEN from_last = 1 THEN total END) AS last
  FROM s GROUP BY episode_id, person_id, code
)"""


def _inputs(scope: Scope, codes=MEASURED, *, scales=(None,), ended_all=False):
    """The completed episodes (with `ended_all`, every episode ended in the
    period, with its attended intervention sessions), and the scores of their
    families' members: the stored total (scale None, labelled with the
    measure's code) and each named scale's stored score (labelled "CODE
    scale"), all in one set."""
    from onestory.measures.models import QuestionnaireResponse

    chosen = ended(scope) if ended_all else completed(scope)
    columns = ("pk", "family_id", "opened", "closed")
    episodes = chosen.annotate(
        opened=local_day("opened_at"), closed=local_day("closed_at")
    ).values_list(*columns, *(("sessions",) if ended_all else ()))
    named = "ep(episode_id, family_id, opened, closed{})".format(
        ", sessions" if ended_all else ""
    )
    ended_families = scope.episodes().filter(
        closed_at__gte=scope.start, closed_at__lt=scope.end
    )
    responses = QuestionnaireResponse.objects.current().filter(
        person__family__in=ended_families.values("family"), instrument_code__in=codes
    )
    sets = [_scored(responses, codes[0], scale) for scale in scales]
    scores = sets[0].union(*sets[1:], all=True).order_by() if len(sets) > 1 else sets[0]
    return [
        (named, episodes),
        ("qr(person_id, family_id, code, day, total, seq)", scores),
    ]


def _scored(responses, code: str, scale: str | None):
    if scale is None:
        scored = responses.annotate(label=F("instrument_code"), value=F("total"))
    else:
        stored = Cast(
            KT(f"score__scales__{scale}__score"),
            DecimalField(max_digits=8, decimal_places=2),
        )
        label = Value(f"{code} {scale}", output_field=CharField())
        scored = responses.annotate(label=label, value=stored)
    return (
        scored.filter(value__isnull=False)
        .order_by()  # a union takes no ordering, and none is needed
        .annotate(day=Day("completed_on"))
        .values_list(
            "person_id", "person__family_id", "label", "day", "value", "recorded_at"
        )
    )


def _threshold(code: str, name: str) -> float:
    return float(instruments.get(code).thresholds[name].value)


def paired(scope: Scope) -> list[Figure]:
    rows = run(
        _inputs(scope),
        "SELECT code, COUNT(DISTINCT episode_id), "
        "COUNT(DISTINCT CASE WHEN scores >= 2 THEN episode_id END) "
        "FROM u GROUP BY code ORDER BY code",
        then=FIRST_AND_LAST,
    )
    figures = [
        Figure(
            f"O1 {instruments.short_name(code)}",
            f"Paired {instruments.get(code).name} scores",
            percent(both, used),
            f"Completed episodes (E1) with at least two {instruments.short_name(code)} "
            "scores for the same person, first and last, out of completed episodes "
            "with any.",
            numerator=both,
            denominator=used,
            unit="percent",
        )
        for code, used, both in rows
    ]
    return [_midpoints(scope), *figures]


def _midpoints(scope: Scope) -> Figure:
    from onestory.measures.models import ReviewPoint

    done = ReviewPoint.objects.filter(
        kind="midpoint",
        completed_by__isnull=False,
        intervention__person__family=OuterRef("family"),
        completed_by__completed_on__gte=OuterRef("opened_at__date"),
        completed_by__completed_on__lte=OuterRef("closed_at__date"),
    )
    episodes = completed(scope).annotate(midpoint=Exists(done))
    total = episodes.count()
    with_midpoint = episodes.filter(midpoint=True).count()
    return Figure(
        "O1 midpoint",
        "Completed episodes with a midpoint score",
        percent(with_midpoint, total),
        "Completed episodes (E1) in which a midpoint review questionnaire was "
        "completed, out of all completed episodes.",
        numerator=with_midpoint,
        denominator=total,
        unit="percent",
    )


# One row per person in an episode ended in the period with a PHQ-9 and a
# GAD-7 pair (each scored at least twice in the episode): the library's
# `talking_therapies.talking_therapies` at scale. Every threshold is a
# parameter read from `talking_therapies_rules()`; a course that did not
# finish (fewer attended intervention sessions than the rule's number) has no
# outcome, and recovery is NULL (not applicable) for someone not at caseness
# at the start.
COURSES = """
tt AS (
  SELECT p.episode_id, p.person_id, ep.sessions >= %s AS finished,
    (p.first >= %s OR g.first >= %s) AS at_start,
    (p.last >= %s OR g.last >= %s) AS at_end,
    (ROUND(p.first - p.last, 2) >= %s OR ROUND(g.first - g.last, 2) >= %s)
      AS better,
    (ROUND(p.last - p.first, 2) >= %s OR ROUND(g.last - g.first, 2) >= %s)
      AS worse
  FROM u p JOIN u g ON g.episode_id = p.episode_id AND g.person_id = p.person_id
  JOIN ep ON ep.episode_id = p.episode_id
  WHERE p.code = 'PHQ9' AND g.code = 'GAD7' AND p.scores >= 2 AND g.scores >= 2
),
courses AS (
  SELECT episode_id, person_id, finished, at_start, at_end,
    CASE WHEN finished AND at_start THEN NOT at_end END AS recovered,
    CASE WHEN finished THEN better AND NOT worse END AS improved,
    CASE WHEN finished THEN worse END AS deteriorated,
    CASE WHEN finished AND at_start THEN NOT at_end AND better AND NOT worse
    END AS reliably_recovered
  FROM tt
)"""

COURSE_COLUMNS = (
    "finished_course",
    "at_caseness_at_start",
    "at_caseness_at_end",
    "recovered",
    "reliable_improvement",
    "reliable_deterioration",
    "reliable_recovery",
)

TALKING_THERAPIES = """
SELECT COUNT(*),
  COALESCE(SUM(CASE WHEN at_start THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN recovered THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN improved THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN reliably_recovered THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN deteriorated THEN 1 ELSE 0 END), 0)
FROM courses WHERE finished
"""


def _course_params() -> tuple:
    """The library's rules as the SQL's parameters (COURSES' order)."""
    rules = talking_therapies_rules()
    for caseness in (rules.phq9_caseness, rules.gad7_caseness):
        if caseness.clinical_when != "at_or_above":  # COURSES compares with >=
            raise ValueError("The O2 SQL expects caseness at or above a cut-off")
    case = (float(rules.phq9_caseness.value), float(rules.gad7_caseness.value))
    change = (
        float(rules.phq9_reliable_change.value),
        float(rules.gad7_reliable_change.value),
    )
    return (rules.finished_course_appointments, *case, *case, *change, *change)


def _courses_run(scope: Scope, select: str):
    inputs = _inputs(scope, ("PHQ9", "GAD7"), ended_all=True)
    then = FIRST_AND_LAST + "," + COURSES
    return run(inputs, select, _course_params(), then=then)


def talking_therapies_courses(scope: Scope) -> list[tuple]:
    """(episode id, person id, *COURSE_COLUMNS) per paired course, as the
    report classifies it: the property test holds it to the library."""
    rows = _courses_run(
        scope,
        "SELECT episode_id, person_id, finished, at_start, at_end, recovered, "
        "improved, deteriorated, reliably_recovered FROM courses",
    )
    return [
        (*row[:2], *(None if v is None else bool(v) for v in row[2:])) for row in rows
    ]


def talking_therapies(scope: Scope) -> list[Figure]:
    rules = talking_therapies_rules()
    case = (rules.phq9_caseness.value, rules.gad7_caseness.value)
    change = (rules.phq9_reliable_change.value, rules.gad7_reliable_change.value)
    [(courses, at_start, recovered, improved, reliably_recovered, worse)] = (
        _courses_run(scope, TALKING_THERAPIES)
    )
    eligible = at_start
    tt = "(NHS Talking Therapies definition, with the measures library's rules)"
    return [
        Figure(
            "O2 paired",
            "Finished courses with paired PHQ-9 and GAD-7",
            courses,
            "People in episodes ended in the period after at least "
            f"{rules.finished_course_appointments} attended intervention sessions "
            "(a finished course of treatment), with at least two PHQ-9 and two "
            "GAD-7 scores in the episode; first and last are compared.",
        ),
        Figure(
            "O2 recovery",
            "Recovery",
            percent(recovered, eligible),
            f"At caseness at the start (PHQ-9 {case[0]:g} or more, or GAD-7 "
            f"{case[1]:g} or more) and below both at the last score, out of "
            f"finished courses at caseness at the start {tt}.",
            numerator=recovered,
            denominator=eligible,
            unit="percent",
            note="National comparison: about 50%.",
        ),
        Figure(
            "O2 reliable improvement",
            "Reliable improvement",
            percent(improved, courses),
            f"PHQ-9 down by {change[0]:g} or more, or GAD-7 down by {change[1]:g} "
            "or more, with no reliable deterioration on either, out of all "
            f"paired finished courses {tt}.",
            numerator=improved,
            denominator=courses,
            unit="percent",
            note="National comparison: 69%.",
        ),
        Figure(
            "O2 reliable recovery",
            "Reliable recovery",
            percent(reliably_recovered, eligible),
            "Both recovery and reliable improvement, out of finished courses at "
            f"caseness at the start {tt}.",
            numerator=reliably_recovered,
            denominator=eligible,
            unit="percent",
            note="National comparison: 50 to 51%.",
        ),
        Figure(
            "O2 reliable deterioration",
            "Reliable deterioration",
            percent(worse, courses),
            f"PHQ-9 up by {change[0]:g} or more, or GAD-7 up by {change[1]:g} or "
            f"more, out of all paired finished courses {tt}.",
            numerator=worse,
            denominator=courses,
            unit="percent",
        ),
    ]


ORS = """
SELECT COUNT(*),
  COALESCE(SUM(CASE WHEN first <= %s THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN ROUND(last - first, 2) >= %s THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN ROUND(last - first, 2) >= %s THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN first <= %s AND last > %s THEN 1 ELSE 0 END), 0)
FROM u WHERE code = 'ORS' AND scores >= 2
"""


def outcome_rating_scale(scope: Scope) -> list[Figure]:
    clinical = _threshold("ORS", "caseness")
    change = _threshold("ORS", "reliable_change")
    children = _threshold("ORS", "reliable_change_children")
    params = (clinical, change, children, clinical, clinical)
    [(paired_count, clinical_start, improved, improved_cyp, moved)] = run(
        _inputs(scope, ("ORS",)), ORS, params, then=FIRST_AND_LAST
    )
    return [
        Figure(
            "O3 clinical range",
            "ORS in the clinical range at the start",
            percent(clinical_start, paired_count),
            f"Paired ORS courses whose first score was {clinical:g} or less.",
            numerator=clinical_start,
            denominator=paired_count,
            unit="percent",
        ),
        Figure(
            "O3 reliable improvement",
            "ORS reliable improvement",
            percent(improved, paired_count),
            f"Paired ORS courses whose last score was {change:g} or more above "
            "the first (adult threshold, Miller and Duncan).",
            numerator=improved,
            denominator=paired_count,
            unit="percent",
        ),
        Figure(
            "O3 reliable improvement 6.6",
            "ORS reliable improvement, children's threshold",
            percent(improved_cyp, paired_count),
            f"As above with the threshold of {children:g} used for "
            "children and young people in the Mental Health Services Data Set: a "
            "check on how much the threshold matters.",
            numerator=improved_cyp,
            denominator=paired_count,
            unit="percent",
        ),
        Figure(
            "O3 clinically significant",
            "ORS moved out of the clinical range",
            percent(moved, clinical_start),
            f"Paired ORS courses that started at {clinical:g} or less and ended "
            "above it, out of those that started in the clinical range.",
            numerator=moved,
            denominator=clinical_start,
            unit="percent",
        ),
    ]


def outcomes(scope: Scope) -> list[Figure]:
    return [*paired(scope), *talking_therapies(scope), *outcome_rating_scale(scope)]
