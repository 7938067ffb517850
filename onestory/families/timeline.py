"""The family's timeline: everything that happened, newest first, in words
for staff. No queries: works on a record read with its parts prefetched."""

from dataclasses import dataclass
from datetime import datetime

from onestory.families.models import Family, PersonRole


@dataclass(frozen=True)
class TimelineEvent:
    when: datetime
    title: str
    by: str
    description: str = ""


def timeline(family: Family, questionnaires=(), attendance=()) -> list[TimelineEvent]:
    """What has happened in the record, newest first, from prefetched rows."""
    events = [
        TimelineEvent(
            family.created_at,
            "Family added",
            _by(family.created_by, family.created_by_organisation),
        )
    ]
    for version in family.story_versions.all():
        if version.number > 1:
            events.append(
                TimelineEvent(
                    version.written_at,
                    f"Story updated (version {version.number})",
                    _by(version.written_by, version.written_by_organisation),
                )
            )
    for consent in family.consents.all():
        events.append(
            TimelineEvent(
                consent.recorded_at,
                f"Consent recorded for {consent.organisation}",
                _by(consent.recorded_by, consent.recorded_by_organisation),
                consent.get_purpose_display(),
            )
        )
        if consent.withdrawn_at:
            events.append(
                TimelineEvent(
                    consent.withdrawn_at,
                    f"Consent withdrawn for {consent.organisation}",
                    # Staff, or the family themselves (in their own view).
                    _withdrawn_by(consent),
                    consent.get_purpose_display(),
                )
            )
    for request in family.support_requests.all():
        events.append(
            TimelineEvent(
                request.made_at,
                f"{request.get_kind_display()} for "
                f"{request.get_requested_level_display().lower()} support "
                f"to {request.to_organisation}",
                request.made_by.full_name,
            )
        )
    for decision in family.triage_decisions.all():
        events.append(
            TimelineEvent(
                decision.decided_at,
                f"Triage decision: {decision.outcome_label.lower()}",
                decision.decided_by.full_name,
                decision.summary,
            )
        )
    for episode in getattr(family, "open_episodes", ()):
        events += _episode_events(episode)
    for response in questionnaires:
        events.append(
            TimelineEvent(
                response.recorded_at,
                _questionnaire_title(response),
                response.recorded_by.full_name if response.recorded_by else "",
            )
        )
    for mark in attendance:
        place = mark.place
        events.append(
            TimelineEvent(
                mark.session.starts_at,
                f"{place.person.full_name or place.person.get_role_display()}: "
                f"{mark.get_mark_display().lower()} at session {mark.session.number} "
                f"of {place.course.programme.name}",
                place.course.hub.name,
            )
        )
    return sorted(events, key=lambda event: event.when, reverse=True)


def _questionnaire_title(response) -> str:
    """ "PHQ-9 completed by Amelia Hill, entered by a practitioner"; a child's
    or baby's questionnaire is about them ("SDQ parent 2 to 4 about Oliver
    Hill, ..."), since a parent answered it. A parent's own, online, reads
    "GAD-7 completed online by Alex Smith"."""
    person = response.person
    name = person.full_name or f"the {person.get_role_display().lower()}"
    own = person.role == PersonRole.PARENT_CARER
    if own and response.completed_online:
        return f"{response.instrument_name} completed online by {name}"
    verb = "completed by" if own else "about"
    how = response.get_mode_display()
    return f"{response.instrument_name} {verb} {name}, {how[0].lower()}{how[1:]}"


def _episode_events(episode) -> list[TimelineEvent]:
    events = []
    for change in episode.level_changes.all():
        title = (
            f"Level changed from {change.get_from_level_display().lower()} to "
            f"{change.get_to_level_display().lower()}"
            if change.from_level
            else f"Support started at {change.get_to_level_display().lower()} level"
        )
        events.append(
            TimelineEvent(
                change.changed_at, title, change.changed_by.full_name, change.reason
            )
        )
    for involvement in episode.involvements.all():
        if involvement.started_at > episode.opened_at:
            events.append(
                TimelineEvent(
                    involvement.started_at,
                    f"{involvement.practitioner.full_name} joined as "
                    f"{involvement.get_role_display().lower()}",
                    involvement.practitioner.organisation.name,
                    involvement.reason,
                )
            )
    for consultation in episode.consultations.all():
        events.append(
            TimelineEvent(
                consultation.asked_at,
                f"Consultation asked of {consultation.specialist.full_name}",
                consultation.asked_by.full_name,
            )
        )
        if consultation.answered_at:
            events.append(
                TimelineEvent(
                    consultation.answered_at,
                    "Consultation answered",
                    consultation.specialist.full_name,
                )
            )
    for contact in episode.contacts.all():
        events.append(
            TimelineEvent(
                contact.occurred_at,
                f"{contact.get_contact_type_display()}: "
                f"{contact.get_attendance_display().lower()}",
                contact.practitioner.full_name,
                contact.get_purpose_display(),
            )
        )
    return events


def _by(user, organisation) -> str:
    return f"{user.full_name}, {organisation}"


def _withdrawn_by(consent) -> str:
    if consent.withdrawn_by:
        return consent.withdrawn_by.full_name
    if consent.withdrawn_by_person:
        return f"{consent.withdrawn_by_person.full_name}, in the family's own view"
    return "The family"
