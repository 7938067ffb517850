"""Tags whose words and colour a presenter chooses, not the template.

An app's presenters.py says how a kind of status looks, once:

    @status_tag("consent")
    def consent_tag(consent) -> Tag:
        return Tag("Given", "green") if consent.is_standing else Tag("Withdrawn")

and templates draw it with `{% status_tag "consent" consent %}`
(core/templatetags/govuk.py). The core app imports every app's presenters
module when it starts (core/apps.py), so each kind is known before a page is
drawn.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Tag:
    """A GOV.UK tag: its words and colour ("" for the default dark blue)."""

    text: str
    colour: str = ""


# A presenter gives the tag for a value, several tags, or None for none.
TagPresenter = Callable[..., Tag | Iterable[Tag] | None]

_presenters: dict[str, TagPresenter] = {}


def status_tag[P: TagPresenter](kind: str) -> Callable[[P], P]:
    """Register the presenter of a kind of status tag."""

    def register(presenter: P) -> P:
        known = _presenters.get(kind, presenter)
        if _name(known) != _name(presenter):
            raise ValueError(f"Two presenters for the {kind!r} tag")
        _presenters[kind] = presenter
        return presenter

    return register


def _name(presenter: TagPresenter) -> str:
    return f"{presenter.__module__}.{presenter.__qualname__}"


def tags_for(kind: str, value, *more) -> list[Tag]:
    """The tags the presenter of `kind` gives for `value` (and any more of its
    arguments), in order."""
    try:
        presenter = _presenters[kind]
    except KeyError:
        raise LookupError(f"No presenter for the {kind!r} tag") from None
    shown = presenter(value, *more)
    if shown is None:
        return []
    return [shown] if isinstance(shown, Tag) else list(shown)
