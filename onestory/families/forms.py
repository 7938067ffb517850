"""The forms about a family: adding one, its story, consent, searching,
members and corrections, and emergency and subject access."""

from django import forms
from django.utils import timezone

from onestory.core.forms import GovukDateField, GovukForm, ObjectChoiceField, TextField
from onestory.families import domain
from onestory.families.models import (
    ConsentPurpose,
    EthnicCategory,
    ParentRole,
    PersonRole,
)

YES_NO = [("yes", "Yes"), ("no", "No")]


# The name the forms of other apps still give the one text field.
DomainCharField = TextField


def _text(label, *, max_length=100, **kwargs) -> TextField:
    """A text field saying, when too long, that the label "must be N characters
    or fewer"."""
    return TextField(
        label,
        max_length=max_length,
        error_messages={
            "max_length": f"{label} must be {max_length} characters or fewer"
        },
        **kwargs,
    )


def _nhs_number_field(label):
    return _text(
        label,
        required=False,
        max_length=20,
        normalise=domain.normalise_nhs_number,
        help_text="10 digits, for example 999 123 4561",
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-10",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
    )


def _not_in_future(value, label):
    if value and value > timezone.localdate():
        raise forms.ValidationError(f"{label} must be today or in the past")


def _parent_role(label="Which parent or carer are they? (optional)"):
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=ParentRole.choices,
        widget=forms.RadioSelect,
    )


def _ethnic_category():
    return forms.ChoiceField(
        label="Ethnic group (optional)",
        required=False,
        choices=[("", "Not asked yet"), *EthnicCategory.choices],
        help_text="As the person describes it. Used only for figures about fair "
        "access to support, never to decide it.",
    )


