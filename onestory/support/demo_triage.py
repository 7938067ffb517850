"""Demo city: step-ups of the last few weeks, discussed at two of the
council's weekly triage meetings, and the next meeting with an agenda.

The requests that opened each episode are in demo_requests.py.
"""

from datetime import datetime, timedelta

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from onestory.accounts.models import Organisation
from onestory.support import demo_requests
from onestory.support.models import (
    Consultation,
    DecisionOutcome,
    Episode,
    Involvement,
    InvolvementRole,
    Level,
    LevelChange,
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
