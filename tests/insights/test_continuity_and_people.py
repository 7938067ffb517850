"""Continuity (C1 to C6, domain.md sections 3.1 and 8.5), the workforce (R6 and
supervision) and equity, each worked out by hand over a small dataset.

The period is April to June 2026; its last day is 30 June. Every episode here
opened on 5 January 2026.
"""

from datetime import date, timedelta
from fractions import Fraction

import pytest
from django.utils import timezone

from onestory.accounts.models import Role
from onestory.families import services as family_services
from onestory.families.models import Person, PersonRole
from onestory.insights.queries import continuity, people
from onestory.support import services as support_services
from onestory.support.models import (
    Consultation,
    Episode,
    Involvement,
    LevelChange,
)
from onestory.workforce.models import Supervision, TrainingCourse, TrainingRecord
from tests import factories
from tests.insights.builders import (
    at,
    backdate,
    contact,
    figure,
    new_episode,
    parts,
    ratio,
    scope,
)


def seen_by(episode, sequence: str, practitioners: dict, days: list[date]):
    """Attended contacts in date order, one letter (practitioner) per day."""
    assert len(sequence) == len(days)
    for letter, day in zip(sequence, days, strict=True):
        contact(episode, at(day), practitioners[letter])


def weekly(first: date, count: int) -> list[date]:
    return [first + timedelta(weeks=n) for n in range(count)]


# --- C1 to C4: continuity indices -------------------------------------------------


@pytest.fixture
def practitioners(city):
    personas = city.personas
    return {
        "A": personas["lead_practitioner"],
        "B": personas["same_team_practitioner"],
        "C": personas["other_hub_practitioner"],
        "D": personas["team_manager"],
    }


def test_c1_to_c4_on_the_worked_example(city, practitioners):
    """domain.md 3.1: A A A B A A C A A A. N = 10, n = {A: 8, B: 1, C: 1}:
    UPC 8/10; COCI (64 + 1 + 1 - 10) / (10 x 9) = 56/90 = 28/45 (0.622); SECON:
    of 9 consecutive pairs, AA AA AB BA AA AC CA AA AA, 5 are the same: 5/9;
    handoffs 9 - 5 = 4; M = 3."""
    episode = new_episode(city)
    # The first four before the period: the indices run from the opening.
    days = weekly(date(2026, 3, 9), 10)
    seen_by(episode, "AAABAACAAA", practitioners, days)
    # Missed or cancelled contacts with someone else are not in the sequence,
    # nor is a contact after the period.
    c = practitioners["C"]
    contact(episode, at(days[1], 14), c, attendance="did_not_attend")
    contact(episode, at(days[5], 14), c, attendance="cancelled_by_service")
    contact(episode, at(date(2026, 7, 2)), c)

    figures = continuity.indices(scope(city))

    assert figure(figures, "C episodes").value == 1
    assert figure(figures, "C1 mean").value == pytest.approx(0.8)
    assert figure(figures, "C1 median").value == pytest.approx(0.8)
    assert ratio(figure(figures, "C1 0.6")) == (1, 1, 1)
    assert figure(figures, "C2 mean").value == pytest.approx(28 / 45)
    assert round(figure(figures, "C2 mean").value, 3) == 0.622
    assert ratio(figure(figures, "C2 0.7")) == (0, 1, 0)  # 0.622 < 0.7
    assert figure(figures, "C3 mean").value == pytest.approx(5 / 9)
    assert figure(figures, "C3 handoffs").value == 4
    assert figure(figures, "C4 median").value == 3
    assert ratio(figure(figures, "C4 big team")) == (0, 1, 0)
    # The same types from SQLite and PostgreSQL (which averages in numeric).
    assert type(figure(figures, "C1 mean").value) is float
    assert type(figure(figures, "C3 handoffs").value) is int


