"""Demo city, part 2: families with members, stories, consent and support.

Bulk-inserted for speed (20,000 families must load in minutes); seed data is not
audited because no one read or changed it.
"""

import random
from datetime import date, timedelta

from django.utils import timezone

from onestory.accounts.demo import EMAIL_DOMAIN, FAMILY_NAMES, GIVEN_NAMES, City
from onestory.core.demo import BATCH, insert
from onestory.families.domain import nhs_check_digit
from onestory.families.models import (
    Consent,
    ConsentPurpose,
    Family,
    Person,
    PersonRole,
    Relationship,
    RelationshipKind,
    StoryVersion,
)
from onestory.incidents import postcodes
from onestory.support import demo as support_demo
from onestory.support import demo_requests
from onestory.support.models import (
    Consultation,
    Contact,
    Episode,
    Involvement,
    InvolvementRole,
    LevelChange,
    Plan,
    PlanAction,
    PlanGoal,
)

STREETS = [
    "Fore Street",
    "Albert Road",
    "Wolseley Road",
    "Saltash Road",
    "Victoria Road",
    "Tavistock Road",
    "Ridgeway",
    "Efford Road",
    "Union Street",
    "Keyham Road",
    "Camels Head Close",
    "Kings Road",
    "Cambridge Road",
    "Mayflower Close",
]
LANGUAGES = ["English"] * 17 + ["Polish", "Arabic", "Romanian", "Bengali"]
# Families built in memory before their rows are inserted together.
FAMILIES_PER_BATCH = 2000

STORY_OPENINGS = [
    "We moved here last year and we don't know many people yet.",
    "Since the baby came I have not been sleeping and I feel on edge most of the time.",
    "I had a difficult birth and I keep going over it in my head.",
    "My partner works away a lot and I feel on my own with it all.",
    "I have had low mood before and I want help early this time.",
    "We are expecting our first baby and I am worried about how I will cope.",
]
STORY_MIDDLES = [
    "My health visitor suggested the family hub and I liked the baby massage group.",
    "I want to enjoy my baby more and feel close to them.",
    "Money has been tight and the flat is cold, which makes everything harder.",
    "My mum helps when she can but she lives in Cornwall.",
    "I find it hard to tell people how I feel, so I would rather see the same person.",
]
STORY_HOPES = [
    "What would help most is someone to talk to who knows us.",
    "I would like to meet other parents who feel the same.",
    "I want to feel more confident that I am doing it right.",
    "I would like us to be a calm, happy family.",
]


def build_families(city: City, rng, count: int, progress) -> None:
    # The families live at real postcodes of the open directory, loaded with
    # them, so an incident's cordon finds them where they are.
    build_postcode_directory()
    numbers = _nhs_numbers()
    # Families are dealt to the practitioners in turn, each round in a new order,
    # so caseloads come out even; the specialist team holds none: it is consulted
    # instead (product rule 4).
    practitioners = [
        (team, user)
        for team in city.teams
        for user in city.practitioners_by_team.get(team.pk, [])
    ]
    leads = _in_turn(rng, practitioners)
    other_organisations = list(city.organisations.values())
    # The people whose sign-ins are printed each start with a few families, so a
    # newcomer signing in as them sees a caseload whatever the city's size.
    featured = [
        (team, user) for team, user in practitioners if user.email in city.featured
    ]
    # Every episode opened after a request for support decided at the council's
    # weekly triage meeting.
    chair = next(u for u in city.staff if u.email == f"triage.chair@{EMAIL_DOMAIN}")
    calendar = demo_requests.weekly_meetings(
        chair=chair, organisations=other_organisations
    )
    for start in range(0, count, FAMILIES_PER_BATCH):
        size = min(FAMILIES_PER_BATCH, count - start)
        _build_batch(
            city, rng, leads, other_organisations, numbers, size, featured, start,
            calendar,
        )  # fmt: skip
        progress(size)


