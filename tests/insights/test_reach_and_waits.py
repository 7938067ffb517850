"""Reach (R1 to R4), waits (W1, W4, W5), episodes ended (E1 to E5), triage (T1)
and peer support (P1), each worked out by hand from domain.md section 8 over a
small dataset.

The period is April to June 2026 (domain.quarter(2026, 2)): 1 April to 30 June,
all in British Summer Time, so a contact at 00:30 local time on 1 July is 23:30
UTC on 30 June and falls outside the period. The period's last day is 30 June.
"""

from datetime import date, timedelta
from fractions import Fraction

import pytest

from onestory.accounts.models import Hub
from onestory.families import services as family_services
from onestory.families.models import PersonRole
from onestory.insights.queries import activity, peer_support, report
from onestory.insights.queries import waits as waiting_times
from onestory.programmes.models import Attendance, Course, CourseSession, Place
from onestory.support.models import (
    Episode,
    Involvement,
    LevelChange,
    RequestStatusChange,
    SupportRequest,
    TriageDecision,
    TriageMeeting,
)
from tests import factories
from tests.insights import builders
from tests.insights.builders import (
    at,
    backdate,
    elsewhere_episode,
    figure,
    parts,
    ratio,
    scope,
)

# --- building the dataset ---------------------------------------------------------


def worker(city, team):
    personas = city.personas
    if team == city.team_b:
        return personas["other_hub_practitioner"]
    return personas["lead_practitioner"]


def new_family(city, *, team=None, opened=date(2026, 1, 5), level="universal"):
    """A family (parent and baby) whose only episode opened on `opened`."""
    team = team or city.team_a
    family = factories.family(by=worker(city, team), team=team)
    episode = family.episodes.get()
    backdate(episode, opened, level)
    return family, episode


def contact(episode, when, *, by=None, attendance="attended", purpose="review"):
    """A home visit by `by`, or by the first of the episode's people."""
    by = by or Involvement.objects.filter(episode=episode).first().practitioner
    return builders.contact(episode, when, by, attendance, purpose)


def close(episode, when, reason="needs_met"):
    """Closed at `when`: the episode as it is now."""
    builders.close(episode, when, reason)
    episode.refresh_from_db()
    return episode


def request(family, received_on: date, *, source="health_visitor"):
    by = family.created_by
    return SupportRequest.objects.create(
        family=family,
        kind="referral",
        source=source,
        requested_level="targeted",
        reason="Low mood after the birth.",
        urgency="routine",
        received_on=received_on,
        to_organisation=by.organisation,
        made_by=by,
        made_by_organisation=by.organisation,
    )


def request_status(support_request, status, when):
    RequestStatusChange.objects.create(
        request=support_request,
        status=status,
        changed_at=when,
        changed_by=support_request.made_by,
    )


# --- R1 and R2: families and people reached ---------------------------------------


def test_r1_counts_families_with_an_attended_or_late_contact_once(city, elsewhere):
    # a: attended in April and late in May: two contacts, one family.
    _, episode_a = new_family(city)
    contact(episode_a, at(date(2026, 4, 10)))
    contact(episode_a, at(date(2026, 5, 3)), attendance="late")
    # b: one late contact at 00:30 on 1 April (23:30 UTC on 31 March): in.
    _, episode_b = new_family(city)
    contact(episode_b, at(date(2026, 4, 1), 0, 30), attendance="late")
    # c: did not attend, or cancelled: not reached.
    _, episode_c = new_family(city)
    contact(episode_c, at(date(2026, 4, 15)), attendance="did_not_attend")
    contact(episode_c, at(date(2026, 5, 15)), attendance="cancelled_by_family")
    # d: seen only outside the period: 23:30 on 31 March and 00:30 on 1 July.
    _, episode_d = new_family(city)
    contact(episode_d, at(date(2026, 3, 31), 23, 30))
    contact(episode_d, at(date(2026, 7, 1), 0, 30))
    # e: seen in two episodes in the period (one closed, a new one opened).
    family_e, episode_e = new_family(city)
    contact(episode_e, at(date(2026, 4, 2)))
    close(episode_e, at(date(2026, 4, 20)))
    second = Episode.objects.create(
        family=family_e,
        team=city.team_a,
        opened_by=episode_e.opened_by,
        opened_at=at(date(2026, 5, 1)),
    )
    contact(second, at(date(2026, 5, 6)), by=episode_e.opened_by)
    # Another local authority's family, seen in the period: never counted.
    contact(elsewhere_episode(elsewhere), at(date(2026, 5, 6)))

    figures = activity.reach(scope(city))

    # Reached: a, b and e. Not c (no attended contact), not d (outside).
    assert figure(figures, "R1").value == 3


