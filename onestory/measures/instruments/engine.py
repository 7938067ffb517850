"""Helpers the instrument modules use to declare items and bands and to build
scores: item builders, missing items, risk flags, the complete-sum scorer.

Kept apart from base.py (the data classes) so each module stays small.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from .base import Band, Instrument, Item, Option
from .scores import INCOMPLETE, SCORED, RiskStatus, Score, Status


def make_bands(
    *rows: tuple[str, str, Decimal | int | str, Decimal | int | str],
    provisional: bool = False,
) -> tuple[Band, ...]:
    """Bands from (key, label, lower, upper) rows listed best first."""
    return tuple(
        Band(key, label, Decimal(lower), Decimal(upper), severity, provisional)
        for severity, (key, label, lower, upper) in enumerate(rows)
    )


def choice_items(
    values_by_item: Iterable[tuple[int, ...]],
    *,
    labels: tuple[str, ...] | None = None,
    texts: tuple[str, ...] | None = None,
    risk_items: frozenset[int] = frozenset(),
) -> tuple[Item, ...]:
    """Items "1".."n" with keyed option values, in printed order."""
    items = []
    for number, values in enumerate(values_by_item, start=1):
        items.append(
            choice_item(
                str(number),
                number,
                values,
                labels=labels,
                text=texts[number - 1] if texts else None,
                is_risk_item=number in risk_items,
            )
        )
    return tuple(items)


def choice_item(
    key: str,
    number: int | None,
    values: tuple[int, ...],
    *,
    labels: tuple[str, ...] | None = None,
    text: str | None = None,
    **extra: Any,
) -> Item:
    options = tuple(
        Option(position, labels[position] if labels else None, value)
        for position, value in enumerate(values)
    )
    return Item(key, number, text, "choice", options, **extra)


def number_item(
    key: str,
    minimum: int,
    maximum: int,
    *,
    decimal_places: int = 0,
    neutral_name: str = "",
    required: bool = True,
) -> Item:
    return Item(
        key,
        int(key),
        None,
        "number",
        minimum=Decimal(minimum),
        maximum=Decimal(maximum),
        decimal_places=decimal_places,
        required=required,
        neutral_name=neutral_name,
    )


def missing_required(
    instrument: Instrument, keyed: Mapping[str, Decimal]
) -> tuple[str, ...]:
    """Keys of required items not answered, in printed order."""
    return tuple(
        item.key for item in instrument.items if item.required and item.key not in keyed
    )


def risk_statuses(
    instrument: Instrument, keyed: Mapping[str, Decimal]
) -> dict[str, RiskStatus]:
    """Risk items are judged on their own, whatever the total.

    A keyed score of 1 or more is positive (PHQ-9 item 9, EPDS item 10,
    CORE-10 item 6). An unanswered risk item is "not_answered", never
    "negative": silence is not evidence of safety.
    """
    statuses: dict[str, RiskStatus] = {}
    for item in instrument.items:
        if item.is_risk_item:
            statuses[item.key] = _risk_status(keyed.get(item.key))
    return statuses


def _risk_status(value: Decimal | None) -> RiskStatus:
    if value is None:
        return "not_answered"
    return "positive" if value >= 1 else "negative"


def sum_values(keyed: Mapping[str, Decimal], keys: Iterable[str]) -> Decimal:
    return sum((keyed[key] for key in keys), Decimal(0))


def not_scored_note(missing: tuple[str, ...]) -> str:
    count = len(missing)
    return f"Not scored: {count} {'item' if count == 1 else 'items'} not answered"


def make_score(
    instrument: Instrument,
    keyed: Mapping[str, Decimal],
    *,
    status: Status,
    total: Decimal | None,
    **extra: Any,
) -> Score:
    """A Score with band, caseness, missing items and risk filled in."""
    return Score(
        instrument_code=instrument.code,
        instrument_version=instrument.version,
        status=status,
        total=total,
        band=instrument.band_for(total),
        risk=risk_statuses(instrument, keyed),
        missing_items=missing_required(instrument, keyed),
        caseness=instrument.caseness_of(total),
        **extra,
    )


def score_complete_sum(instrument: Instrument, keyed: Mapping[str, Decimal]) -> Score:
    """Sum of the keyed items, only when every required item is answered.

    Used where the owner publishes no pro-rating rule (PHQ-9, GAD-7, EPDS,
    ORS, SRS): a missing item means "not scored", never a guessed total.
    """
    missing = missing_required(instrument, keyed)
    if missing:
        return make_score(
            instrument,
            keyed,
            status=INCOMPLETE,
            total=None,
            notes=(not_scored_note(missing),),
        )
    scored_keys = [i.key for i in instrument.items if i.scored and i.key in keyed]
    total = sum_values(keyed, scored_keys)
    return make_score(instrument, keyed, status=SCORED, total=total)


def pick_version(definitions: Iterable[Instrument], version: int) -> Instrument:
    for definition in definitions:
        if definition.version == version:
            return definition
    raise KeyError(f"No definition with version {version}")
