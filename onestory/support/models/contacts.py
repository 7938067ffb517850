"""Contacts with a family: how they happened and whether the family came."""

import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone

from onestory.support.models.episodes import Episode


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
        name, _, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        # Migrations name it where it has always been imported from.
        path = "onestory.support.models.LocalDay"
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


class ArrangedContact(models.Model):
    """The next contact arranged with the family: a visit, a call or a session
    to come. Recorded as a `Contact` once it has happened; until then the
    family sees it in their own view ("Coming up")."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="arranged_contacts"
    )
    starts_at = models.DateTimeField()
    contact_type = models.CharField(max_length=20, choices=ContactType.choices)
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    arranged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    arranged_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["episode", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.get_contact_type_display()} arranged"
