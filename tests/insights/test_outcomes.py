"""Outcomes (domain.md section 8.4): paired measures (O1), NHS Talking Therapies
recovery and reliable change on PHQ-9 and GAD-7 (O2), and ORS (O3), each worked
out by hand over a small dataset.

The unit is one person in one completed episode (E1: ended in the period with at
least 2 attended intervention sessions), comparing their first and last score on
a measure between the day the episode opened and the day it ended. The period is
April to June 2026; every episode here opened on 5 January 2026.
"""

import random
import uuid
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from onestory.families import services as family_services
from onestory.families.models import Person, PersonRole
from onestory.insights.queries import outcomes
from onestory.measures import instruments
from onestory.measures.instruments.talking_therapies import (
    talking_therapies as course_outcome,
)
from onestory.measures.models import Intervention, QuestionnaireResponse, ReviewPoint
from onestory.support.models import Contact, Episode, Involvement, LevelChange
from tests import factories
from tests.insights.builders import at, figure, ratio, scope
from tests.measures.instruments.helpers import answers_with_total

OPENED = date(2026, 1, 5)


def course_of_support(family, *, sessions=2, closed=date(2026, 5, 20)):
    """The family's episode: `sessions` attended intervention sessions in
    February, then closed on `closed` (None: left open)."""
    episode = family.episodes.get()
    Episode.objects.filter(pk=episode.pk).update(opened_at=at(OPENED, 9))
    LevelChange.objects.filter(episode=episode).update(changed_at=at(OPENED, 9))
    Involvement.objects.filter(episode=episode).update(started_at=at(OPENED, 9))
    by = episode.opened_by
    for n in range(sessions):
        Contact.objects.create(
            episode=episode,
            occurred_at=at(date(2026, 2, 2) + timedelta(weeks=n)),
            contact_type="home_visit",
            practitioner=by,
            attendance="attended",
            purpose="intervention",
            recorded_by=by,
        )
    if closed is not None:
        Episode.objects.filter(pk=episode.pk).update(
            closed_at=at(closed), closed_by=by, closure_reason="needs_met"
        )
    return episode


def new_family(city, **kwargs):
    family = factories.family(by=city.personas["lead_practitioner"], team=city.team_a)
    course_of_support(family, **kwargs)
    return family


def parent(family):
    return family.members.get(role="parent_carer")


def score(person, code, total, on: date, **fields):
    return QuestionnaireResponse.objects.create(
        person=person,
        instrument_code=code,
        instrument_version=1,
        answers={},
        score={},
        total=Decimal(str(total)),
        status="scored",
        completed_on=on,
        mode="practitioner",
        **fields,
    )


FIRST, MIDDLE, LAST = date(2026, 2, 1), date(2026, 3, 15), date(2026, 5, 1)


def scores(person, phq9=(), gad7=()):
    """First and last PHQ-9 and GAD-7 totals, on 1 February and 1 May."""
    for code, totals in (("PHQ9", phq9), ("GAD7", gad7)):
        for total, on in zip(totals, (FIRST, LAST), strict=False):
            score(person, code, total, on)


# --- O2: NHS Talking Therapies ----------------------------------------------------


