"""Continuity and pass-around (domain.md §3.1 and §8.5; docs/continuity.md).

C1 to C4 and C9 are here; C5 to C8, about the lead practitioner, in `leads`.

C1 to C4 are worked out per episode over its attended contacts, in date order,
from the day it opened to the end of the period, for episodes with an attended
contact in the period and at least 2 attended contacts in all (N >= 2). The
same formulas as `support.continuity`, in SQL.
"""

from onestory.insights.domain import Figure, percent
from onestory.insights.queries import ATTENDED, Scope, run
from onestory.insights.queries.leads import leads, lost_at_handoff, without_a_lead

PER_EPISODE = """
pairs AS (
  SELECT episode_id, practitioner_id, COUNT(*) AS n
  FROM c GROUP BY episode_id, practitioner_id
),
per AS (
  SELECT episode_id, SUM(n) AS total, MAX(n) AS most, SUM(n * n) AS squares,
         COUNT(*) AS practitioners
  FROM pairs GROUP BY episode_id
),
steps AS (
  SELECT episode_id,
    CASE WHEN practitioner_id = LAG(practitioner_id)
              OVER (PARTITION BY episode_id ORDER BY at, id)
         THEN 1 ELSE 0 END AS same
  FROM c
),
kept AS (SELECT episode_id, SUM(same) AS same FROM steps GROUP BY episode_id),
idx AS (
  SELECT per.episode_id, total, most, squares, practitioners, kept.same,
    1.0 * most / total AS upc,
    1.0 * (squares - total) / (total * (total - 1)) AS coci,
    1.0 * kept.same / (total - 1) AS secon
  FROM per JOIN kept ON kept.episode_id = per.episode_id
  WHERE total >= 2
),
ranked AS (
  SELECT idx.*, ROW_NUMBER() OVER (ORDER BY upc) AS upc_rank,
    ROW_NUMBER() OVER (ORDER BY practitioners) AS m_rank,
    COUNT(*) OVER () AS episodes
  FROM idx
)"""

# C9 over the same contacts: assessments per episode and the organisations
# that did them, for every episode with a contact in the period (N >= 1).
TOLD = """
told AS (
  SELECT episode_id,
    SUM(CASE WHEN purpose = %s THEN 1 ELSE 0 END) AS assessments,
    COUNT(DISTINCT CASE WHEN purpose = %s THEN organisation_id END) AS services
  FROM c LEFT JOIN staff ON staff.id = c.practitioner_id
  GROUP BY episode_id
)"""

TOLD_SUMMARY = """
SELECT COUNT(*), AVG(assessments),
  COALESCE(SUM(CASE WHEN assessments > 1 THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN services > 1 THEN 1 ELSE 0 END), 0)
FROM told
"""

SUMMARY = """
SELECT COUNT(*), AVG(upc),
  MIN(CASE WHEN upc_rank * 2 >= episodes THEN upc END),
  COALESCE(SUM(CASE WHEN most * 10 >= total * 6 THEN 1 ELSE 0 END), 0),
  AVG(coci),
  COALESCE(SUM(CASE WHEN (squares - total) * 10 >= 7 * total * (total - 1)
                    THEN 1 ELSE 0 END), 0),
  AVG(secon),
  COALESCE(SUM(total - 1 - same), 0),
  MIN(CASE WHEN m_rank * 2 >= episodes THEN practitioners END),
  COALESCE(SUM(CASE WHEN practitioners >= 4 THEN 1 ELSE 0 END), 0)
FROM ranked
"""


ASSESSMENT = "assessment"


def _contacts(scope: Scope):
    from onestory.support.models import Contact

    active = scope.attended_contacts().values("episode")
    return Contact.objects.filter(
        episode__in=active, attendance__in=ATTENDED, occurred_at__lt=scope.end
    ).values_list(
        "episode_id",
        "practitioner_id",
        "occurred_at",
        "pk",
        "purpose",
    )


def _staff():
    """Each practitioner's organisation: joined to the contacts once they are
    read (a join inside their read was planned as a loop over the staff)."""
    from onestory.accounts.models import User

    return User.objects.values_list("pk", "organisation")


def _per_episode(scope: Scope) -> tuple[tuple, tuple]:
    """C1 to C4 and C9 in one query: the episodes' attended contacts are read
    once (a common table expression used by both), not once for each."""
    [row] = run(
        [
            ("c(episode_id, practitioner_id, at, id, purpose)", _contacts(scope)),
            ("staff(id, organisation_id)", _staff()),
        ],
        f"SELECT * FROM ({SUMMARY}) AS indices, ({TOLD_SUMMARY}) AS told_once",  # noqa: S608 (our own text)
        (ASSESSMENT, ASSESSMENT),
        then=PER_EPISODE + "," + TOLD,
    )
    return row[:10], row[10:]


