"""Demo city, part 1: organisations, hubs, teams and staff of a Plymouth-like city.

Everything here is invented. Hub names are neighbourhoods; no person is real.
"""

import time
from dataclasses import dataclass, field
from functools import cache

from django.contrib.auth.hashers import make_password

from onestory.accounts import totp, vault
from onestory.accounts.demo_names import FAMILY_NAMES, GIVEN_NAMES
from onestory.accounts.models import (
    Authenticator,
    Hub,
    LocalAuthority,
    Organisation,
    OrganisationKind,
    Role,
    RoleGrant,
    Team,
    User,
)

DEMO_PASSWORD = "onestory-demo-2026"
# Every demo user's authenticator app key. Public, like the password: demo only.
DEMO_TOTP_SECRET = "ONESTORYDEMOCITYTWOFACTORKEYXXYZ"
EMAIL_DOMAIN = "demo.onestory.example"

COUNCIL = "Tamarside City Council"
NHS_TRUST = "Tamarside Health NHS Trust"
PROVIDERS = [
    "Harbour Families",
    "Brightwater Children's Charity",
    "Oak Tree Partnership",
]

HUBS = [  # (hub, running provider, postcode district)
    ("Devonport Family Hub", 0, "PL1"),
    ("Stonehouse Family Hub", 0, "PL1"),
    ("Keyham Family Hub", 0, "PL2"),
    ("St Budeaux Family Hub", 1, "PL5"),
    ("Ernesettle Family Hub", 1, "PL5"),
    ("Whitleigh Family Hub", 1, "PL5"),
    ("Southway Family Hub", 2, "PL6"),
    ("Efford Family Hub", 2, "PL3"),
    ("Plympton Family Hub", 2, "PL7"),
    ("Plymstock Family Hub", 2, "PL9"),
]

# People whose sign-ins the README and `make run` print: one for each role.
SIGN_INS = [
    ("Amara Okafor", "practitioner", COUNCIL, [Role.PRACTITIONER], "Early help west"),
    (
        "Ben Harris",
        "peer.support",
        PROVIDERS[0],
        [Role.PEER_SUPPORT_WORKER],
        "Devonport hub team",
    ),
    (
        "Dr Priya Shah",
        "specialist",
        NHS_TRUST,
        [Role.SPECIALIST, Role.SUPERVISOR],
        "Perinatal mental health team",
    ),
    (
        "Claire Morgan",
        "team.manager",
        PROVIDERS[0],
        [Role.TEAM_MANAGER, Role.PRACTITIONER],
        "Devonport hub team",
    ),
    ("Tom Evans", "triage.chair", COUNCIL, [Role.TRIAGE_CHAIR], "Early help west"),
    (
        "Ruth Kelly",
        "supervisor",
        NHS_TRUST,
        [Role.SUPERVISOR],
        "NHS Talking Therapies family hub team",
    ),
    ("Sam Patel", "commissioner", COUNCIL, [Role.COMMISSIONER], None),
    ("Grace Lind", "ig.lead", COUNCIL, [Role.INFORMATION_GOVERNANCE], None),
    ("Morgan Reed", "emergency.lead", COUNCIL, [Role.EMERGENCY_LEAD], None),
    ("Alex Brown", "admin", COUNCIL, [Role.ADMINISTRATOR], None),
    ("Jo Okafor", "service.admin", COUNCIL, [Role.SERVICE_ADMINISTRATOR], None),
]

# The staff grow with the city: about 300 for 20,000 families (product.md,
# "Scale to design for"). A practitioner leads about 75 families over the demo's
# two years, most of them open; a team has at most 12 practitioners, one of
# them its manager; one perinatal specialist is consulted per 1,000 families. A
# small city keeps the staff below (the smallest that fills every role), and the
# people whose sign-ins are printed hold a caseload like everyone else's.
FAMILIES_PER_PRACTITIONER = 75
TEAM_SIZE = 12
FAMILIES_PER_SPECIALIST = 1000
# Other staff in each team of the small city, besides the named people.
OTHERS_IN_A_HUB_TEAM, OTHERS_IN_ANOTHER_TEAM = 3, 2
SPECIALIST_TEAM = "Perinatal mental health team"


