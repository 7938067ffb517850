from datetime import datetime

from django import forms
from django.utils import timezone

from onestory.accounts.models import FAMILY_ROLES, Hub, User
from onestory.core.forms import (
    NOT_OFFERED,
    GovukDateField,
    GovukForm,
    ObjectChoiceField,
    TextField,
)
from onestory.programmes import queries, services
from onestory.programmes.models import (
    Delivery,
    FeedbackTheme,
    Mark,
    Place,
    PlaceStatus,
    Programme,
)


class RunCourseForm(GovukForm):
    programme = ObjectChoiceField(
        label="Programme",
        error_messages={
            "required": "Select the programme",
            "invalid_choice": NOT_OFFERED,
        },
    )
    hub = ObjectChoiceField(
        label="Hub",
        error_messages={"required": "Select the hub", "invalid_choice": NOT_OFFERED},
    )
    title = TextField(
        label="Name for this run",
        help_text="For example, Winter 2026 or Tuesday mornings",
        max_length=200,
        error_messages={"required": "Enter a name for this run"},
    )
    facilitators: forms.ModelMultipleChoiceField[User] = forms.ModelMultipleChoiceField(
        label="Facilitators",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one facilitator"},
    )
    first_session_on = GovukDateField(label="Date of the first session", kind="plan")
    first_session_time = forms.TimeField(
        label="Start time",
        help_text="For example, 10:00",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={
            "required": "Enter the start time",
            "invalid": "Enter the start time like 10:00",
        },
    )
    already_run = forms.BooleanField(
        label="This course has already started or run: I am entering it afterwards",
        help_text="It will be marked as entered later.",
        required=False,
    )
    sessions = forms.IntegerField(
        label="Number of weekly sessions",
        min_value=1,
        max_value=52,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the number of sessions",
            "invalid": "Number of sessions must be a whole number",
            "min_value": "There must be at least 1 session",
            "max_value": "There can be 52 sessions or fewer",
        },
    )
    venue = TextField(
        label="Venue",
        max_length=200,
        error_messages={"required": "Enter the venue"},
    )
    capacity = forms.IntegerField(
        label="Places (optional)",
        required=False,
        min_value=1,
        max_value=200,
        help_text="Leave blank for a drop-in that takes everyone.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={"invalid": "Places must be a whole number"},
    )
    sessions_to_complete = forms.IntegerField(
        label="Sessions to attend to complete it (optional)",
        required=False,
        min_value=1,
        max_value=52,
        help_text="For example, 6 of 8. Arriving late counts.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={"invalid": "Sessions to complete must be a whole number"},
    )
    anonymous_head_count = forms.BooleanField(
        label="Count heads only, without names (drop-ins)", required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["programme"].offer(
            Programme.objects.filter(active=True).exclude(delivery=Delivery.ONE_TO_ONE),
            nothing=("", "Select a programme"),
        )
        self.fields["hub"].offer(
            Hub.objects.in_area_of(user), nothing=("", "Select a hub")
        )
        self.fields["facilitators"].queryset = (
            User.objects.in_area_of(user)
            .filter(role_grants__role__in=FAMILY_ROLES)
            .distinct()
        )

    def run_course(self, data):
        """Set the course up (programmes.services.run_course), as the user."""
        first = timezone.make_aware(
            datetime.combine(data["first_session_on"], data["first_session_time"])
        )
        fields = ("programme", "hub", "title", "sessions", "venue", "capacity")
        return services.run_course(
            facilitators=list(data["facilitators"]),
            first_session_at=first,
            sessions_to_complete=data["sessions_to_complete"],
            anonymous_head_count=data["anonymous_head_count"],
            by=self.user,
            **{name: data[name] for name in fields},
        )

    def clean(self):
        cleaned = super().clean()
        sessions, rule = cleaned.get("sessions"), cleaned.get("sessions_to_complete")
        if sessions and rule and rule > sessions:
            self.add_error(
                "sessions_to_complete",
                "Sessions to complete cannot be more than the number of sessions",
            )
        day = cleaned.get("first_session_on")
        if day and day < timezone.localdate() and not cleaned.get("already_run"):
            self.add_error(
                "first_session_on",
                "The first session is in the past. If the course has already "
                "started or run, say you are entering it afterwards",
            )
        return cleaned


class BookPlaceForm(GovukForm):
    person = ObjectChoiceField(
        label="Who is the place for?",
        widget=forms.RadioSelect,
        describe=lambda person: person.full_name or person.get_role_display(),
        error_messages={
            "required": "Select who the place is for",
            "invalid_choice": NOT_OFFERED,
        },
    )
    course = ObjectChoiceField(
        label="Course",
        error_messages={"required": "Select the course", "invalid_choice": NOT_OFFERED},
    )

    def __init__(self, *args, family, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["person"].offer(family.members.all())
        self.fields["course"].offer(
            queries.courses_in_area(user), nothing=("", "Select a course")
        )

    def book_place(self, data) -> str:
        """Book the place (programmes.services.book_place); what happened."""
        place = services.book_place(
            course=data["course"], person=data["person"], by=self.user
        )
        if place.status == PlaceStatus.BOOKED:
            return "Place booked."
        return "The course is full: they are on the waiting list."


class RegisterForm(GovukForm):
    """One radio group per booked person (queries.register's lines)."""

    def __init__(self, *args, session, lines, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.session, self.user = session, user
        self.places: dict[str, Place] = {}
        for line in lines:
            person = line.place.person
            name = f"place_{line.place.pk}"
            self.fields[name] = forms.ChoiceField(
                label=person.full_name or person.get_role_display(),
                choices=Mark.choices,
                widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
                required=False,
                initial=line.mark,
            )
            self.places[name] = line.place

    def marks(self) -> dict:
        return {
            self.places[name].pk: mark
            for name, mark in self.cleaned_data.items()
            if mark and name in self.places
        }

    def record(self, data) -> str:
        """Save the marks (programmes.services.take_register); what was saved."""
        marked = services.take_register(
            session=self.session, marks=self.marks(), by=self.user
        )
        return f"Register saved: {marked} marked."


class HeadCountForm(GovukForm):
    head_count = forms.IntegerField(
        label="How many came?",
        min_value=0,
        max_value=500,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter how many came",
            "invalid": "Enter a whole number",
            "min_value": "Enter 0 or more",
            "max_value": "Enter 500 or fewer",
        },
    )

    def __init__(self, *args, session, user, **kwargs):
        kwargs.setdefault("initial", {"head_count": session.head_count})
        super().__init__(*args, **kwargs)
        self.session, self.user = session, user

    def record(self, data) -> str:
        """Save the count (programmes.services.record_head_count)."""
        services.record_head_count(
            session=self.session, count=data["head_count"], by=self.user
        )
        return f"Head count saved for session {self.session.number}."


def _area_hubs(local_authority_id=None):
    """The hubs feedback may be about: an area's, or every hub."""
    hubs = Hub.objects.all()
    if local_authority_id is not None:
        hubs = hubs.filter(organisation__local_authority_id=local_authority_id)
    return hubs


RATINGS = [
    ("5", "5: very good"),
    ("4", "4: good"),
    ("3", "3: all right"),
    ("2", "2: poor"),
    ("1", "1: very poor"),
]


class FeedbackForm(GovukForm):
    """What a family tells us. The same form for the family and for staff
    recording what was said in person (staff also tag themes)."""

    hub = ObjectChoiceField(
        label="Which family hub? (optional)",
        required=False,
        error_messages={"invalid_choice": NOT_OFFERED},
    )
    programme = ObjectChoiceField(
        label="Which course or support? (optional)",
        required=False,
        error_messages={"invalid_choice": NOT_OFFERED},
    )
    about_practitioner = forms.BooleanField(
        label="It is about the person who works with us", required=False
    )
    text = TextField(
        label="What would you like to tell us?",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter what you would like to tell us"},
    )
    rating = forms.TypedChoiceField(
        label="How would you rate it? (optional)",
        choices=RATINGS,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    consent_to_quote = forms.BooleanField(
        label=(
            "You may quote what I said, without my name, to show what families "
            "think of the service"
        ),
        required=False,
    )
    themes: forms.ModelMultipleChoiceField[FeedbackTheme] = (
        forms.ModelMultipleChoiceField(
            label="Themes",
            queryset=None,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
    )

    def __init__(self, *args, local_authority_id, themes=False, by=None, **kwargs):
        """`by`: the member of staff recording it (who may tag themes), or
        None for a family's own."""
        super().__init__(*args, **kwargs)
        self.by = by
        self.fields["hub"].offer(
            _area_hubs(local_authority_id), nothing=("", "Select a hub")
        )
        self.fields["programme"].offer(
            Programme.objects.filter(active=True),
            nothing=("", "Select a course or support"),
        )
        if themes:
            self.fields["themes"].queryset = FeedbackTheme.objects.all()
        else:
            del self.fields["themes"]

    def give(self, data):
        """Keep the feedback (programmes.services.give_feedback)."""
        return services.give_feedback(**data, by=self.by)


class QuoteFilterForm(GovukForm):
    hub = ObjectChoiceField(
        label="Family hub",
        required=False,
        error_messages={"invalid_choice": NOT_OFFERED},
    )
    programme = ObjectChoiceField(
        label="Course or support",
        required=False,
        error_messages={"invalid_choice": NOT_OFFERED},
    )

    def __init__(self, *args, local_authority_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.hubs = _area_hubs(local_authority_id)
        self.fields["hub"].offer(self.hubs, nothing=("", "All hubs"))
        self.fields["programme"].offer(
            Programme.objects.filter(active=True),
            nothing=("", "All courses and support"),
        )

    def chosen(self) -> dict:
        """The hub and programme chosen to filter by (none if not valid)."""
        if not self.is_valid():
            return {}
        return {
            name: value
            for name in ("hub", "programme")
            if (value := self.cleaned_data[name])
        }
