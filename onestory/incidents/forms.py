"""The forms of a major incident: declaring it, its areas, its staff and rest
centres, welfare checks, and standing it down. Each calls its service."""

from django import forms
from django.utils import timezone

from onestory.core.forms import GovukDateField, GovukForm, ObjectChoiceField, TextField
from onestory.incidents import areas, services
from onestory.incidents.models import AreaKind, Method, Outcome
from onestory.support.forms.contacts import time_field


def _metres(label, *, help_text, most=50_000):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        max_value=most,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}
        ),
        error_messages={
            "invalid": f"Enter {label.lower()} as a whole number of metres, like 300",
            "min_value": f"Enter {label.lower()} of at least 1 metre",
            "max_value": f"Enter {label.lower()} of at most {most:,} metres",
        },
    )


class AreaForm(GovukForm):
    """An area: a circle round a place, a route with a buffer, or postcodes."""

    area_name = TextField(
        "Name of the area",
        max_length=200,
        help_text="For example, Cordon around St Michael Avenue",
        message="Enter a name for the area",
    )
    kind = forms.ChoiceField(
        label="What shape is the area?",
        choices=AreaKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what shape the area is"},
    )
    where = TextField(
        "Centre",
        required=False,
        max_length=40,
        help_text=(
            "A postcode, a grid reference like SX 4560 5590, or an easting and "
            "northing like 245600,55900"
        ),
    )
    radius_m = _metres("Radius", help_text="In metres, for example 309")
    route = TextField(
        "Places along the route",
        required=False,
        max_length=2000,
        rows=4,
        help_text=(
            "One a line, in order: postcodes, grid references or eastings and northings"
        ),
    )
    buffer_m = _metres("Distance either side", help_text="In metres, for example 300")
    postcodes = TextField(
        "Postcodes",
        required=False,
        max_length=20_000,
        rows=4,
        help_text="One a line, or separated by commas",
    )

    reveals = {
        "kind": {
            AreaKind.CIRCLE: ("where", "radius_m"),
            AreaKind.ROUTE: ("route", "buffer_m"),
            AreaKind.POSTCODES: ("postcodes",),
        }
    }

    def clean(self):
        cleaned = super().clean()
        needed = {
            AreaKind.CIRCLE: [
                ("where", "Enter the centre"),
                ("radius_m", "Enter the radius"),
            ],
            AreaKind.ROUTE: [
                ("route", "Enter the places along the route"),
                ("buffer_m", "Enter the distance either side"),
            ],
            AreaKind.POSTCODES: [("postcodes", "Enter the postcodes")],
        }
        for name, message in needed.get(cleaned.get("kind"), []):
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def area(self, data) -> dict:
        return {
            "kind": data["kind"],
            "where": data["where"],
            "radius_m": data["radius_m"],
            "route": data["route"],
            "buffer_m": data["buffer_m"],
            "postcodes": data["postcodes"],
        }


class DeclareForm(AreaForm):
    name = TextField(
        "Name of the incident",
        max_length=200,
        help_text="For example, Unexploded bomb, Keyham",
        message="Enter a name for the incident",
    )
    started_on = GovukDateField(label="When did it start?", kind="past")
    started_time = time_field()
    closed_within_days = forms.IntegerField(
        label="Also list families whose support ended in the last",
        min_value=0,
        max_value=730,
        initial=90,
        help_text="Days. They may still need help: 90 lists those of about 3 months",
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}
        ),
        error_messages={
            "required": "Enter how many days back to list families whose support ended",
            "invalid": "Enter a whole number of days, like 90",
            "min_value": "Enter 0 days or more",
            "max_value": "Enter at most 730 days",
        },
    )
    no_answers_before_escalation = forms.IntegerField(
        label="Escalate a check after how many tries with no answer?",
        min_value=1,
        max_value=10,
        initial=3,
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-2", "inputmode": "numeric"}
        ),
        error_messages={
            "required": "Enter how many tries with no answer before escalating",
            "invalid": "Enter a whole number of tries, like 3",
            "min_value": "Enter at least 1 try",
            "max_value": "Enter at most 10 tries",
        },
    )

    field_order = [
        "name",
        "started_on",
        "started_time",
        "area_name",
        "kind",
        "closed_within_days",
        "no_answers_before_escalation",
    ]

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.by = by

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("started_on"), cleaned.get("started_time")
        if day and time:
            moment = timezone.make_aware(timezone.datetime.combine(day, time))
            if moment > timezone.now():
                self.add_error("started_on", "The start must be now or in the past")
            cleaned["started_at"] = moment
        return cleaned

    def declare(self, data):
        return services.declare(
            name=data["name"],
            started_at=data["started_at"],
            area_name=data["area_name"],
            closed_within_days=data["closed_within_days"],
            no_answers_before_escalation=data["no_answers_before_escalation"],
            by=self.by,
            **self.area(data),
        )


