"""Episodes of support, who is involved, requests for support and triage.
The access scope reads these tables.

One module a seam; everything is imported here, so `onestory.support.models`
names every model, choice and rule as it always has."""

from onestory.support.models.consultations import (
    Consultation,
    ConsultationAction,
    Urgency,
)
from onestory.support.models.contacts import (
    ATTENDED,
    ArrangedContact,
    Attendance,
    Contact,
    ContactPurpose,
    ContactType,
    LocalDay,
)
from onestory.support.models.episodes import ClosureReason, Episode, Level, LevelChange
from onestory.support.models.meetings import (
    DECLINED_BECAUSE,
    DecisionOutcome,
    TriageAction,
    TriageDecision,
    TriageMeeting,
    decision_choices,
    decision_label,
    declined_reason,
)
from onestory.support.models.plans import Plan, PlanAction, PlanGoal
from onestory.support.models.requests import (
    NEXT_STATUSES,
    OPEN_REQUEST_STATUSES,
    STATUSES_NEEDING_A_REASON,
    RequestKind,
    RequestSource,
    RequestStatus,
    RequestStatusChange,
    SupportRequest,
)
from onestory.support.models.team import LEAD_ROLES, Involvement, InvolvementRole

__all__ = [
    "ATTENDED",
    "DECLINED_BECAUSE",
    "LEAD_ROLES",
    "NEXT_STATUSES",
    "OPEN_REQUEST_STATUSES",
    "STATUSES_NEEDING_A_REASON",
    "ArrangedContact",
    "Attendance",
    "ClosureReason",
    "Consultation",
    "ConsultationAction",
    "Contact",
    "ContactPurpose",
    "ContactType",
    "DecisionOutcome",
    "Episode",
    "Involvement",
    "InvolvementRole",
    "Level",
    "LevelChange",
    "LocalDay",
    "Plan",
    "PlanAction",
    "PlanGoal",
    "RequestKind",
    "RequestSource",
    "RequestStatus",
    "RequestStatusChange",
    "SupportRequest",
    "TriageAction",
    "TriageDecision",
    "TriageMeeting",
    "Urgency",
    "decision_choices",
    "decision_label",
    "declined_reason",
]
