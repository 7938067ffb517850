"""The only write path for families: each service is one transaction with its
audit. Emergency access and corrections of a person's details have their own
modules (emergency.py, corrections.py)."""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from onestory.core import audit, changes, logs
from onestory.core.models import AuditAction
from onestory.core.refusals import Refusal
from onestory.families import domain, parts
from onestory.families.models import (
    Consent,
    Family,
    Person,
    Relationship,
    RelationshipKind,
    StoryVersion,
)


class StoryConflict(Exception):
    """The story changed since the user started editing; saving would lose it."""

    def __init__(self, latest: StoryVersion | None):
        super().__init__("The story has changed since you started editing")
        self.latest = latest


class NhsNumberAlreadyRecorded(Refusal):
    """Another person already has this NHS number: a hard stop, never a merge.

    Says no more than that the number is known: the record may be outside the
    user's scope, so it is neither shown nor linked."""

    field = "nhs_number"
    message = (
        "This NHS number is already recorded in onestory. Search for the family, "
        "or ask your team manager if you cannot find them"
    )


class NotTheirTeam(Exception):
    """Staff can only give a family's support to a team they belong to."""


class AdderCannotLead(Refusal):
    """Whoever adds a family becomes its lead practitioner, and they cannot be one."""

    def __init__(self, reason: str):
        super().__init__(f"{reason}. Ask a practitioner in your team to add them")


class ConsentAlreadyStanding(Refusal):
    field = "organisation"
    message = "Consent for this organisation and purpose is already recorded"


class ConsentAlreadyWithdrawn(Refusal):
    message = "That consent had already been withdrawn."


@dataclass(frozen=True, kw_only=True)
class PersonDetails:
    role: str
    given_name: str
    family_name: str
    date_of_birth: date | None = None
    expected_delivery_date: date | None = None
    nhs_number: str | None = None
    phone: str = ""  # digits only (domain.normalise_phone_number)
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
    """Add a household, its first members and story; the adder becomes the lead
    (of the first episode of support, which the support app opens:
    families/parts.py)."""
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
    parent = _add_person(family, carer, by, field="carer_nhs_number")
    if child is not None:
        baby = _add_person(family, child, by)
        Relationship.objects.create(
            family=family, person=parent, relative=baby, kind=RelationshipKind.PARENT_OF
        )
    _write_story_version(family, story, number=1, by=by)
    for then in parts.contributed_family_added():
        then(family=family, team=team, by=by)
    audit.record(
        action=AuditAction.CREATE_FAMILY,
        by=by,
        family=family,
        obj=family,
        changed_fields=["address", "members", "story", "episode"],
    )
    return family


def _add_person(
    family: Family, details: PersonDetails, by, *, field="nhs_number"
) -> Person:
    """NHS numbers are unique within the local authority, never checked beyond
    it (that would say who is known elsewhere). `field`: the form field a
    refusal is about."""
    number = details.nhs_number
    known = Person.objects.filter(
        nhs_number=number, local_authority_id=family.local_authority_id
    )
    if number and known.exists():
        raise NhsNumberAlreadyRecorded(field=field)
    try:
        with transaction.atomic():
            return _create_person(family, details, by)
    except IntegrityError:
        if number and known.exists():
            # Saved by someone a moment ago.
            raise NhsNumberAlreadyRecorded(field=field) from None
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
        phone=details.phone,
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
    "phone",
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
    """Withdraw a consent, by a member of staff or by a parent or carer in the
    family's own view (`by` an `audit.FamilyMember`): the same effect at once."""
    family_member = isinstance(by, audit.FamilyMember)
    # Conditional update: two withdrawals at once cannot both succeed.
    changed = Consent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(),
        withdrawn_by=None if family_member else by,
        withdrawn_by_person_id=by.person_id if family_member else None,
        withdrawal_note=note,
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
