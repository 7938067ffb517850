"""Writes that something higher up keeps a view of.

A service that writes data the service report counts says so here, in its own
transaction: `changes.data_changed(on=..., family=...)`. The apps that keep
something derived from that data register a listener when they start
(`insights` moves its stored figures' version: insights/stored.py). So the apps
that write need not import the ones that read.
"""

from collections.abc import Callable
from datetime import date

Listener = Callable[..., None]

_listeners: list[Listener] = []


def listen(listener: Listener) -> Listener:
    """Call `listener(on=, local_authority=, family=)` after each write."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def data_changed(
    *,
    on: date | None = None,
    local_authority: object | Callable[[], object] = None,
    family: object = None,
) -> None:
    """Data of an area, or of a family (whose area it is), dated `on` (None: of
    no one date) was written in the current transaction. `local_authority` may
    be a function, called only by a listener that needs the area, when finding
    it costs a query."""
    for listener in _listeners:
        listener(on=on, local_authority=local_authority, family=family)