@pytest.fixture
def talking_therapies(city, elsewhere):
    """People in completed episodes, one per family, with first and last PHQ-9
    (caseness 10 or more, reliable change 6) and GAD-7 (caseness 8 or more,
    reliable change 4)."""
    people = {}

    def person(name, **kwargs):
        people[name] = parent(new_family(city, **kwargs))
        return people[name]

    # p1 recovered: at caseness (15, 12), below both at the end (6 < 10, 5 < 8),
    # PHQ-9 down 9: reliable improvement and reliable recovery. A PHQ-9 of 22
    # in between is neither first nor last; the 27 before the episode opened and
    # the 2 after it closed (20 May) are outside it.
    p1 = person("p1")
    scores(p1, phq9=(15, 6), gad7=(12, 5))
    score(p1, "PHQ9", 22, MIDDLE)
    score(p1, "PHQ9", 27, date(2026, 1, 2))
    score(p1, "PHQ9", 2, date(2026, 6, 10))
    # p2 not at caseness at the start (8 < 10 and 6 < 8): out of the recovery
    # denominator; PHQ-9 down 6 and GAD-7 down 5: reliable improvement.
    scores(person("p2"), phq9=(8, 2), gad7=(6, 1))
    # p3 reliable deterioration: PHQ-9 up 7 (12 to 19), GAD-7 up 1. Its first
    # PHQ-9 was first recorded as 20 on 1 February, then amended to 12 on
    # 2 February: only the amended one counts (with the original it would be
    # 20 to 19, no deterioration).
    p3 = person("p3")
    original = score(p3, "PHQ9", 20, FIRST)
    score(p3, "PHQ9", 12, FIRST + timedelta(days=1), supersedes=original)
    score(p3, "PHQ9", 19, LAST)
    scores(p3, gad7=(9, 10))
    # p4 mixed: PHQ-9 down 6 (16 to 10) but GAD-7 up 4 (7 to 11): a reliable
    # deterioration on the other, so not a reliable improvement; it is a
    # reliable deterioration. At caseness (16); not recovered (10 is not < 10).
    scores(person("p4"), phq9=(16, 10), gad7=(7, 11))
    # p5 has two PHQ-9 but only one GAD-7: not paired, in no figure.
    p5 = person("p5")
    scores(p5, phq9=(14, 5), gad7=(10,))
    # p6's episode had only 1 intervention session: not completed, in no figure.
    scores(person("p6", sessions=1), phq9=(20, 3), gad7=(15, 2))
    # p7 at caseness on GAD-7 only (10), below both at the end (8, 7):
    # recovered. Changes of 1 and 3 are not reliable: not reliable recovery.
    scores(person("p7"), phq9=(9, 8), gad7=(10, 7))
    # p8 would have recovered, but the episode ended in July, after the period.
    scores(person("p8", closed=date(2026, 7, 2)), phq9=(20, 3), gad7=(15, 2))
    # p9's episode is still open.
    scores(person("p9", closed=None), phq9=(20, 3), gad7=(15, 2))
    # Another local authority's completed episode is never counted.
    course_of_support(elsewhere.family)
    scores(parent(elsewhere.family), phq9=(20, 3), gad7=(15, 2))
    return city


def test_o2_recovery_excludes_those_not_at_caseness_at_the_start(talking_therapies):
    figures = outcomes.talking_therapies(scope(talking_therapies))

    # Paired courses: p1, p2, p3, p4, p7 (not p5: one GAD-7; not p6: one
    # session; not p8: ended after the period; not p9: open).
    assert figure(figures, "O2 paired").value == 5
    # Recovery = recovered / (completed - not at caseness at the start)
    #          = {p1, p7} / ({p1, p2, p3, p4, p7} - {p2}) = 2 / 4.
    assert ratio(figure(figures, "O2 recovery")) == (2, 4, Fraction(1, 2))


def test_o2_reliable_improvement_needs_no_deterioration_on_the_other(
    talking_therapies,
):
    figures = outcomes.talking_therapies(scope(talking_therapies))

    # Reliable improvement: p1 (PHQ-9 down 9), p2 (down 6 and 5). Not p4 (PHQ-9
    # down 6 but GAD-7 up 4), p3 (worse), p7 (down 1 and 3). Out of all 5
    # paired courses, at caseness or not.
    assert ratio(figure(figures, "O2 reliable improvement")) == (2, 5, Fraction(2, 5))
    # Reliable recovery: recovered and reliably improved, p1 only, out of the 4
    # at caseness at the start.
    assert ratio(figure(figures, "O2 reliable recovery")) == (1, 4, Fraction(1, 4))
    # Reliable deterioration: p3 (PHQ-9 up 7) and p4 (GAD-7 up 4), of 5.
    assert ratio(figure(figures, "O2 reliable deterioration")) == (
        2,
        5,
        Fraction(2, 5),
    )


def test_o2_narrowed_to_another_team_counts_nothing(talking_therapies):
    figures = outcomes.talking_therapies(
        scope(talking_therapies, team_id=talking_therapies.team_b.pk)
    )

    assert figure(figures, "O2 paired").value == 0
    assert ratio(figure(figures, "O2 recovery")) == (0, 0, None)


# The property: O2's SQL and the library's talking_therapies.talking_therapies agree on
# every case. 3,000 cases (CASES_PER_FAMILY people in each of FAMILIES
# families), bulk-created: random first and last PHQ-9 (0 to 27) and GAD-7
# (0 to 21) totals over the whole ranges, boundaries included, a random middle
# score for some (never first or last), and each family's episode with 0 to 4
# attended intervention sessions (every count present).
FAMILIES, CASES_PER_FAMILY = 10, 300
PHQ9_DEF, GAD7_DEF = instruments.get("PHQ9"), instruments.get("GAD7")


