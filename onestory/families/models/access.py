"""Who may see a family: the one access scope, the family's consent to share
its record, and emergency ("break glass") access (docs/access.md)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import Combinable
from django.utils import timezone

from onestory.families import parts


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
    refer to the outer family row instead of listing every family that has one.
    Those through a family's support (its episodes, teams and triage) come from
    the support app (families/parts.py); emergency access is the family's own."""
    paths: list[tuple[models.QuerySet, str]] = []
    for contributed in parts.contributed_access_paths():
        paths += contributed(user, correlated)
    # Emergency access ("break glass"), while it lasts.
    paths.append(
        (
            BreakGlass.objects.filter(user=user, expires_at__gt=timezone.now()),
            "family_id",
        )
    )
    return paths


class ConsentQuerySet(models.QuerySet):
    def standing(self) -> "ConsentQuerySet":
        return self.filter(withdrawn_at__isnull=True)


class Consent(models.Model):
    """The family's consent to share with one organisation for one purpose."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, related_name="consents"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField(max_length=20, choices=ConsentPurpose.choices)
    given_by = models.ForeignKey(
        "families.Person", on_delete=models.PROTECT, related_name="consents_given"
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
    # Withdrawn by a parent or carer themselves, in the family's own view.
    withdrawn_by_person = models.ForeignKey(
        "families.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
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
    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, related_name="+"
    )
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
