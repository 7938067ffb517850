"""Episodes of support and who is involved. Issue 4 grows levels, requests,
consultations and triage here; the access scope already reads these tables."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


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


class Contact(models.Model):
    """A meeting or call with the family, and whether it happened."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="contacts"
    )
    occurred_at = models.DateTimeField()
    contact_type = models.CharField(max_length=20, choices=ContactType.choices)
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contacts"
    )
    attendance = models.CharField(max_length=30, choices=Attendance.choices)
    purpose = models.CharField(max_length=20, choices=ContactPurpose.choices)
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)
    # A restricted note is shown only to its author and the family's lead.
    notes_restricted = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["occurred_at"]
        indexes = [models.Index(fields=["episode", "occurred_at"])]

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
