"""Correcting a person's details (rectification, UK GDPR article 16): what
they were, why and by whom are kept. Writes, as services.py."""

from django.db import IntegrityError, transaction

from onestory.core import audit, changes
from onestory.core.models import AuditAction, AuditOutcome
from onestory.core.refusals import Refusal
from onestory.families.models import CORRECTABLE, Person, PersonCorrection
from onestory.families.services import NhsNumberAlreadyRecorded


class PersonChangedMeanwhile(Exception):
    """Someone else corrected these details first; nothing was saved."""

    def __init__(self, person):
        super().__init__("The details were corrected meanwhile")
        self.person = person


class NothingToCorrect(Refusal):
    message = "Change at least one detail, or go back"


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