def test_c1_to_c4_over_several_episodes(city, elsewhere, practitioners):
    """Five episodes measured:

    e1 A A A B A A C A A A: UPC 4/5, COCI 28/45, SECON 5/9, handoffs 4, M 3
    e2 A B:                 UPC 1/2, COCI 0,     SECON 0,   handoffs 1, M 2
    e3 A B C D A:           UPC 2/5, COCI (4+1+1+1-5)/20 = 1/10, SECON 0,
                            handoffs 4, M 4
    e4 A A A:               UPC 1,   COCI 1,     SECON 1,   handoffs 0, M 1
    e5 A B A (closed May):  UPC 2/3, COCI (4+1-3)/6 = 1/3, SECON 0,
                            handoffs 2, M 2
    """
    seen_by(
        new_episode(city), "AAABAACAAA", practitioners, weekly(date(2026, 3, 9), 10)
    )
    seen_by(new_episode(city), "AB", practitioners, weekly(date(2026, 3, 30), 2))
    seen_by(new_episode(city), "ABCDA", practitioners, weekly(date(2026, 4, 6), 5))
    seen_by(new_episode(city), "AAA", practitioners, weekly(date(2026, 5, 4), 3))
    e5 = new_episode(city)
    seen_by(e5, "ABA", practitioners, weekly(date(2026, 4, 13), 3))
    Episode.objects.filter(pk=e5.pk).update(closed_at=at(date(2026, 5, 10)))
    # Not measured: one attended contact (N = 1); two attended contacts, but
    # neither in the period; another local authority's episode.
    seen_by(new_episode(city), "B", practitioners, [date(2026, 5, 4)])
    seen_by(new_episode(city), "AB", practitioners, weekly(date(2026, 2, 2), 2))
    other = elsewhere.family.episodes.get()
    backdate(other)
    for day in weekly(date(2026, 4, 6), 3):
        contact(other, at(day), elsewhere.practitioner)

    figures = continuity.indices(scope(city))

    assert figure(figures, "C episodes").value == 5
    upc = [Fraction(4, 5), Fraction(1, 2), Fraction(2, 5), 1, Fraction(2, 3)]
    assert figure(figures, "C1 mean").value == pytest.approx(float(sum(upc) / 5))
    assert float(sum(upc) / 5) == pytest.approx(101 / 150)
    # Sorted UPC 2/5, 1/2, 2/3, 4/5, 1: the median is the 3rd, 2/3.
    assert figure(figures, "C1 median").value == pytest.approx(2 / 3)
    assert ratio(figure(figures, "C1 0.6")) == (3, 5, Fraction(3, 5))  # e1 e4 e5
    coci = [Fraction(28, 45), 0, Fraction(1, 10), 1, Fraction(1, 3)]
    assert sum(coci) / 5 == Fraction(37, 90)
    assert figure(figures, "C2 mean").value == pytest.approx(37 / 90)
    assert ratio(figure(figures, "C2 0.7")) == (1, 5, Fraction(1, 5))  # e4
    # SECON (5/9 + 0 + 0 + 1 + 0) / 5 = 14/45.
    assert figure(figures, "C3 mean").value == pytest.approx(14 / 45)
    assert figure(figures, "C3 handoffs").value == 4 + 1 + 4 + 0 + 2
    # M sorted 1, 2, 2, 3, 4: median 2; M of 4 or more: e3 only.
    assert figure(figures, "C4 median").value == 2
    assert ratio(figure(figures, "C4 big team")) == (1, 5, Fraction(1, 5))

    # Narrowed to team B (no episodes there): nothing is measured.
    narrowed = continuity.indices(scope(city, team_id=city.team_b.pk))
    assert figure(narrowed, "C episodes").value == 0
    assert figure(narrowed, "C1 mean").value is None
    assert ratio(figure(narrowed, "C1 0.6")) == (0, 0, None)


def test_c1_share_counts_a_upc_of_exactly_0_6(city, practitioners):
    # A A A B C: UPC 3/5 = 0.6, which is "0.6 or more".
    seen_by(new_episode(city), "AAABC", practitioners, weekly(date(2026, 4, 6), 5))

    figures = continuity.indices(scope(city))

    assert ratio(figure(figures, "C1 0.6")) == (1, 1, 1)
    # COCI (9 + 1 + 1 - 5) / 20 = 0.3; SECON 2/4; handoffs 2.
    assert figure(figures, "C2 mean").value == pytest.approx(0.3)
    assert figure(figures, "C3 mean").value == pytest.approx(0.5)
    assert figure(figures, "C3 handoffs").value == 2


# --- C5 and C6: the lead at a change of level, consultation not transfer ----------


@pytest.fixture
def specialist(city):
    return factories.staff(
        "Sid Specialist", city.council, Role.SPECIALIST, teams=[city.team_a]
    )


