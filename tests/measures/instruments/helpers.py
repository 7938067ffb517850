"""Build answers (option positions) from keyed values, so tests can say
"a total of 10" and the helper finds the positions, reverse keys included."""

from onestory.measures.instruments import Instrument, Item


def position_for(item: Item, value: int) -> int:
    """The first printed position whose keyed value is `value`."""
    for option in item.options:
        if option.value == value:
            return option.position
    raise ValueError(f"item {item.key} has no option worth {value}")


def answers_from_values(instrument: Instrument, values: dict[str, int]) -> dict:
    return {
        key: position_for(instrument.item(key), value) for key, value in values.items()
    }


def spread(total: int, keys: list[str], most: int) -> dict[str, int]:
    """Keyed values for `keys` adding up to `total`, filling items in order."""
    if not 0 <= total <= most * len(keys):
        raise ValueError(f"cannot spread {total} over {len(keys)} items")
    values = {}
    for key in keys:
        values[key] = min(most, total)
        total -= values[key]
    return values


def scored_keys(instrument: Instrument) -> list[str]:
    return [item.key for item in instrument.items if item.required and item.scored]


def answers_with_total(instrument: Instrument, total: int) -> dict:
    """Positions giving `total` over every required scored choice item."""
    keys = scored_keys(instrument)
    most = max(option.value for option in instrument.item(keys[0]).options)
    return answers_from_values(instrument, spread(total, keys, most))
