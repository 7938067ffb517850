"""Data protection rights: everything held about one person (subject access).

UK GDPR article 15: the person's own data, where it came from, who it was
shared with, and who has accessed it. Household records (the story, contacts,
the plan) are about the person but may hold other people's information; they
are included and flagged for review before release (the ICO's three-step test
for third-party information), as are the other household members' details.
"""

from dataclasses import asdict, dataclass, field

from django.db.models import Q
from django.utils import timezone

from onestory.core.models import AuditEvent
from onestory.families.models import CORRECTABLE, Consent, Person, StoryVersion
from onestory.measures.models import Intervention, QuestionnaireResponse
from onestory.support.models import (
    Consultation,
    Contact,
    Involvement,
    PlanAction,
    PlanGoal,
    SupportRequest,
    TriageDecision,
)

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


def _when(moment) -> str:
    if moment is None:
        return ""
    if hasattr(moment, "astimezone"):
        return timezone.localtime(moment).isoformat(timespec="minutes")
    return moment.isoformat()


def _by(user, organisation=None) -> str:
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
                    _when(v.written_at),
                    _by(v.written_by, v.written_by_organisation),
                    v.text,
                    THIRD_PARTY,
                )
                for v in StoryVersion.objects.filter(family=family)
                .select_related("written_by", "written_by_organisation")
                .order_by("number")
            ],
        ),
        _questionnaires(person),
        _support(person),
        _shared_with(person),
        _accessed_by(person),
    ]
    return {
        "generated_at": _when(timezone.now()),
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
        ("Date of birth", _when(person.date_of_birth)),
        ("Expected delivery date", _when(person.expected_delivery_date)),
        ("NHS number", person.nhs_number or ""),
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
    by = _by(person.recorded_by, person.recorded_by_organisation)
    return Section(
        "About you",
        [
            Item(label, _when(person.recorded_at), by, value)
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
                _when(correction.corrected_at),
                _by(correction.corrected_by, correction.corrected_by_organisation),
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


def _questionnaires(person) -> Section:
    items = [
        Item(
            f"{r.instrument_name} (version {r.instrument_version})",
            _when(r.completed_on),
            _by(r.recorded_by),
            f"Total {r.total}" if r.total is not None else "Recorded",
        )
        for r in QuestionnaireResponse.objects.filter(person=person)
        .select_related("recorded_by__organisation")
        .order_by("completed_on")
    ]
    items += [
        Item(
            f"Intervention: {i.name}",
            _when(i.started_on),
            _by(i.created_by),
            f"{i.planned_weeks} weeks planned",
        )
        for i in Intervention.objects.filter(person=person).select_related(
            "created_by__organisation"
        )
    ]
    return Section("Questionnaires and interventions", items)


def _support(person) -> Section:
    family = person.family
    items = []
    for contact in Contact.objects.filter(episode__family=family).select_related(
        "practitioner__organisation"
    ):
        items.append(
            Item(
                f"{contact.get_contact_type_display()}: "
                f"{contact.get_attendance_display()}",
                _when(contact.occurred_at),
                _by(contact.practitioner),
                contact.notes,
                "Restricted note (safeguarding or similar): review with its author "
                "before release"
                if contact.notes_restricted
                else THIRD_PARTY,
            )
        )
    for goal in PlanGoal.objects.filter(plan__family=family):
        items.append(
            Item(
                "Goal in the family's plan",
                _when(goal.added_at),
                "",
                goal.text,
                THIRD_PARTY,
            )
        )
    for action in PlanAction.objects.filter(plan__family=family):
        items.append(
            Item(
                "Action in the family's plan",
                _when(action.due_on),
                action.owner,
                action.description,
                THIRD_PARTY,
            )
        )
    for request in SupportRequest.objects.filter(family=family).select_related(
        "made_by__organisation", "to_organisation"
    ):
        items.append(
            Item(
                f"Request for support to {request.to_organisation} "
                f"({request.get_status_display()})",
                _when(request.made_at),
                _by(request.made_by),
                request.reason,
                THIRD_PARTY,
            )
        )
    for decision in TriageDecision.objects.filter(family=family).select_related(
        "decided_by__organisation"
    ):
        items.append(
            Item(
                f"Triage decision: {decision.outcome_label}",
                _when(decision.decided_at),
                _by(decision.decided_by),
                decision.summary,
                THIRD_PARTY,
            )
        )
    for consultation in Consultation.objects.filter(
        episode__family=family
    ).select_related("asked_by__organisation", "specialist"):
        items.append(
            Item(
                f"Consultation with {consultation.specialist.full_name}",
                _when(consultation.asked_at),
                _by(consultation.asked_by),
                "\n\n".join(filter(None, [consultation.question, consultation.advice])),
                THIRD_PARTY,
            )
        )
    items.sort(key=lambda item: item.when)
    return Section("Support for your family", items)


def _shared_with(person) -> Section:
    family = person.family
    items = [
        Item(
            f"{c.get_purpose_display()}: {c.organisation}",
            _when(c.recorded_at),
            _by(c.recorded_by, c.recorded_by_organisation),
            f"Given by {c.given_by.full_name} on {_when(c.given_on)}"
            + (f"; withdrawn {_when(c.withdrawn_at)}" if c.withdrawn_at else ""),
        )
        for c in Consent.objects.filter(family=family).select_related(
            "organisation", "given_by", "recorded_by", "recorded_by_organisation"
        )
    ]
    items += [
        Item(
            f"{i.get_role_display()}: {i.practitioner.full_name}, "
            f"{i.practitioner.organisation}",
            _when(i.started_at),
            text=f"Until {_when(i.ended_at)}" if i.ended_at else "Current",
        )
        for i in Involvement.objects.filter(episode__family=family).select_related(
            "practitioner__organisation"
        )
    ]
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
                _when(e.occurred_at),
                _by(e.actor, e.actor_organisation) if e.actor else "Not signed in",
                "Refused" if e.outcome == "refused" else "",
            )
            for e in events
        ],
    )
