"""What scoring a questionnaire response gives back (Score, ScaleScore), and
its JSON form for the database. Every score is a Decimal, never a float.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from .base import Band

Status = Literal["scored", "prorated", "incomplete"]
RiskStatus = Literal["positive", "negative", "not_answered"]

SCORED: Status = "scored"
PRORATED: Status = "prorated"
INCOMPLETE: Status = "incomplete"


@dataclass(frozen=True)
class ScaleScore:
    key: str
    label: str
    status: Status
    score: Decimal | None
    band: Band | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "status": self.status,
            "score": _decimal_or_none(self.score),
            "band": self.band.to_dict() if self.band else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScaleScore:
        return cls(
            key=data["key"],
            label=data["label"],
            status=data["status"],
            score=_parse_decimal(data["score"]),
            band=Band.from_dict(data["band"]) if data["band"] else None,
        )


@dataclass(frozen=True)
class Score:
    """The result of scoring one questionnaire response."""

    instrument_code: str
    instrument_version: int
    status: Status
    total: Decimal | None
    band: Band | None = None
    scales: dict[str, ScaleScore] = field(default_factory=dict)
    risk: dict[str, RiskStatus] = field(default_factory=dict)
    missing_items: tuple[str, ...] = ()
    caseness: bool | None = None
    notes: tuple[str, ...] = ()
    # Added: True when the score itself comes from a provisional local rule.
    provisional: bool = False

    @property
    def has_risk(self) -> bool:
        return any(status == "positive" for status in self.risk.values())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict (Decimals as strings) for a JSONField."""
        return {
            "schema": 1,
            "instrument_code": self.instrument_code,
            "instrument_version": self.instrument_version,
            "status": self.status,
            "total": _decimal_or_none(self.total),
            "band": self.band.to_dict() if self.band else None,
            "scales": {key: scale.to_dict() for key, scale in self.scales.items()},
            "risk": dict(self.risk),
            "missing_items": list(self.missing_items),
            "caseness": self.caseness,
            "notes": list(self.notes),
            "provisional": self.provisional,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Score:
        return cls(
            instrument_code=data["instrument_code"],
            instrument_version=data["instrument_version"],
            status=data["status"],
            total=_parse_decimal(data["total"]),
            band=Band.from_dict(data["band"]) if data["band"] else None,
            scales={k: ScaleScore.from_dict(v) for k, v in data["scales"].items()},
            risk=dict(data["risk"]),
            missing_items=tuple(data["missing_items"]),
            caseness=data["caseness"],
            notes=tuple(data["notes"]),
            provisional=data.get("provisional", False),
        )


def _decimal_or_none(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _parse_decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)
