"""Shared pieces for the figure tests: a fixed past quarter, local times,
finding a figure by its code, and the episodes and contacts the figures count."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from onestory.insights import domain
from onestory.insights.queries import Scope
from onestory.support.models import Contact, Episode, Involvement, LevelChange
from tests import factories

LONDON = ZoneInfo("Europe/London")
PERIOD = domain.quarter(2026, 2)
# When the figure tests' episodes opened, unless a test says otherwise.
OPENED = date(2026, 1, 5)


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


def backdate(episode, opened: date = OPENED, level: str | None = None) -> None:
    """The episode, its level and its people's part in it all from `opened`
    (at 9:00), at `level` when one is given."""
    Episode.objects.filter(pk=episode.pk).update(opened_at=at(opened, 9))
    level_changes = {"changed_at": at(opened, 9)}
    if level is not None:
        level_changes["to_level"] = level
    LevelChange.objects.filter(episode=episode).update(**level_changes)
    Involvement.objects.filter(episode=episode).update(started_at=at(opened, 9))


def new_episode(city, *, opened: date = OPENED, by=None, team=None, **family_fields):
    """A family (parent and baby) whose only episode opened on `opened`, with
    `by` (the lead practitioner persona by default) as its lead from then."""
    by = by or city.personas["lead_practitioner"]
    family = factories.family(by=by, team=team or city.team_a, **family_fields)
    episode = family.episodes.get()
    backdate(episode, opened)
    return episode


def elsewhere_episode(elsewhere):
    """The other local authority's family's episode, opened on OPENED."""
    episode = elsewhere.family.episodes.get()
    backdate(episode)
    return episode


def contact(episode, when, by, attendance="attended", purpose="review"):
    """A home visit by `by` at `when`."""
    return Contact.objects.create(
        episode=episode,
        occurred_at=when,
        contact_type="home_visit",
        practitioner=by,
        attendance=attendance,
        purpose=purpose,
        recorded_by=by,
    )


def close(episode, when, reason="needs_met"):
    Episode.objects.filter(pk=episode.pk).update(
        closed_at=when, closed_by=episode.opened_by, closure_reason=reason
    )
