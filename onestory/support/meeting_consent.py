"""Who at a triage meeting may hear about one family: a pure rule, no Django.

This module imports only the standard library.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ConsentCheck:
    """Which organisations at the meeting may hear about one family."""

    shared_with: list  # Organisation objects
    withheld_from: list

    @property
    def names(self) -> tuple[list[str], list[str]]:
        return (
            [str(o) for o in self.shared_with],
            [str(o) for o in self.withheld_from],
        )


def consent_check(
    organisations: Iterable[Any],
    *,
    holder_id: object,
    agreed_ids: Collection[object],
    overridden_ids: Collection[object] = (),
) -> ConsentCheck:
    """May each organisation present hear about this family? The holder of its
    support may; others only with the family's consent to share its record or
    to a referral to them, or an override recorded on a request to them."""
    shared: list[Any] = []
    withheld: list[Any] = []
    for organisation in organisations:
        may = (
            organisation.pk == holder_id
            or organisation.pk in agreed_ids
            or organisation.pk in overridden_ids
        )
        (shared if may else withheld).append(organisation)
    return ConsentCheck(shared, withheld)
