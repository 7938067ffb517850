"""Display formatting for family pages. No queries: works on prefetched records."""

from dataclasses import dataclass
from datetime import datetime

from onestory.families.models import Family, PersonRole


def family_name(family: Family) -> str:
    """How staff refer to a household: its first parent or carer's name."""
    carers = [p for p in family.members.all() if p.role == PersonRole.PARENT_CARER]
    people = carers or list(family.members.all())
    return f"{people[0].full_name}'s family" if people else "Family"


@dataclass(frozen=True)
class TimelineEvent:
    when: datetime
    title: str
    by: str
    description: str = ""


def timeline(family: Family) -> list[TimelineEvent]:
    """What has happened in the record, newest first (issue 4 adds contacts)."""
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
                    consent.withdrawn_by.full_name,
                    consent.get_purpose_display(),
                )
            )
    return sorted(events, key=lambda event: event.when, reverse=True)


def _by(user, organisation) -> str:
    return f"{user.full_name}, {organisation}"
