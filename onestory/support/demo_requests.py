"""Demo city: the request for support that opened each episode, decided at the
council's weekly multi-agency triage meeting (product rule 6).

Every family came to the service through a referral or a self-referral, was
discussed at triage and offered support, and its episode opened after that.
So every past quarter has new requests (R3), waits to a first contact (W1) and
triage decisions (T1), as a real service would. The step-ups of the last few
weeks are in demo_triage.py (`build_triage`).
"""

import bisect
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.utils import timezone

from onestory.accounts.models import Organisation, User
from onestory.core.demo import insert
from onestory.families.models import Consent, ConsentPurpose
from onestory.support.models import (
    DecisionOutcome,
    Level,
    RequestKind,
    RequestSource,
    RequestStatus,
    RequestStatusChange,
    SupportRequest,
    TriageDecision,
    TriageMeeting,
    Urgency,
)

# Two years and a little: every demo episode (opened up to 700 days ago) opened
# after one of these meetings.
WEEKS_OF_MEETINGS = 104
MEETING_TIME = time(10, 0)
LOCATION = "Devonport Family Hub, meeting room"
ATTENDEES = (
    "Early help, health visiting, perinatal mental health team, Harbour Families"
)
REFERRERS = [
    RequestSource.HEALTH_VISITOR,
    RequestSource.HEALTH_VISITOR,
    RequestSource.MIDWIFE,
    RequestSource.GP,
    RequestSource.TALKING_THERAPIES,
    RequestSource.SOCIAL_CARE,
    RequestSource.VOLUNTARY_PARTNER,
    RequestSource.HUB_TEAM,
]
REASONS = [
    "Feeling low since the birth and finding it hard to get out of the house.",
    "First baby; anxious about coping and has no family nearby.",
    "Baby cries a lot and mum feels she is getting it wrong.",
    "Difficult birth; not sleeping and going over it again and again.",
    "Asked at the new birth visit for someone to talk to.",
]


@dataclass
class Calendar:
    """The council's past triage meetings, oldest first, and who takes part."""

    chair: User
    present: list[Organisation]  # attending every meeting, the council first
    meetings: list[TriageMeeting]
    starts: list[datetime]
    held: set[int] = field(default_factory=set)  # id() of the meetings inserted


def insert_meetings(calendar: Calendar, meetings) -> None:
    """Insert the meetings not yet inserted, with who attended them."""
    new = []
    for meeting in meetings:
        if id(meeting) not in calendar.held:
            calendar.held.add(id(meeting))
            new.append(meeting)
    insert(TriageMeeting, new)
    through = TriageMeeting.attending_organisations.through
    insert(
        through,
        [
            through(triagemeeting=meeting, organisation=organisation)
            for meeting in new
            for organisation in calendar.present
        ],
    )


def weekly_meetings(*, chair, organisations) -> Calendar:
    """A meeting every week, the latest a week ago; `build_triage` adds the
    next one. Each was attended by every organisation of the city. Only the
    meetings that decided something are kept (`insert_requests`): a small
    city has weeks with no new request."""
    today = timezone.localdate()
    present = sorted(
        organisations, key=lambda o: (o.pk != chair.organisation_id, o.name)
    )
    meetings = []
    for week in range(WEEKS_OF_MEETINGS, 0, -1):
        starts = timezone.make_aware(
            datetime.combine(today - timedelta(weeks=week), MEETING_TIME)
        )
        meetings.append(
            TriageMeeting(
                organisation_id=chair.organisation_id,
                starts_at=starts,
                location=LOCATION,
                chair=chair,
                attendees=ATTENDEES,
                scheduled_by=chair,
                scheduled_at=starts - timedelta(weeks=3),
            )
        )
    return Calendar(chair, present, meetings, [m.starts_at for m in meetings])


@dataclass(frozen=True)
class Opening:
    """When the request that opened an episode was made and decided."""

    meeting: TriageMeeting
    made: datetime
    decided: datetime


