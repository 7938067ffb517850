"""The people in a household: their details, how they are related, and each
correction of their details."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from onestory.families import domain
from onestory.families.models.households import Family


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
    # Digits only (domain.normalise_phone_number); blank when not given. To
    # reach the family: in a major incident, to check they are safe.
    phone = models.CharField("Phone number", max_length=20, blank=True)
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

    @property
    def formatted_phone(self) -> str:
        return domain.format_phone_number(self.phone) if self.phone else ""


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
    "phone": "Phone number",
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