def _build_batch(
    city, rng, leads, organisations, numbers, size, featured, start, calendar
):
    today = timezone.localdate()
    families, people, relationships, stories = [], [], [], []
    episodes, involvements, consents = [], [], []
    history = {
        "levels": [],
        "involvements": [],
        "contacts": [],
        "ended_leads": [],
        "consultations": [],
        "plans": [],
        "goals": [],
        "actions": [],
        "decisions": [],
        "requests": [],
        "request_changes": [],
    }
    history["leads"] = {}
    for index in range(start, start + size):
        if index < 4 * len(featured):
            team, lead = featured[index % len(featured)]
        else:
            team, lead = next(leads)
        created = timezone.now() - timedelta(days=rng.randint(1, 700))
        # The family's record was made with the request for support.
        opening = demo_requests.plan_opening(rng, calendar, created)
        family = Family(
            address_line_1=f"{rng.randint(1, 180)} {rng.choice(STREETS)}",
            town="Tamarside",
            postcode=_postcode(rng, city.hub_postcodes.get(team.hub_id, "PL4")),
            created_at=opening.made,
            created_by=lead,
            created_by_organisation_id=lead.organisation_id,
            local_authority=city.local_authority,
        )
        families.append(family)
        surname = rng.choice(FAMILY_NAMES)
        carer = _person(
            family,
            PersonRole.PARENT_CARER,
            rng,
            surname,
            lead,
            created,
            numbers,
            born=today - timedelta(days=rng.randint(18 * 365, 42 * 365)),
        )
        _describe(carer, "mother" if index % 9 else "other_carer", index)
        people.append(carer)
        if rng.random() < 0.5:
            partner = _person(
                family,
                PersonRole.PARENT_CARER,
                rng,
                surname,
                lead,
                created,
                numbers,
                born=today - timedelta(days=rng.randint(19 * 365, 45 * 365)),
            )
            _describe(partner, "father_or_partner", index)
            people.append(partner)
            relationships.append(
                Relationship(
                    family=family,
                    person=carer,
                    relative=partner,
                    kind=RelationshipKind.PARTNER_OF,
                )
            )
        child = _child(family, rng, surname, lead, created, numbers, today)
        people.append(child)
        relationships.append(
            Relationship(
                family=family,
                person=carer,
                relative=child,
                kind=RelationshipKind.PARENT_OF,
            )
        )
        stories.append(
            StoryVersion(
                family=family,
                number=1,
                text=_story(rng),
                written_at=created,
                written_by=lead,
                written_by_organisation_id=lead.organisation_id,
            )
        )
        episode = Episode(family=family, team=team, opened_at=created, opened_by=lead)
        episodes.append(episode)
        lead_involvement = Involvement(
            episode=episode,
            practitioner=lead,
            role=InvolvementRole.LEAD,
            started_at=created,
        )
        involvements.append(lead_involvement)
        history["leads"][episode] = lead_involvement
        first_level = len(history["levels"])
        colleagues = [p for p in city.practitioners_by_team[team.pk] if p.pk != lead.pk]
        colleagues.sort(key=lambda p: city.transfers_taken.get(p.pk, 0))
        lead_now = support_demo.add_history(
            history,
            rng,
            episode=episode,
            lead=lead,
            colleagues=colleagues,
            opened=created,
        )
        if lead_now is not lead:
            taken = city.transfers_taken
            taken[lead_now.pk] = taken.get(lead_now.pk, 0) + 1
        shared_with = {team.organisation_id}
        for organisation in rng.sample(organisations, rng.choice([0, 1, 1, 2, 3])):
            shared_with.add(organisation.pk)
            if organisation.pk != team.organisation_id:
                consents.append(
                    Consent(
                        family=family,
                        organisation=organisation,
                        purpose=ConsentPurpose.SHARE_RECORD,
                        given_by=carer,
                        given_on=created.date(),
                        recorded_at=created,
                        recorded_by=lead,
                        recorded_by_organisation_id=lead.organisation_id,
                    )
                )
        demo_requests.add_opening_request(
            history,
            rng,
            calendar,
            opening,
            family=family,
            team=team,
            lead=lead,
            carer=carer,
            level=history["levels"][first_level].to_level,
            agreed_ids=shared_with,
            consents=consents,
        )
        if rng.random() < 0.5:
            support_demo.add_plan(
                history, rng, family=family, lead=lead, opened=created
            )
        consulted = [s for s in city.specialists if s.organisation_id in shared_with]
        if consulted and rng.random() < 0.3:
            support_demo.add_consultation(
                history,
                rng,
                episode=episode,
                lead=lead,
                specialist=rng.choice(consulted),
                opened=created,
            )
    # A transferred lead's first involvement ends when the next one starts.
    for episode, ended in history["ended_leads"]:
        first = history["leads"][episode]
        first.ended_at = ended
        first.end_reason = "Moved to a practitioner trained for this work"
    for model, rows in [
        (Family, families),
        (Person, people),
        (Relationship, relationships),
        (StoryVersion, stories),
        (Episode, episodes),
        (Involvement, involvements + history["involvements"]),
        (Consent, consents),
        (LevelChange, history["levels"]),
        (Consultation, history["consultations"]),
        (Contact, history["contacts"]),
    ]:
        insert(model, rows)
    demo_requests.insert_requests(calendar, history)
    # Plans get their ids from the database; their goals and actions need them.
    Plan.objects.bulk_create(history["plans"], batch_size=BATCH)
    insert(PlanGoal, history["goals"])
    insert(PlanAction, history["actions"])