def test_r2_counts_everyone_in_the_families_reached_by_their_part(city, lead):
    # Each family from the factory is one parent or carer and one baby.
    family_a, episode_a = new_family(city)
    for role, name in ((PersonRole.PARENT_CARER, "Jo"), (PersonRole.CHILD, "Kit")):
        family_services.add_member(
            family=family_a,
            details=family_services.PersonDetails(
                role=role,
                given_name=name,
                family_name="Testerson",
                date_of_birth=date(2020, 1, 1),
            ),
            by=lead,
        )
    contact(episode_a, at(date(2026, 4, 10)))
    _, episode_b = new_family(city)
    contact(episode_b, at(date(2026, 6, 10)), attendance="late")
    _, episode_c = new_family(city)  # not reached: did not attend
    contact(episode_c, at(date(2026, 6, 10)), attendance="did_not_attend")

    r2 = figure(activity.reach(scope(city)), "R2")

    # a: 2 parents or carers, a baby and a child; b: a parent and a baby.
    assert parts(r2) == {"parent_carer": 2 + 1, "baby": 1 + 1, "child": 1}
    assert r2.value == 4 + 2


# --- R3: new requests for support -------------------------------------------------


def test_r3_counts_requests_received_in_the_period_by_source(city, elsewhere):
    family_a, _ = new_family(city)
    family_b, _ = new_family(city)
    request(family_a, date(2026, 4, 1), source="health_visitor")  # first day
    request(family_b, date(2026, 6, 30), source="health_visitor")  # last day
    request(family_b, date(2026, 5, 5), source="self")
    request(family_a, date(2026, 3, 31), source="midwife")  # before
    request(family_a, date(2026, 7, 1), source="gp")  # after
    request(elsewhere.family, date(2026, 5, 5), source="midwife")  # elsewhere

    r3 = figure(activity.reach(scope(city)), "R3")

    assert r3.value == 3
    assert parts(r3) == {"health_visitor": 2, "self": 1}


# --- R4: open caseload at the end of the period ---------------------------------


def test_r4_counts_episodes_open_at_the_end_with_an_attended_contact(city, elsewhere):
    # a: open, seen in May: counted.
    _, episode_a = new_family(city)
    contact(episode_a, at(date(2026, 5, 10)))
    # b: open, seen only in January (before the period): still counted, since
    # the rule is an attended contact at any time since opening.
    _, episode_b = new_family(city)
    contact(episode_b, at(date(2026, 1, 20)))
    # c: open, but the only contact was missed: not counted.
    _, episode_c = new_family(city)
    contact(episode_c, at(date(2026, 5, 10)), attendance="did_not_attend")
    # d: seen, but closed on 20 June, before the end: not counted.
    _, episode_d = new_family(city)
    contact(episode_d, at(date(2026, 5, 10)))
    close(episode_d, at(date(2026, 6, 20)))
    # e: seen, closed in July: it was open at the end of June, so counted.
    _, episode_e = new_family(city)
    contact(episode_e, at(date(2026, 5, 10)))
    close(episode_e, at(date(2026, 7, 15)))
    # f: opened in July, after the period (its first contact too): not counted.
    _, episode_f = new_family(city, opened=date(2026, 7, 2))
    contact(episode_f, at(date(2026, 7, 3)))
    # The canary family's episode opened today (after the period); another
    # local authority's open, seen episode is never counted.
    contact(elsewhere_episode(elsewhere), at(date(2026, 5, 10)))

    r4 = figure(activity.reach(scope(city)), "R4")

    assert r4.value == 3  # a, b and e


# --- filters ----------------------------------------------------------------------


