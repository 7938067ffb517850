"""Refusals that carry their own words.

A service refuses an action by raising a `Refusal` that knows what the user is
told and which form field it is about (`field`; None: the form as a whole), so
a view turns any of them into a form error with one call
(`core.forms.show_refusal`) instead of writing the wording itself.
"""


class Refusal(Exception):
    field: str | None = None
    message = "This cannot be done"

    def __init__(self, message: str | None = None, *, field: str | None = None):
        if message is not None:
            self.message = message
        if field is not None:
            self.field = field
        super().__init__(self.message)