def _bulk_cases(city, lead, rng):
    sessions = [n % 5 for n in range(FAMILIES)]
    rng.shuffle(sessions)
    cases, responses = {}, []
    for appointments in sessions:
        family = new_family(city, sessions=appointments)
        people = Person.objects.bulk_create(
            Person(
                family=family,
                role=PersonRole.PARENT_CARER,
                family_name="Synthetic",
                recorded_by=lead,
                recorded_by_organisation=lead.organisation,
                local_authority_id=family.local_authority_id,
            )
            for _ in range(CASES_PER_FAMILY)
        )
        for person in people:
            totals = (
                rng.randint(0, 27),
                rng.randint(0, 27),
                rng.randint(0, 21),
                rng.randint(0, 21),
            )
            cases[person.pk] = (totals, appointments)
            for code, first, last, top in (
                ("PHQ9", totals[0], totals[1], 27),
                ("GAD7", totals[2], totals[3], 21),
            ):
                days = [(FIRST, first), (LAST, last)]
                if rng.random() < 0.3:
                    days.append((MIDDLE, rng.randint(0, top)))
                responses.extend(_response(person, code, t, on) for on, t in days)
    QuestionnaireResponse.objects.bulk_create(responses, batch_size=1000)
    return cases


def _response(person, code, total, on):
    return QuestionnaireResponse(
        person=person,
        instrument_code=code,
        instrument_version=1,
        answers={},
        score={},
        total=Decimal(total),
        status="scored",
        completed_on=on,
        mode="practitioner",
    )


def _library(totals, appointments, cache):
    def scored(instrument, total):
        key = (instrument.code, total)
        if key not in cache:
            cache[key] = instrument.score(answers_with_total(instrument, total))
        return cache[key]

    phq_first, phq_last, gad_first, gad_last = totals
    return course_outcome(
        scored(PHQ9_DEF, phq_first),
        scored(PHQ9_DEF, phq_last),
        scored(GAD7_DEF, gad_first),
        scored(GAD7_DEF, gad_last),
        treatment_appointments=appointments,
    )


def test_o2_sql_agrees_with_the_library_on_3000_random_cases(city, lead):
    cases = _bulk_cases(city, lead, random.Random(13))
    cache = {}
    expected = {pk: _library(*case, cache) for pk, case in cases.items()}

    rows = outcomes.talking_therapies_courses(scope(city))

    assert len(rows) == len(cases) == FAMILIES * CASES_PER_FAMILY
    for _episode, person_id, *flags in rows:
        library = expected[uuid.UUID(str(person_id))]
        wanted = tuple(getattr(library, name) for name in outcomes.COURSE_COLUMNS)
        assert tuple(flags) == wanted, (person_id, flags, wanted)
    # Every kind of case turned up (so the agreement is not vacuous).
    outcomes_seen = {tuple(flags) for _e, _p, *flags in rows}
    assert len(outcomes_seen) >= 8
    # The figures count the same finished courses the library classifies.
    finished = [o for o in expected.values() if o.finished_course]
    figures = outcomes.talking_therapies(scope(city))
    assert figure(figures, "O2 paired").value == len(finished)
    for code, name, over in (
        ("O2 recovery", "recovered", "at_caseness_at_start"),
        ("O2 reliable improvement", "reliable_improvement", None),
        ("O2 reliable recovery", "reliable_recovery", "at_caseness_at_start"),
        ("O2 reliable deterioration", "reliable_deterioration", None),
    ):
        found = figure(figures, code)
        assert found.numerator == sum(bool(getattr(o, name)) for o in finished)
        assert found.denominator == (
            sum(bool(getattr(o, over)) for o in finished) if over else len(finished)
        )


# --- O1: paired measures ----------------------------------------------------------