def test_team_hub_and_level_filters_narrow_the_figures(city):
    """Four families seen in the period:
    1 team A, targeted throughout;
    2 team B, universal;
    3 team A, universal then specialist from May: specialist at the end;
    4 team B, universal, made targeted in July: universal at the end."""
    north = Hub.objects.create(name="North hub", organisation=city.council)
    south = Hub.objects.create(name="South hub", organisation=city.council)
    city.team_a.hub = north
    city.team_a.save()
    city.team_b.hub = south
    city.team_b.save()
    _, one = new_family(city, team=city.team_a, level="targeted")
    _, two = new_family(city, team=city.team_b)
    _, three = new_family(city, team=city.team_a)
    _, four = new_family(city, team=city.team_b)
    for episode, to_level, on in (
        (three, "specialist", date(2026, 5, 2)),
        (four, "targeted", date(2026, 7, 2)),
    ):
        LevelChange.objects.create(
            episode=episode,
            from_level="universal",
            to_level=to_level,
            changed_at=at(on),
            changed_by=episode.opened_by,
            lead_kept=True,
        )
    for episode in (one, two, three, four):
        contact(episode, at(date(2026, 4, 20)))
    # Team B's family 2 ends in the period after two intervention sessions.
    contact(two, at(date(2026, 4, 27)), purpose="intervention")
    contact(two, at(date(2026, 5, 4)), purpose="intervention")
    close(two, at(date(2026, 5, 10)))

    def r1(**filters):
        return figure(activity.reach(scope(city, **filters)), "R1").value

    assert r1() == 4
    assert parts(figure(activity.reach(scope(city)), "R1")) == {
        "targeted": 1,
        "universal": 2,
        "specialist": 1,
    }
    assert r1(team_id=city.team_a.pk) == 2  # 1 and 3
    assert r1(team_id=city.team_b.pk) == 2  # 2 and 4
    assert r1(hub_id=north.pk) == 2  # team A
    assert r1(hub_id=south.pk) == 2  # team B
    assert r1(level="universal") == 2  # 2 and 4 (4 changed only after the end)
    assert r1(level="specialist") == 1  # 3
    assert r1(level="targeted") == 1  # 1

    # Open at the end: 1, 3 and 4 (2 closed). Team A: 1 and 3.
    assert figure(activity.reach(scope(city)), "R4").value == 3
    assert figure(activity.reach(scope(city, team_id=city.team_a.pk)), "R4").value == 2
    assert figure(activity.reach(scope(city, level="universal")), "R4").value == 1

    # E1: only family 2 ended, with 2 sessions: 1 of 1 in team B, none in A.
    e1_b = figure(activity.completion(scope(city, team_id=city.team_b.pk)), "E1")
    assert (e1_b.numerator, e1_b.denominator) == (1, 1)
    e1_a = figure(activity.completion(scope(city, team_id=city.team_a.pk)), "E1")
    assert (e1_a.numerator, e1_a.denominator, e1_a.value) == (0, 0, None)
    # Family 2 was universal when it closed; none targeted ended.
    e1_universal = figure(activity.completion(scope(city, level="universal")), "E1")
    assert (e1_universal.numerator, e1_universal.denominator) == (1, 1)
    e1_targeted = figure(activity.completion(scope(city, level="targeted")), "E1")
    assert (e1_targeted.numerator, e1_targeted.denominator) == (0, 0)

    # Every section of the report runs under every filter.
    for filters in (
        {},
        {"team_id": city.team_a.pk},
        {"hub_id": north.pk},
        {"organisation_id": city.council.pk},
        {"level": "specialist"},
    ):
        sections = report.report(scope(city, **filters))
        reach = next(s for s in sections if s.key == "reach")
        assert figure(reach.figures, "R1").value == r1(**filters)


# --- W1: days from request to first contact ---------------------------------------