def indices(scope: Scope) -> list[Figure]:
    return _index_figures(_per_episode(scope)[0])


def _index_figures(row: tuple) -> list[Figure]:
    (
        episodes,
        upc_mean,
        upc_median,
        upc_high,
        coci_mean,
        coci_high,
        secon_mean,
        handoffs,
        m_median,
        big_teams,
    ) = row
    # PostgreSQL gives numeric (Decimal) averages and sums, SQLite floats: the
    # same types from both, so figures show and export alike.
    upc_mean, upc_median, coci_mean, secon_mean = (
        None if x is None else float(x)
        for x in (upc_mean, upc_median, coci_mean, secon_mean)
    )
    handoffs = int(handoffs)
    n = "Episodes with an attended contact in the period and at least 2 in all"
    return [
        Figure(
            "C episodes",
            "Episodes measured",
            episodes,
            f"{n}: the denominator of C1 to C4.",
        ),
        Figure(
            "C1 mean",
            "Usual practitioner (UPC): mean",
            upc_mean,
            "Per episode, the share of attended contacts with the practitioner "
            "seen most (max n_i / N); the mean over episodes.",
            denominator=episodes,
            unit="index",
        ),
        Figure(
            "C1 median",
            "Usual practitioner (UPC): median",
            upc_median,
            "The middle episode's UPC (nearest rank).",
            denominator=episodes,
            unit="index",
        ),
        Figure(
            "C1 0.6",
            "Episodes with UPC of 0.6 or more",
            percent(upc_high, episodes),
            "Episodes where at least 6 in 10 contacts were with the same "
            "practitioner (English general practice averages 0.61).",
            numerator=upc_high,
            denominator=episodes,
            unit="percent",
        ),
        Figure(
            "C2 mean",
            "Continuity of care index (COCI): mean",
            coci_mean,
            "Bice-Boxerman: (sum of n_i squared - N) / (N (N - 1)); 0 is "
            "someone different every time, 1 always the same person.",
            denominator=episodes,
            unit="index",
        ),
        Figure(
            "C2 0.7",
            "Episodes with COCI of 0.7 or more",
            percent(coci_high, episodes),
            "The quality-measure convention: COCI at least 0.7.",
            numerator=coci_high,
            denominator=episodes,
            unit="percent",
        ),
        Figure(
            "C3 mean",
            "Sequential continuity (SECON): mean",
            secon_mean,
            "Per episode, the share of one-contact-to-the-next steps with the "
            "same practitioner, (pairs with the same practitioner) / (N - 1).",
            denominator=episodes,
            unit="index",
        ),
        Figure(
            "C3 handoffs",
            "Handoffs",
            handoffs,
            "Changes of practitioner between consecutive attended contacts, "
            "(N - 1) - pairs with the same practitioner, summed over episodes.",
        ),
        Figure(
            "C4 median",
            "Different practitioners per episode: median",
            m_median,
            "The middle episode's number of different practitioners (M).",
            denominator=episodes,
            unit="index",
        ),
        Figure(
            "C4 big team",
            "Episodes with 4 or more practitioners",
            percent(big_teams, episodes),
            "Episodes whose family saw 4 or more different practitioners.",
            numerator=big_teams,
            denominator=episodes,
            unit="percent",
        ),
    ]


def told_once(scope: Scope) -> list[Figure]:
    """C9, the story-told-once proxy: assessments per episode."""
    return _told_once_figures(_per_episode(scope)[1])


def _told_once_figures(row: tuple) -> list[Figure]:
    episodes, mean, repeated, by_others = row
    counts = {"mean": mean, "repeated": int(repeated), "by_others": int(by_others)}
    active = "Episodes with an attended contact in the period"
    return [
        Figure(
            "C9 mean",
            "Assessments per episode: mean",
            None if counts["mean"] is None else float(counts["mean"]),
            f"{active}: attended contacts for assessment since the episode opened, "
            "averaged. The family tells its story once, so the aim is 1.",
            denominator=episodes,
            unit="mean",
        ),
        Figure(
            "C9 repeated",
            "Episodes assessed more than once",
            percent(counts["repeated"], episodes),
            f"{active} with more than one attended assessment.",
            numerator=counts["repeated"],
            denominator=episodes,
            unit="percent",
        ),
        Figure(
            "C9 other services",
            "Episodes assessed by more than one organisation",
            percent(counts["by_others"], episodes),
            f"{active} with attended assessments by staff of more than one "
            "organisation: the story told again to another service.",
            numerator=counts["by_others"],
            denominator=episodes,
            unit="percent",
        ),
    ]


def continuity(scope: Scope) -> list[Figure]:
    measured, told = _per_episode(scope)
    return [
        *_index_figures(measured),
        *leads(scope),
        *without_a_lead(scope),
        *lost_at_handoff(scope),
        *_told_once_figures(told),
    ]
