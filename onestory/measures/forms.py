from django import forms
from django.utils import timezone

from onestory.core.forms import (
    NOT_OFFERED,
    GovukDateField,
    GovukForm,
    ObjectChoiceField,
    TextField,
)
from onestory.core.templatetags.govuk import error_target_id
from onestory.families.models import PersonRole
from onestory.measures import instruments, links, presenters, queries, services
from onestory.measures.models import EnrolmentStatus
from onestory.measures.presenters import item_label, option_label, question_name
from onestory.notify import domain as notify_domain
from onestory.programmes.models import Delivery, Programme

# Posted back with the questions the form said were unanswered.
UNANSWERED_SHOWN = "unanswered_shown"


def item_field_name(item) -> str:
    return f"item_{item.key}"


class AnswersForm(GovukForm):
    """One GOV.UK question per item, built from the instrument's definition.

    Choice answers are option positions; the server scores them. Nothing the
    browser sends is taken as a score.
    """

    def __init__(self, *args, instrument, require_all=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for item in instrument.items:
            required = require_all and item.required
            self.fields[item_field_name(item)] = _field_for(item, required)

    def answers(self) -> dict:
        return {
            item.key: self.cleaned_data.get(item_field_name(item))
            for item in self.instrument.items
        }

    def clean(self):
        cleaned = super().clean()
        if not self.errors and all(v is None for v in self.answers().values()):
            raise forms.ValidationError("Answer at least one question")
        try:
            self.score = self.instrument.score(self.answers())
        except ValueError as error:  # InvalidAnswer: the definition refused a value
            raise forms.ValidationError(str(error)) from None
        return cleaned

    @property
    def unanswered(self):
        """The required questions left unanswered and what that does to the
        score (presenters.Unanswered), once the answers have been scored."""
        score = getattr(self, "score", None)
        if score is None or self.errors:
            return None
        targets = {
            item.key: error_target_id(self[item_field_name(item)])
            for item in self.instrument.items
        }
        return presenters.unanswered(self.instrument, score, targets)

    def ready_to_save(self) -> bool:
        """Valid, and any unanswered questions were listed to the practitioner
        before: a first save with questions left shows them instead (no
        JavaScript needed); saving again with the same or fewer confirms."""
        if not self.is_valid():
            return False
        shown = set(self.data.get(UNANSWERED_SHOWN, "").split(","))
        return set(self.score.missing_items) <= shown


def _field_for(item, required):
    label = item_label(item)
    # The words a parent would use: "Answer question 1", not "... item 1".
    name = question_name(item).lower()
    message = f"Answer {name}" if item.kind == "choice" else f"Enter a score for {name}"
    if item.kind == "choice":
        return forms.TypedChoiceField(
            label=label,
            choices=[(o.position, option_label(o)) for o in item.options],
            coerce=int,
            empty_value=None,
            required=required,
            widget=forms.RadioSelect,
            error_messages={"required": message, "invalid_choice": message},
        )
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=item.minimum,
        max_value=item.maximum,
        decimal_places=item.decimal_places,
        help_text=f"From {item.minimum} to {item.maximum}",
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-4", "inputmode": "decimal"}
        ),
        error_messages={
            "required": message,
            "invalid": f"The score for {name} must be a number",
            "min_value": f"The score for {name} must be {item.minimum} or more",
            "max_value": f"The score for {name} must be {item.maximum} or less",
            "max_decimal_places": (
                f"The score for {name} can have up to {item.decimal_places} "
                "decimal places"
            ),
        },
    )