def test_w1_median_and_90th_percentile_by_nearest_rank(city, elsewhere):
    waits = []

    def seen(received, first_seen, *, hour=10, minute=0, extra=()):
        family, episode = new_family(city)
        request(family, received)
        for when, attendance in extra:
            contact(episode, when, attendance=attendance)
        contact(episode, at(first_seen, hour, minute))
        contact(episode, at(first_seen + timedelta(days=5)))  # a later one
        return family

    # 3 days; the missed visit on 2 April is not a first contact.
    seen(
        date(2026, 4, 1),
        date(2026, 4, 4),
        extra=[(at(date(2026, 4, 2)), "did_not_attend")],
    )
    waits.append(3)
    seen(date(2026, 4, 10), date(2026, 4, 20))
    waits.append(10)
    # 14 days; the family was also seen on 25 April, before this request.
    seen(
        date(2026, 5, 1),
        date(2026, 5, 15),
        extra=[(at(date(2026, 4, 25)), "attended")],
    )
    waits.append(14)
    # Received in March, first seen in April: the contact is in the period.
    seen(date(2026, 3, 20), date(2026, 4, 19))
    waits.append(30)
    # First seen at 00:30 on 1 June, local time (23:30 UTC on 31 May): 60 days.
    seen(date(2026, 4, 2), date(2026, 6, 1), hour=0, minute=30)
    waits.append(60)
    # Not counted: first contact before the period, or after it.
    seen(date(2026, 2, 1), date(2026, 3, 10))
    seen(date(2026, 6, 20), date(2026, 7, 3))
    # Not counted: another local authority.
    request(elsewhere.family, date(2026, 4, 1))
    contact(elsewhere_episode(elsewhere), at(date(2026, 4, 2)))

    figures = waiting_times.waits(scope(city))

    # Sorted waits 3, 10, 14, 30, 60 (n = 5). Nearest rank: the p-th percentile
    # is the value at rank ceil(p/100 x n): median rank ceil(2.5) = 3, 90th
    # percentile rank ceil(4.5) = 5.
    assert sorted(waits) == [3, 10, 14, 30, 60]
    median = figure(figures, "W1 median")
    p90 = figure(figures, "W1 90th percentile")
    assert (median.value, median.denominator) == (14, 5)
    assert (p90.value, p90.denominator) == (60, 5)


def test_w1_with_no_first_contacts_has_no_value(city):
    family, _ = new_family(city)
    request(family, date(2026, 5, 1))  # never seen

    median = figure(waiting_times.waits(scope(city)), "W1 median")

    assert (median.value, median.denominator) == (None, 0)


# --- W4: waiting for a first contact at the end -----------------------------------


def test_w4_bands_requests_still_waiting_at_the_end(city, elsewhere):
    """Days waited are counted to the period's last day, 30 June."""

    def waiting(received, **kwargs):
        family, episode = new_family(city, **kwargs)
        return request(family, received), episode

    waiting(date(2026, 6, 30))  # 0 days: 0 to 28
    waiting(date(2026, 6, 2))  # 28 days: 0 to 28
    waiting(date(2026, 6, 1))  # 29 days: 29 to 56
    waiting(date(2026, 5, 5))  # 25 + 31 = 56 days: 29 to 56
    waiting(date(2026, 5, 4))  # 57 days: 57 to 90
    waiting(date(2026, 4, 1))  # 29 + 31 + 30 = 90 days: 57 to 90
    # 91 days: over 90. A missed visit, and a visit before the request, are
    # not a first contact.
    _, episode = waiting(date(2026, 3, 31))
    contact(episode, at(date(2026, 3, 30)))
    contact(episode, at(date(2026, 4, 20)), attendance="did_not_attend")
    # Withdrawn (February) or declined (May) before the end: not waiting.
    withdrawn, _ = waiting(date(2026, 1, 10))
    request_status(withdrawn, "withdrawn", at(date(2026, 2, 1)))
    declined, _ = waiting(date(2026, 4, 15))
    request_status(declined, "declined", at(date(2026, 5, 20)))
    # Withdrawn only in July: still waiting at the end. 15 + 31 + 30 = 76 days.
    later, _ = waiting(date(2026, 4, 15))
    request_status(later, "withdrawn", at(date(2026, 7, 10)))
    # Seen in April: not waiting. Seen only in July: waiting at the end (76 days).
    _, seen_april = waiting(date(2026, 4, 15))
    contact(seen_april, at(date(2026, 4, 20)))
    _, seen_july = waiting(date(2026, 4, 15))
    contact(seen_july, at(date(2026, 7, 5)))
    # Received after the period, or in another local authority: not counted.
    waiting(date(2026, 7, 2))
    request(elsewhere.family, date(2026, 4, 15))

    w4 = figure(waiting_times.waits(scope(city)), "W4")

    assert parts(w4) == {
        "0 to 28 days": 2,  # 0 and 28 days
        "29 to 56 days": 2,  # 29 and 56
        "57 to 90 days": 4,  # 57, 90, and the two at 76
        "Over 90 days": 1,  # 91
    }
    assert w4.value == 9


