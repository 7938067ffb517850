"""The forms about a family, by what they are about: the people in it
(people) and who may see its record (access)."""

from onestory.families.forms.access import (
    EmergencyAccessForm,
    RecordConsentForm,
    ReviewEmergencyAccessForm,
    SearchFamiliesForm,
    SubjectAccessForm,
    WithdrawConsentForm,
)
from onestory.families.forms.people import (
    AddFamilyForm,
    AddMemberForm,
    CorrectPersonForm,
    EditStoryForm,
)

__all__ = [
    "AddFamilyForm",
    "AddMemberForm",
    "CorrectPersonForm",
    "EditStoryForm",
    "EmergencyAccessForm",
    "RecordConsentForm",
    "ReviewEmergencyAccessForm",
    "SearchFamiliesForm",
    "SubjectAccessForm",
    "WithdrawConsentForm",
]