class AddFamilyForm(GovukForm):
    carer_given_name = _text(
        "First name", message="Enter the parent or carer's first name"
    )
    carer_family_name = _text(
        "Last name", message="Enter the parent or carer's last name"
    )
    carer_date_of_birth = GovukDateField(
        kind="birth", label="Date of birth", help_text="For example, 27 3 1994"
    )
    carer_nhs_number = _nhs_number_field("NHS number (optional)")
    carer_parent_role = _parent_role()
    carer_ethnic_category = _ethnic_category()
    preferred_language = _text("Preferred language", max_length=60, initial="English")
    interpreter_needed = forms.ChoiceField(
        label="Do they need an interpreter?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if they need an interpreter"},
    )
    address_line_1 = _text(
        "Address line 1",
        max_length=200,
        message="Enter address line 1, typically the building and street",
    )
    address_line_2 = _text("Address line 2 (optional)", required=False, max_length=200)
    town = _text("Town or city", message="Enter town or city")
    postcode = _text(
        "Postcode",
        max_length=10,
        normalise=domain.normalise_postcode,
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "autocomplete": "postal-code"}
        ),
    )
    child = forms.ChoiceField(
        label="Is there a baby, or a baby on the way?",
        choices=[
            ("baby", "Yes, a baby"),
            ("unborn_baby", "Yes, a baby on the way"),
            ("none", "No, not yet recorded"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether there is a baby or a baby on the way"
        },
    )
    baby_given_name = _text("Baby's first name (if named)", required=False)
    baby_date_of_birth = GovukDateField(
        label="Baby's date of birth", kind="birth", required=False
    )
    expected_delivery_date = GovukDateField(
        label="Expected date of delivery", kind="due", required=False
    )
    story = _text(
        "The family's story",
        max_length=20000,
        message="Enter the family's story, in their words",
        help_text=(
            "In the family's own words: what is happening, what matters to them, "
            "and what they would like help with."
        ),
        rows=8,
    )
    # Shown only when someone like the people being added is already recorded.
    not_a_duplicate = forms.BooleanField(
        label="I have checked: these are different people, add a new family",
        required=False,
    )
    team = ObjectChoiceField(
        label="Team holding this family's support",
        error_messages={
            "required": "Select the team",
            "invalid_choice": "Select one of your teams",
        },
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].offer(teams)

    def clean_carer_date_of_birth(self):
        value = self.cleaned_data["carer_date_of_birth"]
        _not_in_future(value, "Date of birth")
        return value

    def clean_baby_date_of_birth(self):
        value = self.cleaned_data["baby_date_of_birth"]
        _not_in_future(value, "Baby's date of birth")
        return value

    def clean(self):
        cleaned = super().clean()
        child = cleaned.get("child")
        if (
            child == PersonRole.BABY
            and not cleaned.get("baby_date_of_birth")
            and "baby_date_of_birth" not in self.errors
        ):
            self.add_error("baby_date_of_birth", "Enter the baby's date of birth")
        if (
            child == PersonRole.UNBORN_BABY
            and not cleaned.get("expected_delivery_date")
            and "expected_delivery_date" not in self.errors
        ):
            self.add_error(
                "expected_delivery_date", "Enter the expected date of delivery"
            )
        born, parent_born = (
            cleaned.get("baby_date_of_birth"),
            cleaned.get("carer_date_of_birth"),
        )
        if (
            child == PersonRole.BABY
            and born
            and parent_born
            and domain.age_in_years(parent_born, born) < 10
        ):
            self.add_error(
                "baby_date_of_birth",
                "Baby's date of birth must be at least 10 years after the parent's",
            )
        return cleaned


class EditStoryForm(GovukForm):
    text = _text(
        "The family's story",
        max_length=20000,
        message="Enter the family's story, in their words",
        rows=12,
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class RecordConsentForm(GovukForm):
    organisation = ObjectChoiceField(
        label="Organisation the family agrees to share with",
        error_messages={
            "required": "Select the organisation",
            "invalid_choice": "Select an organisation from the list",
        },
    )
    purpose = forms.ChoiceField(
        label="What for",
        choices=ConsentPurpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the family agrees to share for"},
    )
    given_by = ObjectChoiceField(
        label="Who gave consent",
        widget=forms.RadioSelect,
        describe=lambda person: person.full_name,
        error_messages={
            "required": "Select who gave consent",
            "invalid_choice": "Select a parent or carer in this family",
        },
    )
    given_on = GovukDateField(label="Date consent was given", kind="past")

    def __init__(self, *args, carers, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].offer(
            organisations, nothing=("", "Select an organisation")
        )
        self.fields["given_by"].offer(carers)

    def clean_given_on(self):
        value = self.cleaned_data["given_on"]
        _not_in_future(value, "Date consent was given")
        return value


class WithdrawConsentForm(GovukForm):
    note = _text(
        "Note (optional)",
        required=False,
        max_length=500,
        help_text=(
            "For example, how the family told you. "
            "Do not include other personal details."
        ),
        rows=3,
    )


class SearchFamiliesForm(GovukForm):
    name = _text("Name", required=False, help_text="First name, last name, or both")
    date_of_birth = GovukDateField(label="Date of birth", kind="birth", required=False)
    nhs_number = _nhs_number_field("NHS number")
    postcode = _text(
        "Postcode",
        required=False,
        max_length=10,
        normalise=domain.normalise_postcode,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(cleaned.values()):
            raise forms.ValidationError(
                "Enter a name, date of birth, NHS number or postcode"
            )
        return cleaned

    @property
    def searched_fields(self) -> list[str]:
        return sorted(name for name, value in self.cleaned_data.items() if value)


class AddMemberForm(GovukForm):
    role = forms.ChoiceField(
        label="Who are you adding?",
        choices=PersonRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who you are adding"},
    )
    given_name = _text(
        "First name",
        required=False,
        help_text="Leave blank for a baby who is not named yet",
    )
    family_name = _text("Last name", message="Enter their last name")
    date_of_birth = GovukDateField(label="Date of birth", kind="birth", required=False)
    expected_delivery_date = GovukDateField(
        label="Expected date of delivery", kind="due", required=False
    )
    nhs_number = _nhs_number_field("NHS number (optional)")
    parent_role = _parent_role("If a parent or carer: which? (optional)")
    ethnic_category = _ethnic_category()
    preferred_language = _text("Preferred language", max_length=60, initial="English")
    interpreter_needed = forms.ChoiceField(
        label="Do they need an interpreter?",
        choices=YES_NO,
        initial="no",
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if they need an interpreter"},
    )
    relationship = forms.ChoiceField(
        label="How are they related to someone in the family? (optional)",
        required=False,
        choices=[
            ("", "Not recorded"),
            ("parent_of", "Parent of"),
            ("carer_of", "Carer of"),
            ("partner_of", "Partner of"),
            ("sibling_of", "Sibling of"),
            ("child_of", "Child of"),
        ],
    )
    related_to = ObjectChoiceField(
        label="Family member",
        required=False,
        describe=lambda person: _member_label(person),
        error_messages={"invalid_choice": "Select someone in this family"},
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["related_to"].offer(members, nothing=("", "Select a family member"))

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        _not_in_future(value, "Date of birth")
        return value

    def clean(self):
        cleaned = super().clean()
        role, born = cleaned.get("role"), cleaned.get("date_of_birth")
        due = cleaned.get("expected_delivery_date")
        if role == PersonRole.UNBORN_BABY:
            if not due and "expected_delivery_date" not in self.errors:
                self.add_error(
                    "expected_delivery_date", "Enter the expected date of delivery"
                )
            if born:
                self.add_error(
                    "date_of_birth", "Leave date of birth blank for an unborn baby"
                )
        elif role and not born and "date_of_birth" not in self.errors:
            self.add_error("date_of_birth", "Enter their date of birth")
        if bool(cleaned.get("relationship")) != bool(cleaned.get("related_to")):
            self.add_error(
                "related_to" if cleaned.get("relationship") else "relationship",
                "Select both the relationship and the family member, or neither",
            )
        return cleaned


def _member_label(person) -> str:
    return f"{person.full_name} ({person.get_role_display().lower()})"


class EmergencyAccessForm(GovukForm):
    nhs_number = _text(
        "NHS number of someone in the family",
        max_length=20,
        message="Enter the NHS number of someone in the family",
        normalise=domain.normalise_nhs_number,
        help_text="10 digits, for example 999 123 4561",
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-10",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
    )
    reason = TextField(
        "Why do you need this record now?",
        max_length=2000,
        rows=4,
        help_text="Say what the emergency is. Your information governance lead "
        "reads this.",
        message="Enter why you need this record now",
    )
    understood = forms.BooleanField(
        label="I understand that this access is recorded, lasts 4 hours, and will "
        "be reviewed",
        error_messages={"required": "Confirm that you understand"},
    )

    def clean_reason(self):
        value = self.cleaned_data["reason"]
        if len(value) < 20:
            raise forms.ValidationError(
                "Give the reason in a sentence or more (at least 20 characters)"
            )
        return value


class ReviewEmergencyAccessForm(GovukForm):
    note = TextField(
        "Review note",
        max_length=2000,
        rows=3,
        help_text="Was the access justified? Any follow-up?",
        message="Enter your review note",
    )


class SubjectAccessForm(GovukForm):
    nhs_number = _text(
        "NHS number",
        required=False,
        max_length=20,
        normalise=domain.normalise_nhs_number,
        help_text="10 digits, for example 999 123 4561",
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}
        ),
    )
    person = forms.UUIDField(
        label="Or their person reference",
        required=False,
        help_text="For someone with no NHS number, from the audit trail",
        error_messages={"invalid": "Enter a person reference, 36 characters"},
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("nhs_number") or cleaned.get("person")):
            self.add_error("nhs_number", "Enter the NHS number or the person reference")
        return cleaned


class CorrectPersonForm(GovukForm):
    """Correct a family member's details; `based_on` is the version read."""

    given_name = _text("First name", required=False)
    family_name = _text("Last name", message="Enter their last name")
    date_of_birth = GovukDateField(label="Date of birth", kind="birth", required=False)
    nhs_number = _nhs_number_field("NHS number (optional)")
    parent_role = _parent_role("If a parent or carer: which? (optional)")
    ethnic_category = _ethnic_category()
    preferred_language = _text("Preferred language", max_length=60)
    interpreter_needed = forms.ChoiceField(
        label="Do they need an interpreter?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if they need an interpreter"},
    )
    reason = _text(
        "Why are you correcting their details?",
        max_length=1000,
        message="Enter why you are correcting their details",
        help_text="For example, the parent told us their name is spelt differently.",
        rows=3,
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        _not_in_future(value, "Date of birth")
        return value

    def details(self) -> dict:
        data = self.cleaned_data
        return {
            "given_name": data["given_name"],
            "family_name": data["family_name"],
            "date_of_birth": data["date_of_birth"],
            "nhs_number": data["nhs_number"] or None,
            "preferred_language": data["preferred_language"],
            "interpreter_needed": data["interpreter_needed"] == "yes",
            "parent_role": data["parent_role"],
            "ethnic_category": data["ethnic_category"],
        }
