"""Demo city: each episode's level history and contacts.

Most families stay with the practitioner who first met them, even when their
level changes; a few have a lead transfer, so the history shows both.
"""

from datetime import datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from onestory.accounts.models import Organisation
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
    if start != Level.SPECIALIST and rng.random() < 0.35:
        changed = opened + (now - opened) * rng.uniform(0.3, 0.7)
        transfer = colleagues and rng.random() < 0.2
        rows["levels"].append(
            LevelChange(
                episode=episode,
                from_level=start,
                to_level=Level.TARGETED
                if start == Level.UNIVERSAL
                else Level.SPECIALIST,
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
        rows, rng, episode, lead, current_lead, lead_since, opened, now, colleagues
    )


def _contacts(rows, rng, episode, first_lead, lead, lead_since, opened, now, others):
    for number in range(rng.randint(0, 8)):
        day = timezone.localtime(opened + (now - opened) * ((number + 1) / 10)).date()
        # Contacts happen in working hours, and never later than today's morning.
        when = timezone.make_aware(
            datetime.combine(day, time(rng.randint(9, 15), rng.choice([0, 15, 30, 45])))
        )
        when = min(when, now - timedelta(hours=1))
        seen_by = first_lead if when < lead_since else lead
        if others and rng.random() < 0.15:
            seen_by = rng.choice(others)
        rows["contacts"].append(
            Contact(
                episode=episode,
                occurred_at=when,
                contact_type=rng.choice(ContactType.values),
                practitioner=seen_by,
                attendance=rng.choice(ATTENDANCE),
                purpose=ContactPurpose.ASSESSMENT
                if number == 0
                else rng.choice([ContactPurpose.INTERVENTION, ContactPurpose.REVIEW]),
                duration_minutes=rng.choice([30, 45, 60, 90]),
                notes="Talked about how the week has gone and what to try next.",
                recorded_by=seen_by,
                recorded_at=when,
            )
        )


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
    """Two past triage meetings with decisions, one upcoming with an agenda.

    Rows are written directly, back-dated, like the rest of the demo history;
    past decisions keep each family's level and lead as they are.
    """
    now = timezone.now()
    council = chair.organisation
    others = list(Organisation.objects.exclude(pk=council.pk).order_by("name")[:2])
    episodes = list(
        Episode.objects.filter(closed_at=None, team__organisation=council)
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
    levels = dict(
        LevelChange.objects.filter(episode__in=episodes)
        .order_by("changed_at", "id")
        .values_list("episode_id", "to_level")
    )
    days = [-28, -14, 7]
    meetings = []
    for offset in days:
        day = timezone.localdate() + timedelta(days=offset)
        meeting = TriageMeeting.objects.create(
            organisation=council,
            starts_at=timezone.make_aware(datetime.combine(day, time(10, 0))),
            location="Devonport Family Hub, meeting room",
            chair=chair,
            attendees="Early help, health visiting, perinatal mental health team, "
            "Harbour Families",
            scheduled_by=chair,
            scheduled_at=now + timedelta(days=offset - 21),
        )
        meeting.attending_organisations.set([council, *others])
        meetings.append(meeting)
    for number, episode in enumerate(episodes):
        meeting = meetings[number % 3]
        lead = leads[episode.pk]
        made = meeting.starts_at - timedelta(days=rng.randint(3, 9), hours=2)
        request = SupportRequest.objects.create(
            family_id=episode.family_id,
            kind=RequestKind.STEP_UP,
            source=rng.choice([RequestSource.HUB_TEAM, RequestSource.HEALTH_VISITOR]),
            requested_level=Level.TARGETED
            if levels[episode.pk] == Level.UNIVERSAL
            else Level.SPECIALIST,
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
                level=levels[episode.pk] if outcome == DecisionOutcome.SUPPORT else "",
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
