"""Shared pieces for the figure tests: a fixed past quarter, local times, and
finding a figure by its code."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from onestory.insights import domain
from onestory.insights.queries import Scope

LONDON = ZoneInfo("Europe/London")
PERIOD = domain.quarter(2026, 2)


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def scope(city, **filters) -> Scope:
    return Scope(city.council.local_authority_id, PERIOD, **filters)


def figure(figures, code):
    [found] = [f for f in figures if f.code == code]
    return found


def parts(found) -> dict:
    return {label: part.value for label, part in found.breakdown}


def ratio(found) -> tuple:
    return found.numerator, found.denominator, found.value
