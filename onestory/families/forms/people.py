"""The people in a family: adding a family, its story, adding a member, and
correcting someone's details."""

from django import forms

from onestory.core.forms import GovukDateField, GovukForm, ObjectChoiceField
from onestory.families import domain
from onestory.families.forms.fields import (
    ethnic_category_field,
    interpreter_needed_field,
    nhs_number_field,
    not_in_future,
    parent_role_field,
    phone_field,
    text_field,
)
from onestory.families.models import PersonRole


class AddFamilyForm(GovukForm):
    carer_given_name = text_field(
        "First name", message="Enter the parent or carer's first name"
    )
    carer_family_name = text_field(
        "Last name", message="Enter the parent or carer's last name"
    )
    carer_date_of_birth = GovukDateField(
        kind="birth", label="Date of birth", help_text="For example, 27 3 1994"
    )
    carer_nhs_number = nhs_number_field("NHS number (optional)")
    carer_phone = phone_field()
    carer_parent_role = parent_role_field()
    carer_ethnic_category = ethnic_category_field()
    preferred_language = text_field(
        "Preferred language", max_length=60, initial="English"
    )
    interpreter_needed = interpreter_needed_field()
    address_line_1 = text_field(
        "Address line 1",
        max_length=200,
        message="Enter address line 1, typically the building and street",
    )
    address_line_2 = text_field(
        "Address line 2 (optional)", required=False, max_length=200
    )
    town = text_field("Town or city", message="Enter town or city")
    postcode = text_field(
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
    baby_given_name = text_field("Baby's first name (if named)", required=False)
    baby_date_of_birth = GovukDateField(
        label="Baby's date of birth", kind="birth", required=False
    )
    expected_delivery_date = GovukDateField(
        label="Expected date of delivery", kind="due", required=False
    )
    story = text_field(
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
        not_in_future(value, "Date of birth")
        return value

    def clean_baby_date_of_birth(self):
        value = self.cleaned_data["baby_date_of_birth"]
        not_in_future(value, "Baby's date of birth")
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
    text = text_field(
        "The family's story",
        max_length=20000,
        message="Enter the family's story, in their words",
        rows=12,
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AddMemberForm(GovukForm):
    role = forms.ChoiceField(
        label="Who are you adding?",
        choices=PersonRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who you are adding"},
    )
    given_name = text_field(
        "First name",
        required=False,
        help_text="Leave blank for a baby who is not named yet",
    )
    family_name = text_field("Last name", message="Enter their last name")
    date_of_birth = GovukDateField(label="Date of birth", kind="birth", required=False)
    expected_delivery_date = GovukDateField(
        label="Expected date of delivery", kind="due", required=False
    )
    nhs_number = nhs_number_field("NHS number (optional)")
    phone = phone_field()
    parent_role = parent_role_field("If a parent or carer: which? (optional)")
    ethnic_category = ethnic_category_field()
    preferred_language = text_field(
        "Preferred language", max_length=60, initial="English"
    )
    interpreter_needed = interpreter_needed_field(initial="no")
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
        not_in_future(value, "Date of birth")
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


class CorrectPersonForm(GovukForm):
    """Correct a family member's details; `based_on` is the version read."""

    given_name = text_field("First name", required=False)
    family_name = text_field("Last name", message="Enter their last name")
    date_of_birth = GovukDateField(label="Date of birth", kind="birth", required=False)
    nhs_number = nhs_number_field("NHS number (optional)")
    phone = phone_field()
    parent_role = parent_role_field("If a parent or carer: which? (optional)")
    ethnic_category = ethnic_category_field()
    preferred_language = text_field("Preferred language", max_length=60)
    interpreter_needed = interpreter_needed_field()
    reason = text_field(
        "Why are you correcting their details?",
        max_length=1000,
        message="Enter why you are correcting their details",
        help_text="For example, the parent told us their name is spelt differently.",
        rows=3,
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        not_in_future(value, "Date of birth")
        return value

    def details(self) -> dict:
        data = self.cleaned_data
        return {
            "given_name": data["given_name"],
            "family_name": data["family_name"],
            "date_of_birth": data["date_of_birth"],
            "nhs_number": data["nhs_number"] or None,
            "phone": data["phone"],
            "preferred_language": data["preferred_language"],
            "interpreter_needed": data["interpreter_needed"] == "yes",
            "parent_role": data["parent_role"],
            "ethnic_category": data["ethnic_category"],
        }