def _in_turn(rng, items):
    while True:
        deck = list(items)
        rng.shuffle(deck)
        yield from deck


# Roughly Plymouth's mix (2021 census: about 94% White), with some not asked.
ETHNICITY_MIX = "A" * 80 + "C" * 6 + "DEFG" + "HJKL" + "MN" + "RS" + "Z" + "  "


def _describe(person, parent_role: str, index: int) -> None:
    """Which parent, an ethnic category and (for about nine in ten) a phone
    number from Ofcom's drama range; from their own generators, so the rest of
    the city stays as it was for a given seed."""
    person.parent_role = parent_role
    person.ethnic_category = (
        random.Random(f"{index}-{parent_role}").choice(ETHNICITY_MIX).strip()
    )
    phones = random.Random(f"phone-{index}-{parent_role}")
    if phones.random() < 0.9:
        person.phone = f"07700{phones.randint(900000, 900999)}"


def _person(family, role, rng, surname, by, created, numbers, *, born) -> Person:
    language = rng.choice(LANGUAGES)
    return Person(
        family=family,
        role=role,
        given_name=rng.choice(GIVEN_NAMES),
        family_name=surname,
        date_of_birth=born,
        nhs_number=next(numbers) if rng.random() < 0.8 else None,
        preferred_language=language,
        interpreter_needed=language != "English" and rng.random() < 0.5,
        recorded_at=created,
        recorded_by=by,
        recorded_by_organisation_id=by.organisation_id,
        local_authority_id=family.local_authority_id,
    )


def _child(family, rng, surname, by, created, numbers, today: date) -> Person:
    if rng.random() < 0.2:
        return Person(
            family=family,
            role=PersonRole.UNBORN_BABY,
            family_name=surname,
            expected_delivery_date=today + timedelta(days=rng.randint(7, 200)),
            recorded_at=created,
            recorded_by=by,
            recorded_by_organisation_id=by.organisation_id,
            local_authority_id=family.local_authority_id,
        )
    baby = _person(
        family,
        PersonRole.BABY,
        rng,
        surname,
        by,
        created,
        numbers,
        born=today - timedelta(days=rng.randint(1, 700)),
    )
    baby.preferred_language = "English"
    baby.interpreter_needed = False
    return baby


def _story(rng) -> str:
    return "\n\n".join(
        [rng.choice(STORY_OPENINGS), rng.choice(STORY_MIDDLES), rng.choice(STORY_HOPES)]
    )


def build_postcode_directory() -> None:
    """Where Plymouth's postcodes are: the shipped OS Code-Point Open file
    (onestory/incidents/data/README.md), as `load_postcodes` loads it."""
    postcodes.load_postcodes(postcodes.read_plymouth())


def _postcode(rng, district: str) -> str:
    """A real postcode of the hub's district, from the shipped directory, each
    as likely as another. It takes the three draws the made-up postcodes took
    (two letters of 20, a sector of 9), so a seed's city is otherwise the same
    city: the same people, caseloads and histories."""
    slot = (rng.randrange(20) * 20 + rng.randrange(20)) * 9 + rng.randrange(9)
    real = postcodes.plymouth_by_district()[district]
    return real[slot * len(real) // (20 * 20 * 9)]


def _nhs_numbers():
    """Valid NHS numbers from the 999 test range, in order, never repeating."""
    for serial in range(1_000_000):
        first_nine = f"999{serial:06d}"
        check = nhs_check_digit(first_nine)
        if check is not None:
            yield f"{first_nine}{check}"