def plan_opening(rng, calendar: Calendar, opened: datetime) -> Opening:
    """The last meeting before the episode opened decided the request, which
    came in two days to three weeks before it."""
    index = bisect.bisect_right(calendar.starts, opened - timedelta(hours=2)) - 1
    meeting = calendar.meetings[max(index, 0)]
    received = timezone.localtime(meeting.starts_at).date() - timedelta(
        days=rng.randint(2, 20)
    )
    made = timezone.make_aware(
        datetime.combine(received, time(rng.randint(9, 16), rng.choice([0, 20, 40])))
    )
    decided = meeting.starts_at + timedelta(minutes=rng.randint(5, 100))
    return Opening(meeting, made, min(decided, opened - timedelta(minutes=5)))


def add_opening_request(
    rows, rng, calendar: Calendar, opening: Opening, *, family, team, lead, carer,
    level, agreed_ids, consents,
) -> None:  # fmt: skip
    """The request, its status history, the triage decision and, when another
    organisation than the council holds the support, the family's consent to
    the council's referral. `agreed_ids`: organisations the family agreed may
    hear about them."""
    council = calendar.present[0]
    consent = None
    if team.organisation_id != council.pk:
        consent = Consent(
            family=family,
            organisation=council,
            purpose=ConsentPurpose.REFERRAL,
            given_by=carer,
            given_on=timezone.localtime(opening.made).date(),
            recorded_at=opening.made,
            recorded_by=lead,
            recorded_by_organisation_id=lead.organisation_id,
        )
        consents.append(consent)
    agreed = {*agreed_ids, council.pk}
    decision = TriageDecision(
        meeting=opening.meeting,
        family=family,
        outcome=DecisionOutcome.SUPPORT,
        level=level,
        lead=lead,
        summary=f"Agreed {Level(level).label.lower()} support from {team.name}; "
        f"{lead.full_name} leads and makes the first visit.",
        shared_with=[o.name for o in calendar.present if o.pk in agreed],
        withheld_from=[o.name for o in calendar.present if o.pk not in agreed],
        decided_by=calendar.chair,
        decided_at=opening.decided,
    )
    rows["decisions"].append(decision)
    self_referred = rng.random() < 0.25
    request = SupportRequest(
        family=family,
        kind=RequestKind.SELF_REFERRAL if self_referred else RequestKind.REFERRAL,
        source=RequestSource.SELF if self_referred else rng.choice(REFERRERS),
        requested_level=level,
        reason=rng.choice(REASONS),
        urgency=rng.choice(Urgency.values),
        received_on=timezone.localtime(opening.made).date(),
        to_organisation=council,
        made_by=lead,
        made_by_organisation_id=lead.organisation_id,
        made_at=opening.made,
        consent=consent,
        status=RequestStatus.ACCEPTED,
        decision=decision,
    )
    rows["requests"].append(request)
    for status, when, by in [
        (RequestStatus.NEW, opening.made, lead),
        (
            RequestStatus.AWAITING_TRIAGE,
            opening.made + timedelta(hours=rng.randint(1, 26)),
            calendar.chair,
        ),
        (RequestStatus.DECIDED, opening.decided, calendar.chair),
        (RequestStatus.ACCEPTED, opening.decided, calendar.chair),
    ]:
        rows["request_changes"].append(
            RequestStatusChange(
                request=request, status=status, changed_at=when, changed_by=by
            )
        )


def insert_requests(calendar: Calendar, rows) -> None:
    """After the families and consents: the meetings that decided them, the
    decisions, then the requests and their history."""
    insert_meetings(calendar, [decision.meeting for decision in rows["decisions"]])
    insert(TriageDecision, rows["decisions"])
    insert(SupportRequest, rows["requests"])
    insert(RequestStatusChange, rows["request_changes"])


def weekly_meeting(*, chair, starts_at) -> TriageMeeting:
    """The weekly meeting at `starts_at`, made if no request needed it."""
    found = TriageMeeting.objects.filter(
        organisation_id=chair.organisation_id, starts_at=starts_at
    ).first()
    if found is not None:
        return found
    meeting = TriageMeeting.objects.create(
        organisation_id=chair.organisation_id,
        starts_at=starts_at,
        location=LOCATION,
        chair=chair,
        attendees=ATTENDEES,
        scheduled_by=chair,
        scheduled_at=starts_at - timedelta(weeks=3),
    )
    meeting.attending_organisations.set(
        Organisation.objects.filter(
            local_authority=chair.organisation.local_authority_id
        )
    )
    return meeting