def test_c5_lead_kept_at_changes_of_level_in_the_period(
    city, lead, elsewhere, specialist
):

    def change(episode, to_level, on, new_lead=None):
        made = support_services.change_level(
            episode=episode,
            to_level=to_level,
            reason="Needs changed.",
            by=lead,
            new_lead=new_lead,
            expected_lead_id=lead.pk,
        )
        LevelChange.objects.filter(pk=made.pk).update(changed_at=at(on))
        return made

    # a: targeted in May keeping the lead; specialist in June with a new lead.
    a = new_episode(city)
    change(a, "targeted", date(2026, 5, 1))
    change(a, "specialist", date(2026, 6, 1), new_lead=specialist)
    # b: changed in March (before), c: in July (after): not counted.
    change(new_episode(city), "targeted", date(2026, 3, 15))
    change(new_episode(city), "targeted", date(2026, 7, 5))
    # d: targeted in April keeping the lead.
    change(new_episode(city), "targeted", date(2026, 4, 20))
    # Another local authority's change in the period, lead not kept.
    other = elsewhere.family.episodes.get()
    LevelChange.objects.create(
        episode=other,
        from_level="universal",
        to_level="targeted",
        changed_at=at(date(2026, 5, 5)),
        changed_by=elsewhere.practitioner,
        lead_kept=False,
    )

    c5 = figure(continuity.leads(scope(city)), "C5")

    # Changes in the period: a (May, kept), a (June, not kept), d (kept). The
    # level each episode opened at is not a change.
    assert ratio(c5) == (2, 3, Fraction(2, 3))


def test_c6_consultations_out_of_consultations_plus_transfers_to_a_specialist(
    city, lead, same_team_practitioner, elsewhere, specialist
):

    def consult(episode, on):
        asked = support_services.ask_consultation(
            episode=episode,
            specialist=specialist,
            question="How best to support bonding?",
            tried="Video feedback.",
            urgency="routine",
            by=lead,
        )
        Consultation.objects.filter(pk=asked.pk).update(asked_at=at(on))

    def transfer(episode, to, on):
        made = support_services.transfer_lead(
            episode=episode,
            to=to,
            reason="Needs a different practitioner.",
            expected_lead_id=lead.pk,
            by=lead,
        )
        Involvement.objects.filter(pk=made.pk).update(started_at=at(on))

    a, d, e, f = (new_episode(city) for _ in range(4))
    # Consultations in the period: a, d, e (3); d's March one is outside.
    consult(a, date(2026, 4, 10))
    consult(d, date(2026, 5, 10))
    consult(e, date(2026, 6, 10))
    consult(d, date(2026, 3, 1))
    # Lead transferred to a specialist in June: 1 transfer.
    transfer(a, specialist, date(2026, 6, 1))
    # To a practitioner who is not a specialist: not counted.
    transfer(e, same_team_practitioner, date(2026, 5, 20))
    # To a specialist in March: outside the period.
    transfer(f, specialist, date(2026, 3, 3))
    # A specialist who was the first lead, from opening in May: not a transfer.
    g = new_episode(city, by=specialist)
    backdate(g, date(2026, 5, 1))
    # Another local authority's consultation in the period.
    other = elsewhere.family.episodes.get()
    Consultation.objects.create(
        episode=other,
        asked_by=elsewhere.practitioner,
        specialist=elsewhere.practitioner,
        question="Advice?",
        urgency="routine",
        asked_at=at(date(2026, 5, 5)),
    )

    c6 = figure(continuity.leads(scope(city)), "C6")

    assert ratio(c6) == (3, 3 + 1, Fraction(3, 4))


# --- R6: staff with a current accreditation ---------------------------------------


def test_r6_counts_staff_with_a_current_confirmed_accreditation(city, elsewhere):
    """Current on 30 June: completed by then, confirmed by a team manager, and
    expiring after it (a record is current up to the day before it expires)."""
    personas = city.personas
    video = TrainingCourse.objects.create(name="Test course V", accredits=True)
    circle = TrainingCourse.objects.create(
        name="Test course C", accredits=True, renewal_months=24
    )
    triple = TrainingCourse.objects.create(
        name="Test course T", accredits=True, renewal_months=12
    )
    refresher = TrainingCourse.objects.create(name="Test refresher", accredits=False)

    def record(user, course, completed_on, expires_on=None, **fields):
        values = {
            "status": "completed",
            "verified_by": personas["team_manager"],
            "verified_at": timezone.now(),
        } | fields
        TrainingRecord.objects.create(
            user=user,
            course=course,
            completed_on=completed_on,
            expires_on=expires_on,
            recorded_by=personas["team_manager"],
            **values,
        )

    lead, same = personas["lead_practitioner"], personas["same_team_practitioner"]
    other = personas["other_hub_practitioner"]
    record(lead, video, date(2025, 5, 1))  # counted: V
    record(lead, circle, date(2024, 7, 1), date(2026, 7, 1))  # counted: C
    record(same, triple, date(2025, 3, 1), date(2026, 3, 1))  # expired in March
    record(same, video, date(2026, 6, 30))  # counted: V (completed the last day)
    record(other, video, date(2025, 5, 1), verified_by=None, verified_at=None)
    record(other, circle, date(2024, 6, 30), date(2026, 6, 30))  # expired 30 June
    record(personas["team_manager"], video, date(2026, 7, 1))  # after the period
    record(personas["partner_worker_with_consent"], refresher, date(2025, 5, 1))
    record(
        personas["partner_worker_without_consent"],
        video,
        None,
        status="planned",
        planned_for=date(2026, 5, 1),
    )
    record(elsewhere.practitioner, video, date(2025, 5, 1))  # elsewhere

    r6 = figure(people.workforce(scope(city)), "R6")

    assert parts(r6) == {"Test course C": 1, "Test course V": 2}
    # Different staff: lead (V and C) and same (V): 2, not 1 + 2 = 3.
    assert r6.value == 2

    team_b = figure(people.workforce(scope(city, team_id=city.team_b.pk)), "R6")
    assert (team_b.value, parts(team_b)) == (0, {})


