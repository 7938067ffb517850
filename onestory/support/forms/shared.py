"""What the support forms share: how a person is offered, the words for a lead
who cannot lead, and the rows of agreed actions (a consultation's answer and a
triage decision)."""

from onestory.core.forms import GovukDateField, GovukForm, ObjectChoiceField, TextField

NOT_A_LEAD = (
    "Select someone who can be the lead practitioner: peer support workers, "
    "triage chairs and commissioners hold no caseload"
)


def person_and_organisation(person) -> str:
    """How a member of staff is offered: "Sam Lee, Harbour Family Hub"."""
    return f"{person.full_name}, {person.organisation}"


def reason_field(label, *, required=True, message="Enter the reason") -> TextField:
    """Why a change to the support is made: a short paragraph."""
    return TextField(label, required=required, message=message, max_length=1000, rows=3)


ACTION_ROWS = 3


class ActionRowsForm(GovukForm):
    """A form with up to three optional actions, each with an owner and a due
    date (`add_action_fields`, then `clean_action_rows` in its `clean`)."""

    def add_action_fields(self, owners) -> None:
        for row in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{row}"] = TextField(
                f"What will be done (action {row})", required=False, max_length=500
            )
            owner = ObjectChoiceField(
                label=f"Who will do action {row}",
                required=False,
                describe=person_and_organisation,
            )
            owner.offer(owners, nothing=("", "Select who"))
            self.fields[f"owner_{row}"] = owner
            self.fields[f"due_{row}"] = GovukDateField(
                label=f"Action {row} due by", kind="plan", required=False
            )

    def clean_action_rows(self, cleaned) -> None:
        for row in range(1, ACTION_ROWS + 1):
            if cleaned.get(f"action_{row}"):
                if not cleaned.get(f"owner_{row}"):
                    self.add_error(f"owner_{row}", f"Select who will do action {row}")
                if not cleaned.get(f"due_{row}") and f"due_{row}" not in self.errors:
                    self.add_error(f"due_{row}", f"Enter when action {row} is due")

    def action_fields(self):
        """(action, owner, due) bound fields for each row, for the template."""
        return [
            (row, self[f"action_{row}"], self[f"owner_{row}"], self[f"due_{row}"])
            for row in range(1, ACTION_ROWS + 1)
        ]

    def actions(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "description": data[f"action_{row}"],
                "owner": data[f"owner_{row}"],
                "due_on": data[f"due_{row}"],
            }
            for row in range(1, ACTION_ROWS + 1)
            if data.get(f"action_{row}")
        ]
