"""Waits to the first intervention session (W2), hidden waits (W3), days without
a lead (C7), lost at handoff (C8) and the story told once (C9), each worked out
by hand from domain.md sections 8.2 and 8.5 over a small dataset.

The period is April to June 2026 (domain.quarter(2026, 2)): 1 April to 30 June,
91 days (30 + 31 + 30), all in British Summer Time, so 00:30 local time on
1 July is 23:30 UTC on 30 June and falls outside the period. Unless a test says
otherwise every episode opened on 5 January 2026 at 09:00 with its first lead
from then.
"""

from datetime import date, datetime, timedelta
from fractions import Fraction

from django.utils import timezone

from onestory.insights.domain import Period
from onestory.insights.queries import Scope, continuity
from onestory.insights.queries import waits as waiting_times
from onestory.support.models import (
    Involvement,
    SupportRequest,
)
from tests import factories
from tests.insights import builders
from tests.insights.builders import (
    at,
    close,
    elsewhere_episode,
    figure,
    new_episode,
    ratio,
    scope,
)

# --- building the dataset ---------------------------------------------------------


def lead_of(episode):
    return Involvement.objects.filter(episode=episode, role="lead").first().practitioner


def contact(episode, when, *, by=None, attendance="attended", purpose="review"):
    """A home visit by `by`, or by the episode's lead."""
    return builders.contact(episode, when, by or lead_of(episode), attendance, purpose)


def sessions(episode, *whens, **kwargs):
    """Intervention sessions, attended unless said otherwise."""
    for when in whens:
        contact(episode, when, purpose="intervention", **kwargs)


def request(episode, received_on: date, *, to=None):
    family = episode.family
    by = family.created_by
    return SupportRequest.objects.create(
        family=family,
        kind="referral",
        source="health_visitor",
        requested_level="targeted",
        reason="Low mood after the birth.",
        urgency="routine",
        received_on=received_on,
        to_organisation=to or by.organisation,
        made_by=by,
        made_by_organisation=by.organisation,
    )


def end_lead(episode, when: datetime) -> None:
    ended = Involvement.objects.filter(
        episode=episode, role="lead", ended_at=None
    ).update(ended_at=when)
    assert ended == 1


def new_lead(episode, practitioner, when: datetime, ended: datetime | None = None):
    return Involvement.objects.create(
        episode=episode,
        practitioner=practitioner,
        role="lead",
        started_at=when,
        ended_at=ended,
        added_by=practitioner,
    )


def transfer(episode, to, when: datetime):
    """The lead changes hands at `when`: the old span ends as the new starts."""
    end_lead(episode, when)
    return new_lead(episode, to, when)


def days(n: int) -> timedelta:
    return timedelta(days=n)


# --- W2: request to first intervention session ------------------------------------


def test_w2_waits_of_42_and_126_days_are_within_and_one_more_is_not(city):
    """Four completed episodes (closed in the period after 2 attended sessions),
    each with its first session in the period."""

    def waited(received: date, first: date):
        episode = new_episode(city)
        request(episode, received)
        sessions(episode, at(first), at(first + days(7)))
        close(episode, at(date(2026, 6, 20)))
        return first - received

    # 1 March to 12 April: 30 days to 31 March, then 12.
    assert waited(date(2026, 3, 1), date(2026, 4, 12)) == days(30 + 12)  # 42
    assert waited(date(2026, 3, 1), date(2026, 4, 13)) == days(43)
    # 4 January to 10 May: 27 + 28 + 31 + 30 + 10 = 126.
    assert waited(date(2026, 1, 4), date(2026, 5, 10)) == days(27 + 28 + 31 + 30 + 10)
    assert waited(date(2026, 1, 3), date(2026, 5, 10)) == days(127)

    figures = waiting_times.waits(scope(city))

    # 6 weeks: only the 42-day wait; 18 weeks: 42, 43 and 126, not 127.
    assert ratio(figure(figures, "W2 6 weeks")) == (1, 4, Fraction(1, 4))
    assert ratio(figure(figures, "W2 18 weeks")) == (3, 4, Fraction(3, 4))
    # The same four are all the first sessions in the period.
    assert ratio(figure(figures, "W2 6 weeks all")) == (1, 4, Fraction(1, 4))
    assert ratio(figure(figures, "W2 18 weeks all")) == (3, 4, Fraction(3, 4))