# --- supervision ------------------------------------------------------------------


def test_supervision_on_time_within_6_weeks_of_the_last_day(city, elsewhere):
    """Practitioners, specialists and peer support workers (here the five
    practitioners: lead, same team, other hub and the two partners) are on time
    if supervised within 6 weeks (42 days) before 30 June: on or after 19 May."""
    personas = city.personas
    supervisor = personas["team_manager"]

    def supervised(user, on):
        Supervision.objects.create(
            supervisee=user, supervisor=supervisor, held_on=on, kind="reflective"
        )

    assert date(2026, 6, 30) - timedelta(weeks=6) == date(2026, 5, 19)
    supervised(personas["lead_practitioner"], date(2026, 5, 19))  # on time
    supervised(personas["same_team_practitioner"], date(2026, 5, 18))  # 43 days
    supervised(personas["same_team_practitioner"], date(2026, 7, 2))  # after
    # other hub practitioner: never supervised
    supervised(personas["partner_worker_with_consent"], date(2026, 6, 1))
    supervised(personas["partner_worker_without_consent"], date(2026, 6, 30))
    supervised(elsewhere.practitioner, date(2026, 6, 1))  # elsewhere
    supervised(supervisor, date(2026, 6, 1))  # a team manager: not counted

    on_time = figure(people.workforce(scope(city)), "Supervision")

    assert ratio(on_time) == (3, 5, Fraction(3, 5))
    # Team A's practitioners: lead (on time) and same team (late).
    team_a = figure(
        people.workforce(scope(city, team_id=city.team_a.pk)), "Supervision"
    )
    assert ratio(team_a) == (1, 2, Fraction(1, 2))


# --- equity -----------------------------------------------------------------------


def test_families_reached_by_the_youngest_parents_age_and_language(city, practitioners):
    """Ages on 30 June 2026, the period's last day."""
    lead = practitioners["A"]

    def reached(date_of_birth, attendance="attended"):
        episode = new_episode(city, date_of_birth=date_of_birth)
        contact(episode, at(date(2026, 5, 4)), lead, attendance=attendance)
        return episode.family

    reached(date(2006, 7, 1))  # 19 (20 on 1 July): under 20
    reached(date(2006, 6, 30))  # 20 that day: 20 to 24
    polish = reached(date(1994, 3, 27))  # 32: 25 to 34
    reached(date(1991, 6, 30))  # 35 that day: 35 and over
    two_parents = reached(date(1986, 1, 1))  # 40, but the youngest parent is
    family_services.add_member(  # 22: 20 to 24
        family=two_parents,
        details=family_services.PersonDetails(
            role=PersonRole.PARENT_CARER,
            given_name="Jo",
            family_name="Testerson",
            date_of_birth=date(2004, 1, 1),
            preferred_language="english",
        ),
        by=lead,
    )
    reached(None)  # not recorded
    reached(date(2007, 1, 1), attendance="did_not_attend")  # not reached
    Person.objects.filter(family=polish, role="parent_carer").update(
        preferred_language="Polish"
    )

    figures = people.equity(scope(city))
    age = figure(figures, "R1 age")
    language = figure(figures, "R1 language")

    assert parts(age) == {
        "Under 20": 1,
        "20 to 24": 2,
        "25 to 34": 1,
        "35 and over": 1,
        "Not recorded": 1,
    }
    assert age.value == 6
    # One family of the 6 has a parent whose language is not English.
    assert ratio(language) == (1, 6, Fraction(1, 6))
