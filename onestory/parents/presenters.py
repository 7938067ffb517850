"""How the family's own view shows a suggestion's state and an adult's access."""

from onestory.core.presenters import Tag, status_tag
from onestory.parents.models import SuggestionStatus

_SUGGESTION_COLOURS = {
    SuggestionStatus.WAITING: "grey",
    SuggestionStatus.ACCEPTED: "green",
    SuggestionStatus.TALK_THROUGH: "blue",
}


@status_tag("story_suggestion")
def suggestion_tag(suggestion) -> Tag:
    status = SuggestionStatus(suggestion.status)
    return Tag(str(status.label), _SUGGESTION_COLOURS[status])


@status_tag("family_view_access")
def access_tag(access) -> Tag:
    if access is None:
        return Tag("Not given", "grey")
    if access.paused:
        return Tag("Paused", "orange")
    return Tag("Given", "green")
