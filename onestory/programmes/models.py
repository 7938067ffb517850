"""The programme catalogue: what a family can be offered, how it is delivered,
who may deliver it, and when its outcomes are reviewed."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from onestory.programmes import domain
from onestory.support.models import Level


class Delivery(models.TextChoices):
    ONE_TO_ONE = "one_to_one", "One to one"
    GROUP = "group", "Group course"
    DROP_IN = "drop_in", "Drop-in group"


class Programme(models.Model):
    """Managed by administrators; seeded with Plymouth's programmes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    delivery = models.CharField(max_length=12, choices=Delivery.choices)
    level = models.CharField(max_length=12, choices=Level.choices)
    # Only staff holding this accreditation now may deliver or facilitate it.
    required_course = models.ForeignKey(
        "workforce.TrainingCourse",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes",
        limit_choices_to={"accredits": True},
    )
    # The review schedule: these measures at baseline, midpoint and end.
    instrument_codes = models.JSONField(default=list, blank=True)
    planned_weeks = models.PositiveSmallIntegerField(default=12)
    sessions_planned = models.PositiveSmallIntegerField(default=8)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Course(models.Model):
    """One run of a group programme at a hub: its sessions, who facilitates, how
    many places, and how many sessions make it complete."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="courses"
    )
    hub = models.ForeignKey("accounts.Hub", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    # Empty for a drop-in, which takes everyone who comes.
    capacity = models.PositiveSmallIntegerField(null=True, blank=True)
    # Complete after attending at least this many sessions (late counts).
    sessions_to_complete = models.PositiveSmallIntegerField(null=True, blank=True)
    # A drop-in may count heads instead of naming people.
    anonymous_head_count = models.BooleanField(default=False)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="facilitated_courses"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Entered after its first session had run (a course recorded afterwards):
    # shown on the course page and kept in the audit event.
    entered_later = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.programme}: {self.title}"


class CourseSession(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="sessions"
    )
    number = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField()
    venue = models.CharField(max_length=200)
    cancelled = models.BooleanField(default=False)
    # For a drop-in counted anonymously: how many came.
    head_count = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "number"], name="one_session_number_per_course"
            )
        ]

    def __str__(self) -> str:
        return f"Session {self.number}"

    @property
    def day(self):
        return timezone.localdate(self.starts_at)

    @property
    def register_is_open(self) -> bool:
        return domain.register_is_open(self.day, timezone.localdate())


class PlaceStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    WAITING = "waiting", "On the waiting list"
    LEFT = "left", "Left the course"


class Place(models.Model):
    """A family member's place on a course, or on its waiting list (first come,
    first offered)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="places")
    person = models.ForeignKey(
        "families.Person", on_delete=models.CASCADE, related_name="course_places"
    )
    status = models.CharField(max_length=10, choices=PlaceStatus.choices)
    asked_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["asked_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "person"], name="one_place_per_person_per_course"
            )
        ]
        indexes = [
            models.Index(
                fields=["course", "status", "asked_at"], name="places_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.course}"


class Mark(models.TextChoices):
    ATTENDED = "attended", "Attended"
    LATE = "late", "Late"
    ABSENT = "absent", "Absent"
    CANCELLED = "cancelled", "Cancelled by the parent"


class Attendance(models.Model):
    """One person's mark in one session's register."""

    session = models.ForeignKey(
        CourseSession, on_delete=models.CASCADE, related_name="register"
    )
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="marks")
    mark = models.CharField(max_length=10, choices=Mark.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "place"], name="one_mark_per_person_per_session"
            )
        ]

    def __str__(self) -> str:
        return self.get_mark_display()


class FeedbackTheme(models.Model):
    """A tag for what feedback is about, managed by administrators."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FeedbackSource(models.TextChoices):
    FAMILY = "family", "Given by the family online"
    VERBAL = "verbal", "Given in person, recorded by staff"


class FeedbackQuerySet(models.QuerySet):
    def in_area_of(self, user) -> "FeedbackQuerySet":
        """Feedback given at hubs in the user's local authority."""
        return self.filter(
            hub__organisation__local_authority_id=user.organisation.local_authority_id
        )


class Feedback(models.Model):
    """What a family says about a programme, a course or their practitioner. It
    names no one: a quote is shown only with consent, and never with a name."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    hub = models.ForeignKey(
        "accounts.Hub",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    about_practitioner = models.BooleanField(default=False)
    text = models.TextField()
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    consent_to_quote = models.BooleanField(default=False)
    themes = models.ManyToManyField(FeedbackTheme, blank=True, related_name="+")
    source = models.CharField(max_length=10, choices=FeedbackSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    given_at = models.DateTimeField(default=timezone.now, db_index=True)
    # A quote is shown only once a team manager has read it for names and
    # anything identifying (or declined to show it).
    quote_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    quote_checked_at = models.DateTimeField(null=True, blank=True)
    quote_shown = models.BooleanField(default=False)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at"]
        indexes = [
            models.Index(
                fields=["consent_to_quote", "-given_at"], name="quotes_newest_first"
            )
        ]

    def __str__(self) -> str:
        return f"Feedback of {self.given_at:%Y-%m-%d}"
