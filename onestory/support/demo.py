"""Demo city: each episode's level history and contacts.

Most families stay with the practitioner who first met them, even when their
level changes; a few have a lead transfer, so the history shows both.
"""

from datetime import datetime, time, timedelta

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from onestory.accounts.models import Organisation
from onestory.support import demo_requests
from onestory.support.models import (
    Attendance,
    Consultation,
    Contact,
    ContactPurpose,
    ContactType,
    DecisionOutcome,
    Episode,
    Involvement,
    InvolvementRole,
    Level,
    LevelChange,
    Plan,
    PlanAction,
    PlanGoal,
    RequestKind,
    RequestSource,
    RequestStatus,
    RequestStatusChange,
    SupportRequest,
    TriageAction,
    TriageDecision,
    TriageMeeting,
    Urgency,
    declined_reason,
)

# The level a step-up asks for: the one above (a specialist family is not
# stepped up further).
STEP_UP = {Level.UNIVERSAL: Level.TARGETED, Level.TARGETED: Level.SPECIALIST}

ATTENDANCE = [Attendance.ATTENDED] * 8 + [Attendance.LATE, Attendance.DID_NOT_ATTEND]


def add_history(rows: dict, rng, *, episode, lead, colleagues, opened) -> None:
    """Append LevelChange, Involvement and Contact rows for one episode to `rows`."""
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
            current_lead = rng.choice(colleagues)
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


REQUEST_REASONS = [
    "Low mood has not lifted and she is finding it hard to bond with the baby.",
    "Dad is anxious and avoids holding the baby; both parents asked for help.",
    "Feeding is a struggle and mum is exhausted; health visitor is worried.",
    "Past trauma is coming back since the birth; needs more than we can offer.",
    "Baby is very unsettled and the parents feel they are getting it wrong.",
]
DECISIONS = [
    (
        DecisionOutcome.SUPPORT,
        "Agreed more support. The family keeps their practitioner, who knows them "
        "well; the perinatal team will advise through a consultation.",
        "Video Interaction Guidance",
    ),
    (
        DecisionOutcome.SUPPORT,
        "Agreed a place on Circle of Security Parenting alongside visits from the "
        "same practitioner.",
        "Circle of Security Parenting",
    ),
    (
        DecisionOutcome.SIGNPOST,
        "Needs are met by the universal offer; signposted to the peer support "
        "group at the hub.",
        "",
    ),
    (
        DecisionOutcome.NO_FURTHER_ACTION,
        "Things have settled since the request; the family do not want more "
        "support now.",
        "",
    ),
]


