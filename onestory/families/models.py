import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import Combinable
from django.db.models.functions import Lower
from django.utils import timezone

from onestory.accounts.models import TRIAGE_ROLES
from onestory.families import domain


class ConsentPurpose(models.TextChoices):
    SHARE_RECORD = "share_record", "Share the family record to coordinate support"
    REFERRAL = "referral", "Make and receive referrals for support"
    EVALUATION = "evaluation", "Use anonymised information to evaluate services"


# Consent for this purpose opens the record to staff of the named organisation.
ACCESS_PURPOSE = ConsentPurpose.SHARE_RECORD


class FamilyQuerySet(models.QuerySet):
    def visible_to(self, user, *, checking_each=False) -> "FamilyQuerySet":
        """The one access scope for family data (docs/access.md).

        A member of staff with a family role sees a family when their team holds
        its open episode, or they are currently involved in it; and, when the
        episode belongs to another organisation, only while that family's consent
        to share the record with their organisation stands. Triage chairs and team
        managers also see families with an open request to their organisation's
        triage; anyone with a family role sees a family they have emergency
        ("break glass") access to, until it expires.

        The same paths, applied two ways. By default as uncorrelated IN
        subqueries: the database finds the user's few episodes once, through
        indexes, instead of testing every family in turn (for searches and
        lists over everything in scope). With `checking_each`, for a queryset
        already narrowed to a few families (one record, the user's caseload), as
        a correlated EXISTS per family through the family's own indexes, so the
        cost does not grow with how many families the user's teams hold.
        """
        if not (user.is_authenticated and user.is_active and user.reads_family_records):
            return self.none()
        paths: Q | Combinable = Q()
        for rows, family_field in _access_paths(user, checking_each):
            if checking_each:
                paths |= Exists(rows.filter(**{family_field: OuterRef("pk")}))
            else:
                paths |= Q(pk__in=rows.values(family_field))
        # Never across local authorities, whatever the path (and on PostgreSQL
        # row-level security refuses it again).
        return self.filter(
            paths, local_authority_id=user.organisation.local_authority_id
        )


def _access_paths(user, correlated: bool):
    """The access scope's paths to a family: (rows, the field naming their
    family). With `correlated`, conditions on the family itself (its consent)
    refer to the outer family row instead of listing every family that has one."""
    from onestory.support.models import Episode, Involvement

    involvements = Involvement.objects.filter(practitioner=user, ended_at__isnull=True)
    involved = (
        Exists(involvements.filter(episode=OuterRef("pk")))
        if correlated
        else Q(pk__in=involvements.values("episode_id"))
    )
    reachable = Episode.objects.filter(closed_at__isnull=True).filter(
        Q(team_id__in=user.team_ids) | involved
    )
    shared = Consent.objects.filter(
        organisation_id=user.organisation_id,
        purpose=ACCESS_PURPOSE,
        withdrawn_at__isnull=True,
    )
    other_organisation = reachable.exclude(team__organisation_id=user.organisation_id)
    paths: list[tuple[models.QuerySet, str]] = [
        (reachable.filter(team__organisation_id=user.organisation_id), "family_id"),
        (
            other_organisation.filter(Exists(shared.filter(family=OuterRef("family"))))
            if correlated
            else other_organisation.filter(family_id__in=shared.values("family_id")),
            "family_id",
        ),
    ]
    if user.roles & TRIAGE_ROLES:
        paths += _referred_to(user.organisation_id, correlated)
    # Emergency access ("break glass"), while it lasts.
    paths.append(
        (
            BreakGlass.objects.filter(user=user, expires_at__gt=timezone.now()),
            "family_id",
        )
    )
    return paths