def test_o1_paired_rate_per_measure_and_the_midpoint_rate(city, lead):
    programme = factories.programme()

    def midpoint(person, response):
        enrolment = Intervention.objects.create(
            person=person,
            programme=programme,
            name=programme.name,
            started_on=date(2026, 1, 12),
            planned_weeks=12,
            created_by=lead,
        )
        ReviewPoint.objects.create(
            intervention=enrolment,
            kind="midpoint",
            instrument_code=response.instrument_code,
            due_on=response.completed_on,
            completed_by=response,
        )

    # a: two PHQ-9 and a midpoint PHQ-9 (paired); one GAD-7 (not paired).
    a = parent(new_family(city))
    scores(a, phq9=(15, 8), gad7=(9,))
    midpoint(a, score(a, "PHQ9", 12, MIDDLE))
    # b: one PHQ-9 from each of two parents: not a pair (not the same person).
    # A midpoint ORS before the episode opened does not count.
    family_b = new_family(city)
    b = parent(family_b)
    partner = family_services.add_member(
        family=family_b,
        details=family_services.PersonDetails(
            role=PersonRole.PARENT_CARER, given_name="Jo", family_name="Testerson"
        ),
        by=lead,
    )
    score(b, "PHQ9", 14, FIRST)
    score(partner, "PHQ9", 9, LAST)
    midpoint(b, score(b, "ORS", 20, date(2026, 1, 2)))
    # c: two PHQ-9, but the first was before the episode opened: one in it.
    c = parent(new_family(city))
    score(c, "PHQ9", 16, date(2026, 1, 2))
    score(c, "PHQ9", 11, LAST)
    # d: one session only (not completed): its pair and midpoint do not count.
    d = parent(new_family(city, sessions=1))
    scores(d, phq9=(15, 4))
    midpoint(d, score(d, "PHQ9", 9, MIDDLE))
    # e: three EPDS: paired.
    e = parent(new_family(city))
    for total, on in ((14, FIRST), (11, MIDDLE), (7, LAST)):
        score(e, "EPDS", total, on)
    # f: completed with no scores at all.
    new_family(city)
    # g: two WEMWBS (14 to 70): paired, beside SWEMWBS like every measure.
    g = parent(new_family(city))
    score(g, "WEMWBS", 40, FIRST)
    score(g, "WEMWBS", 46, LAST)
    # The SDQ is stored under its version's code (2-4 or 4-17 years): g's
    # child-version pair counts under that code.
    score(g, "SDQ_P2_4", 18, FIRST)
    score(g, "SDQ_P2_4", 12, LAST)

    figures = outcomes.paired(scope(city))

    # PHQ-9 used in a, b and c; paired (two for the same person) in a only.
    assert ratio(figure(figures, "O1 PHQ-9")) == (1, 3, Fraction(1, 3))
    assert ratio(figure(figures, "O1 GAD-7")) == (0, 1, Fraction(0))
    assert ratio(figure(figures, "O1 EPDS")) == (1, 1, Fraction(1))
    assert ratio(figure(figures, "O1 WEMWBS")) == (1, 1, Fraction(1))
    assert ratio(figure(figures, "O1 SDQ parent 2 to 4")) == (1, 1, Fraction(1))
    # No ORS figure: b's only ORS was before the episode opened.
    assert {f.code for f in figures} == {
        "O1 midpoint",
        "O1 EPDS",
        "O1 GAD-7",
        "O1 PHQ-9",
        "O1 SDQ parent 2 to 4",
        "O1 WEMWBS",
    }
    assert "with at least two PHQ-9 scores" in figure(figures, "O1 PHQ-9").definition
    # Completed: a, b, c, e, f, g. With a midpoint score in the episode: a.
    assert ratio(figure(figures, "O1 midpoint")) == (1, 6, Fraction(1, 6))


# --- O3: ORS ----------------------------------------------------------------------


def test_o3_ors_clinical_range_reliable_and_clinically_significant_change(
    city, elsewhere
):
    """Clinical range 25 or less; reliable improvement a rise of 5 or more
    (adult), and of 6.6 or more (children's threshold, as a check)."""

    def ors(first, last=None, **kwargs):
        person = parent(new_family(city, **kwargs))
        score(person, "ORS", first, FIRST)
        if last is not None:
            score(person, "ORS", last, LAST)

    ors(20, 26)  # A: clinical; +6: reliable at 5, not at 6.6; out of range
    ors("22.1", "28.7")  # B: clinical; +6.6 exactly: reliable at both; out
    ors(25, 30)  # C: clinical (25 is in range); +5 exactly: at 5 only; out
    ors(30, 38)  # D: not clinical; +8: reliable at both
    ors(18, "24.5")  # E: clinical; +6.5: at 5 only; still in range
    ors(26, 21)  # F: not clinical; worse
    ors(15)  # G: one score only: not paired
    ors(10, 35, sessions=1)  # H: not completed
    course_of_support(elsewhere.family)
    score(parent(elsewhere.family), "ORS", 10, FIRST)
    score(parent(elsewhere.family), "ORS", 35, LAST)

    figures = outcomes.outcome_rating_scale(scope(city))

    paired = 6  # A to F
    assert ratio(figure(figures, "O3 clinical range")) == (
        4,  # A, B, C, E
        paired,
        Fraction(4, 6),
    )
    assert ratio(figure(figures, "O3 reliable improvement")) == (
        5,  # A, B, C, D, E
        paired,
        Fraction(5, 6),
    )
    assert ratio(figure(figures, "O3 reliable improvement 6.6")) == (
        2,  # B, D
        paired,
        Fraction(2, 6),
    )
    # Of the 4 starting in the clinical range, A, B and C ended above 25.
    assert ratio(figure(figures, "O3 clinically significant")) == (
        3,
        4,
        Fraction(3, 4),
    )


def test_outcomes_with_no_data_are_empty_not_errors(city):
    figures = outcomes.outcomes(scope(city))

    assert figure(figures, "O2 paired").value == 0
    for code in ("O1 midpoint", "O2 recovery", "O3 reliable improvement"):
        assert figure(figures, code).value is None