# --- W5: open episodes with no recent contact -------------------------------------


def test_w5_bands_open_episodes_by_their_last_attended_contact(city, elsewhere):
    """Days are counted from the last attended contact to 30 June."""

    def last_seen(when, **kwargs):
        _, episode = new_family(city)
        contact(episode, at(date(2026, 1, 2)))
        contact(episode, when, **kwargs)
        return episode

    # 00:30 on 1 May local time (23:30 UTC on 30 April): 60 days, not counted.
    last_seen(at(date(2026, 5, 1), 0, 30))
    last_seen(at(date(2026, 4, 30)))  # 61 days: 61 to 90
    last_seen(at(date(2026, 4, 1)))  # 90 days: 61 to 90
    last_seen(at(date(2026, 3, 31)))  # 91 days: 91 to 120
    last_seen(at(date(2026, 3, 2)))  # 29 + 30 + 31 + 30 = 120 days: 91 to 120
    # 121 days; the missed June visit and the July visit do not count.
    episode = last_seen(at(date(2026, 3, 1)))
    contact(episode, at(date(2026, 6, 1)), attendance="did_not_attend")
    contact(episode, at(date(2026, 7, 10)))
    # Closed before the end (last seen in January): not open, not counted.
    closed = last_seen(at(date(2026, 1, 10)))
    close(closed, at(date(2026, 6, 15)))
    # Open but never seen: no last contact, so in no band.
    new_family(city)
    # Another local authority's open episode, last seen in January.
    contact(elsewhere_episode(elsewhere), at(date(2026, 1, 10)))

    w5 = figure(waiting_times.waits(scope(city)), "W5")

    assert parts(w5) == {"61 to 90 days": 2, "91 to 120 days": 2, "Over 120 days": 1}
    assert w5.value == 5
    # Counts, not PostgreSQL's numeric sums: suppression looks for whole numbers.
    assert {type(part.value) for _, part in w5.breakdown} == {int}


# --- E1 to E5: episodes ended and missed contacts ---------------------------------


@pytest.fixture
def ended(city, elsewhere):
    """Episodes x0 to x3 end in the period; x4 to x6 do not."""

    def sessions(episode, days, **kwargs):
        for day in days:
            contact(episode, at(day), purpose="intervention", **kwargs)

    # x0: a review and a missed intervention session: 0 sessions.
    _, x0 = new_family(city)
    contact(x0, at(date(2026, 4, 5)), purpose="review")
    contact(
        x0, at(date(2026, 4, 12)), purpose="intervention", attendance="did_not_attend"
    )
    close(x0, at(date(2026, 4, 30)), "declined")
    # x1: one session; a review and a cancelled session do not count.
    _, x1 = new_family(city)
    sessions(x1, [date(2026, 4, 5)])
    contact(x1, at(date(2026, 4, 12)), purpose="review")
    contact(
        x1,
        at(date(2026, 4, 19)),
        purpose="intervention",
        attendance="cancelled_by_family",
    )
    close(x1, at(date(2026, 5, 10)), "moved_away")
    # x2: one session in March and one (late) in April: 2. Closed at 23:00 on
    # the last day.
    _, x2 = new_family(city)
    sessions(x2, [date(2026, 3, 10)])
    sessions(x2, [date(2026, 4, 7)], attendance="late")
    close(x2, at(date(2026, 6, 30), 23), "needs_met")
    # x3: three sessions.
    _, x3 = new_family(city)
    sessions(x3, [date(2026, 4, 2), date(2026, 4, 9), date(2026, 4, 16)])
    close(x3, at(date(2026, 5, 20)), "needs_met")
    # x4: two sessions, closed at 00:30 on 1 July (23:30 UTC on 30 June).
    _, x4 = new_family(city)
    sessions(x4, [date(2026, 4, 8), date(2026, 4, 15)])
    close(x4, at(date(2026, 7, 1), 0, 30), "needs_met")
    # x5: two sessions, closed in March.
    _, x5 = new_family(city)
    sessions(x5, [date(2026, 2, 8), date(2026, 2, 15)])
    close(x5, at(date(2026, 3, 31)), "needs_met")
    # x6: still open: one missed and one attended contact in May.
    _, x6 = new_family(city)
    contact(x6, at(date(2026, 5, 6)), attendance="did_not_attend")
    contact(x6, at(date(2026, 5, 13)))
    # Another local authority: two sessions and a missed one, closed in May.
    other = elsewhere_episode(elsewhere)
    sessions(other, [date(2026, 4, 8), date(2026, 4, 15)])
    contact(other, at(date(2026, 4, 22)), attendance="did_not_attend")
    close(other, at(date(2026, 5, 1)), "needs_met")
    return city