def test_w2_uses_the_latest_request_on_or_before_the_first_session(city):
    # a: requests on 2 January, 20 March and 20 May; the first session was on
    # 20 April. The latest on or before it is 20 March: 11 + 20 = 31 days (within
    # 6 weeks). The earliest would give 108 days (not within 6 weeks); the May
    # one, after the session, would give a negative wait.
    a = new_episode(city)
    for received in (date(2026, 1, 2), date(2026, 3, 20), date(2026, 5, 20)):
        request(a, received)
    # A missed session on 10 April and an attended review on 12 April are not
    # the first session.
    contact(
        a, at(date(2026, 4, 10)), purpose="intervention", attendance="did_not_attend"
    )
    contact(a, at(date(2026, 4, 12)), purpose="review")
    sessions(a, at(date(2026, 4, 20)), at(date(2026, 4, 27)))
    close(a, at(date(2026, 5, 30)))
    assert date(2026, 4, 20) - date(2026, 3, 20) == days(31)
    assert date(2026, 4, 20) - date(2026, 1, 2) == days(108)
    # b: the only requests were on 1 February (the first session 78 days later,
    # 27 + 31 + 20) and on 21 April, the day after the first session (ignored).
    b = new_episode(city)
    request(b, date(2026, 2, 1))
    request(b, date(2026, 4, 21))
    sessions(b, at(date(2026, 4, 20)), at(date(2026, 5, 4)))
    close(b, at(date(2026, 5, 30)))
    assert date(2026, 4, 20) - date(2026, 2, 1) == days(78)
    # c: a request on the day of the first session (late, but seen): 0 days.
    c = new_episode(city)
    request(c, date(2026, 5, 6))
    sessions(c, at(date(2026, 5, 6), 15), attendance="late")
    sessions(c, at(date(2026, 5, 13)))
    close(c, at(date(2026, 6, 1)))

    figures = waiting_times.waits(scope(city))

    # Waits 31, 78 and 0: within 6 weeks a and c; within 18 weeks all three.
    assert ratio(figure(figures, "W2 6 weeks")) == (2, 3, Fraction(2, 3))
    assert ratio(figure(figures, "W2 18 weeks")) == (3, 3, 1)


def test_w2_leaves_out_episodes_with_no_request_before_the_first_session(city):
    # a: completed, request 10 days before its first session.
    a = new_episode(city)
    request(a, date(2026, 4, 1))
    sessions(a, at(date(2026, 4, 11)), at(date(2026, 4, 18)))
    close(a, at(date(2026, 5, 1)))
    # b: completed with no request at all: not in either denominator.
    b = new_episode(city)
    sessions(b, at(date(2026, 4, 11)), at(date(2026, 4, 18)))
    close(b, at(date(2026, 5, 1)))
    # c: its only request came after its first session: left out too.
    c = new_episode(city)
    request(c, date(2026, 4, 20))
    sessions(c, at(date(2026, 4, 11)), at(date(2026, 4, 18)))
    close(c, at(date(2026, 5, 1)))

    figures = waiting_times.waits(scope(city))

    assert ratio(figure(figures, "W2 6 weeks")) == (1, 1, 1)
    assert ratio(figure(figures, "W2 6 weeks all")) == (1, 1, 1)


