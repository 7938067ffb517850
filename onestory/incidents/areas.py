"""An incident's areas and its list: where a place is, the areas as people
give them, widening (the history kept), and listing the families inside
them, ranked and assigned (docs/incidents.md). The list is kept, not
recomputed on every page: each change to the areas lists the families newly
inside (most vulnerable first, by domain.priority), assigns each a checker,
and marks those no longer inside as having left, in one short transaction of
set-based reads and bulk writes. Every write is audited with the incident."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from onestory.core import audit
from onestory.core.models import AuditAction
from onestory.core.refusals import Refusal
from onestory.families.domain import InvalidEntry, normalise_postcode
from onestory.incidents import domain, queries
from onestory.incidents.models import AreaKind, AssignedAs, IncidentArea, WelfareCheck


class StoodDown(Refusal):
    message = "This incident has been stood down: nothing more can be recorded"


class UnknownPlace(Refusal):
    field = "where"
    message = (
        "Enter a postcode in the directory, a grid reference like SX 4560 5590, "
        "or an easting and northing like 245600,55900"
    )


class UnknownPostcodes(Refusal):
    field = "postcodes"

    def __init__(self, unknown):
        listed = ", ".join(sorted(unknown)[:10])
        super().__init__(f"These postcodes are not in the directory: {listed}")


class NotWider(Refusal):
    field = "radius_m"
    message = "A widened circle must be larger than the one it replaces"


def audited(action, *, incident, by, obj=None, family=None, detail=None):
    audit.record(
        action=action,
        by=by,
        family=family,
        obj=obj or incident,
        detail={"incident": str(incident.pk), **(detail or {})},
    )


def place(where: str) -> tuple[int, int]:
    """A postcode, grid reference or 'easting,northing' as a point."""
    point = domain.grid_reference(where)
    if point is None:
        try:
            point = queries.point_of(normalise_postcode(where))
        except InvalidEntry:
            point = None
    if point is None:
        raise UnknownPlace
    return round(point[0]), round(point[1])


def area_fields(
    kind: str, *, where="", radius_m=None, route="", buffer_m=None, postcodes=""
):
    """The stored fields of an area as a person gave it: a circle round a
    place, a route through places (one a line), or postcodes."""
    if kind == AreaKind.CIRCLE:
        e, n = place(where)
        return {
            "centre_easting": e,
            "centre_northing": n,
            "radius_m": radius_m,
            "given_as": where,
        }
    if kind == AreaKind.ROUTE:
        stops = [line.strip() for line in route.splitlines() if line.strip()]
        if len(stops) < 2:
            raise Refusal(
                "Enter at least two places on the route, one a line", field="route"
            )
        try:
            points = [list(place(stop)) for stop in stops]
        except UnknownPlace as unknown:
            raise Refusal(unknown.message, field="route") from None
        return {"route": points, "buffer_m": buffer_m, "given_as": " → ".join(stops)}
    listed = sorted(
        {_postcode(p) for p in postcodes.replace(",", "\n").splitlines() if p.strip()}
    )
    known = {p for p in listed if queries.point_of(p) is not None}
    if set(listed) - known:
        raise UnknownPostcodes(set(listed) - known)
    return {"postcodes": listed, "given_as": ", ".join(listed)}


def _postcode(text):
    try:
        return normalise_postcode(text)
    except InvalidEntry:
        return text.strip().upper()  # not a postcode: refused as unknown


def new_area(incident, name, kind, by, where, replaces=None) -> IncidentArea:
    return IncidentArea.objects.create(
        incident=incident,
        local_authority_id=incident.local_authority_id,
        name=name,
        kind=kind,
        added_by=by,
        replaces=replaces,
        **area_fields(kind, **where),
    )


def refuse_if_stood_down(incident):
    if not incident.is_open:
        raise StoodDown


@transaction.atomic
def add_area(*, incident, name, kind, by, **where) -> IncidentArea:
    refuse_if_stood_down(incident)
    area = new_area(incident, name, kind, by, where)
    listed = relist(incident)
    audited(
        AuditAction.CHANGE_INCIDENT_AREA,
        incident=incident,
        by=by,
        obj=area,
        detail={"added": str(area.pk), "families_listed": listed},
    )
    return area


@transaction.atomic
def widen(*, area, radius_m=None, buffer_m=None, by) -> IncidentArea:
    """Widen a circle or a route's buffer: the old area ends, its wider
    replacement begins, and the history keeps both."""
    incident = area.incident
    refuse_if_stood_down(incident)
    if area.ended_at is not None:
        raise Refusal("This area has already been changed")
    old, field = (
        (area.radius_m, "radius_m")
        if area.kind == AreaKind.CIRCLE
        else (area.buffer_m, "buffer_m")
    )
    new = radius_m if area.kind == AreaKind.CIRCLE else buffer_m
    if area.kind == AreaKind.POSTCODES or new is None or new <= old:
        raise NotWider(field=field)
    area.ended_at = timezone.now()
    area.save(update_fields=["ended_at"])
    replacement = IncidentArea.objects.create(
        incident=incident,
        local_authority_id=incident.local_authority_id,
        name=area.name,
        kind=area.kind,
        centre_easting=area.centre_easting,
        centre_northing=area.centre_northing,
        radius_m=radius_m if area.kind == AreaKind.CIRCLE else None,
        route=area.route,
        buffer_m=buffer_m if area.kind == AreaKind.ROUTE else None,
        given_as=area.given_as,
        added_by=by,
        replaces=area,
    )
    WelfareCheck.objects.filter(incident=incident, area=area).update(area=replacement)
    listed = relist(incident)
    audited(
        AuditAction.CHANGE_INCIDENT_AREA,
        incident=incident,
        by=by,
        obj=replacement,
        detail={
            "widened": str(area.pk),
            "from": old,
            "to": new,
            "families_listed": listed,
        },
    )
    return replacement


def relist(incident) -> int:
    """List the families newly inside the incident's current areas, ranked
    and assigned; mark those no longer inside as having left. Returns how
    many were newly listed. In the caller's transaction."""
    areas = list(incident.areas.filter(ended_at__isnull=True))
    inside = queries.families_inside(incident, areas)
    now = timezone.now()
    existing = dict(
        WelfareCheck.objects.filter(incident=incident).values_list(
            "family_id", "left_area_at"
        )
    )
    left = [pk for pk in existing if pk not in inside and existing[pk] is None]
    back = [pk for pk in existing if pk in inside and existing[pk] is not None]
    WelfareCheck.objects.filter(incident=incident, family_id__in=left).update(
        left_area_at=now
    )
    WelfareCheck.objects.filter(incident=incident, family_id__in=back).update(
        left_area_at=None
    )
    new = [pk for pk in inside if pk not in existing]
    if new:
        today = timezone.localdate(incident.started_at)
        known = queries.circumstances(new, today)
        checkers = queries.who_checks(new)
        WelfareCheck.objects.bulk_create(
            [
                _new_check(
                    incident, pk, inside[pk], known[pk], checkers.get(pk), now, today
                )
                for pk in new
            ],
            batch_size=500,
        )
    _rerank(incident)
    return len(new)


def _new_check(incident, family_id, area, circumstances, checker, now, today):
    codes = domain.reasons(circumstances, today)
    return WelfareCheck(
        incident=incident,
        family_id=family_id,
        local_authority_id=incident.local_authority_id,
        area=area,
        listed_at=now,
        reasons=codes,
        priority=domain.priority(codes),
        birth_due_on=circumstances.birth_due_on,
        youngest_born_on=circumstances.youngest_born_on,
        assigned_to_id=checker[0] if checker else None,
        assigned_as=checker[1] if checker else AssignedAs.INCIDENT,
    )


# The list's order in SQL: domain.sort_key's, then when listed and the family.
RANKED = (
    "-priority",
    F("birth_due_on").asc(nulls_last=True),
    F("youngest_born_on").desc(nulls_last=True),
    "listed_at",
    "family_id",
)


def _rerank(incident):
    """Number the listed checks 1, 2, … most vulnerable first (RANKED)."""
    checks = list(
        WelfareCheck.objects.filter(incident=incident, left_area_at__isnull=True)
        .order_by(*RANKED)
        .only("pk", "rank")
    )
    for number, check in enumerate(checks, start=1):
        check.rank = number
    WelfareCheck.objects.bulk_update(checks, ["rank"], batch_size=500)
