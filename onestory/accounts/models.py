import uuid
from email.headerregistry import Address
from email.utils import parseaddr
from functools import cached_property

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone

from onestory.accounts import vault
from onestory.accounts.validators import validate_one_line_name, validate_phone_number
from onestory.core.roles import (  # noqa: F401 (the roles' one definition, re-exported)
    CLINICAL_ROLES,
    EXACT_FIGURES_ROLES,
    FAMILY_ROLES,
    REPORT_ROLES,
    TRIAGE_ROLES,
    Role,
)


class OrganisationKind(models.TextChoices):
    COUNCIL = "council", "Council"
    NHS_TRUST = "nhs_trust", "NHS trust"
    VOLUNTARY_PARTNER = "voluntary_partner", "Voluntary partner"


# What administrators manage in the Django admin. Family data is never here.
ADMINISTERED_APPS = frozenset({"accounts", "measures", "workforce", "programmes"})
# Reference data every local authority shares: programmes and who may deliver
# them, training courses, feedback themes and licensed questionnaire wording.
# A council's administrator may look; only a service administrator may change.
SHARED_REFERENCE_MODELS = frozenset(
    {
        "programmes.programme",
        "programmes.feedbacktheme",
        "workforce.trainingcourse",
        "measures.licensedtext",
    }
)
ADMINISTRATION_ROLES = frozenset({Role.ADMINISTRATOR, Role.SERVICE_ADMINISTRATOR})


class LocalAuthority(models.Model):
    """The area a deployment serves: its tenant. Every organisation, and so every
    family record, belongs to one. Nothing is shared across local authorities;
    on PostgreSQL row-level security enforces it too (docs/access.md)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, unique=True)
    # The ONS area code, for example E06000026 (Plymouth).
    code = models.CharField(max_length=9, blank=True)
    # The Start for Life population: births in the last 24 months plus current
    # pregnancies (domain.md §8.1 R1), from ONS and the local maternity system.
    eligible_families = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Births in the last 24 months plus current pregnancies, for "
        "the share of families reached in the service report.",
    )
    # What families see on their pages, in their emails and on printed sheets,
    # set by the area's administrator (docs/operations.md, "What families see").
    families_name = models.CharField(
        "name families see",
        max_length=100,
        blank=True,
        validators=[validate_one_line_name],
        help_text="For example, Plymouth Family Hubs. If blank, the area's name.",
    )
    council_name = models.CharField(
        "council",
        max_length=200,
        blank=True,
        validators=[validate_one_line_name],
        help_text="For example, Plymouth City Council",
    )
    contact_phone = models.CharField(
        "phone number for families",
        max_length=30,
        blank=True,
        validators=[validate_phone_number],
    )
    contact_email = models.EmailField("email address for families", blank=True)
    sender_name = models.CharField(
        "name emails to families come from",
        max_length=100,
        blank=True,
        validators=[validate_one_line_name],
        help_text="If blank, the name families see",
    )
    sender_email = models.EmailField(
        "address emails to families come from",
        blank=True,
        help_text="Your email provider must let this service send from it. If "
        "blank, the service's own address (ONESTORY_FROM_EMAIL)",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return self.name

    @property
    def name_for_families(self) -> str:
        return self.families_name or self.name

    @property
    def email_sender(self) -> str:
        """The From of emails to families: the sender set here, each part
        falling back to the name families see and ONESTORY_FROM_EMAIL's address."""
        _, service_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        sender = Address(
            display_name=self.sender_name or self.name_for_families,
            addr_spec=self.sender_email or service_address,
        )
        return str(sender)

    @property
    def signature(self) -> str:
        """How an email to a family ends: who it is from and how to reach them."""
        lines = [self.name_for_families, self.council_name]
        if self.contact_phone:
            lines.append(f"Phone: {self.contact_phone}")
        if self.contact_email:
            lines.append(f"Email: {self.contact_email}")
        return "\n".join(line for line in lines if line)


class OrganisationQuerySet(models.QuerySet):
    def in_area_of(self, user) -> "OrganisationQuerySet":
        """Organisations in the user's local authority: the only ones they may
        share with, refer to or meet."""
        return self.filter(local_authority_id=user.organisation.local_authority_id)


class Organisation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="organisations"
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class HubQuerySet(models.QuerySet):
    def in_area_of(self, user) -> "HubQuerySet":
        """Hubs run by organisations in the user's local authority."""
        return self.filter(
            organisation__local_authority_id=user.organisation.local_authority_id
        )