def test_w2_completed_episodes_and_all_first_sessions_in_the_period(city, elsewhere):
    """Completed: ended in the period with 2 or more attended sessions (first
    session at any time). All: first attended session in the period (ended or
    not)."""
    # a: completed, first session in the period, 20 days: both.
    a = new_episode(city)
    request(a, date(2026, 4, 1))
    sessions(a, at(date(2026, 4, 21)), at(date(2026, 4, 28)))
    close(a, at(date(2026, 5, 15)))
    # b: completed, but its first session was in March (28 days after the
    # request, 1 February to 1 March): completed only.
    b = new_episode(city)
    request(b, date(2026, 2, 1))
    sessions(b, at(date(2026, 3, 1)), at(date(2026, 4, 5)))
    close(b, at(date(2026, 4, 30)))
    # c: ended in the period after one session (not completed), 4 days: all only.
    c = new_episode(city)
    request(c, date(2026, 5, 1))
    sessions(c, at(date(2026, 5, 5)))
    close(c, at(date(2026, 5, 20)))
    # d: still open, first session at 23:00 on 30 June, 29 days: all only.
    d = new_episode(city)
    request(d, date(2026, 6, 1))
    sessions(d, at(date(2026, 6, 30), 23))
    # e: still open, a missed session on 5 April, then first seen in a session
    # on 1 June: 31 + 30 = 61 days (within 18 weeks, not 6): all only.
    e = new_episode(city)
    request(e, date(2026, 4, 1))
    sessions(e, at(date(2026, 4, 5)), attendance="did_not_attend")
    sessions(e, at(date(2026, 6, 1)), at(date(2026, 6, 8)))
    assert date(2026, 6, 1) - date(2026, 4, 1) == days(61)
    # f: first session at 00:30 on 1 July (23:30 UTC on 30 June): neither.
    f = new_episode(city)
    request(f, date(2026, 6, 1))
    sessions(f, at(date(2026, 7, 1), 0, 30))
    # g: completed with two sessions, but closed in July: neither (first session
    # in March, 59 days after the request).
    g = new_episode(city)
    request(g, date(2026, 1, 1))
    sessions(g, at(date(2026, 3, 1)), at(date(2026, 3, 8)))
    close(g, at(date(2026, 7, 2)))
    # Another local authority's completed episode, 10 days: neither.
    other = elsewhere_episode(elsewhere)
    request(other, date(2026, 4, 1))
    sessions(other, at(date(2026, 4, 11)), at(date(2026, 4, 18)))
    close(other, at(date(2026, 5, 1)))

    figures = waiting_times.waits(scope(city))

    # Completed: a (20 days) and b (28): both within 6 and 18 weeks.
    assert ratio(figure(figures, "W2 6 weeks")) == (2, 2, 1)
    assert ratio(figure(figures, "W2 18 weeks")) == (2, 2, 1)
    # All first sessions in the period: a (20), c (4), d (29), e (61).
    assert ratio(figure(figures, "W2 6 weeks all")) == (3, 4, Fraction(3, 4))
    assert ratio(figure(figures, "W2 18 weeks all")) == (4, 4, 1)


def test_w2_counts_the_familys_latest_request_whoever_it_was_made_to(city):
    """The wait belongs to the episode: narrowed to the organisation whose team
    held it, the family's latest request still starts the wait, even if it was
    made to another organisation."""
    episode = new_episode(city)  # team A, the council's
    request(episode, date(2026, 1, 2))  # to the council
    request(episode, date(2026, 4, 1), to=city.partner)  # the latest
    sessions(episode, at(date(2026, 4, 11)), at(date(2026, 4, 18)))
    close(episode, at(date(2026, 5, 1)))
    # From 1 April: 10 days, within 6 weeks. (From 2 January it would be 99.)
    assert date(2026, 4, 11) - date(2026, 1, 2) == days(99)

    for filters in ({}, {"organisation_id": city.council.pk}):
        figures = waiting_times.waits(scope(city, **filters))
        assert ratio(figure(figures, "W2 6 weeks")) == (1, 1, 1)
        assert ratio(figure(figures, "W2 6 weeks all")) == (1, 1, 1)
    # The partner's teams held no episode: nothing to count.
    figures = waiting_times.waits(scope(city, organisation_id=city.partner.pk))
    assert ratio(figure(figures, "W2 6 weeks all")) == (0, 0, None)


