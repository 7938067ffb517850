"""The only write path for the family's own view. One module a seam;
everything is imported here, so `services.X` names each.

Every write is audited in its transaction. What an adult does is audited with
the adult as the actor (`audit.FamilyMember`), so it appears in the staff
"who has opened this record" like anyone else's.
"""

from onestory.parents.services.access import (
    AlreadyInvited,
    AlreadyPaused,
    DateOfBirthNeeded,
    NotAgreed,
    NotAnAddress,
    NotAParent,
    NotPaused,
    ReasonNeeded,
    invite,
    pause,
    resume,
)
from onestory.parents.services.family import (
    AlreadyDecided,
    NotTheFamilysAction,
    NotTheLead,
    StoryChangedMeanwhile,
    SuggestionNeeded,
    complete_questionnaire,
    decide_suggestion,
    mark_action_done,
    send_review_reminders,
    suggest_story_change,
    withdraw_consent,
)
from onestory.parents.services.sign_in import (
    AccessPaused,
    LinkNotUsable,
    WrongDateOfBirth,
    ask_for_sign_in_link,
    ask_for_sign_in_links,
    check_date_of_birth,
    record_link_refusal,
    record_page,
    sign_out,
    touch,
    usable,
)

__all__ = [
    "AccessPaused",
    "AlreadyDecided",
    "AlreadyInvited",
    "AlreadyPaused",
    "DateOfBirthNeeded",
    "LinkNotUsable",
    "NotAParent",
    "NotAgreed",
    "NotAnAddress",
    "NotPaused",
    "NotTheFamilysAction",
    "NotTheLead",
    "ReasonNeeded",
    "StoryChangedMeanwhile",
    "SuggestionNeeded",
    "WrongDateOfBirth",
    "ask_for_sign_in_link",
    "ask_for_sign_in_links",
    "check_date_of_birth",
    "complete_questionnaire",
    "decide_suggestion",
    "invite",
    "mark_action_done",
    "pause",
    "record_link_refusal",
    "record_page",
    "resume",
    "send_review_reminders",
    "sign_out",
    "suggest_story_change",
    "touch",
    "usable",
    "withdraw_consent",
]
