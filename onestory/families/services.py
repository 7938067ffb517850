"""The only write path for families: each service is one transaction with its audit."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from onestory.accounts.services import email_information_governance
from onestory.core import audit, changes, logs
from onestory.core.models import AuditAction, AuditEvent, AuditOutcome
from onestory.families import domain
from onestory.families.models import (
    CORRECTABLE,
    BreakGlass,
    Consent,
    Family,
    Person,
    PersonCorrection,
    Relationship,
    RelationshipKind,
    StoryVersion,
)
from onestory.support.services import open_episode


class StoryConflict(Exception):
    """The story changed since the user started editing; saving would lose it."""

    def __init__(self, latest: StoryVersion | None):
        super().__init__("The story has changed since you started editing")
        self.latest = latest


class NhsNumberAlreadyRecorded(Exception):
    """Another person already has this NHS number: a hard stop, never a merge."""


class NotTheirTeam(Exception):
    """Staff can only give a family's support to a team they belong to."""


class ConsentAlreadyStanding(Exception):
    """Consent for this organisation and purpose is already recorded."""


class ConsentAlreadyWithdrawn(Exception):
    """This consent was withdrawn earlier."""


@dataclass(frozen=True, kw_only=True)
class PersonDetails:
    role: str
    given_name: str
    family_name: str
    date_of_birth: date | None = None
    expected_delivery_date: date | None = None
    nhs_number: str | None = None
    preferred_language: str = "English"
    interpreter_needed: bool = False
    parent_role: str = ""
    ethnic_category: str = ""


@dataclass(frozen=True, kw_only=True)
class Address:
    line_1: str
    line_2: str
    town: str
    postcode: str


@dataclass(frozen=True)
class PossibleDuplicates:
    """People already recorded who are likely the same as someone being added:
    those the user may see, and how many more they may not."""

    visible: list
    hidden: int

    def __bool__(self) -> bool:
        return bool(self.visible) or self.hidden > 0


@transaction.atomic
def possible_duplicates(*, people: list[PersonDetails], by) -> PossibleDuplicates:
    """Likely matches in the user's local authority (domain.likely_same_person),
    found by date of birth (or with day and month swapped) through its index.
    The check is audited as a search; nothing is ever merged."""
    dates: set[date | None] = set()
    for person in people:
        if person.date_of_birth:
            dates.add(person.date_of_birth)
            dates.add(domain.swapped_day_and_month(person.date_of_birth))
    dates.discard(None)
    if not dates:
        return PossibleDuplicates([], 0)
    candidates = Person.objects.filter(
        date_of_birth__in=dates,
        family__local_authority_id=by.organisation.local_authority_id,
        family__anonymised_at=None,
    ).select_related("family")
    matches = [
        candidate
        for candidate in candidates
        for person in people
        if domain.likely_same_person(
            person.given_name,
            person.family_name,
            person.date_of_birth,
            candidate.given_name,
            candidate.family_name,
            candidate.date_of_birth,
        )
    ]
    if not matches:
        return PossibleDuplicates([], 0)
    visible_families = set(
        Family.objects.visible_to(by)
        .filter(pk__in={m.family_id for m in matches})
        .values_list("pk", flat=True)
    )
    visible = list(
        {m.pk: m for m in matches if m.family_id in visible_families}.values()
    )
    hidden_families = sorted(
        {str(m.family_id) for m in matches if m.family_id not in visible_families}
    )
    hidden = len({m.pk for m in matches if m.family_id not in visible_families})
    audit.record(
        action=AuditAction.SEARCH_FAMILIES,
        by=by,
        detail={
            "duplicate_check": True,
            "shown": len(visible),
            "not_shown": hidden,
            # For the information governance lead: which records were behind
            # "there may be a record you cannot see".
            "not_shown_families": hidden_families,
        },
    )
    if hidden:
        logs.security_event(
            "duplicate_check_found_hidden_records", user_id=str(by.pk), records=hidden
        )
    return PossibleDuplicates(visible, hidden)