def _referred_to(organisation_id, correlated: bool):
    """Families this organisation's triage may read, while their episode is open:
    those with an open request for support to it (its own families, or with the
    family's consent to the referral, or a recorded override), and its own
    families with a consultation flagged for discussion at triage."""
    from onestory.support.models import (
        OPEN_REQUEST_STATUSES,
        Consultation,
        SupportRequest,
    )

    agreed = Consent.objects.filter(
        organisation_id=organisation_id,
        purpose=ConsentPurpose.REFERRAL,
        withdrawn_at__isnull=True,
    )
    requested = SupportRequest.objects.filter(
        to_organisation_id=organisation_id, status__in=OPEN_REQUEST_STATUSES
    ).filter(
        Q(family__episodes__closed_at__isnull=True)
        & (
            Q(family__episodes__team__organisation_id=organisation_id)
            | ~Q(consent_override_reason="")
            | (
                Exists(agreed.filter(family=OuterRef("family")))
                if correlated
                else Q(family_id__in=agreed.values("family_id"))
            )
        )
    )
    flagged = Consultation.objects.filter(
        discuss_at_triage=True,
        discussed_at__isnull=True,
        episode__closed_at__isnull=True,
        episode__team__organisation_id=organisation_id,
    )
    return [(requested, "family_id"), (flagged, "episode__family_id")]


class Family(models.Model):
    """A household: the people who live together and the story they tell once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    address_line_1 = models.CharField(max_length=200)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=8, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Set when the retention period ran out and identifying details were removed.
    anonymised_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_by_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    # The tenant: that of the organisation that added the family. Never changes.
    local_authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )

    objects = FamilyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "families"

    def __str__(self) -> str:
        return f"Family {self.pk}"


class PersonRole(models.TextChoices):
    PARENT_CARER = "parent_carer", "Parent or carer"
    BABY = "baby", "Baby"
    CHILD = "child", "Child"
    UNBORN_BABY = "unborn_baby", "Unborn baby"


class ParentRole(models.TextChoices):
    """Which parent or carer: fathers and partners are in scope of Start for
    Life support and reported on their own (domain.md §8, §8.7)."""

    MOTHER = "mother", "Mother or birthing parent"
    FATHER_OR_PARTNER = "father_or_partner", "Father or partner"
    OTHER_CARER = "other_carer", "Other carer"


class EthnicCategory(models.TextChoices):
    """NHS Data Dictionary ETHNIC CATEGORY (2001 census categories), as the
    Mental Health Services and Talking Therapies data sets record it."""

    A = "A", "White: British"
    B = "B", "White: Irish"
    C = "C", "White: any other White background"
    D = "D", "Mixed: White and Black Caribbean"
    E = "E", "Mixed: White and Black African"
    F = "F", "Mixed: White and Asian"
    G = "G", "Mixed: any other mixed background"
    H = "H", "Asian or Asian British: Indian"
    J = "J", "Asian or Asian British: Pakistani"
    K = "K", "Asian or Asian British: Bangladeshi"
    L = "L", "Asian or Asian British: any other Asian background"
    M = "M", "Black or Black British: Caribbean"
    N = "N", "Black or Black British: African"
    P = "P", "Black or Black British: any other Black background"
    R = "R", "Other ethnic groups: Chinese"
    S = "S", "Other ethnic groups: any other ethnic group"
    Z = "Z", "Not stated (asked, and chose not to say)"


# The broad groups the categories are reported in.
ETHNIC_GROUPS = {
    "white": ("White", "ABC"),
    "mixed": ("Mixed", "DEFG"),
    "asian": ("Asian or Asian British", "HJKL"),
    "black": ("Black or Black British", "MNP"),
    "other": ("Other ethnic groups", "RS"),
    "not_stated": ("Not stated", "Z"),
}


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PersonQuerySet":
        return self.filter(family__in=Family.objects.visible_to(user))


class Person(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(max_length=20, choices=PersonRole.choices)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_delivery_date = models.DateField(null=True, blank=True)
    # NULL, not "", when unknown: the unique constraint must ignore missing numbers.
    nhs_number = models.CharField(max_length=10, null=True, blank=True)  # noqa: DJ001
    preferred_language = models.CharField(max_length=60, default="English")
    interpreter_needed = models.BooleanField(default=False)
    # Blank: not asked yet. For parents and carers only.
    parent_role = models.CharField(
        max_length=20, choices=ParentRole.choices, blank=True
    )
    ethnic_category = models.CharField(
        max_length=1, choices=EthnicCategory.choices, blank=True
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    # The family's, kept here so that an NHS number is unique within each local
    # authority: a family that moves is recorded afresh in its new area.
    local_authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    # Bumped by each correction: a correction made from an older version is
    # refused, never silently overwriting (security.md R31).
    version = models.PositiveIntegerField(default=1)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["date_of_birth", "given_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "nhs_number"],
                condition=Q(nhs_number__isnull=False),
                name="nhs_number_unique_in_local_authority",
            ),
            models.CheckConstraint(
                condition=~Q(role="unborn_baby")
                | Q(expected_delivery_date__isnull=False),
                name="unborn_baby_has_expected_delivery_date",
            ),
        ]
        indexes = [
            models.Index(Lower("family_name"), name="person_family_name_lower"),
            models.Index(Lower("given_name"), name="person_given_name_lower"),
            models.Index(fields=["date_of_birth"], name="person_date_of_birth"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def formatted_nhs_number(self) -> str:
        return domain.format_nhs_number(self.nhs_number) if self.nhs_number else ""


class RelationshipKind(models.TextChoices):
    PARENT_OF = "parent_of", "Parent of"
    CARER_OF = "carer_of", "Carer of"
    PARTNER_OF = "partner_of", "Partner of"
    SIBLING_OF = "sibling_of", "Sibling of"


# What a correction may change, and how each is called to people.
CORRECTABLE = {
    "given_name": "First name",
    "family_name": "Last name",
    "date_of_birth": "Date of birth",
    "nhs_number": "NHS number",
    "preferred_language": "Preferred language",
    "interpreter_needed": "Interpreter needed",
    "parent_role": "Parent or carer",
    "ethnic_category": "Ethnic group",
}


class PersonCorrection(models.Model):
    """One correction of a person's details (the right to rectification): what
    the details were before, which changed, why and by whom. Never edited."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="corrections"
    )
    version = models.PositiveIntegerField()  # the person's version it made
    changed_fields = models.JSONField(default=list)
    previous = models.JSONField(default=dict)  # cleared when the family is anonymised
    reason = models.TextField()
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    corrected_by_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    corrected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "version"], name="one_correction_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"Correction {self.version} of {self.person_id}"


