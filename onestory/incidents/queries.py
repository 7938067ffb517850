"""Reads for a major incident: where its areas reach, which families are
inside, what onestory knows of each that matters in an emergency, and the
list, the board and the report (docs/incidents.md).

Finding the families is set-based and never walks the city: the postcode
points inside each area's bounding box come by the grid index, the exact test
is the domain's, and the families come by their postcode's index; their
circumstances are a handful of grouped queries over those families only."""

from collections import Counter, defaultdict
from datetime import timedelta

from django.db.models import Exists, F, OuterRef, Q
from django.shortcuts import get_object_or_404

from onestory.accounts.models import User
from onestory.core.roles import Role
from onestory.families.models import Family, Person, PersonRole
from onestory.incidents import domain
from onestory.incidents.models import (
    Incident,
    IncidentArea,
    IncidentStaff,
    PostcodePoint,
    WelfareCheck,
)
from onestory.measures.models import QuestionnaireResponse
from onestory.support.models import (
    Contact,
    Episode,
    Involvement,
    InvolvementRole,
    Level,
    LevelChange,
)

# Where ---------------------------------------------------------------------------


def postcodes_inside(area: IncidentArea) -> set[str]:
    """The postcodes whose point is inside the area (all of a postcode list)."""
    shape = area.shape()
    if isinstance(shape, frozenset):
        return set(shape)
    west, south, east, north = shape.box()
    points = PostcodePoint.objects.filter(
        easting__gte=west, easting__lte=east, northing__gte=south, northing__lte=north
    ).values_list("postcode", "easting", "northing")
    return {postcode for postcode, e, n in points if shape.contains((e, n))}


def point_of(postcode: str) -> tuple[int, int] | None:
    found = (
        PostcodePoint.objects.filter(postcode=postcode)
        .values_list("easting", "northing")
        .first()
    )
    return found


def families_inside(incident: Incident, areas) -> dict:
    """{family id: the first of `areas` it is inside}, for the families of
    the incident's local authority with open support, or whose support ended
    within the incident's `closed_within_days`."""
    by_postcode: dict[str, IncidentArea] = {}
    for area in areas:
        for postcode in postcodes_inside(area):
            by_postcode.setdefault(postcode, area)
    if not by_postcode:
        return {}
    ended_since = incident.started_at - timedelta(days=incident.closed_within_days)
    supported = Episode.objects.filter(family=OuterRef("pk")).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=ended_since)
    )
    families = Family.objects.filter(
        local_authority_id=incident.local_authority_id,
        postcode__in=list(by_postcode),
        anonymised_at__isnull=True,
    ).filter(Exists(supported))
    return {
        pk: by_postcode[postcode]
        for pk, postcode in families.values_list("pk", "postcode")
    }


# Who first -----------------------------------------------------------------------


def circumstances(family_ids, today) -> dict:
    """{family id: domain.Circumstances} for these families, in a few grouped
    queries whatever their number."""
    ids = list(family_ids)
    still_due = today - domain.STILL_DUE_AFTER
    due: dict = {}
    born: dict = {}
    interpreter, phone = set(), set()
    for family_id, role, dob, edd, needs_interpreter, number in Person.objects.filter(
        family_id__in=ids
    ).values_list(
        "family_id",
        "role",
        "date_of_birth",
        "expected_delivery_date",
        "interpreter_needed",
        "phone",
    ):
        if role == PersonRole.UNBORN_BABY and edd and edd >= still_due:
            due[family_id] = min(edd, due.get(family_id, edd))
        if role in (PersonRole.BABY, PersonRole.CHILD) and dob:
            born[family_id] = max(dob, born.get(family_id, dob))
        if needs_interpreter:
            interpreter.add(family_id)
        if role == PersonRole.PARENT_CARER and number:
            phone.add(family_id)
    specialist = _at_specialist_level(ids)
    open_risk = set(
        QuestionnaireResponse.objects.with_open_risk()
        .filter(person__family_id__in=ids)
        .values_list("person__family_id", flat=True)
    )
    restricted = set(
        Contact.objects.filter(
            episode__family_id__in=ids, notes_restricted=True
        ).values_list("episode__family_id", flat=True)
    )
    return {
        family_id: domain.Circumstances(
            birth_due_on=due.get(family_id),
            youngest_born_on=born.get(family_id),
            specialist=family_id in specialist,
            open_risk=family_id in open_risk,
            restricted_note=family_id in restricted,
            no_phone=family_id not in phone,
            interpreter=family_id in interpreter,
        )
        for family_id in ids
    }


def _at_specialist_level(ids) -> set:
    """Families whose open episode's latest level is specialist."""
    latest: dict = {}
    for family_id, level, _at in (
        LevelChange.objects.filter(
            episode__family_id__in=ids, episode__closed_at__isnull=True
        )
        .order_by("changed_at", "id")
        .values_list("episode__family_id", "to_level", "changed_at")
    ):
        latest[family_id] = level
    return {
        family_id for family_id, level in latest.items() if level == Level.SPECIALIST
    }


