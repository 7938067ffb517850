"""Outcome-measure instruments: definitions as data, exact scoring, change
classification and plain-language summaries. Pure Python: this package
imports nothing from Django or the rest of onestory (import-linter contract).

    from onestory.measures import instruments
    phq9 = instruments.get("PHQ9")
    score = phq9.score({"1": 2, "2": 1, ...})  # option positions, 0-based

See docs/measures.md for every instrument's rules and their sources.
"""

from . import (
    change,
    core10,
    epds,
    gad7,
    gbo,
    licensed_text,
    mors_sf,
    ors,
    phq9,
    sdq,
    star,
    swemwbs,
    talking_therapies,
    unanswered,
    wemwbs,
)
from .base import (
    Band,
    Instrument,
    InvalidAnswer,
    Item,
    Option,
    Scale,
    Threshold,
    round_half_up,
)
from .change import Change, ScaleChange, ScaleChangesOver
from .describe import (
    describe_change,
    describe_change_to_practitioner,
    describe_changes_over,
    describe_changes_over_to_practitioner,
    describe_score,
    describe_score_to_practitioner,
)
from .licensed_text import InvalidLicensedText, LicensedItemText, LicensedText
from .scores import INCOMPLETE, PRORATED, SCORED, ScaleScore, Score
from .star import make_star
from .talking_therapies import TalkingTherapiesOutcome
from .unanswered import describe_unanswered

REGISTRY: dict[tuple[str, int], Instrument] = {}


def register(instrument: Instrument) -> Instrument:
    """Add a definition; a (code, version) may be registered only once."""
    key = (instrument.code, instrument.version)
    if key in REGISTRY:
        raise ValueError(f"{instrument.code} version {instrument.version} exists")
    REGISTRY[key] = instrument
    return instrument


# Registry order is the order of all_instruments().
_MODULES = (phq9, gad7, epds, core10, ors, mors_sf, sdq, swemwbs, wemwbs, star, gbo)
for _module in _MODULES:
    for _instrument in _module.INSTRUMENTS:
        register(_instrument)

CODES = tuple(dict.fromkeys(code for code, _ in REGISTRY))


def get(code: str, version: int | None = None) -> Instrument:
    """The definition for `code`: the latest version unless one is given."""
    if version is not None:
        try:
            return REGISTRY[(code, version)]
        except KeyError:
            raise KeyError(f"Unknown instrument {code!r} version {version}") from None
    versions = [v for c, v in REGISTRY if c == code]
    if not versions:
        raise KeyError(f"Unknown instrument {code!r}")
    return REGISTRY[(code, max(versions))]


def short_name(code: str) -> str:
    """How people write the instrument ("PHQ-9"), for any code stored."""
    try:
        return get(code).short_name
    except KeyError:
        return code


def all_instruments() -> list[Instrument]:
    """The latest version of each instrument, in registry order."""
    return [get(code) for code in CODES]


__all__ = [
    "CODES",
    "INCOMPLETE",
    "PRORATED",
    "REGISTRY",
    "SCORED",
    "Band",
    "Change",
    "Instrument",
    "InvalidAnswer",
    "InvalidLicensedText",
    "Item",
    "LicensedItemText",
    "LicensedText",
    "Option",
    "Scale",
    "ScaleChange",
    "ScaleChangesOver",
    "ScaleScore",
    "Score",
    "TalkingTherapiesOutcome",
    "Threshold",
    "all_instruments",
    "change",
    "describe_change",
    "describe_change_to_practitioner",
    "describe_changes_over",
    "describe_changes_over_to_practitioner",
    "describe_score",
    "describe_score_to_practitioner",
    "describe_unanswered",
    "get",
    "licensed_text",
    "make_star",
    "register",
    "round_half_up",
    "talking_therapies",
    "unanswered",
]