class Relationship(models.Model):
    """`person` is `kind` `relative`: e.g. Amy is parent of Noah."""

    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="relationships"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    relative = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=RelationshipKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "relative"], name="one_relationship_per_pair"
            ),
            models.CheckConstraint(
                condition=~Q(person=models.F("relative")), name="not_related_to_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display().lower()} {self.relative}"


class StoryVersion(models.Model):
    """One version of the family's story, in their words. Never edited in place."""

    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="story_versions"
    )
    number = models.PositiveIntegerField()
    text = models.TextField()
    written_at = models.DateTimeField(default=timezone.now)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_by_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            # Two saves from the same version cannot both win: no lost updates.
            models.UniqueConstraint(
                fields=["family", "number"], name="one_story_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"Story version {self.number}"


class ConsentQuerySet(models.QuerySet):
    def standing(self) -> "ConsentQuerySet":
        return self.filter(withdrawn_at__isnull=True)


class Consent(models.Model):
    """The family's consent to share with one organisation for one purpose."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="consents"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField(max_length=20, choices=ConsentPurpose.choices)
    given_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="consents_given"
    )
    given_on = models.DateField()
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawal_note = models.CharField(max_length=500, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["family", "organisation", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_standing_consent_per_purpose",
            )
        ]
        indexes = [
            models.Index(
                fields=["organisation", "purpose", "family"],
                condition=Q(withdrawn_at__isnull=True),
                name="standing_consent_lookup",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.organisation}"

    @property
    def is_standing(self) -> bool:
        return self.withdrawn_at is None


class BreakGlass(models.Model):
    """Emergency access to one family outside the user's scope: a reason, a time
    limit, every action flagged in the audit trail, and a review by the
    information governance lead."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(
                fields=["user", "family", "expires_at"], name="break_glass_by_user"
            ),
            models.Index(
                fields=["started_at"],
                condition=Q(reviewed_at__isnull=True),
                name="break_glass_to_review",
            ),
        ]

    def __str__(self) -> str:
        return f"Emergency access by {self.user}"

    @property
    def is_active(self) -> bool:
        return self.expires_at > timezone.now()