@transaction.atomic
def add_family(
    *,
    address: Address,
    carer: PersonDetails,
    child: PersonDetails | None,
    story: str,
    team,
    by,
) -> Family:
    """Add a household, its first members and story; the adder becomes the lead."""
    if team.pk not in by.team_ids:
        raise NotTheirTeam
    family = Family.objects.create(
        address_line_1=address.line_1,
        address_line_2=address.line_2,
        town=address.town,
        postcode=address.postcode,
        created_by=by,
        created_by_organisation_id=by.organisation_id,
        local_authority_id=by.organisation.local_authority_id,
    )
    parent = _add_person(family, carer, by)
    if child is not None:
        baby = _add_person(family, child, by)
        Relationship.objects.create(
            family=family, person=parent, relative=baby, kind=RelationshipKind.PARENT_OF
        )
    _write_story_version(family, story, number=1, by=by)
    open_episode(family=family, team=team, lead=by, by=by)
    audit.record(
        action=AuditAction.CREATE_FAMILY,
        by=by,
        family=family,
        obj=family,
        changed_fields=["address", "members", "story", "episode"],
    )
    return family


def _add_person(family: Family, details: PersonDetails, by) -> Person:
    """NHS numbers are unique within the local authority, never checked beyond
    it (that would say who is known elsewhere)."""
    number = details.nhs_number
    known = Person.objects.filter(
        nhs_number=number, local_authority_id=family.local_authority_id
    )
    if number and known.exists():
        raise NhsNumberAlreadyRecorded
    try:
        with transaction.atomic():
            return _create_person(family, details, by)
    except IntegrityError:
        if number and known.exists():
            raise NhsNumberAlreadyRecorded from None  # saved by someone a moment ago
        raise


def _create_person(family: Family, details: PersonDetails, by) -> Person:
    return Person.objects.create(
        family=family,
        role=details.role,
        given_name=details.given_name,
        family_name=details.family_name,
        date_of_birth=details.date_of_birth,
        expected_delivery_date=details.expected_delivery_date,
        nhs_number=details.nhs_number or None,
        preferred_language=details.preferred_language,
        interpreter_needed=details.interpreter_needed,
        parent_role=details.parent_role,
        ethnic_category=details.ethnic_category,
        recorded_by=by,
        recorded_by_organisation_id=by.organisation_id,
        local_authority_id=family.local_authority_id,
    )


@transaction.atomic
def add_member(
    *,
    family: Family,
    details: PersonDetails,
    related_to: Person | None = None,
    relationship: str = "",
    by,
) -> Person:
    """Add a person to the household, related (optionally) to someone in it."""
    person = _add_person(family, details, by)
    # The report counts members as they are now: see correct_person.
    changes.data_changed(local_authority=family.local_authority_id)
    if related_to is not None and relationship:
        if related_to.family_id != family.pk:
            raise ValueError("Relatives must belong to the same family")
        subject, relative = (person, related_to)
        if relationship == CHILD_OF:
            subject, relative, relationship = (
                related_to,
                person,
                RelationshipKind.PARENT_OF,
            )
        Relationship.objects.create(
            family=family, person=subject, relative=relative, kind=relationship
        )
    audit.record(
        action=AuditAction.ADD_MEMBER,
        by=by,
        family=family,
        person=person,
        obj=person,
        changed_fields=[f for f in _PERSON_FIELDS if getattr(details, f)],
    )
    return person


# A child is recorded as the other person being their parent.
CHILD_OF = "child_of"
_PERSON_FIELDS = (
    "role",
    "given_name",
    "family_name",
    "date_of_birth",
    "expected_delivery_date",
    "nhs_number",
    "preferred_language",
    "interpreter_needed",
    "parent_role",
    "ethnic_category",
)


def _write_story_version(family, text: str, *, number: int, by) -> StoryVersion:
    return StoryVersion.objects.create(
        family=family,
        number=number,
        text=text,
        written_by=by,
        written_by_organisation_id=by.organisation_id,
    )


