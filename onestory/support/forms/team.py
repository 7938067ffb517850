"""Forms about an episode of support: its level, its lead practitioner, the
team around the family, and ending it. Each takes the episode and the user
acting, offers its own choices, and acts through support.services."""

from django import forms

from onestory.core.forms import GovukForm, ObjectChoiceField, TextField
from onestory.support import queries, services
from onestory.support.forms.shared import (
    NOT_A_LEAD,
    person_and_organisation,
    reason_field,
)
from onestory.support.models import ClosureReason, InvolvementRole, Level

KEEP_LEAD = "keep"


def _transfer_to(person) -> str:
    return f"Transfer to {person_and_organisation(person)}"


class ChangeLevelForm(GovukForm):
    to_level = forms.ChoiceField(
        label="New level of support",
        choices=Level.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the new level of support"},
    )
    reason = reason_field(
        "Why is the level changing?", message="Enter why the level is changing"
    )
    lead = ObjectChoiceField(
        label="Who will be the lead practitioner?",
        widget=forms.RadioSelect,
        describe=_transfer_to,
        help_text=(
            "Families keep the practitioner they know unless there is a good reason."
        ),
        error_messages={
            "required": "Select who will be the lead practitioner",
            "invalid_choice": NOT_A_LEAD,
        },
    )
    expected_lead = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, episode, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.episode, self.by = episode, by
        self.current_lead = lead = queries.lead_of(episode)
        current_level = services.current_level(episode)
        self.fields["to_level"].choices = [
            c for c in Level.choices if c[0] != current_level
        ]
        self.fields["lead"].offer(
            queries.lead_candidates(
                queries.allocation_candidates(episode, exclude=[lead])
            ),
            nothing=(KEEP_LEAD, f"Keep {lead.full_name} as lead"),
        )
        self.fields["lead"].initial = KEEP_LEAD
        self.fields["expected_lead"].initial = lead.pk

    def change_level(self, data):
        """Change the level (and the lead, if another was chosen)."""
        return services.change_level(
            episode=self.episode,
            to_level=data["to_level"],
            reason=data["reason"],
            new_lead=data["lead"],
            expected_lead_id=data["expected_lead"],
            by=self.by,
        )


class TransferLeadForm(GovukForm):
    new_lead = ObjectChoiceField(
        label="New lead practitioner",
        widget=forms.RadioSelect,
        describe=person_and_organisation,
        error_messages={
            "required": "Select the new lead practitioner",
            "invalid_choice": NOT_A_LEAD,
        },
    )
    reason = reason_field(
        "Why is the lead changing?",
        message="Enter why the lead practitioner is changing",
    )
    expected_lead = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, episode, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.episode, self.by = episode, by
        self.current_lead = lead = queries.lead_of(episode)
        self.fields["new_lead"].offer(
            queries.lead_candidates(
                queries.allocation_candidates(episode, exclude=[lead])
            )
        )
        self.fields["expected_lead"].initial = lead.pk

    def transfer_lead(self, data):
        return services.transfer_lead(
            episode=self.episode,
            to=data["new_lead"],
            reason=data["reason"],
            expected_lead_id=data["expected_lead"],
            by=self.by,
        )


def joining_candidates(episode) -> list:
    """Who may be added: people in scope not yet lead or contributor (the
    consulted can become contributors), then the specialists who may be asked."""
    working = list(
        episode.involvements.filter(ended_at=None)
        .exclude(role=InvolvementRole.CONSULTED)
        .select_related("practitioner")
    )
    people = queries.allocation_candidates(
        episode, exclude=[i.practitioner for i in working]
    )
    known = {person.pk for person in people} | {i.practitioner_id for i in working}
    return people + [p for p in queries.specialists_for(episode) if p.pk not in known]


class AddToTeamForm(GovukForm):
    practitioner = ObjectChoiceField(
        label="Practitioner",
        describe=person_and_organisation,
        error_messages={
            "required": "Select a practitioner",
            "invalid_choice": "Select someone who may join the team around the "
            "family: staff who work with families, in the organisation holding its "
            "support or one the family has agreed to share its record with",
        },
    )
    role = forms.ChoiceField(
        label="Their part",
        choices=[
            (InvolvementRole.CONTRIBUTOR, "Contributor: works with the family too"),
            (
                InvolvementRole.CONSULTED,
                "Consulted: advises, without working with the family",
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select their part"},
    )
    reason = reason_field("Why are they joining?", required=False)

    def __init__(self, *args, episode, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.episode, self.by = episode, by
        self.reason_needed = services.beyond_team_size(episode)
        self.fields["practitioner"].offer(
            joining_candidates(episode), nothing=("", "Select a practitioner")
        )
        if self.reason_needed:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = (
                services.TEAM_NEEDS_A_REASON
            )

    def add_to_team(self, data):
        return services.add_to_team(episode=self.episode, by=self.by, **data)


class JoinTeamForm(GovukForm):
    """A specialist joins the team around the family as a contributor."""

    reason = reason_field("Why are you joining? (optional)", required=False)

    def __init__(self, *args, episode, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.episode, self.by = episode, by
        self.reason_needed = services.beyond_team_size(episode, joining=by)
        if self.reason_needed:
            self.fields["reason"].required = True
            self.fields["reason"].label = "Why does the team need to be bigger?"
            self.fields["reason"].error_messages["required"] = (
                services.TEAM_NEEDS_A_REASON
            )

    def join_team(self, data):
        return services.add_to_team(
            episode=self.episode,
            practitioner=self.by,
            role=InvolvementRole.CONTRIBUTOR,
            reason=data["reason"],
            by=self.by,
        )


class CloseEpisodeForm(GovukForm):
    reason = forms.ChoiceField(
        label="Why is support ending?",
        choices=ClosureReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why support is ending"},
    )
    note = TextField("Note (optional)", required=False, max_length=500, rows=3)
