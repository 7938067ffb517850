"""Demo city: each episode's level history and contacts, consultations and plans.

Most families stay with the practitioner who first met them, even when their
level changes; a few have a lead transfer, so the history shows both. The
step-ups of the last few weeks and the triage meetings that discussed them
are in demo_triage.py.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from onestory.support.demo_triage import STEP_UP, build_triage
from onestory.support.models import (
    Attendance,
    Consultation,
    Contact,
    ContactPurpose,
    ContactType,
    Involvement,
    InvolvementRole,
    Level,
    LevelChange,
    Plan,
    PlanAction,
    PlanGoal,
    Urgency,
)

# build_triage is named here too: the demo command asks this module for it.
__all__ = ["add_consultation", "add_history", "add_plan", "build_triage"]

ATTENDANCE = [Attendance.ATTENDED] * 8 + [Attendance.LATE, Attendance.DID_NOT_ATTEND]


def add_history(rows: dict, rng, *, episode, lead, colleagues, opened):
    """Append LevelChange, Involvement and Contact rows for one episode to `rows`,
    and return the lead now. A transfer goes to the first of `colleagues`: the
    caller puts the one with most room first."""
    now = timezone.now()
    start = rng.choice(
        [Level.UNIVERSAL] * 5 + [Level.TARGETED] * 3 + [Level.SPECIALIST]
    )
    rows["levels"].append(
        LevelChange(episode=episode, to_level=start, changed_at=opened, changed_by=lead)
    )
    current_lead, lead_since = lead, opened
    levels = [(opened, start)]
    if start != Level.SPECIALIST and rng.random() < 0.35:
        changed = opened + (now - opened) * rng.uniform(0.3, 0.7)
        transfer = colleagues and rng.random() < 0.2
        levels.append((changed, STEP_UP[start]))
        rows["levels"].append(
            LevelChange(
                episode=episode,
                from_level=start,
                to_level=STEP_UP[start],
                changed_at=changed,
                changed_by=lead,
                reason="Needs grew: more support agreed with the family",
                lead_kept=not transfer,
            )
        )
        if transfer:
            current_lead = colleagues[0]
            rows["ended_leads"].append((episode, changed))
            rows["involvements"].append(
                Involvement(
                    episode=episode,
                    practitioner=current_lead,
                    role=InvolvementRole.LEAD,
                    started_at=changed,
                    reason="Moved to a practitioner trained for this work",
                )
            )
            lead_since = changed
    _contacts(
        rows, rng, episode, lead, (current_lead, lead_since), levels, now, colleagues
    )
    return current_lead


# Days between a family's contacts, by their level at the time: every three to
# eight weeks for universal support, two to four for targeted, one to three
# for specialist.
CONTACT_GAPS = {
    Level.UNIVERSAL: [21, 28, 35, 42, 56],
    Level.TARGETED: [14, 14, 21, 28],
    Level.SPECIALIST: [7, 14, 14, 21],
}
# Families who stopped taking up contacts a while ago (the report's W5).
LOST_TOUCH = 0.1


def _contacts(rows, rng, episode, first_lead, current, levels, now, others):
    """A first visit within two weeks of opening, then one every one to eight
    weeks (as often as the family's level asks) until today: most open
    families were seen in the last few weeks, and a few stopped two to five
    months ago. Never later than an hour ago. `current`: the lead now and
    since when; `levels`: (since, level), oldest first."""
    lead, lead_since = current
    opened = levels[0][0]
    until = now
    if rng.random() < LOST_TOUCH and now - opened > timedelta(days=180):
        until = now - timedelta(days=rng.randint(61, 150))
    day = timezone.localtime(opened).date() + timedelta(days=rng.randint(1, 14))
    last_day = timezone.localtime(until).date()
    number = 0
    while day <= last_day:
        # Contacts happen in working hours, and never later than an hour ago.
        when = timezone.make_aware(
            datetime.combine(day, time(rng.randint(9, 15), rng.choice([0, 15, 30, 45])))
        )
        when = max(min(when, until - timedelta(hours=1)), opened)
        seen_by = first_lead if when < lead_since else lead
        if others and rng.random() < 0.15:
            seen_by = rng.choice(others)
        rows["contacts"].append(
            Contact(
                # Ids, not objects: the related descriptors cost more than the
                # rest of a contact, and there are some 15 a family.
                episode_id=episode.pk,
                occurred_at=when,
                contact_type=rng.choice(ContactType.values),
                practitioner_id=seen_by.pk,
                attendance=rng.choice(ATTENDANCE),
                purpose=ContactPurpose.ASSESSMENT
                if number == 0
                else rng.choice([ContactPurpose.INTERVENTION, ContactPurpose.REVIEW]),
                duration_minutes=rng.choice([30, 45, 60, 90]),
                notes="Talked about how the week has gone and what to try next.",
                recorded_by_id=seen_by.pk,
                recorded_at=when,
            )
        )
        number += 1
        level = next(level for since, level in reversed(levels) if since <= when)
        day += timedelta(days=rng.choice(CONTACT_GAPS[level]))


QUESTIONS = [
    (
        "Mum's low mood has not lifted after six weeks and she finds it hard to "
        "enjoy her baby. Is this one for step-up, or can I keep going with support?",
        "Offer Video Interaction Guidance alongside your visits; repeat PHQ-9 in "
        "four weeks. No need to step up yet: you are the right person.",
    ),
    (
        "Dad is anxious about handling the baby and avoids it. What could help?",
        "",
    ),
]


def add_consultation(rows, rng, *, episode, lead, specialist, opened) -> None:
    """A question to the specialist; about half have been answered."""
    now = timezone.now()
    question, advice = rng.choice(QUESTIONS)
    asked = opened + (now - opened) * rng.uniform(0.2, 0.9)
    answered = advice and asked + timedelta(days=3) < now
    rows["consultations"].append(
        Consultation(
            episode=episode,
            asked_by=lead,
            specialist=specialist,
            question=question,
            tried="Weekly home visits and listening visits.",
            urgency=rng.choice(Urgency.values),
            asked_at=asked,
            advice=advice if answered else "",
            review_on=(asked + timedelta(days=31)).date() if answered else None,
            answered_at=asked + timedelta(days=3) if answered else None,
        )
    )
    rows["involvements"].append(
        Involvement(
            episode=episode,
            practitioner=specialist,
            role=InvolvementRole.CONSULTED,
            started_at=asked,
            reason="Asked for a consultation",
        )
    )


GOALS = [
    "I want to enjoy bath time with my baby",
    "To feel less on my own",
    "To get out of the house twice a week",
    "To understand why my baby cries and feel calmer when she does",
    "To sleep better and feel like myself again",
]
STRENGTHS = [
    "Loving and curious about their baby; asks for help early.",
    "Supportive grandparents nearby; keeps every appointment.",
    "Warm and playful with the baby; honest about how they feel.",
]


def add_plan(rows, rng, *, family, lead, opened) -> None:
    """A plan with the family's goals and one or two actions."""
    now = timezone.now()
    plan = Plan(
        family=family,
        strengths=rng.choice(STRENGTHS),
        review_on=(now + timedelta(days=rng.randint(-10, 40))).date(),
        updated_at=opened,
        updated_by=lead,
    )
    rows["plans"].append(plan)
    for text in rng.sample(GOALS, rng.randint(1, 2)):
        rows["goals"].append(
            PlanGoal(plan=plan, text=text, added_at=opened, added_by=lead)
        )
    for description, owner in rng.sample(
        [
            ("Try the baby massage group", "Parent"),
            ("Book a GP review", lead.full_name),
            ("Share the Circle of Security course dates", lead.full_name),
        ],
        rng.randint(1, 2),
    ):
        rows["actions"].append(
            PlanAction(
                plan=plan,
                description=description,
                owner=owner,
                due_on=(now + timedelta(days=rng.randint(-5, 30))).date(),
                added_by=lead,
            )
        )