def build_triage(rng, *, chair, practitioner) -> None:
    """Step-ups discussed at two of the weekly meetings (four and two weeks
    ago), and the next meeting, in a week, with an agenda.

    Rows are written directly, back-dated, like the rest of the demo history.
    A step-up asks for the level above the family's, from a family whose level
    has not changed for six weeks; when support is agreed the level goes up
    and the family keeps their lead. The next meeting has not happened: its
    organisations are invited, no one has attended and nothing is decided.
    """
    now = timezone.now()
    council = chair.organisation
    others = list(Organisation.objects.exclude(pk=council.pk).order_by("name")[:2])
    settled = now - timedelta(weeks=6)
    latest = LevelChange.objects.filter(episode=OuterRef("pk")).order_by(
        "-changed_at", "-id"
    )
    episodes = list(
        Episode.objects.filter(
            closed_at=None, team__organisation=council, opened_at__lt=settled
        )
        .annotate(
            level=Subquery(latest.values("to_level")[:1]),
            last_change=Subquery(latest.values("changed_at")[:1]),
        )
        .filter(last_change__lt=settled)
        .exclude(level=Level.SPECIALIST)
        .annotate(
            featured=Count(
                "involvements",
                filter=Q(
                    involvements__practitioner=practitioner,
                    involvements__role=InvolvementRole.LEAD,
                    involvements__ended_at=None,
                ),
            )
        )
        .order_by("-featured", "opened_at")[:14]
    )
    if not episodes:
        return
    leads = {
        i.episode_id: i.practitioner
        for i in Involvement.objects.filter(
            episode__in=episodes, role=InvolvementRole.LEAD, ended_at=None
        ).select_related("practitioner")
    }
    levels = {episode.pk: episode.level for episode in episodes}

    def at_ten(offset):
        day = timezone.localdate() + timedelta(days=offset)
        return timezone.make_aware(datetime.combine(day, demo_requests.MEETING_TIME))

    # Two of the weekly meetings (demo_requests.py), and the next one.
    meetings = [
        demo_requests.weekly_meeting(chair=chair, starts_at=at_ten(offset))
        for offset in (-28, -14)
    ]
    upcoming = TriageMeeting.objects.create(
        organisation=council,
        starts_at=at_ten(7),
        location="Devonport Family Hub, meeting room",
        chair=chair,
        scheduled_by=chair,
        scheduled_at=now - timedelta(days=14),
    )
    upcoming.attending_organisations.set([council, *others])  # invited
    meetings.append(upcoming)
    for number, episode in enumerate(episodes):
        meeting = meetings[number % 3]
        lead = leads[episode.pk]
        days_before = rng.randint(3, 9)
        made = meeting.starts_at - timedelta(days=days_before, hours=2)
        if meeting.starts_at > now:  # made in the last week, never after today
            made = now - timedelta(days=days_before - 2, hours=2)
        stepped_up = STEP_UP[levels[episode.pk]]
        request = SupportRequest.objects.create(
            family_id=episode.family_id,
            kind=RequestKind.STEP_UP,
            source=rng.choice([RequestSource.HUB_TEAM, RequestSource.HEALTH_VISITOR]),
            requested_level=stepped_up,
            reason=rng.choice(REQUEST_REASONS),
            urgency=rng.choice(Urgency.values),
            received_on=made.date(),
            to_organisation=council,
            made_by=lead,
            made_by_organisation_id=lead.organisation_id,
            made_at=made,
        )
        steps = [(RequestStatus.NEW, made, "")]
        if number != 2:  # the first request for the upcoming meeting stays new
            steps.append((RequestStatus.AWAITING_TRIAGE, made + timedelta(days=1), ""))
        if meeting.starts_at < now:
            outcome, summary, offer = rng.choice(DECISIONS)
            decision = TriageDecision.objects.create(
                meeting=meeting,
                family_id=episode.family_id,
                outcome=outcome,
                level=stepped_up if outcome == DecisionOutcome.SUPPORT else "",
                lead=lead if outcome == DecisionOutcome.SUPPORT else None,
                offer=offer,
                signpost_to="Hub peer support group"
                if outcome == DecisionOutcome.SIGNPOST
                else "",
                summary=summary,
                shared_with=[str(council), *(str(o) for o in others[:1])],
                withheld_from=[str(o) for o in others[1:]],
                decided_by=chair,
                decided_at=meeting.starts_at + timedelta(minutes=10 * number),
            )
            if outcome == DecisionOutcome.SUPPORT:
                LevelChange.objects.create(
                    episode=episode,
                    from_level=levels[episode.pk],
                    to_level=stepped_up,
                    changed_at=decision.decided_at,
                    changed_by=chair,
                    reason=f"Decided at triage: {summary}",
                    lead_kept=True,
                )
                TriageAction.objects.create(
                    decision=decision,
                    description="Talk the offer through with the family",
                    owner=lead,
                    due_on=(meeting.starts_at + timedelta(days=7)).date(),
                )
            request.decision = decision
            steps.append((RequestStatus.DECIDED, decision.decided_at, ""))
            final = (
                (RequestStatus.ACCEPTED, "")
                if outcome == DecisionOutcome.SUPPORT
                else (RequestStatus.DECLINED, declined_reason(outcome, summary))
            )
            steps.append((final[0], decision.decided_at + timedelta(days=2), final[1]))
        for status, when, reason in steps:
            RequestStatusChange.objects.create(
                request=request,
                status=status,
                changed_at=when,
                changed_by=chair if status != RequestStatus.NEW else lead,
                reason=reason,
            )
        request.status = steps[-1][0]
        request.save(update_fields=["status", "decision"])
    # One consultation flagged for the upcoming meeting.
    Consultation.objects.filter(
        pk__in=Consultation.objects.filter(
            episode__team__organisation=council,
            episode__closed_at=None,
            answered_at=None,
        ).values("pk")[:1]
    ).update(discuss_at_triage=True)
