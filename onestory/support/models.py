"""Episodes of support, who is involved, requests for support and triage.
The access scope reads these tables."""

import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from onestory.accounts.models import Role


class Level(models.TextChoices):
    UNIVERSAL = "universal", "Universal"
    TARGETED = "targeted", "Targeted"
    SPECIALIST = "specialist", "Specialist"


class ClosureReason(models.TextChoices):
    NEEDS_MET = "needs_met", "Needs met"
    MOVED_AWAY = "moved_away", "Moved away"
    DECLINED = "declined", "Declined further support"
    REFERRED_ELSEWHERE = "referred_elsewhere", "Referred elsewhere"
    NOT_SUITABLE = "not_suitable", "Not suitable"
    OTHER = "other", "Other"


class Episode(models.Model):
    """A family's support from one team, open for as long as it is needed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, related_name="episodes"
    )
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="episodes"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closure_reason = models.CharField(
        max_length=30, choices=ClosureReason.choices, blank=True
    )
    closure_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["family"],
                condition=Q(closed_at__isnull=True),
                name="one_open_episode_per_family",
            )
        ]
        indexes = [
            models.Index(
                fields=["team", "family"],
                condition=Q(closed_at__isnull=True),
                name="open_episode_by_team",
            )
        ]

    def __str__(self) -> str:
        return f"Episode with {self.team}"


class LevelChange(models.Model):
    """One immutable step in an episode's level history; the latest is current."""

    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="level_changes"
    )
    from_level = models.CharField(max_length=20, choices=Level.choices, blank=True)
    to_level = models.CharField(max_length=20, choices=Level.choices)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=1000, blank=True)
    lead_kept = models.BooleanField(null=True)

    class Meta:
        ordering = ["changed_at", "id"]
        indexes = [models.Index(fields=["episode", "-changed_at"])]

    def __str__(self) -> str:
        return f"{self.from_level or 'opened'} to {self.to_level}"


class InvolvementRole(models.TextChoices):
    LEAD = "lead", "Lead practitioner"
    CONTRIBUTOR = "contributor", "Contributor"
    CONSULTED = "consulted", "Consulted"


# Who holds a caseload, and so may be a family's lead practitioner. Peer support
# workers work alongside a lead; triage chairs, supervisors, commissioners,
# information governance leads and administrators hold no caseload (someone who
# does as well holds the practitioner role too). docs/continuity.md.
LEAD_ROLES = frozenset({Role.PRACTITIONER, Role.SPECIALIST, Role.TEAM_MANAGER})


class Involvement(models.Model):
    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="involvements"
    )
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="involvements"
    )
    role = models.CharField(max_length=20, choices=InvolvementRole.choices)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Why they joined (a transfer's reason, or why the team grew past its size).
    reason = models.CharField(max_length=1000, blank=True)
    beyond_team_size = models.BooleanField(default=False)
    end_reason = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"],
                condition=Q(role="lead", ended_at__isnull=True),
                name="one_current_lead_per_episode",
            )
        ]
        indexes = [
            models.Index(
                fields=["practitioner", "episode"],
                condition=Q(ended_at__isnull=True),
                name="current_involvement",
            )
        ]

    def __str__(self) -> str:
        return f"{self.practitioner} ({self.get_role_display()})"


class ContactType(models.TextChoices):
    HOME_VISIT = "home_visit", "Home visit"
    HUB = "hub", "At a family hub"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video"
    TEXT = "text", "Text message"
    GROUP = "group", "Group"


class Attendance(models.TextChoices):
    ATTENDED = "attended", "Attended"
    LATE = "late", "Arrived late but was seen"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"
    CANCELLED_BY_FAMILY = "cancelled_by_family", "Cancelled by the family"
    CANCELLED_BY_SERVICE = "cancelled_by_service", "Cancelled by the service"


# The NHS convention (codes 5 and 6): seen, on time or late.
ATTENDED = (Attendance.ATTENDED, Attendance.LATE)


class ContactPurpose(models.TextChoices):
    ASSESSMENT = "assessment", "Assessment"
    INTERVENTION = "intervention", "Intervention session"
    REVIEW = "review", "Review"
    CONSULTATION = "consultation", "Consultation"
    WELFARE_CHECK = "welfare_check", "Welfare check"


class LocalDay(models.DateField):
    """The local (Europe/London) calendar day of another field's date-time,
    kept beside it so reports count by day without converting each row. Set
    on every save, bulk_create included (both call `pre_save`); never edited
    on its own."""

    def __init__(self, *args, of: str = "", **kwargs):
        self.of = of
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        return name, path, args, {**kwargs, "of": self.of}

    def pre_save(self, model_instance, add):
        moment = getattr(model_instance, self.of)
        day = moment and moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
        setattr(model_instance, self.attname, day)
        return day


