"""Data protection rights: everything held about one person (subject access).

UK GDPR article 15: the person's own data, where it came from, who it was
shared with, and who has accessed it. Household records (the story, contacts,
the plan) are about the person but may hold other people's information; they
are included and flagged for review before release (the ICO's three-step test
for third-party information), as are the other household members' details.
The apps about the family's support give their sections' items (questionnaires,
support, the team around the family: families/parts.py); the export's sections
and their order are set here.
"""

from dataclasses import asdict, dataclass, field

from django.db.models import Q
from django.utils import timezone

from onestory.core.models import AuditEvent
from onestory.core.refusals import Refusal
from onestory.families import parts
from onestory.families.models import CORRECTABLE, Consent, Person, StoryVersion


class NoOneMatches(Refusal):
    field = "nhs_number"
    message = "No one in onestory matches"


def find(user, *, nhs_number="", person=None) -> Person:
    """The person a subject access request is about, by NHS number or person
    reference, in the user's own local authority."""
    found = (
        Person.objects.select_related(
            "family", "recorded_by", "recorded_by_organisation"
        )
        .filter(
            family__local_authority_id=user.organisation.local_authority_id,
            **({"nhs_number": nhs_number} if nhs_number else {"pk": person}),
        )
        .first()
    )
    if found is None:
        raise NoOneMatches
    return found


THIRD_PARTY = "May hold information about other people: review before release"


@dataclass
class Item:
    what: str
    when: str = ""
    by: str = ""
    text: str = ""
    third_party: str = ""  # why it needs review before release, if it does


@dataclass
class Section:
    title: str
    items: list = field(default_factory=list)


def when(moment) -> str:
    if moment is None:
        return ""
    if hasattr(moment, "astimezone"):
        return timezone.localtime(moment).isoformat(timespec="minutes")
    return moment.isoformat()


def by_whom(user, organisation=None) -> str:
    if user is None:
        return ""
    return f"{user.full_name}, {organisation or user.organisation}"


def subject_access(person: Person) -> dict:
    family = person.family
    sections = [
        _about(person),
        _corrections(person),
        _household(person),
        Section(
            "Your family's story",
            [
                Item(
                    f"Story, version {v.number}",
                    when(v.written_at),
                    by_whom(v.written_by, v.written_by_organisation),
                    v.text,
                    THIRD_PARTY,
                )
                for v in StoryVersion.objects.filter(family=family)
                .select_related("written_by", "written_by_organisation")
                .order_by("number")
            ],
        ),
        Section(
            "Questionnaires and interventions", _contributed("questionnaires", person)
        ),
        Section("Support for your family", _contributed("support", person)),
        _shared_with(person),
        _accessed_by(person),
    ]
    return {
        "generated_at": when(timezone.now()),
        "subject": {
            "reference": str(person.pk),
            "name": person.full_name,
            "nhs_number": person.nhs_number or "",
        },
        "sections": [asdict(section) for section in sections],
    }


def _about(person) -> Section:
    details = [
        ("Name", person.full_name),
        ("Role in the household", person.get_role_display()),
        ("Date of birth", when(person.date_of_birth)),
        ("Expected delivery date", when(person.expected_delivery_date)),
        ("NHS number", person.nhs_number or ""),
        ("Phone number", person.formatted_phone),
        ("Preferred language", person.preferred_language),
        ("Needs an interpreter", "Yes" if person.interpreter_needed else "No"),
        ("Parent or carer", person.get_parent_role_display()),
        ("Ethnic group", person.get_ethnic_category_display()),
        (
            "Address",
            ", ".join(
                p
                for p in (
                    person.family.address_line_1,
                    person.family.address_line_2,
                    person.family.town,
                    person.family.postcode,
                )
                if p
            ),
        ),
    ]
    by = by_whom(person.recorded_by, person.recorded_by_organisation)
    return Section(
        "About you",
        [
            Item(label, when(person.recorded_at), by, value)
            for label, value in details
            if value
        ],
    )


def _corrections(person) -> Section:
    """Each correction of their details: what was held before, and why."""
    return Section(
        "Corrections to your details",
        [
            Item(
                ", ".join(CORRECTABLE[name] for name in correction.changed_fields),
                when(correction.corrected_at),
                by_whom(correction.corrected_by, correction.corrected_by_organisation),
                "Before: "
                + "; ".join(
                    f"{CORRECTABLE[name]}: {value}"
                    for name, value in correction.previous.items()
                )
                + f". Why: {correction.reason}",
            )
            for correction in person.corrections.select_related(
                "corrected_by", "corrected_by_organisation"
            ).order_by("version")
        ],
    )


def _household(person) -> Section:
    others = Person.objects.filter(family=person.family).exclude(pk=person.pk)
    return Section(
        "Other people in your household",
        [
            Item(
                other.get_role_display(),
                text=other.full_name,
                third_party="Another person's details: withhold or redact unless "
                "they agree or it is reasonable to release",
            )
            for other in others
        ],
    )


def _contributed(section: str, person) -> list[Item]:
    """The items other apps hold for a section (families/parts.py)."""
    return [
        item
        for items in parts.contributed_subject_access(section)
        for item in items(person)
    ]


def _shared_with(person) -> Section:
    family = person.family
    items = [
        Item(
            f"{c.get_purpose_display()}: {c.organisation}",
            when(c.recorded_at),
            by_whom(c.recorded_by, c.recorded_by_organisation),
            f"Given by {c.given_by.full_name} on {when(c.given_on)}"
            + (f"; withdrawn {when(c.withdrawn_at)}" if c.withdrawn_at else ""),
        )
        for c in Consent.objects.filter(family=family).select_related(
            "organisation", "given_by", "recorded_by", "recorded_by_organisation"
        )
    ]
    items += _contributed("shared_with", person)
    return Section("Who your information was shared with", items)


def _accessed_by(person) -> Section:
    events = (
        AuditEvent.objects.filter(
            Q(family_id=person.family_id) | Q(person_id=person.pk)
        )
        .select_related("actor", "actor_organisation")
        .order_by("sequence")
    )
    return Section(
        "Who has looked at or changed your family's record",
        [
            Item(
                e.get_action_display(),
                when(e.occurred_at),
                by_whom(e.actor, e.actor_organisation) if e.actor else "Not signed in",
                "Refused" if e.outcome == "refused" else "",
            )
            for e in events
        ],
    )