def test_w2_with_no_sessions_has_no_value(city):
    episode = new_episode(city)
    request(episode, date(2026, 4, 1))
    contact(episode, at(date(2026, 4, 2)))  # a review, not a session

    figures = waiting_times.waits(scope(city))

    for code in ("W2 6 weeks", "W2 18 weeks", "W2 6 weeks all", "W2 18 weeks all"):
        assert ratio(figure(figures, code)) == (0, 0, None)


# --- W3: hidden waits between the first and second sessions -----------------------


def test_w3_second_sessions_in_the_period_more_than_28_and_90_days_on(city, elsewhere):
    # p: 1 April to 29 April, 28 days: counted, but not more than 28.
    p = new_episode(city)
    sessions(p, at(date(2026, 4, 1)), at(date(2026, 4, 29)))
    # q: 23:30 on 1 April to 00:30 on 30 April: 28 days and an hour, but 29
    # local days: more than 28. A third session does not matter.
    q = new_episode(city)
    sessions(q, at(date(2026, 4, 1), 23, 30), at(date(2026, 4, 30), 0, 30))
    sessions(q, at(date(2026, 6, 30)))
    # r: first session 1 March (before the period), second 31 May: 30 + 30 + 31
    # = 91 days, more than 28 and more than 90.
    r = new_episode(city)
    sessions(r, at(date(2026, 3, 1)), at(date(2026, 5, 31)))
    assert date(2026, 5, 31) - date(2026, 3, 1) == days(91)
    # s: first 1 April, then a missed session, a cancelled one and a review
    # (none of them the second session); the second attended session (late, but
    # seen) on 6 May: 29 + 6 = 35 days, more than 28.
    s = new_episode(city)
    sessions(s, at(date(2026, 4, 1)))
    sessions(s, at(date(2026, 4, 8)), attendance="did_not_attend")
    sessions(s, at(date(2026, 4, 10)), attendance="cancelled_by_family")
    contact(s, at(date(2026, 4, 12)), purpose="review")
    sessions(s, at(date(2026, 5, 6)), attendance="late")
    assert date(2026, 5, 6) - date(2026, 4, 1) == days(35)
    # Not counted: t, a second session at 00:30 on 1 July (outside the period);
    t = new_episode(city)
    sessions(t, at(date(2026, 4, 1)), at(date(2026, 7, 1), 0, 30))
    # u, only one session;
    u = new_episode(city)
    sessions(u, at(date(2026, 4, 1)))
    # v, second session in March, third in the period;
    v = new_episode(city)
    sessions(v, at(date(2026, 1, 10)), at(date(2026, 3, 31)), at(date(2026, 5, 1)))
    # another local authority's second session in the period, 60 days on.
    other = elsewhere_episode(elsewhere)
    sessions(other, at(date(2026, 3, 1)), at(date(2026, 4, 30)))

    figures = waiting_times.waits(scope(city))

    # Second sessions in the period: p (28), q (29), r (91), s (35).
    assert ratio(figure(figures, "W3 28 days")) == (3, 4, Fraction(3, 4))  # q r s
    assert ratio(figure(figures, "W3 90 days")) == (1, 4, Fraction(1, 4))  # r


def test_w3_with_no_second_sessions_has_no_value(city):
    sessions(new_episode(city), at(date(2026, 4, 1)))

    figures = waiting_times.waits(scope(city))

    assert ratio(figure(figures, "W3 28 days")) == (0, 0, None)
    assert ratio(figure(figures, "W3 90 days")) == (0, 0, None)


# --- C7: days without a lead ------------------------------------------------------


