"""The support app's forms, by what they are about: the episode and the team
around the family (team), contacts, consultations, the plan, requests for
support, and triage meetings. Every one is made of the shared field types
(core.fields)."""

from onestory.support.forms.consultations import (
    AnswerConsultationForm,
    AskConsultationForm,
)
from onestory.support.forms.contacts import (
    NOTE_ROLES,
    ArrangeContactForm,
    RecordContactForm,
)
from onestory.support.forms.meetings import DecisionForm, ScheduleMeetingForm
from onestory.support.forms.plans import GoalForm, PlanActionForm, PlanForm
from onestory.support.forms.requests import (
    MakeRequestForm,
    RequestChange,
    RequestStatusForm,
)
from onestory.support.forms.shared import NOT_A_LEAD
from onestory.support.forms.team import (
    KEEP_LEAD,
    AddToTeamForm,
    ChangeLevelForm,
    CloseEpisodeForm,
    JoinTeamForm,
    TransferLeadForm,
)

__all__ = [
    "KEEP_LEAD",
    "NOTE_ROLES",
    "NOT_A_LEAD",
    "AddToTeamForm",
    "AnswerConsultationForm",
    "ArrangeContactForm",
    "AskConsultationForm",
    "ChangeLevelForm",
    "CloseEpisodeForm",
    "DecisionForm",
    "GoalForm",
    "JoinTeamForm",
    "MakeRequestForm",
    "PlanActionForm",
    "PlanForm",
    "RecordContactForm",
    "RequestChange",
    "RequestStatusForm",
    "ScheduleMeetingForm",
    "TransferLeadForm",
]