def test_e1_to_e3_by_the_number_of_attended_intervention_sessions(ended):
    figures = activity.completion(scope(ended))

    # Ended in the period: x0 (0 sessions), x1 (1), x2 (2), x3 (3).
    e1, e2, e3 = (figure(figures, code) for code in ("E1", "E2", "E3"))
    assert (e1.numerator, e1.denominator, e1.value) == (2, 4, Fraction(1, 2))
    assert (e2.numerator, e2.denominator, e2.value) == (1, 4, Fraction(1, 4))
    assert (e3.numerator, e3.denominator, e3.value) == (1, 4, Fraction(1, 4))


def test_completed_episodes_are_those_with_two_or_more_sessions(ended):
    completed = activity.completed(scope(ended))

    assert sorted(e.sessions for e in completed) == [2, 3]


def test_e4_why_episodes_ended(ended):
    e4 = figure(activity.completion(scope(ended)), "E4")

    assert e4.value == 4
    assert parts(e4) == {
        "Declined further support": 1,  # x0
        "Moved away": 1,  # x1
        "Needs met": 2,  # x2 and x3
    }


def test_e5_missed_contacts_out_of_all_contacts_booked_in_the_period(ended):
    e5 = figure(activity.completion(scope(ended)), "E5")

    # Contacts in April to June, whatever happened: x0 2 (1 missed), x1 3
    # (1 cancelled), x2 1 (March is outside), x3 3, x4 2, x5 0, x6 2 (1 missed).
    # Another local authority's missed contact is not counted.
    booked = 2 + 3 + 1 + 3 + 2 + 0 + 2
    assert (e5.numerator, e5.denominator) == (2, booked)
    assert e5.value == Fraction(2, 13)


# --- T1: triage -------------------------------------------------------------------


def test_t1_families_discussed_and_days_to_decision(city, team_manager, elsewhere):
    meeting = TriageMeeting.objects.create(
        organisation=city.council,
        starts_at=at(date(2026, 5, 12)),
        location="Hub A",
        chair=team_manager,
        scheduled_by=team_manager,
    )

    def decided(family, outcome, when, received):
        decision = TriageDecision.objects.create(
            meeting=meeting,
            family=family,
            outcome=outcome,
            summary="Discussed.",
            decided_by=team_manager,
            decided_at=when,
        )
        made = request(family, received)
        SupportRequest.objects.filter(pk=made.pk).update(decision=decision)

    families = [new_family(city)[0] for _ in range(3)]
    decided(families[0], "support", at(date(2026, 5, 12)), date(2026, 5, 2))  # 10
    decided(families[1], "signpost", at(date(2026, 5, 12)), date(2026, 4, 12))  # 30
    decided(families[2], "support", at(date(2026, 5, 12)), date(2026, 5, 7))  # 5
    earlier = TriageMeeting.objects.create(
        organisation=city.council,
        starts_at=at(date(2026, 3, 3)),
        location="Hub A",
        chair=team_manager,
        scheduled_by=team_manager,
    )
    TriageDecision.objects.create(  # decided before the period
        meeting=earlier,
        family=families[0],
        outcome="no_further_action",
        summary="Discussed.",
        decided_by=team_manager,
        decided_at=at(date(2026, 3, 3)),
    )

    figures = activity.triage(scope(city))

    t1 = figure(figures, "T1")
    assert t1.value == 3
    assert parts(t1) == {"signpost": 1, "support": 2}
    days = figure(figures, "T1 days")
    # 5, 10, 30: the median (rank 2 of 3) is 10.
    assert (days.value, days.denominator) == (10, 3)