def test_c7_days_in_the_period_with_no_lead(city, elsewhere):
    personas = city.personas
    other = personas["same_team_practitioner"]
    # c1: one lead throughout, handed to another at 10:00 on 1 May (the old
    # span ends as the new one starts): 0 days.
    c1 = new_episode(city)
    transfer(c1, other, at(date(2026, 5, 1)))
    # c2: the lead ended on 10 May and the next started on 13 May: 11 and 12 May
    # without, 2 days. A contributor over those days is not a lead.
    c2 = new_episode(city)
    end_lead(c2, at(date(2026, 5, 10), 16))
    new_lead(c2, other, at(date(2026, 5, 13), 11))
    Involvement.objects.create(
        episode=c2,
        practitioner=personas["team_manager"],
        role="contributor",
        started_at=at(date(2026, 5, 1)),
    )
    # c3: the lead ended on 20 March, before the period; the next started on
    # 4 April. Only the days in the period count: 1, 2 and 3 April, 3 days (not
    # the 11 days from 21 March).
    c3 = new_episode(city)
    end_lead(c3, at(date(2026, 3, 20)))
    new_lead(c3, other, at(date(2026, 4, 4)))
    # c4: opened on 1 May, in the period, with its lead from 6 May: 1 to 5 May,
    # 5 days. The days before it opened are not counted.
    c4 = new_episode(city, opened=date(2026, 5, 1))
    Involvement.objects.filter(episode=c4).update(started_at=at(date(2026, 5, 6)))
    # c5: the lead ended on 1 March and no one took over: all 91 days.
    c5 = new_episode(city)
    end_lead(c5, at(date(2026, 3, 1)))
    # c6: a lead for part of a day covers it: the lead ended at 08:00 on 10 June
    # and the next started at 20:00 on 12 June; only 11 June is without, 1 day.
    c6 = new_episode(city)
    end_lead(c6, at(date(2026, 6, 10), 8))
    new_lead(c6, other, at(date(2026, 6, 12), 20))
    # c7: the lead ended on 15 May and the episode closed on 20 May: 16 to 20
    # May, 5 days (nothing after it closed).
    c7 = new_episode(city)
    end_lead(c7, at(date(2026, 5, 15)))
    close(c7, at(date(2026, 5, 20), 15))
    # c8: overlapping spans: the first lead until 20 May, a second from 10 to
    # 15 May, a third from 25 May: 21 to 24 May, 4 days.
    c8 = new_episode(city)
    end_lead(c8, at(date(2026, 5, 20)))
    new_lead(c8, other, at(date(2026, 5, 10)), ended=at(date(2026, 5, 15)))
    new_lead(c8, personas["team_manager"], at(date(2026, 5, 25)))
    # Not in the period: closed in March with no lead after February; opened in
    # July with no lead.
    closed = new_episode(city)
    end_lead(closed, at(date(2026, 2, 1)))
    close(closed, at(date(2026, 3, 31)))
    later = new_episode(city, opened=date(2026, 7, 2))
    end_lead(later, at(date(2026, 7, 2), 10))
    # Another local authority's episode with no lead in the period.
    end_lead(elsewhere_episode(elsewhere), at(date(2026, 3, 1)))

    figures = continuity.without_a_lead(scope(city))

    assert 30 + 31 + 30 == 91
    # c1 0, c2 2, c3 3, c4 5, c5 91, c6 1, c7 5, c8 4.
    assert figure(figures, "C7 days").value == 0 + 2 + 3 + 5 + 91 + 1 + 5 + 4
    # Open in the period: c1 to c8 (the canary family's episode opened today,
    # after the period); all but c1 had a day without a lead.
    assert ratio(figure(figures, "C7 episodes")) == (7, 8, Fraction(7, 8))
    # Narrowed to team B, which holds none of them: nothing to count.
    narrowed = continuity.without_a_lead(scope(city, team_id=city.team_b.pk))
    assert figure(narrowed, "C7 days").value == 0
    assert ratio(figure(narrowed, "C7 episodes")) == (0, 0, None)