def edit_story(*, family: Family, text: str, based_on: int, by) -> StoryVersion:
    """Save a new version of the story, refused if it was edited meanwhile."""
    try:
        with transaction.atomic():
            latest = family.story_versions.order_by("-number").first()
            if latest is None or latest.number != based_on:
                raise StoryConflict(latest)
            version = _write_story_version(family, text, number=based_on + 1, by=by)
            audit.record(
                action=AuditAction.EDIT_STORY,
                by=by,
                family=family,
                obj=version,
                changed_fields=["text"],
            )
            return version
    except IntegrityError:
        # Another save took the same version number a moment earlier.
        raise StoryConflict(family.story_versions.order_by("-number").first()) from None


def record_story_conflict(*, family: Family, by) -> None:
    with transaction.atomic():
        audit.record(action=AuditAction.EDIT_STORY_CONFLICT, by=by, family=family)


@transaction.atomic
def record_consent(
    *, family: Family, organisation, purpose: str, given_by: Person, given_on: date, by
) -> Consent:
    if (
        family.consents.standing()
        .filter(organisation=organisation, purpose=purpose)
        .exists()
    ):
        raise ConsentAlreadyStanding
    consent = Consent.objects.create(
        family=family,
        organisation=organisation,
        purpose=purpose,
        given_by=given_by,
        given_on=given_on,
        recorded_by=by,
        recorded_by_organisation_id=by.organisation_id,
    )
    audit.record(
        action=AuditAction.RECORD_CONSENT,
        by=by,
        family=family,
        obj=consent,
        changed_fields=["organisation", "purpose", "given_by", "given_on"],
    )
    return consent


@transaction.atomic
def withdraw_consent(*, consent: Consent, note: str, by) -> Consent:
    # Conditional update: two withdrawals at once cannot both succeed.
    changed = Consent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(), withdrawn_by=by, withdrawal_note=note
    )
    if not changed:
        raise ConsentAlreadyWithdrawn
    consent.refresh_from_db()
    audit.record(
        action=AuditAction.WITHDRAW_CONSENT,
        by=by,
        family=consent.family_id,
        obj=consent,
        changed_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"],
    )
    return consent


# Emergency ("break glass") access.
BREAK_GLASS_HOURS = 4
REASON_AT_LEAST = 20


class TooManyEmergencyAccesses(Exception):
    """More than BREAK_GLASS_PER_DAY attempts in 24 hours (security.md R6)."""


def _break_glass_today(user) -> int:
    """Emergency accesses the user asked for in the last 24 hours, found or not:
    an unknown NHS number is an answer too (whether someone is known)."""
    return AuditEvent.objects.filter(
        actor=user,
        action=AuditAction.BREAK_GLASS,
        occurred_at__gte=timezone.now() - timedelta(hours=24),
    ).count()


class ReasonTooShort(Exception):
    """Emergency access needs a reason of at least REASON_AT_LEAST characters."""


@transaction.atomic
def break_glass(*, nhs_number: str, reason: str, by) -> BreakGlass | None:
    """Open one family, outside the user's scope, for a few hours, with a reason.
    None when no one has that NHS number.

    The attempt is audited whether or not a family is found; the information
    governance leads are told by email (without the family's details)."""
    reason = reason.strip()
    if len(reason) < REASON_AT_LEAST:
        raise ReasonTooShort
    if _break_glass_today(by) >= settings.BREAK_GLASS_PER_DAY:
        logs.security_event("emergency_access_limit", user_id=str(by.pk))
        raise TooManyEmergencyAccesses
    # Only within the user's own local authority: emergency access never crosses.
    person = Person.objects.filter(
        nhs_number=nhs_number,
        family__local_authority_id=by.organisation.local_authority_id,
    ).first()
    if person is None:
        audit.record(
            action=AuditAction.BREAK_GLASS,
            by=by,
            outcome=AuditOutcome.REFUSED,
            detail={"reason": reason, "found": False},
        )
        return None
    now = timezone.now()
    grant = BreakGlass.objects.create(
        user=by,
        family_id=person.family_id,
        reason=reason,
        started_at=now,
        expires_at=now + timedelta(hours=BREAK_GLASS_HOURS),
    )
    audit.record(
        action=AuditAction.BREAK_GLASS,
        by=by,
        family=person.family_id,
        person=person,
        obj=grant,
        detail={"reason": reason},
    )
    _alert_information_governance(grant)
    logs.security_event(
        "emergency_access", user_id=str(by.pk), family_id=str(grant.family_id)
    )
    return grant


