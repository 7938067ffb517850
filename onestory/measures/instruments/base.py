"""The building blocks every instrument shares: data classes, answer checking,
band look-up and rounding. What scoring gives back is in `scores`.

Standard library only. Every score is a Decimal, never a float: scores drive
clinical decisions and must be exactly reproducible. Source ids in comments
(e.g. SDQ-SCORE2014) refer to the outcome-measure specification, section 14.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from typing import TYPE_CHECKING, Any, Literal

from . import licensed_text as _licensed_text

if TYPE_CHECKING:
    from .scores import Score

ItemKind = Literal["choice", "number"]
ClinicalWhen = Literal["at_or_above", "at_or_below", "below"]

# All scoring arithmetic runs in this context, so a host program that changes
# the global decimal context (precision, rounding) cannot change a score.
SCORING_CONTEXT = Context(prec=28, rounding=ROUND_HALF_UP)


class FrozenDict(dict):
    """A dict that refuses changes: definitions are shared by every request.

    A dict subclass (the agreed API says `thresholds` is a dict) that still
    pickles and deep-copies, so the Django side can cache definitions.
    """

    def _refuse(self, *args: object, **kwargs: object) -> None:
        raise TypeError("Instrument definitions cannot be changed")

    def __reduce__(self) -> tuple:
        return (type(self), (dict(self),))


# Every method that would change a FrozenDict refuses instead (set here rather
# than in the class: each has its own signature in dict's type, none this one).
for _name in (
    "__setitem__",
    "__delitem__",
    "__ior__",
    "clear",
    "pop",
    "popitem",
    "setdefault",
    "update",
):
    setattr(FrozenDict, _name, FrozenDict._refuse)


class InvalidAnswer(ValueError):
    """An answer that cannot be scored; the message names the instrument and item."""


def round_half_up(value: Decimal, places: int = 0) -> Decimal:
    """Round halves away from zero (2.5 -> 3), as SDQ-STATA's `round` does.

    Python's round() rounds halves to even (2.5 -> 2), which gives wrong SDQ
    scale scores (spec section 7), so it is never used for scores.
    """
    step = Decimal(1).scaleb(-places)
    return value.quantize(step, rounding=ROUND_HALF_UP, context=SCORING_CONTEXT)


@dataclass(frozen=True)
class Option:
    """One printed response option; `value` is the keyed score for that position."""

    position: int
    label: str | None
    value: int


@dataclass(frozen=True)
class Item:
    """One question (choice) or one reading (number) of an instrument."""

    key: str
    number: int | None
    text: str | None
    kind: ItemKind
    options: tuple[Option, ...] = ()
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    decimal_places: int = 0
    is_risk_item: bool = False
    required: bool = True
    # Added: False for items recorded but not part of any score.
    scored: bool = True
    # Added: a neutral name to show when no licensed text is loaded.
    neutral_name: str = ""

    @property
    def display_name(self) -> str:
        """ "Item 3", or a neutral name such as "Goal 1": never licensed wording."""
        if self.neutral_name:
            return self.neutral_name
        return f"Item {self.number}" if self.number is not None else self.key

    @property
    def is_reversed(self) -> bool:
        """True when a later printed option scores less (reverse-keyed item)."""
        values = [option.value for option in self.options]
        return len(values) > 1 and values[0] > values[-1]

    def keyed_value(self, raw: object, where: str) -> Decimal:
        """The keyed score for an answer, or InvalidAnswer."""
        if self.kind == "choice":
            return self._option_value(raw, where)
        return self._number_value(raw, where)

    def _option_value(self, raw: object, where: str) -> Decimal:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise InvalidAnswer(
                f"{where}: the answer must be an option position "
                f"(a whole number), not {raw!r}"
            )
        if not 0 <= raw < len(self.options):
            raise InvalidAnswer(
                f"{where}: option position {raw} is not between 0 and "
                f"{len(self.options) - 1}"
            )
        return Decimal(self.options[raw].value)

    def _number_value(self, raw: object, where: str) -> Decimal:
        if isinstance(raw, bool) or not isinstance(raw, int | Decimal):
            raise InvalidAnswer(
                f"{where}: the reading must be a whole number or a Decimal, not {raw!r}"
            )
        value = Decimal(raw)
        low, high = self.minimum, self.maximum
        if low is None or high is None:
            raise TypeError(f"{where}: a number item needs a minimum and maximum")
        if not value.is_finite() or not low <= value <= high:
            raise InvalidAnswer(
                f"{where}: {raw} is outside {self.minimum} to {self.maximum}"
            )
        step = Decimal(1).scaleb(-self.decimal_places)
        if value != value.quantize(step, context=SCORING_CONTEXT):
            raise InvalidAnswer(
                f"{where}: {raw} has more than {self.decimal_places} decimal places"
            )
        # Store at the item's precision, and never as negative zero.
        return value.quantize(step, context=SCORING_CONTEXT).copy_abs()


@dataclass(frozen=True)
class Band:
    """A named score range, inclusive at both ends for whole-number scores."""

    key: str
    label: str
    lower: Decimal
    upper: Decimal
    severity: int
    provisional: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "lower": str(self.lower),
            "upper": str(self.upper),
            "severity": self.severity,
            "provisional": self.provisional,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Band:
        return cls(
            key=data["key"],
            label=data["label"],
            lower=Decimal(data["lower"]),
            upper=Decimal(data["upper"]),
            severity=data["severity"],
            provisional=data["provisional"],
        )


@dataclass(frozen=True)
class Threshold:
    """A cut-off or reliable-change value with its spec source id.

    `clinical_when` is the side on which a score meets the threshold:
    "at_or_above" (PHQ-9 caseness: 10 or more), "at_or_below" (ORS: 25 or
    less is the clinical range) or "below" (SRS: under 36). A reliable-change
    threshold is met by a change at or above its value in either direction.
    """

    value: Decimal
    source: str
    provisional: bool = False
    clinical_when: ClinicalWhen = "at_or_above"
    # Added: why a threshold is provisional, for the UI and the docs.
    reason: str = ""

    def is_met(self, score: Decimal) -> bool:
        if self.clinical_when == "at_or_above":
            return score >= self.value
        if self.clinical_when == "at_or_below":
            return score <= self.value
        return score < self.value


@dataclass(frozen=True)
class Scale:
    """A subscale (SDQ emotional, MORS warmth) or a per-area reading (Star)."""

    key: str
    label: str
    items: tuple[str, ...]
    minimum: Decimal
    maximum: Decimal
    bands: tuple[Band, ...] = ()
    higher_is_better: bool = False
    reliable_change: Threshold | None = None


Scorer = Callable[["Instrument", Mapping[str, Decimal]], "Score"]


@dataclass(frozen=True)
class Instrument:
    """An instrument definition: data plus its scoring function."""

    code: str
    version: int
    name: str
    short_name: str
    timeframe: str
    items: tuple[Item, ...]
    higher_is_better: bool
    ships_item_text: bool
    licence: str
    self_completion: bool
    minimum: Decimal | None
    maximum: Decimal | None
    thresholds: Mapping[str, Threshold]
    scorer: Scorer = field(compare=False, repr=False)
    # Additions to the agreed API:
    bands: tuple[Band, ...] = ()
    scales: tuple[Scale, ...] = ()
    stem: str | None = None
    total_label: str = ""
    attribution: str | None = None
    provisional_rules: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    accepts_licensed_text: bool = True
    # Change is read per scale only, each scale's first reading against its
    # own last (GBO: the goals set can change, so the mean is never compared).
    change_per_scale: bool = False
    # What unanswered questions do, in the practitioner's words, where the
    # scorer is not "every required question or no score" (CORE-10 and the SDQ
    # pro-rate; MORS-SF, Star and GBO score parts). Set next to the constants
    # the scorer uses, so the rule is written once.
    unanswered_rule: str = "A score cannot be given unless every question is answered."

    def __post_init__(self) -> None:
        # Definitions are shared by every request: make the mapping read-only.
        object.__setattr__(self, "thresholds", FrozenDict(self.thresholds))

    def __hash__(self) -> int:
        return hash((self.code, self.version))

    @property
    def has_total(self) -> bool:
        return self.maximum is not None

    @property
    def wording_available(self) -> bool:
        """Every item shows its wording (shipped, or licensed text loaded into
        this copy with `with_licensed_text`), or there is no instrument
        wording to license at all (GBO: the family's own goals)."""
        return not self.accepts_licensed_text or all(item.text for item in self.items)

    def self_completion_refusal(self) -> str | None:
        """Why this definition cannot be sent to a parent to fill in alone, in
        words for the practitioner; None when it can."""
        if not self.self_completion:
            return (
                f"{self.short_name} is completed together with a practitioner, "
                "not by a parent alone."
            )
        if not self.wording_available:
            return (
                f"{self.short_name}'s wording is licensed and has not been loaded: "
                "an administrator can load it once the service holds a licence."
            )
        return None

    def item(self, key: str) -> Item:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(f"{self.short_name} has no item {key!r}")

    def band_for(self, total: Decimal | None) -> Band | None:
        return band_for(self.bands, total)

    def caseness_of(self, total: Decimal | None) -> bool | None:
        threshold = self.thresholds.get("caseness")
        if threshold is None or total is None:
            return None
        return threshold.is_met(total)

    def score(self, answers: Mapping[str, int | Decimal | None]) -> Score:
        """Score answers keyed by Item.key (option positions for choice items)."""
        keyed = check_answers(self, answers)
        with localcontext(SCORING_CONTEXT):
            return self.scorer(self, keyed)

    def validate_licensed_text(self, payload: object) -> _licensed_text.LicensedText:
        return _licensed_text.validate(self, payload)

    def with_licensed_text(self, text: _licensed_text.LicensedText) -> Instrument:
        """A copy of this definition showing loaded licensed wording in forms."""
        if (text.instrument_code, text.instrument_version) != (self.code, self.version):
            raise ValueError(
                f"Licensed text is for {text.instrument_code} version "
                f"{text.instrument_version}, not {self.code} version {self.version}"
            )
        items = tuple(_with_text(item, text.items[item.key]) for item in self.items)
        return replace(self, items=items, stem=text.stem or self.stem)


def _with_text(item: Item, text: _licensed_text.LicensedItemText) -> Item:
    options = tuple(
        replace(option, label=label)
        for option, label in zip(item.options, text.options, strict=True)
    )
    return replace(item, text=text.text, options=options)


def check_answers(
    instrument: Instrument, answers: Mapping[str, object]
) -> dict[str, Decimal]:
    """Keyed values of the answered items; InvalidAnswer for anything invalid.

    Unanswered items (missing key or None) are simply absent from the result.
    """
    if not isinstance(answers, Mapping):
        raise InvalidAnswer(f"{instrument.short_name}: answers must be a mapping")
    keys = {item.key: item for item in instrument.items}
    keyed: dict[str, Decimal] = {}
    for key, raw in answers.items():
        item = keys.get(key) if isinstance(key, str) else None
        if item is None:
            raise InvalidAnswer(
                f"{instrument.short_name}: there is no item with key {key!r}"
            )
        if raw is not None:
            where = f"{instrument.short_name} {item.display_name.lower()}"
            keyed[key] = item.keyed_value(raw, where)
    return keyed


def band_for(bands: Iterable[Band], score: Decimal | None) -> Band | None:
    """The band whose lower bound is the highest one at or below the score.

    For whole-number scores this is the inclusive range in the spec. For
    pro-rated or 0.1-precision scores it gives the `<` boundaries the spec
    asks for (CORE-10: <6, <11, <15, <20, <25).
    """
    if score is None:
        return None
    candidates = [band for band in bands if band.lower <= score]
    return max(candidates, key=lambda band: band.lower, default=None)
