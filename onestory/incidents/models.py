"""A major incident: where it is, who responds, and the welfare check of each
family inside it (docs/incidents.md).

The postcode directory is open reference data every local authority shares:
it says where a postcode is, never who lives there. Everything else names its
local authority, for row-level security on PostgreSQL (core/tenancy.py)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from onestory.incidents import domain


class PostcodePoint(models.Model):
    """Where a postcode is: the centroid of its addresses, in British National
    Grid metres, from an open postcode directory (OS Code-Point Open, Open
    Government Licence v3.0). Loaded all or nothing by `load_postcodes`."""

    postcode = models.CharField(max_length=8, primary_key=True)  # "PL2 1AB"
    easting = models.PositiveIntegerField()
    northing = models.PositiveIntegerField()
    # Code-Point Open's positional quality: 10 is within the building of a
    # matched address closest to the postcode's mean; 90 has no coordinates.
    quality = models.PositiveSmallIntegerField(default=10)

    class Meta:
        indexes = [
            models.Index(fields=["easting", "northing"], name="postcode_point_grid"),
        ]

    def __str__(self) -> str:
        return self.postcode


class Incident(models.Model):
    """A major incident declared by an emergency lead, open until stood down."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    local_authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=200)
    started_at = models.DateTimeField()
    declared_at = models.DateTimeField(default=timezone.now)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Families whose support ended this many days before the incident are
    # listed too: they may still need help.
    closed_within_days = models.PositiveSmallIntegerField(default=90)
    no_answers_before_escalation = models.PositiveSmallIntegerField(
        default=domain.NO_ANSWERS_BEFORE_ESCALATION
    )
    stood_down_at = models.DateTimeField(null=True, blank=True)
    stood_down_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(
                fields=["local_authority", "-started_at"], name="incident_by_area"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.stood_down_at is None


class AreaKind(models.TextChoices):
    CIRCLE = "circle", "A circle"
    ROUTE = "route", "A route with a buffer"
    POSTCODES = "postcodes", "A list of postcodes"


class IncidentArea(models.Model):
    """One area of an incident. Widening an area ends it and adds its
    replacement, so the history of the cordon is kept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="areas"
    )
    local_authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=AreaKind.choices)
    # A circle: its centre and radius. A route: its points ([[e, n], ...]) and
    # the buffer either side. Postcodes: the list. Metres throughout.
    centre_easting = models.PositiveIntegerField(null=True, blank=True)
    centre_northing = models.PositiveIntegerField(null=True, blank=True)
    radius_m = models.PositiveIntegerField(null=True, blank=True)
    route = models.JSONField(default=list, blank=True)
    buffer_m = models.PositiveIntegerField(null=True, blank=True)
    postcodes = models.JSONField(default=list, blank=True)
    # What the area was given as ("PL2 1AB", "SX 4560 5590"), for people.
    given_as = models.CharField(max_length=500, blank=True)
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["added_at"]

    def __str__(self) -> str:
        return self.name

    def shape(self):
        """The area as the domain's shape, or its set of postcodes."""
        if self.kind == AreaKind.CIRCLE:
            return domain.Circle(
                (self.centre_easting, self.centre_northing), self.radius_m
            )
        if self.kind == AreaKind.ROUTE:
            return domain.Route(tuple((e, n) for e, n in self.route), self.buffer_m)
        return frozenset(self.postcodes)


class IncidentStaff(models.Model):
    """Someone assigned to respond to the incident: while it is open they see
    the welfare-check fields of the families in it, whatever their usual
    scope (docs/incidents.md, "Who sees what")."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="staff"
    )
    local_authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "user"], name="one_assignment_per_incident"
            )
        ]

    def __str__(self) -> str:
        return f"Incident staff ({self.user_id})"


class RestCentre(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="rest_centres"
    )
    local_authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=200)
    postcode = models.CharField(max_length=8, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["opened_at"]

    def __str__(self) -> str:
        return self.name


class AssignedAs(models.TextChoices):
    LEAD = "lead", "Their lead practitioner"
    TEAM = "team", "Someone in their team"
    INCIDENT = "incident", "Incident staff"


class Outcome(models.TextChoices):
    SAFE_AT_HOME = "safe_at_home", "Safe at home"
    WITH_FAMILY_OR_FRIENDS = "with_family_or_friends", "Safe with family or friends"
    AT_REST_CENTRE = "at_rest_centre", "At a rest centre"
    NEEDS_TRANSPORT = "needs_transport", "Needs transport"
    NEEDS_MEDICATION = "needs_medication", "Needs medication"
    NEEDS_FORMULA = "needs_formula", "Needs formula or sterilising"
    NEEDS_POWER = "needs_power", "Needs power for equipment"
    NO_ANSWER = "no_answer", "No answer"


# The outcomes that still call for help after the family is reached.
NEEDS = frozenset(
    {
        Outcome.NEEDS_TRANSPORT,
        Outcome.NEEDS_MEDICATION,
        Outcome.NEEDS_FORMULA,
        Outcome.NEEDS_POWER,
    }
)


class Method(models.TextChoices):
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    VISIT = "visit", "Visit"
    REST_CENTRE = "rest_centre", "At a rest centre"


class WelfareCheck(models.Model):
    """One family inside the incident's areas: why it is where it is in the
    list, who checks on it, and how it is."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="checks"
    )
    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, related_name="+"
    )
    local_authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey(IncidentArea, on_delete=models.PROTECT, related_name="+")
    listed_at = models.DateTimeField(default=timezone.now)
    priority = models.PositiveSmallIntegerField(default=0)
    # The codes of domain.REASONS that apply, and the dates that break ties
    # (domain.sort_key).
    reasons = models.JSONField(default=list, blank=True)
    birth_due_on = models.DateField(null=True, blank=True)
    youngest_born_on = models.DateField(null=True, blank=True)
    rank = models.PositiveIntegerField(default=0)  # 1 is checked first
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_as = models.CharField(max_length=10, choices=AssignedAs.choices)
    # The latest attempt's outcome, and when the family was first reached.
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    reached_at = models.DateTimeField(null=True, blank=True)
    rest_centre = models.ForeignKey(
        RestCentre, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # Set when the family left every area of the incident (an area was
    # narrowed): kept, for the record, but no longer listed.
    left_area_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "family"], name="one_check_per_family"
            )
        ]
        indexes = [
            models.Index(
                fields=["incident", "rank"],
                condition=Q(left_area_at__isnull=True),
                name="checks_listed_by_rank",
            ),
            models.Index(fields=["assigned_to", "incident"], name="checks_assigned"),
        ]

    def __str__(self) -> str:
        return f"Welfare check {self.rank}"

    @property
    def reached(self) -> bool:
        return self.reached_at is not None


class CheckAttempt(models.Model):
    """One try at reaching a family: when, how, who, and what happened."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    welfare_check = models.ForeignKey(
        WelfareCheck, on_delete=models.CASCADE, related_name="attempt_rows"
    )
    local_authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    method = models.CharField(max_length=12, choices=Method.choices)
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    rest_centre = models.ForeignKey(
        RestCentre, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.get_method_display()}: {self.get_outcome_display()}"


class IncidentLearning(models.Model):
    """An entry in an incident's learning log, after it: the learning log's
    four questions, about the response rather than a report's figure. Names
    no family."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="learning"
    )
    local_authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    question = models.TextField()
    tried = models.TextField()
    noticed = models.TextField()
    next_steps = models.TextField()
    written_at = models.DateTimeField(default=timezone.now)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["written_at"]

    def __str__(self) -> str:
        return f"Learning from {self.incident_id}"