# --- P1: peer support -------------------------------------------------------------


def test_p1_peer_support_sessions_attendances_and_families(city, lead, elsewhere):
    hub = Hub.objects.create(name="North hub", organisation=city.council)
    drop_in = factories.programme("Test peer group", delivery="drop_in")
    group = factories.programme("Test group course", delivery="group")

    def course(programme, at_hub, by=lead):
        return Course.objects.create(
            programme=programme, hub=at_hub, title="Tuesdays", created_by=by
        )

    def session(of, number, when, **fields):
        return CourseSession.objects.create(
            course=of, number=number, starts_at=when, venue="Hub", **fields
        )

    peer = course(drop_in, hub)
    first = session(peer, 1, at(date(2026, 4, 7)))
    session(peer, 2, at(date(2026, 4, 14)), head_count=7)  # counted anonymously
    session(peer, 3, at(date(2026, 4, 21)), cancelled=True)
    march = session(peer, 4, at(date(2026, 3, 31)))
    family_x, episode_x = new_family(city)
    family_y, episode_y = new_family(city)
    family_z, episode_z = new_family(city)
    for episode in (episode_x, episode_y, episode_z):
        contact(episode, at(date(2026, 5, 5)))

    def mark(at_session, person, how):
        place, _ = Place.objects.get_or_create(
            course=at_session.course,
            person=person,
            defaults={"status": "booked", "added_by": lead},
        )
        Attendance.objects.create(
            session=at_session, place=place, mark=how, recorded_by=lead
        )

    mark(first, family_x.members.get(role="parent_carer"), "attended")
    mark(first, family_x.members.get(role="baby"), "late")
    mark(first, family_y.members.get(role="parent_carer"), "absent")
    mark(march, family_y.members.get(role="parent_carer"), "attended")
    # Not in z's episode: a drop-in before it opened (5 January) and one after
    # the period.
    mark(session(peer, 5, at(date(2025, 12, 2))), family_z.members.first(), "attended")
    mark(session(peer, 6, at(date(2026, 7, 7))), family_z.members.first(), "attended")
    # Not peer support: a group course's session in the period.
    mark(
        session(course(group, hub), 1, at(date(2026, 4, 8))),
        family_y.members.get(role="parent_carer"),
        "attended",
    )
    # Another local authority's drop-in in the period.
    moor = Hub.objects.create(name="Moor hub", organisation=elsewhere.council)
    other = course(drop_in, moor, by=elsewhere.practitioner)
    session(other, 1, at(date(2026, 4, 7)), head_count=12)

    figures = peer_support.peer_support(scope(city))

    # Sessions 1 and 2 (3 was cancelled, 4 was in March).
    assert figure(figures, "P1 sessions").value == 2
    # Named: family x's parent (attended) and baby (late); y was absent. Plus
    # 7 counted anonymously at session 2.
    assert figure(figures, "P1 attendances").value == 2 + 7
    assert figure(figures, "P1 families").value == 1  # x
    # Episodes seen in the period: x (peer support in April) and y (in March,
    # after the episode opened in January) include peer support; z does not.
    assert ratio(figure(figures, "P1 share"))[:2] == (2, 3)


def test_r1_share_of_the_areas_start_for_life_population(city):
    from onestory.accounts.models import LocalAuthority

    for _ in range(3):
        _, episode = new_family(city)
        contact(episode, at(date(2026, 5, 5)))
    found = figure(activity.reach(scope(city)), "R1 share")
    assert found.value is None
    assert "No Start for Life population" in found.note
    LocalAuthority.objects.filter(pk=city.council.local_authority_id).update(
        eligible_families=60
    )
    # 3 families reached out of 60: 5%.
    assert ratio(figure(activity.reach(scope(city)), "R1 share")) == (
        3,
        60,
        Fraction(1, 20),
    )
    # A part of the service is not compared with the whole area's population.
    narrowed = figure(activity.reach(scope(city, team_id=city.team_a.pk)), "R1 share")
    assert narrowed.value is None
