"""Requests for support: making one, and moving it on from its page."""

from django import forms
from django.utils import timezone

from onestory.accounts.models import Organisation
from onestory.core.forms import GovukDateField, GovukForm, ObjectChoiceField, TextField
from onestory.support import support_requests
from onestory.support.models import (
    STATUSES_NEEDING_A_REASON,
    Level,
    RequestSource,
    RequestStatus,
    Urgency,
)


class MakeRequestForm(GovukForm):
    requested_level = forms.ChoiceField(
        label="What level of support is needed?",
        choices=Level.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the level of support needed"},
    )
    to_organisation = ObjectChoiceField(
        label="Which organisation's triage should consider it?",
        error_messages={"required": "Select the organisation"},
    )
    source = forms.ChoiceField(
        label="Who asked for this support?",
        choices=RequestSource.choices,
        error_messages={"required": "Select who asked for this support"},
    )
    received_on = GovukDateField(
        kind="past",
        label="Date the request was received",
        help_text="For example, 27 3 2026",
    )
    urgency = forms.ChoiceField(
        label="How urgent is it?",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how urgent it is"},
    )
    reason = TextField(
        "What support is needed, and why?",
        max_length=5000,
        rows=5,
        message="Enter what support is needed, and why",
    )
    override_reason = TextField(
        "Reason to make this referral without the family's consent (optional)",
        required=False,
        max_length=1000,
        rows=3,
        help_text=(
            "Only if the family has not agreed to a referral to that organisation "
            "and it must be made anyway. Only triage chairs and team managers can "
            "override; the override is recorded in the audit trail."
        ),
    )

    def __init__(self, *args, user, episode, **kwargs):
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.user, self.episode = user, episode
        self.fields["to_organisation"].offer(
            Organisation.objects.in_area_of(user).order_by("name")
        )
        self.fields["to_organisation"].initial = str(episode.team.organisation.pk)

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date received must be today or earlier")
        return value

    @property
    def organisation(self):
        return self.cleaned_data["to_organisation"]

    def make_request(self, data):
        """Send the request (support.support_requests.make_request), as the user."""
        return support_requests.make_request(episode=self.episode, by=self.user, **data)


class RequestStatusForm(GovukForm):
    status = forms.ChoiceField(
        label="What has happened?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select what has happened"},
    )
    reason = TextField(
        "Reason (needed to decline or withdraw)",
        required=False,
        max_length=1000,
        rows=3,
    )
    expected = forms.CharField(widget=forms.HiddenInput)

    LABELS = {
        RequestStatus.AWAITING_TRIAGE: "Ready for the next triage meeting",
        RequestStatus.ACCEPTED: "The family accepted the support offered",
        RequestStatus.DECLINED: "Declined",
        RequestStatus.WITHDRAWN: "Withdrawn: the request is no longer needed",
    }

    def __init__(self, *args, allowed, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, self.LABELS[s]) for s in allowed]
        self.fields["expected"].initial = current

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") in STATUSES_NEEDING_A_REASON and not cleaned.get(
            "reason"
        ):
            self.add_error("reason", "Enter the reason")
        return cleaned


# The refusals that mean the page was out of date.
STALE = (support_requests.RequestChangedMeanwhile, support_requests.NotAllowedNow)


class RequestChange:
    """Moving a request on from its page, as the user saw it there.

    `form` is None when the user may not move it now. A post about a status the
    request no longer has (someone moved it meanwhile) is a `conflict`, in the
    refusal's words: the form starts again, keeping the reason typed.
    """

    def __init__(self, support_request, user, posted):
        self.request, self.user = support_request, user
        self.conflict = ""
        allowed = support_requests.allowed_next(support_request, user)
        if posted is not None and (
            not allowed or posted.get("expected") != support_request.status
        ):
            self.conflict = support_requests.RequestChangedMeanwhile.message
        self.form = None
        if allowed:
            self.form = RequestStatusForm(
                None if self.conflict else posted,
                allowed=allowed,
                current=support_request.status,
                initial={"reason": posted.get("reason", "")} if self.conflict else None,
            )

    def made(self) -> bool:
        """Make the change posted, if it may be made; False if not."""
        if self.conflict or self.form is None or not self.form.is_valid():
            return False
        try:
            support_requests.change_request_status(
                request=self.request,
                to=self.form.cleaned_data["status"],
                reason=self.form.cleaned_data["reason"],
                by=self.user,
            )
        except STALE as refusal:
            self.conflict = refusal.message
            return False
        return True