@dataclass
class City:
    local_authority: LocalAuthority | None = None
    organisations: dict[str, Organisation] = field(default_factory=dict)
    hubs: list[Hub] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    hub_postcodes: dict = field(default_factory=dict)
    # Who may lead a family, by team (practitioners only: specialists are
    # consulted instead, product rule 4).
    practitioners_by_team: dict = field(default_factory=dict)
    # The specialists practitioners consult, the named one first.
    specialists: list = field(default_factory=list)
    # How many families each practitioner has taken on from a colleague: a
    # transfer goes to whoever in the team has taken the fewest.
    transfers_taken: dict = field(default_factory=dict)
    # The emails of the practitioners whose sign-ins are printed.
    featured: set = field(default_factory=set)
    staff: list = field(default_factory=list)
    grants: list = field(default_factory=list)
    memberships: list = field(default_factory=list)


@dataclass(frozen=True)
class Staffing:
    """How many of each the city has for its number of families."""

    practitioners_per_team: int  # named people included
    teams_per_team: int  # teams each of the small city's family teams becomes
    specialists: int  # in the specialist team, named one included
    consulted: int  # of those, how many practitioners ask

    @classmethod
    def for_families(cls, families: int) -> "Staffing":
        holding_teams = len(HUBS) + len(OTHER_TEAMS) - 1  # all but the specialists
        wanted = -(-families // FAMILIES_PER_PRACTITIONER)
        per_team = -(-wanted // holding_teams)
        consulted = max(1, families // FAMILIES_PER_SPECIALIST)
        return cls(
            practitioners_per_team=per_team,
            teams_per_team=max(1, -(-per_team // TEAM_SIZE)),
            specialists=max(1 + OTHERS_IN_ANOTHER_TEAM, consulted),
            consulted=consulted,
        )


OTHER_TEAMS = [  # (team, organisation, index of its hub in HUBS or None)
    ("Early help west", COUNCIL, 0),
    ("Early help north", COUNCIL, 3),
    ("Early help east", COUNCIL, 7),
    ("Health visiting west", NHS_TRUST, 1),
    ("Health visiting north", NHS_TRUST, 5),
    ("Health visiting east", NHS_TRUST, 8),
    (SPECIALIST_TEAM, NHS_TRUST, None),
    ("NHS Talking Therapies family hub team", NHS_TRUST, 2),
]


def build_city(rng, families: int = 300) -> City:
    # About 2,600 births a year (domain.md §5.3): two years of births plus
    # current pregnancies make the Start for Life population.
    area = LocalAuthority.objects.create(name="Tamarside", eligible_families=7200)
    city = City(local_authority=area)
    for name, kind in [
        (COUNCIL, OrganisationKind.COUNCIL),
        (NHS_TRUST, OrganisationKind.NHS_TRUST),
        *[(p, OrganisationKind.VOLUNTARY_PARTNER) for p in PROVIDERS],
    ]:
        city.organisations[name] = Organisation.objects.create(
            name=name, kind=kind, local_authority=area
        )
    for hub_name, provider, district in HUBS:
        hub = Hub.objects.create(
            name=hub_name,
            organisation=city.organisations[PROVIDERS[provider]],
            postcode=f"{district} {rng.randint(1, 9)}AA",
        )
        city.hubs.append(hub)
        city.hub_postcodes[hub.pk] = district
        city.teams.append(
            Team(
                name=f"{hub_name.removesuffix(' Family Hub')} hub team",
                organisation=hub.organisation,
                hub=hub,
            )
        )
    for name, organisation, hub_index in OTHER_TEAMS:
        city.teams.append(
            Team(
                name=name,
                organisation=city.organisations[organisation],
                hub=None if hub_index is None else city.hubs[hub_index],
            )
        )
    _add_named_staff(city)
    _add_other_staff(city, rng, Staffing.for_families(families))
    Team.objects.bulk_create(city.teams)
    User.objects.bulk_create(city.staff)
    RoleGrant.objects.bulk_create(city.grants)
    Authenticator.objects.bulk_create(
        Authenticator(
            user=user,
            encrypted_secret=vault.encrypt(DEMO_TOTP_SECRET, user_id=user.pk),
        )
        for user in city.staff
    )
    User.teams.through.objects.bulk_create(
        User.teams.through(user=user, team=team) for user, team in city.memberships
    )
    return city


def set_what_families_see(local_authority: LocalAuthority) -> None:
    """The demo area's names and contact, as its administrator would set them:
    parents' pages and emails never say a bare "onestory" from localhost.
    01632 960 numbers are set aside for drama; .example is never a real domain."""
    local_authority.families_name = "Tamarside Family Hubs"
    local_authority.council_name = COUNCIL
    local_authority.contact_phone = "01632 960 001"
    local_authority.contact_email = "familyhubs@tamarside.example"
    local_authority.sender_name = "Tamarside Family Hubs"
    local_authority.sender_email = "familyhubs@tamarside.example"
    local_authority.full_clean()
    local_authority.save()


def _add_named_staff(city: City) -> None:
    teams = {team.name: team for team in city.teams}
    for full_name, local_part, organisation, roles, team_name in SIGN_INS:
        email = f"{local_part}@{EMAIL_DOMAIN}"
        user = _add_user(
            city, full_name, email, city.organisations[organisation], roles
        )
        if team_name:
            city.memberships.append((user, teams[team_name]))
        if Role.SPECIALIST in roles:
            city.specialists.append(user)
        if team_name and Role.PRACTITIONER in roles:
            city.featured.add(user.email)
            city.practitioners_by_team.setdefault(teams[team_name].pk, []).append(user)


def _add_other_staff(city: City, rng, staffing: Staffing) -> None:
    managed = {  # teams whose manager is one of the named people
        team.pk
        for team in city.teams
        for *_, roles, team_name in SIGN_INS
        if team.name == team_name and Role.TEAM_MANAGER in roles
    }
    number = 0

    def add(team, roles):
        nonlocal number
        number += 1
        given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
        user = _add_user(
            city,
            f"{given} {family}",
            f"staff{number:03d}@{EMAIL_DOMAIN}",
            team.organisation,
            roles,
        )
        city.memberships.append((user, team))
        return user

    for team in list(city.teams):
        if team.name == SPECIALIST_TEAM:
            named = len(city.specialists)
            for _ in range(staffing.specialists - named):
                city.specialists.append(add(team, [Role.SPECIALIST]))
            del city.specialists[staffing.consulted :]
            continue
        named = len(city.practitioners_by_team.get(team.pk, []))
        small = named + (OTHERS_IN_A_HUB_TEAM if team.hub else OTHERS_IN_ANOTHER_TEAM)
        size = max(small, staffing.practitioners_per_team)
        split = [
            team,
            *(
                Team(
                    name=f"{team.name} {part}",
                    organisation=team.organisation,
                    hub=team.hub,
                )
                for part in range(2, staffing.teams_per_team + 1)
            ),
        ]
        city.teams.extend(split[1:])
        for part, each in enumerate(split):
            wanted = size // len(split) + (part < size % len(split))
            members = city.practitioners_by_team.setdefault(each.pk, [])
            # A team larger than the small city's has a manager of its own.
            if (part or wanted > small) and each.pk not in managed:
                members.append(add(each, [Role.TEAM_MANAGER, Role.PRACTITIONER]))
            while len(members) < wanted:
                members.append(add(each, [Role.PRACTITIONER]))


@cache
def _demo_password_hash() -> str:
    # One slow Argon2 hash shared by every demo account.
    return make_password(DEMO_PASSWORD)


def _add_user(city: City, full_name, email, organisation, roles) -> User:
    user = User(
        email=email,
        full_name=full_name,
        organisation=organisation,
        password=_demo_password_hash(),
    )
    city.staff.append(user)
    city.grants.extend(RoleGrant(user=user, role=role) for role in roles)
    return user


def current_demo_code() -> str:
    """The code an authenticator app with the demo key shows now."""
    return totp.code_for(DEMO_TOTP_SECRET, totp.step_at(time.time()))


def named(local_part: str) -> User:
    """One of the demo users whose sign-ins are printed, by email local part."""
    return User.objects.get(email=f"{local_part}@{EMAIL_DOMAIN}")


def demo_practitioner() -> User:
    """The practitioner whose sign-in is printed first."""
    return named(SIGN_INS[0][1])
