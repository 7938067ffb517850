"""The family's plan: its strengths and review date, goals, and actions."""

from django import forms

from onestory.core.forms import GovukDateField, GovukForm, TextField
from onestory.support import plans, queries


class PlanForm(GovukForm):
    strengths = TextField(
        "Strengths",
        required=False,
        max_length=5000,
        rows=4,
        help_text="What is going well, and what the family can build on.",
    )
    review_on = GovukDateField(label="Review the plan on", kind="plan", required=False)
    based_on = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, family=None, by=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.family, self.by = family, by
        self.conflict = False

    def save(self, data):
        """Save the plan as read; if someone saved it meanwhile, the form
        starts from their version (what was typed is kept) and the refusal
        goes on to become the form's error."""
        try:
            return plans.update_plan(family=self.family, by=self.by, **data)
        except plans.PlanChangedMeanwhile:
            self.conflict = True
            self.data = self.data.copy()
            self.data["based_on"] = queries.plan_of(self.family).version
            raise


class GoalForm(GovukForm):
    goal = TextField(
        "A goal, in the family's own words",
        max_length=500,
        help_text='For example, "I want to enjoy bath time with Noah"',
        message="Enter the goal, in the family's words",
    )


class PlanActionForm(GovukForm):
    description = TextField("Action", max_length=500, message="Enter the action")
    owner = TextField(
        "Who will do it",
        max_length=200,
        help_text="A practitioner, a parent, or the family",
        message="Enter who will do it",
    )
    due_on = GovukDateField(label="Due by", kind="plan")