def _alert_information_governance(grant) -> None:
    user = grant.user
    email_information_governance(
        local_authority_id=user.organisation.local_authority_id,
        subject="onestory: emergency access to a family record",
        message=(
            f"{user.full_name} ({user.organisation}) used emergency access to a "
            f"family record at {timezone.localtime(grant.started_at):%-d %B %Y %H:%M}"
            f", until {timezone.localtime(grant.expires_at):%H:%M}.\n\n"
            "They gave a reason, which is kept in onestory (not in this email: "
            "it may name the family). Everything they do in that record is "
            "flagged in the audit trail. Review it here:\n\n"
            f"{settings.PUBLIC_URL}"
            f"{reverse('families:review_emergency_access', args=[grant.pk])}\n"
        ),
    )


@transaction.atomic
def review_break_glass(*, grant: BreakGlass, note: str, by) -> BreakGlass:
    BreakGlass.objects.filter(pk=grant.pk, reviewed_at=None).update(
        reviewed_by=by, reviewed_at=timezone.now(), review_note=note.strip()
    )
    audit.record(
        action=AuditAction.REVIEW_BREAK_GLASS,
        by=by,
        obj=grant,
        changed_fields=["reviewed_at", "review_note"],
    )
    grant.refresh_from_db()
    return grant


class PersonChangedMeanwhile(Exception):
    """Someone else corrected these details first; nothing was saved."""

    def __init__(self, person):
        super().__init__("The details were corrected meanwhile")
        self.person = person


class NothingToCorrect(Exception):
    pass


@transaction.atomic
def correct_person(*, person: Person, details: dict, based_on: int, reason: str, by):
    """Correct a person's details (rectification), keeping what they were, why
    and by whom. Refused if the details changed since `based_on` was read."""
    changed = [
        name
        for name in CORRECTABLE
        if name in details and details[name] != getattr(person, name)
    ]
    if not changed:
        raise NothingToCorrect
    number = details.get("nhs_number")
    if (
        "nhs_number" in changed
        and number
        and Person.objects.filter(
            nhs_number=number, local_authority_id=person.local_authority_id
        )
        .exclude(pk=person.pk)
        .exists()
    ):
        raise NhsNumberAlreadyRecorded
    previous = {name: _plain(getattr(person, name)) for name in changed}
    try:
        with transaction.atomic():
            updated = Person.objects.filter(pk=person.pk, version=based_on).update(
                version=based_on + 1, **{name: details[name] for name in changed}
            )
    except IntegrityError:  # the NHS number was recorded a moment ago
        raise NhsNumberAlreadyRecorded from None
    if not updated:
        raise PersonChangedMeanwhile(Person.objects.get(pk=person.pk))
    # A parent's details are as they are now in every quarter's figures.
    changes.data_changed(local_authority=person.local_authority_id)
    PersonCorrection.objects.create(
        person=person,
        version=based_on + 1,
        changed_fields=changed,
        previous=previous,
        reason=reason.strip(),
        corrected_by=by,
        corrected_by_organisation_id=by.organisation_id,
    )
    audit.record(
        action=AuditAction.CORRECT_PERSON,
        by=by,
        family=person.family_id,
        person=person,
        changed_fields=changed,
    )
    person.refresh_from_db()
    return person


def record_correction_conflict(*, person: Person, by) -> None:
    """A refused correction leaves a trace, outside the rolled-back attempt."""
    with transaction.atomic():
        audit.record(
            action=AuditAction.CORRECT_PERSON_CONFLICT,
            by=by,
            family=person.family_id,
            person=person,
            outcome=AuditOutcome.REFUSED,
        )


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value