class Hub(models.Model):
    """A family hub site, run by one organisation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, unique=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="hubs"
    )
    postcode = models.CharField(max_length=8, blank=True)

    objects = HubQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="teams"
    )
    hub = models.ForeignKey(
        Hub, null=True, blank=True, on_delete=models.PROTECT, related_name="teams"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="team_name_unique_in_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def in_area_of(self, user):
        """Active staff of the organisations in the user's local authority."""
        return self.filter(
            is_active=True,
            organisation__local_authority_id=user.organisation.local_authority_id,
        )

    def in_organisation_of(self, user):
        """Active staff of the user's own organisation."""
        return self.filter(is_active=True, organisation_id=user.organisation_id)


class User(AbstractBaseUser):
    """A member of staff. Sign-in is by email address."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="staff"
    )
    teams = models.ManyToManyField(Team, blank=True, related_name="members")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Bumped to end every other session ("sign out everywhere else").
    session_epoch = models.PositiveIntegerField(default=0)
    # Set when an administrator added the account or reset its two-factor
    # sign-in: the app is then set up only through the link emailed to the user,
    # never at a sign-in with the password alone.
    enrol_by_link = models.BooleanField(default=False)
    # Wrong two-factor codes in a row, across every sign-in and window; at
    # services.LOCK_AFTER_WRONG_CODES the account is locked until an
    # administrator unlocks it.
    wrong_codes = models.PositiveIntegerField(default=0)
    locked_at = models.DateTimeField(
        "locked after wrong codes",
        null=True,
        blank=True,
        help_text="Unlock with 'Let them sign in again now' on the staff list.",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(grant.role for grant in self.role_grants.all())

    @cached_property
    def team_ids(self) -> frozenset[uuid.UUID]:
        return frozenset(team.pk for team in self.teams.all())

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def reads_family_records(self) -> bool:
        return bool(self.roles & FAMILY_ROLES)

    @property
    def sees_clinical_information(self) -> bool:
        return bool(self.roles & CLINICAL_ROLES)

    @property
    def is_administrator(self) -> bool:
        return Role.ADMINISTRATOR in self.roles

    @property
    def uses_administration(self) -> bool:
        """A council's administrator, or the service administrator."""
        return bool(self.roles & ADMINISTRATION_ROLES)

    # Django admin asks these. A council's administrators manage their area's
    # organisations, teams and staff, and see the shared reference data; only a
    # service administrator changes that (SHARED_REFERENCE_MODELS).
    @property
    def is_staff(self) -> bool:
        return self.uses_administration

    def has_perm(self, perm: str, obj=None) -> bool:
        app_label, _, codename = perm.partition(".")
        action, _, model = codename.partition("_")
        if not self.is_active or app_label not in ADMINISTERED_APPS:
            return False
        if f"{app_label}.{model}" in SHARED_REFERENCE_MODELS:
            if self.has_role(Role.SERVICE_ADMINISTRATOR):
                return True
            return action == "view" and self.is_administrator
        return self.is_administrator

    def has_module_perms(self, app_label: str) -> bool:
        return (
            self.is_active
            and self.uses_administration
            and app_label in ADMINISTERED_APPS
        )


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=30, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="one_grant_per_role")
        ]

    def __str__(self) -> str:
        return self.get_role_display()


class Authenticator(models.Model):
    """A member of staff's authenticator app: the TOTP secret they enrolled."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="authenticator"
    )
    # Encrypted with ONESTORY_TOTP_KEY (accounts/vault.py); read and set `secret`.
    encrypted_secret = models.CharField(max_length=200)
    confirmed_at = models.DateTimeField(default=timezone.now)
    # The last 30-second step a code was accepted for: older ones are replays.
    last_used_step = models.BigIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Authenticator app for {self.user}"

    @property
    def secret(self) -> str:
        return vault.decrypt(self.encrypted_secret, user_id=self.user_id)

    @secret.setter
    def secret(self, value: str) -> None:
        self.encrypted_secret = vault.encrypt(value, user_id=self.user_id)


class RecoveryCode(models.Model):
    """A single-use code for when the authenticator app is lost. Only a hash
    keyed with ONESTORY_RECOVERY_CODE_KEY is kept; the code itself is shown
    once, at enrolment."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "code_hash"], name="one_recovery_code_each"
            )
        ]

    def __str__(self) -> str:
        return "Recovery code" + (" (used)" if self.used_at else "")


class SetUpLinkKind(models.TextChoices):
    PASSWORD = "password", "Choose a password"
    SECOND_FACTOR = "second_factor", "Set up two-factor sign-in again"


class SetUpLink(models.Model):
    """A one-time link an administrator has emailed to a member of staff, to
    choose their password or set up their authenticator app again. Only a hash
    of the token is kept; it works once, until `expires_at`, and a newer link
    for the same account replaces it."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="set_up_links"
    )
    kind = models.CharField(max_length=20, choices=SetUpLinkKind.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        User, null=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} link for {self.user}"