def test_c7_an_episode_opened_and_given_a_lead_the_same_day_has_none(city):
    # Opened at 09:00 on 2 June; the lead came at 17:00 the same day: covered.
    episode = new_episode(city, opened=date(2026, 6, 2))
    Involvement.objects.filter(episode=episode).update(
        started_at=at(date(2026, 6, 2), 17)
    )

    figures = continuity.without_a_lead(scope(city))

    assert figure(figures, "C7 days").value == 0
    assert ratio(figure(figures, "C7 episodes")) == (0, 1, 0)


def test_c7_in_a_period_not_yet_over_counts_days_up_to_today(city):
    """A period from 10 days ago to 30 days ahead: days after today are not yet
    days without a lead."""
    today = timezone.localdate()
    period = Period(today - days(10), today + days(30), "test", "Not yet over")
    # Opened 20 days ago; its lead ended 5 days ago with no one since: the 4
    # days after that and today, 5 days (not 35 to the period's end).
    episode = new_episode(city, opened=today - days(20))
    end_lead(episode, at(today - days(5)))

    figures = continuity.without_a_lead(Scope(city.council.local_authority_id, period))

    assert figure(figures, "C7 days").value == 5
    # The canary family's episode, opened today with its lead, is open in the
    # period too, with no day without a lead.
    assert ratio(figure(figures, "C7 episodes")) == (1, 2, Fraction(1, 2))


# --- C8: lost at handoff ----------------------------------------------------------


def test_c8_changes_of_lead_with_no_contact_with_the_new_lead_within_42_days(
    city, elsewhere
):
    personas = city.personas
    old, new = personas["lead_practitioner"], personas["same_team_practitioner"]
    # h1: handed over at 09:00 on 10 April; the new lead saw the family at 10:00
    # on 21 May, 41 days later: kept.
    h1 = new_episode(city)
    transfer(h1, new, at(date(2026, 4, 10), 9))
    contact(h1, at(date(2026, 5, 21)), by=new)
    assert date(2026, 5, 21) - date(2026, 4, 10) == days(41)
    # h2: handed over on 15 April; within 42 days the family saw only the old
    # lead, and missed a visit with the new one; the new lead had seen them the
    # day before, as a contributor, before the change: lost.
    h2 = new_episode(city)
    contact(h2, at(date(2026, 4, 14)), by=new)
    transfer(h2, new, at(date(2026, 4, 15), 9))
    contact(h2, at(date(2026, 4, 20)), by=old)
    contact(h2, at(date(2026, 4, 27)), by=new, attendance="did_not_attend")
    # h3: handed over at 09:00 on 20 April; the new lead first saw the family at
    # 10:00 on 2 June, 43 days later: lost.
    h3 = new_episode(city)
    transfer(h3, new, at(date(2026, 4, 20), 9))
    contact(h3, at(date(2026, 6, 2)), by=new)
    assert date(2026, 6, 2) - date(2026, 4, 20) == days(43)
    # h4: opened on 1 May with its first lead, never seen: not a change of lead.
    new_episode(city, opened=date(2026, 5, 1))
    # h5: handed over in March, h6 in July: outside the period.
    h5 = new_episode(city)
    transfer(h5, new, at(date(2026, 3, 20)))
    h6 = new_episode(city)
    transfer(h6, new, at(date(2026, 7, 2)))
    # Another local authority's change of lead in the period, never seen.
    other = elsewhere_episode(elsewhere)
    transfer(other, factories.staff("Mo Two", elsewhere.council), at(date(2026, 5, 1)))

    c8 = figure(continuity.lost_at_handoff(scope(city)), "C8")

    # Changes in the period: h1 (kept), h2 and h3 (lost).
    assert ratio(c8) == (2, 3, Fraction(2, 3))