def who_checks(family_ids) -> dict:
    """{family id: (user id, "lead" or "team")}: each family's lead
    practitioner, or someone in its team (the one with fewest families here),
    from its open episode; families with neither are left out."""
    ids = list(family_ids)
    assigned: dict = {}
    for family_id, practitioner_id in Involvement.objects.filter(
        episode__family_id__in=ids,
        episode__closed_at__isnull=True,
        role=InvolvementRole.LEAD,
        ended_at__isnull=True,
        practitioner__is_active=True,
    ).values_list("episode__family_id", "practitioner_id"):
        assigned[family_id] = (practitioner_id, "lead")
    rest = [pk for pk in ids if pk not in assigned]
    if rest:
        teams = dict(
            Episode.objects.filter(family_id__in=rest)
            .order_by("family_id", "-opened_at")
            .values_list("family_id", "team_id")
        )
        members = defaultdict(list)
        for team_id, user_id in User.objects.filter(
            teams__in=set(teams.values()), is_active=True
        ).values_list("teams", "pk"):
            members[team_id].append(user_id)
        load = Counter(user for user, _ in assigned.values())
        for family_id in rest:
            team = teams.get(family_id)
            people = sorted(members[team], key=str) if team else []
            if people:
                chosen = min(people, key=lambda user: (load[user], str(user)))
                load[chosen] += 1
                assigned[family_id] = (chosen, "team")
    return assigned


# What staff see --------------------------------------------------------------------


def is_emergency_lead(user) -> bool:
    return Role.EMERGENCY_LEAD in user.roles


def incidents_of(user):
    """The incidents of the user's local authority they respond to: all, for
    an emergency lead; those they are assigned to, or hold checks in, else."""
    area = user.organisation.local_authority_id
    incidents = Incident.objects.filter(local_authority_id=area)
    if is_emergency_lead(user):
        return incidents
    return incidents.filter(
        Q(Exists(IncidentStaff.objects.filter(incident=OuterRef("pk"), user=user)))
        | Q(
            Exists(
                WelfareCheck.objects.filter(incident=OuterRef("pk"), assigned_to=user)
            )
        )
    )


def get_incident(user, incident_id) -> Incident:
    return get_object_or_404(incidents_of(user), pk=incident_id)


def responds_to(user, incident: Incident) -> bool:
    """Whether the user sees the whole list: an emergency lead of its area,
    or assigned to it."""
    return (
        is_emergency_lead(user)
        or IncidentStaff.objects.filter(incident=incident, user=user).exists()
    )


def listed_checks(incident, user=None, *, waiting_only=False):
    """The incident's welfare checks of families still inside it, those not
    yet reached first (escalated ones first among them), most vulnerable
    first; only `user`'s when given; only those not yet reached if asked."""
    checks = WelfareCheck.objects.filter(
        incident=incident, left_area_at__isnull=True
    ).select_related("family", "assigned_to", "area", "rest_centre")
    if user is not None:
        checks = checks.filter(assigned_to=user)
    if waiting_only:
        checks = checks.filter(reached_at__isnull=True)
    return checks.order_by(
        F("reached_at").asc(nulls_first=True),
        F("escalated_at").asc(nulls_last=True),
        "rank",
    )


def get_check(user, incident, check_id) -> WelfareCheck:
    """One welfare check the user may see: any of the incident's, for those
    who respond to it; their own, for whoever it is assigned to."""
    checks = listed_checks(incident, None if responds_to(user, incident) else user)
    return get_object_or_404(checks, pk=check_id)


def members_of(checks) -> dict:
    """{family id: [Person, ...]} for the families of these checks, in one
    query: adults first, then by age."""
    members: dict = defaultdict(list)
    for person in Person.objects.filter(
        family_id__in=[check.family_id for check in checks]
    ).order_by("role", "date_of_birth", "pk"):
        members[person.family_id].append(person)
    for people in members.values():
        people.sort(key=lambda person: person.role != PersonRole.PARENT_CARER)
    return members


def attempts_of(check):
    return check.attempt_rows.select_related("by", "rest_centre").order_by("-at")


def find_checks(incident, text: str) -> list:
    """The incident's families whose surname starts with `text`, or at this
    postcode, for checking in at a rest centre (at most 20)."""
    text = text.strip()
    people = Person.objects.filter(family_name__istartswith=text).values("family_id")
    checks = listed_checks(incident).filter(
        Q(family__in=people) | Q(family__postcode=text.upper())
    )
    return list(checks[:20])


def staff_of(incident):
    return incident.staff.select_related("user__organisation").order_by("added_at")


def staff_candidates(incident):
    """Active staff of the incident's local authority not yet assigned."""
    assigned = IncidentStaff.objects.filter(incident=incident).values("user_id")
    return (
        User.objects.filter(
            is_active=True,
            organisation__local_authority_id=incident.local_authority_id,
        )
        .exclude(pk__in=assigned)
        .select_related("organisation")
        .order_by("full_name")
    )


def rest_centres_of(incident) -> list:
    """The rest centres with how many of the incident's families are there."""
    at = Counter(
        WelfareCheck.objects.filter(
            incident=incident, rest_centre__isnull=False
        ).values_list("rest_centre_id", flat=True)
    )
    return [(centre, at[centre.pk]) for centre in incident.rest_centres.all()]
