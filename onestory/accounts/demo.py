"""Demo city, part 1: organisations, hubs, teams and staff of a Plymouth-like city.

Everything here is invented. Hub names are neighbourhoods; no person is real.
"""

import time
from dataclasses import dataclass, field
from functools import cache

from django.contrib.auth.hashers import make_password

from onestory.accounts import totp
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
    ("Alex Brown", "admin", COUNCIL, [Role.ADMINISTRATOR], None),
    ("Jo Okafor", "service.admin", COUNCIL, [Role.SERVICE_ADMINISTRATOR], None),
]

GIVEN_NAMES = [
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Ivy",
    "Lily",
    "Freya",
    "Grace",
    "Emily",
    "Sophie",
    "Chloe",
    "Jessica",
    "Hannah",
    "Ruby",
    "Ellie",
    "Zara",
    "Aisha",
    "Maya",
    "Noah",
    "Oliver",
    "George",
    "Leo",
    "Arthur",
    "Oscar",
    "Harry",
    "Jack",
    "Charlie",
    "Thomas",
    "Jacob",
    "Ethan",
    "Adam",
    "Yusuf",
    "Kai",
    "Reuben",
    "Daniel",
    "Joseph",
]
FAMILY_NAMES = [
    "Smith",
    "Jones",
    "Williams",
    "Taylor",
    "Brown",
    "Davies",
    "Evans",
    "Wilson",
    "Thomas",
    "Johnson",
    "Roberts",
    "Walker",
    "Wright",
    "Robinson",
    "Thompson",
    "White",
    "Hughes",
    "Edwards",
    "Green",
    "Hall",
    "Wood",
    "Harris",
    "Lewis",
    "Martin",
    "Jackson",
    "Clarke",
    "Clark",
    "Turner",
    "Hill",
    "Scott",
    "Cooper",
    "Morris",
    "Ward",
    "Moore",
    "King",
    "Watson",
    "Baker",
    "Harrison",
    "Morgan",
    "Patel",
    "Young",
    "Allen",
    "Mitchell",
    "Kowalski",
    "Nowak",
    "Okafor",
    "Ahmed",
    "Hussain",
    "Begum",
    "Chen",
    "O'Brien",
]


@dataclass
class City:
    local_authority: LocalAuthority | None = None
    organisations: dict[str, Organisation] = field(default_factory=dict)
    hubs: list[Hub] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    hub_postcodes: dict = field(default_factory=dict)
    practitioners_by_team: dict = field(default_factory=dict)
    specialists: list = field(default_factory=list)


def build_city(rng) -> City:
    # About 2,600 births a year (domain.md §5.3): two years of births plus
    # current pregnancies make the Start for Life population.
    city = City(
        local_authority=LocalAuthority.objects.create(
            name="Tamarside", eligible_families=7200
        )
    )
    for name, kind in [
        (COUNCIL, OrganisationKind.COUNCIL),
        (NHS_TRUST, OrganisationKind.NHS_TRUST),
        *[(p, OrganisationKind.VOLUNTARY_PARTNER) for p in PROVIDERS],
    ]:
        city.organisations[name] = Organisation.objects.create(
            name=name, kind=kind, local_authority=city.local_authority
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
            Team.objects.create(
                name=f"{hub_name.removesuffix(' Family Hub')} hub team",
                organisation=hub.organisation,
                hub=hub,
            )
        )
    council, trust = city.organisations[COUNCIL], city.organisations[NHS_TRUST]
    for name, organisation, hub in [
        ("Early help west", council, city.hubs[0]),
        ("Early help north", council, city.hubs[3]),
        ("Early help east", council, city.hubs[7]),
        ("Health visiting west", trust, city.hubs[1]),
        ("Health visiting north", trust, city.hubs[5]),
        ("Health visiting east", trust, city.hubs[8]),
        ("Perinatal mental health team", trust, None),
        ("NHS Talking Therapies family hub team", trust, city.hubs[2]),
    ]:
        city.teams.append(
            Team.objects.create(name=name, organisation=organisation, hub=hub)
        )
    _add_named_staff(city)
    _add_other_staff(city, rng)
    return city


def _add_named_staff(city: City) -> None:
    teams = {team.name: team for team in city.teams}
    for full_name, local_part, organisation, roles, team_name in SIGN_INS:
        email = f"{local_part}@{EMAIL_DOMAIN}"
        user = _create_user(full_name, email, city.organisations[organisation], roles)
        if team_name:
            user.teams.add(teams[team_name])
        if Role.SPECIALIST in roles:
            city.specialists.append(user)
        if team_name and Role.PRACTITIONER in roles:
            user.is_featured = True
            city.practitioners_by_team.setdefault(teams[team_name].pk, []).append(user)


def _add_other_staff(city: City, rng) -> None:
    number = 0
    for team in city.teams:
        for _ in range(3 if team.hub else 2):
            number += 1
            given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
            role = Role.SPECIALIST if "Perinatal" in team.name else Role.PRACTITIONER
            user = _create_user(
                f"{given} {family}",
                f"staff{number:03d}@{EMAIL_DOMAIN}",
                team.organisation,
                [role],
            )
            user.teams.add(team)
            city.practitioners_by_team.setdefault(team.pk, []).append(user)


@cache
def _demo_password_hash() -> str:
    # One slow Argon2 hash shared by every demo account.
    return make_password(DEMO_PASSWORD)


def _create_user(full_name, email, organisation, roles) -> User:
    user = User(
        email=email,
        full_name=full_name,
        organisation=organisation,
        password=_demo_password_hash(),
    )
    user.is_featured = False  # set for the people whose sign-ins are printed
    user.save()
    RoleGrant.objects.bulk_create(RoleGrant(user=user, role=role) for role in roles)
    Authenticator.objects.create(user=user, secret=DEMO_TOTP_SECRET)
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