def test_c8_leaves_out_changes_less_than_42_days_ago(city, same_team_practitioner):
    """A period not yet over: the 90 days to today. A change 30 days ago is still
    being followed; one 60 days ago is counted."""
    today = timezone.localdate()
    period = Period(today - days(90), today + days(1), "test", "The last 90 days")
    for ago in (60, 30):
        episode = new_episode(city, opened=today - days(120))
        transfer(episode, same_team_practitioner, at(today - days(ago)))

    c8 = figure(
        continuity.lost_at_handoff(Scope(city.council.local_authority_id, period)),
        "C8",
    )

    # The change 60 days ago (no contact since: lost) is the only one counted.
    # The canary family's episode opened today with its first lead: no change.
    assert ratio(c8) == (1, 1, 1)


# --- C9: the story told once ------------------------------------------------------


def test_c9_attended_assessments_per_episode(city, elsewhere):
    personas = city.personas
    lead, same = personas["lead_practitioner"], personas["same_team_practitioner"]
    partner = personas["partner_worker_with_consent"]  # another organisation

    def assessment(episode, when, by, attendance="attended"):
        contact(episode, when, by=by, attendance=attendance, purpose="assessment")

    # n0: seen in May for a review, never assessed: 0.
    n0 = new_episode(city)
    contact(n0, at(date(2026, 5, 4)))
    # n1: assessed once in April; a missed assessment with the partner worker
    # does not count (nor does the partner's organisation): 1.
    n1 = new_episode(city)
    assessment(n1, at(date(2026, 4, 7)), lead)
    assessment(n1, at(date(2026, 4, 2)), partner, attendance="did_not_attend")
    # n2: assessed in February (before the period, still in the episode) by the
    # lead and again in May (late, but seen) by a colleague in the same
    # organisation: 2, repeated, one organisation.
    n2 = new_episode(city)
    assessment(n2, at(date(2026, 2, 10)), lead)
    assessment(n2, at(date(2026, 5, 12)), same, attendance="late")
    # n3: assessed by the lead and by the partner worker: 2, repeated, two
    # organisations.
    n3 = new_episode(city)
    assessment(n3, at(date(2026, 4, 14)), lead)
    assessment(n3, at(date(2026, 6, 2)), partner)
    # n4: assessed in June, and again in July (after the period): 1.
    n4 = new_episode(city)
    assessment(n4, at(date(2026, 6, 9)), lead)
    assessment(n4, at(date(2026, 7, 7)), partner)
    # Not measured: assessed twice but not seen in the period (March); a missed
    # assessment in the period only; another local authority's episode.
    march = new_episode(city)
    assessment(march, at(date(2026, 3, 2)), lead)
    assessment(march, at(date(2026, 3, 9)), partner)
    missed = new_episode(city)
    assessment(missed, at(date(2026, 5, 5)), lead, attendance="did_not_attend")
    other = elsewhere_episode(elsewhere)
    assessment(other, at(date(2026, 5, 5)), elsewhere.practitioner)
    assessment(other, at(date(2026, 5, 6)), elsewhere.practitioner)

    figures = continuity.told_once(scope(city))

    # Episodes with an attended contact in the period: n0 to n4. Assessments
    # 0 + 1 + 2 + 2 + 1 = 6: mean 6/5 = 1.2.
    mean = figure(figures, "C9 mean")
    assert (mean.value, mean.denominator) == (1.2, 5)
    assert type(mean.value) is float
    assert ratio(figure(figures, "C9 repeated")) == (2, 5, Fraction(2, 5))  # n2 n3
    assert ratio(figure(figures, "C9 other services")) == (1, 5, Fraction(1, 5))


def test_c9_with_no_episodes_seen_has_no_mean(city):
    figures = continuity.told_once(scope(city))

    mean = figure(figures, "C9 mean")
    assert (mean.value, mean.denominator) == (None, 0)
    assert ratio(figure(figures, "C9 repeated")) == (0, 0, None)