class AddAreaForm(AreaForm):
    def __init__(self, *args, incident, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.incident, self.by = incident, by

    def add(self, data):
        return areas.add_area(
            incident=self.incident,
            name=data["area_name"],
            by=self.by,
            **self.area(data),
        )


class WidenForm(GovukForm):
    size = _metres("New size", help_text="In metres: larger than it is now")

    def __init__(self, *args, area, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.area, self.by = area, by
        self.fields["size"].required = True
        self.fields["size"].error_messages["required"] = "Enter the new size in metres"
        if area.kind == AreaKind.CIRCLE:
            self.fields["size"].label = "New radius"
        else:
            self.fields["size"].label = "New distance either side of the route"

    def widen(self, data):
        size = data["size"]
        try:
            return areas.widen(area=self.area, radius_m=size, buffer_m=size, by=self.by)
        except areas.NotWider as refusal:
            refusal.field = "size"
            raise


class AssignStaffForm(GovukForm):
    user = ObjectChoiceField(
        label="Who should respond?",
        describe=lambda user: f"{user.full_name}, {user.organisation}",
        error_messages={"required": "Select who should respond"},
    )

    def __init__(self, *args, incident, candidates, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.incident, self.by = incident, by
        self.fields["user"].offer(candidates, nothing=("", "Select someone"))

    def assign(self, data):
        return services.assign_staff(
            incident=self.incident, user=data["user"], by=self.by
        )


class RestCentreForm(GovukForm):
    name = TextField(
        "Name of the rest centre",
        max_length=200,
        help_text="For example, Life Centre, Central Park",
        message="Enter the name of the rest centre",
    )
    postcode = TextField("Postcode (optional)", required=False, max_length=8)

    def __init__(self, *args, incident, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.incident, self.by = incident, by

    def open(self, data):
        return services.open_rest_centre(
            incident=self.incident,
            name=data["name"],
            postcode=data["postcode"],
            by=self.by,
        )


class AttemptForm(GovukForm):
    method = forms.ChoiceField(
        label="How did you try to reach them?",
        choices=Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you tried to reach them"},
    )
    outcome = forms.ChoiceField(
        label="What happened?",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happened"},
    )
    rest_centre = ObjectChoiceField(
        label="Which rest centre?",
        required=False,
        describe=str,
        error_messages={"invalid_choice": "Select one of the incident's rest centres"},
    )
    note = TextField(
        "Anything the next person should know (optional)",
        required=False,
        max_length=500,
        rows=2,
        help_text=(
            "Only what a welfare check needs, for example: needs a lift for a pram"
        ),
    )

    reveals = {"outcome": {Outcome.AT_REST_CENTRE: ("rest_centre",)}}

    def __init__(self, *args, check, rest_centres, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.check_row, self.by = check, by
        self.fields["rest_centre"].offer(
            rest_centres, nothing=("", "Select a rest centre")
        )

    def record(self, data):
        return services.record_attempt(
            check=self.check_row,
            method=data["method"],
            outcome=data["outcome"],
            rest_centre=data["rest_centre"],
            note=data["note"],
            by=self.by,
        )


class FindAtRestCentreForm(GovukForm):
    """Find a family arriving at a rest centre, by name or postcode."""

    q = TextField(
        "Their surname or postcode",
        max_length=100,
        message="Enter their surname or postcode",
    )


class StandDownForm(GovukForm):
    confirm = forms.BooleanField(
        label=(
            "I confirm the incident is over and staff no longer need these "
            "families' details"
        ),
        error_messages={"required": "Confirm the incident is over"},
    )

    def __init__(self, *args, incident, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.incident, self.by = incident, by

    def stand_down(self, data):
        return services.stand_down(incident=self.incident, by=self.by)


def _answer(label, what):
    return TextField(label, max_length=2000, rows=3, message=f"Enter {what}")


class LearningForm(GovukForm):
    """The learning log's four questions, about the incident's response."""

    question = _answer(
        "What did we want to understand?", "what you wanted to understand"
    )
    tried = _answer("What did we try?", "what you tried")
    noticed = _answer("What did we notice?", "what you noticed")
    next_steps = _answer("What will we try next time?", "what you will try next time")

    def __init__(self, *args, incident, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.incident, self.by = incident, by

    def record(self, data):
        return services.record_learning(incident=self.incident, by=self.by, **data)
