"""Reads about episodes, the team around a family, consultations, plans and
triage, for a family already in scope. Rows a page shows are small frozen
dataclasses, not model instances with attributes added.

One module a seam; everything is imported here, so `queries.X` names each."""

from onestory.support.queries.consultations import (
    InboxRow,
    get_consultation,
    inbox,
    inbox_rows,
    plan_action,
    plan_of,
)
from onestory.support.queries.episodes import (
    SpecialistsElsewhere,
    allocation_candidates,
    arranged_contact,
    arranged_contacts,
    get_open_episode,
    lead_candidates,
    lead_of,
    reading_organisations,
    specialists_for,
    specialists_without_consent,
    who_to_contact,
)
from onestory.support.queries.triage import (
    DISCUSSION_PURPOSES,
    AgendaItem,
    DecisionRow,
    RequestRow,
    agenda,
    decisions_of,
    get_meeting,
    get_request,
    meetings_of,
    request_rows,
    requests_for_triage,
)

__all__ = [
    "DISCUSSION_PURPOSES",
    "AgendaItem",
    "DecisionRow",
    "InboxRow",
    "RequestRow",
    "SpecialistsElsewhere",
    "agenda",
    "allocation_candidates",
    "arranged_contact",
    "arranged_contacts",
    "decisions_of",
    "get_consultation",
    "get_meeting",
    "get_open_episode",
    "get_request",
    "inbox",
    "inbox_rows",
    "lead_candidates",
    "lead_of",
    "meetings_of",
    "plan_action",
    "plan_of",
    "reading_organisations",
    "request_rows",
    "requests_for_triage",
    "specialists_for",
    "specialists_without_consent",
    "who_to_contact",
]