class Contact(models.Model):
    """A meeting or call with the family, and whether it happened."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="contacts"
    )
    occurred_at = models.DateTimeField()
    occurred_on = LocalDay(of="occurred_at")
    contact_type = models.CharField(max_length=20, choices=ContactType.choices)
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contacts"
    )
    attendance = models.CharField(max_length=30, choices=Attendance.choices)
    purpose = models.CharField(max_length=20, choices=ContactPurpose.choices)
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)
    # A restricted note is shown only to its author, the family's lead, and
    # staff in scope holding one of the roles named here.
    notes_restricted = models.BooleanField(default=False)
    notes_roles = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["occurred_at"]
        indexes = [
            models.Index(fields=["episode", "occurred_at"]),
            models.Index(fields=["episode", "occurred_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_contact_type_display()} on {self.occurred_at:%Y-%m-%d}"

    @property
    def attended(self) -> bool:
        return self.attendance in ATTENDED


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine: within 2 weeks"
    SOON = "soon", "Soon: within a week"
    URGENT = "urgent", "Urgent: within 2 working days"


class Consultation(models.Model):
    """A practitioner asks a specialist for advice; the family keeps its lead."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="consultations"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="consultations_received",
    )
    question = models.TextField()
    tried = models.TextField(blank=True)
    urgency = models.CharField(max_length=10, choices=Urgency.choices)
    asked_at = models.DateTimeField(default=timezone.now)
    advice = models.TextField(blank=True)
    review_on = models.DateField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # Flagged for the next triage meeting; cleared by the decision that discussed it.
    discuss_at_triage = models.BooleanField(default=False)
    discussed_at = models.ForeignKey(
        "TriageDecision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
    )

    class Meta:
        ordering = ["-asked_at"]
        indexes = [
            models.Index(
                fields=["specialist", "asked_at"],
                condition=Q(answered_at__isnull=True),
                name="consultations_awaiting_reply",
            )
        ]

    def __str__(self) -> str:
        return f"Consultation with {self.specialist}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class ConsultationAction(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="actions"
    )
    description = models.CharField(max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField()

    class Meta:
        ordering = ["due_on"]

    def __str__(self) -> str:
        return self.description


class Plan(models.Model):
    """The family's one shared plan: their goals in their words, strengths, actions."""

    family = models.OneToOneField(
        "families.Family", on_delete=models.CASCADE, related_name="plan"
    )
    strengths = models.TextField(blank=True)
    review_on = models.DateField(null=True, blank=True)
    # Bumped on every change to the plan's own fields: a stale edit is refused.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Plan for {self.family}"


class PlanGoal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(max_length=500)
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return self.text


class PlanAction(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=500)
    # Who will do it, in words: a practitioner, a parent, "the family".
    owner = models.CharField(max_length=200)
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description


class RequestSource(models.TextChoices):
    """Where a request for support came from (R3 reports new requests by source)."""

    SELF = "self", "The family themselves"
    HUB_TEAM = "hub_team", "The team already working with the family"
    HEALTH_VISITOR = "health_visitor", "Health visitor"
    MIDWIFE = "midwife", "Midwife"
    GP = "gp", "GP"
    TALKING_THERAPIES = "talking_therapies", "NHS Talking Therapies"
    SOCIAL_CARE = "social_care", "Children's social care"
    VOLUNTARY_PARTNER = "voluntary_partner", "Voluntary partner"
    OTHER = "other", "Other"


class RequestKind(models.TextChoices):
    STEP_UP = "step_up", "Step-up"
    REFERRAL = "referral", "Referral"
    SELF_REFERRAL = "self_referral", "Self-referral"


class RequestStatus(models.TextChoices):
    NEW = "new", "New"
    AWAITING_TRIAGE = "awaiting_triage", "Awaiting triage"
    DECIDED = "decided", "Decided at triage"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_REQUEST_STATUSES = (
    RequestStatus.NEW,
    RequestStatus.AWAITING_TRIAGE,
    RequestStatus.DECIDED,
)

# Where a request may go next. Deciding happens only at a triage meeting.
NEXT_STATUSES = {
    RequestStatus.NEW: (RequestStatus.AWAITING_TRIAGE, RequestStatus.WITHDRAWN),
    RequestStatus.AWAITING_TRIAGE: (RequestStatus.DECIDED, RequestStatus.WITHDRAWN),
    RequestStatus.DECIDED: (
        RequestStatus.ACCEPTED,
        RequestStatus.DECLINED,
        RequestStatus.WITHDRAWN,
    ),
}
STATUSES_NEEDING_A_REASON = (RequestStatus.DECLINED, RequestStatus.WITHDRAWN)


class SupportRequest(models.Model):
    """A step-up, referral or self-referral asking an organisation's triage for
    support. Its status history is immutable rows; `status` mirrors the latest."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, related_name="support_requests"
    )
    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    source = models.CharField(max_length=30, choices=RequestSource.choices)
    requested_level = models.CharField(max_length=20, choices=Level.choices)
    reason = models.TextField()
    urgency = models.CharField(max_length=10, choices=Urgency.choices)
    received_on = models.DateField()
    to_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_by_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)
    # A request to an organisation that does not hold the family's support rests
    # on the family's consent to that referral, or on a recorded override.
    consent = models.ForeignKey(
        "families.Consent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    consent_override_reason = models.CharField(max_length=1000, blank=True)
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    decision = models.ForeignKey(
        "TriageDecision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )

    class Meta:
        ordering = ["-made_at"]
        indexes = [
            models.Index(
                fields=["to_organisation", "status", "made_at"],
                name="request_by_organisation",
            ),
            models.Index(fields=["family", "status"], name="request_by_family"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.get_requested_level_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES


class RequestStatusChange(models.Model):
    """One immutable step in a request's life."""

    request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(max_length=20, choices=RequestStatus.choices)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return self.get_status_display()


class TriageMeeting(models.Model):
    """A multi-agency triage meeting hosted by one organisation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField()
    location = models.CharField(max_length=200)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    attending_organisations = models.ManyToManyField(
        "accounts.Organisation", related_name="+"
    )
    # Who came, in words, by organisation: "Health visiting: Jo Bloggs".
    attendees = models.TextField(blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    scheduled_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [
            models.Index(
                fields=["organisation", "-starts_at"], name="meeting_by_organisation"
            )
        ]

    def __str__(self) -> str:
        day = timezone.localtime(self.starts_at)
        return f"Triage meeting on {day.day} {day:%B %Y}"


class DecisionOutcome(models.TextChoices):
    SUPPORT = "support", "Support from us"
    SIGNPOST = "signpost", "Signpost to another service"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


# A decision not to support the family declines its request, so wherever a
# decision is shown it says "Declined", the request's own word, and why. The
# one place these words are defined (the model's choices keep their first
# labels: changing them would need a migration).
DECLINED_BECAUSE = {
    DecisionOutcome.SIGNPOST: "signposted to another service",
    DecisionOutcome.NO_FURTHER_ACTION: "no further action",
}


def decision_label(outcome: str) -> str:
    """ "Support from us", "Declined: no further action"."""
    if outcome in DECLINED_BECAUSE:
        return f"{RequestStatus.DECLINED.label}: {DECLINED_BECAUSE[outcome]}"
    return DecisionOutcome(outcome).label


def declined_reason(outcome: str, summary: str) -> str:
    """Why a decision declined a request: "No further action: ..."."""
    return f"{DECLINED_BECAUSE[outcome].capitalize()}: {summary}"


def decision_choices() -> list[tuple[str, str]]:
    return [(value, decision_label(value)) for value in DecisionOutcome.values]


class TriageDecision(models.Model):
    """What a triage meeting decided for one family. Its effects (level, lead,
    consultation) are made through the same services as everywhere else."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(
        TriageMeeting, on_delete=models.PROTECT, related_name="decisions"
    )
    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, related_name="triage_decisions"
    )
    outcome = models.CharField(max_length=20, choices=DecisionOutcome.choices)
    level = models.CharField(max_length=20, choices=Level.choices, blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lead_changed = models.BooleanField(default=False)
    offer = models.CharField(max_length=500, blank=True)
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signpost_to = models.CharField(max_length=500, blank=True)
    summary = models.TextField()
    # The consent check, as it stood: organisations present that may, and may
    # not, hear about this family (names, for the printed record).
    shared_with = models.JSONField(default=list)
    withheld_from = models.JSONField(default=list)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decided_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "family"], name="one_decision_per_family_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return self.outcome_label

    @property
    def outcome_label(self) -> str:
        return decision_label(self.outcome)


class TriageAction(models.Model):
    decision = models.ForeignKey(
        TriageDecision, on_delete=models.CASCADE, related_name="actions"
    )
    description = models.CharField(max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField()

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description