class RecordQuestionnaireForm(AnswersForm):
    completed_on = GovukDateField(label="Date completed", kind="past")

    def __init__(self, *args, person, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.person, self.user = person, user
        code = self.instrument.code
        self.fields["review_point"] = review_point = ObjectChoiceField(
            label="Review point (optional)",
            required=False,
            describe=_review_point_label,
            error_messages={
                "invalid_choice": "Select one of this person's review points"
            },
        )
        review_point.offer(
            queries.outstanding_review_points(person, code),
            nothing=("", "Not at a review point"),
        )
        self.order_fields(["completed_on", "review_point"])

    def clean_completed_on(self):
        value = self.cleaned_data["completed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("Date completed must be today or in the past")
        return value

    def record(self, data):
        """Score and store the response (measures.services.record_response)."""
        return services.record_response(
            person=self.person,
            instrument=self.instrument,
            answers=self.answers(),
            completed_on=data["completed_on"],
            review_point=data["review_point"],
            by=self.user,
        )


def _review_point_label(point) -> str:
    """ "End of Listening visits, due 4 June 2026": the measure is the page's."""
    kind, due = point.get_kind_display(), point.due_on
    return f"{kind} of {point.intervention.name}, due {due.day} {due:%B %Y}"


class AmendQuestionnaireForm(AnswersForm):
    completed_on = GovukDateField(label="Date completed", kind="past")
    reason = TextField(
        "Why are you changing it?",
        max_length=500,
        help_text="For example, an answer was keyed in wrongly from the paper form.",
        rows=3,
        message="Enter why you are changing the questionnaire",
    )

    def __init__(self, *args, response, user, **kwargs):
        initial = {f"item_{key}": value for key, value in response.answers.items()}
        super().__init__(
            *args,
            instrument=queries.with_licensed_text(response.instrument),
            initial={**initial, "completed_on": response.completed_on},
            **kwargs,
        )
        self.response, self.user = response, user
        self.order_fields(["reason", "completed_on"])

    def amend(self, data):
        """Store the corrected response (measures.services.amend_response)."""
        return services.amend_response(
            response=self.response,
            answers=self.answers(),
            completed_on=data["completed_on"],
            reason=data["reason"],
            by=self.user,
        )


class ChooseQuestionnaireForm(GovukForm):
    person = ObjectChoiceField(
        label="Who is it about?",
        widget=forms.RadioSelect,
        describe=lambda person: person.full_name or person.get_role_display(),
        error_messages={
            "required": "Select who the questionnaire is about",
            "invalid_choice": NOT_OFFERED,
        },
    )
    instrument = forms.ChoiceField(
        label="Questionnaire",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a questionnaire",
            "invalid_choice": "Select a questionnaire from the list",
        },
    )

    def __init__(self, *args, people, offered=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].offer(people)
        shown = instruments.all_instruments() if offered is None else offered
        self.fields["instrument"].choices = [(i.code, i.name) for i in shown]


class SendLinkForm(ChooseQuestionnaireForm):
    address = forms.CharField(
        label="Parent's email address or mobile number",
        help_text=(
            "Used to send this link only. onestory keeps it only until the message "
            "has gone."
        ),
        max_length=notify_domain.LONGEST_EMAIL,
        error_messages={
            "required": "Enter the parent's email address or mobile number",
            "max_length": (
                "Enter an email address in the correct format, like name@example.org"
            ),
        },
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )

    def __init__(self, *args, family, user, link_base, **kwargs):
        """Offered: the instruments a parent can be sent (queries.
        self_completion_options()); any other code is refused as not listed."""
        self.carers = family.members.filter(role=PersonRole.PARENT_CARER)
        offered, self.not_offered = queries.self_completion_options()
        super().__init__(*args, people=self.carers, offered=offered, **kwargs)
        self.user, self.link_base = user, link_base

    def clean_address(self):
        """An email address or a UK mobile number (notify.domain.
        channel_and_address), the error saying which was meant."""
        typed = self.cleaned_data["address"]
        try:
            notify_domain.channel_and_address(typed)
        except notify_domain.NotAllowed:
            raise forms.ValidationError(_address_error(typed)) from None
        return typed

    def send(self, data):
        """Send the link by email or text message (measures.links), within the
        hour's limit."""
        links.check_sending_rate(self.user)
        return links.send_questionnaire_link(
            person=data["person"],
            instrument=instruments.get(data["instrument"]),
            address=data["address"],
            link_base=self.link_base,
            by=self.user,
        )


def _address_error(typed: str) -> str:
    if "@" in typed:
        return "Enter an email address in the correct format, like name@example.org"
    try:
        notify_domain.phone_number(typed)
    except notify_domain.NotAllowed:
        return links.NotAnAddress.message
    return "Enter a UK mobile number, like 07700 900 982"


class RiskActionForm(GovukForm):
    action_taken = TextField(
        "What action was taken?",
        max_length=5000,
        help_text=(
            "For example, who you spoke to, the safety plan agreed, "
            "and any referral made."
        ),
        rows=4,
        message="Enter the action taken",
    )

    def record(self, *, response, user):
        """Close the risk warning (measures.services.record_risk_action)."""
        return services.record_risk_action(
            response=response,
            action_taken=self.cleaned_data["action_taken"],
            by=user,
        )


class StartInterventionForm(GovukForm):
    person = ObjectChoiceField(
        label="Who is the work with?",
        widget=forms.RadioSelect,
        describe=lambda person: person.full_name or person.get_role_display(),
        error_messages={
            "required": "Select who the work is with",
            "invalid_choice": NOT_OFFERED,
        },
    )
    programme = ObjectChoiceField(
        label="Programme",
        error_messages={
            "required": "Select the programme",
            "invalid_choice": NOT_OFFERED,
        },
    )
    deliverer = ObjectChoiceField(
        label="Who will deliver it?",
        help_text="Only someone holding the programme's accreditation now can.",
        error_messages={
            "required": "Select who will deliver it",
            "invalid_choice": NOT_OFFERED,
        },
    )
    started_on = GovukDateField(label="Start date", kind="plan")
    sessions_planned = forms.IntegerField(
        label="Sessions planned (optional)",
        required=False,
        min_value=1,
        max_value=100,
        help_text="Leave blank for the programme's usual number.",
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}
        ),
        error_messages={
            "invalid": "Sessions planned must be a whole number",
            "min_value": "Sessions planned must be at least 1",
            "max_value": "Sessions planned must be 100 or fewer",
        },
    )
    planned_weeks = forms.IntegerField(
        label="Planned length in weeks (optional)",
        required=False,
        help_text="Leave blank for the programme's usual length.",
        min_value=2,
        max_value=104,
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}
        ),
        error_messages={
            "required": "Enter the planned length in weeks",
            "invalid": "Planned length must be a whole number of weeks",
            "min_value": "Planned length must be at least 2 weeks",
            "max_value": "Planned length must be 104 weeks or fewer",
        },
    )
    instrument_codes = forms.MultipleChoiceField(
        label="Questionnaires at each review (optional)",
        help_text="Leave them all unticked for the programme's own schedule.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, family, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.programmes = Programme.objects.filter(
            active=True, delivery=Delivery.ONE_TO_ONE
        )
        self.fields["programme"].offer(
            self.programmes, nothing=("", "Select a programme")
        )
        self.fields["deliverer"].offer(
            queries.possible_deliverers(user, family),
            nothing=("", "Select who will deliver it"),
        )
        self.fields["person"].offer(family.members.all())
        self.fields["instrument_codes"].choices = [
            (i.code, i.name) for i in instruments.all_instruments()
        ]

    def start(self, data):
        """Enrol and schedule the reviews (measures.services.start_intervention)."""
        return services.start_intervention(**data, by=self.user)


class UpdateEnrolmentForm(GovukForm):
    sessions_attended = forms.IntegerField(
        label="Sessions attended so far",
        min_value=0,
        max_value=200,
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}
        ),
        error_messages={
            "required": "Enter the sessions attended",
            "invalid": "Sessions attended must be a whole number",
            "min_value": "Sessions attended must be 0 or more",
            "max_value": "Sessions attended must be 200 or fewer",
        },
    )
    status = forms.ChoiceField(
        label="Where is the programme up to?",
        choices=EnrolmentStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the programme is up to"},
    )

    def __init__(self, *args, enrolment, user, **kwargs):
        initial = {
            "sessions_attended": enrolment.sessions_attended,
            "status": enrolment.status,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.enrolment, self.user = enrolment, user

    def update(self, data):
        """Save the progress (measures.services.update_enrolment)."""
        services.update_enrolment(enrolment=self.enrolment, **data, by=self.user)
