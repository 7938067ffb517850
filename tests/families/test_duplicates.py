"""Likely duplicate people (security.md R34; cases 22 and 33): a warning listing
the candidates the user may see, a plain note when there are others they may
not, a hard stop on the same NHS number, and never an automatic merge."""

import random
from datetime import date

import pytest
from django.urls import reverse

from onestory.accounts.models import Role
from onestory.core.models import AuditEvent
from onestory.families import domain
from onestory.families.models import Family, Person
from tests import factories
from tests.families.test_views import valid_family_post

BORN = date(1991, 3, 15)


def _adding(city, given, family_name, born=BORN, **overrides):
    return (
        valid_family_post(
            city,
            carer_given_name=given,
            carer_family_name=family_name,
            carer_date_of_birth_0=str(born.day),
            carer_date_of_birth_1=str(born.month),
            carer_date_of_birth_2=str(born.year),
            carer_nhs_number="",
        )
        | overrides
    )


@pytest.fixture
def sara(city, lead):
    return _sara(city, lead)


def _sara(city, lead):
    """Sara Thompson, 15 March 1991, known to the lead's own team."""
    return factories.family(
        by=lead,
        team=city.team_a,
        given_name="Sara",
        family_name="Thompson",
        date_of_birth=BORN,
        postcode="LS1 4AP",
    )


def _add(client, data):
    return client.post(reverse("families:add_family"), data)


@pytest.mark.security_case(33)
@pytest.mark.parametrize(
    ("given", "family_name", "born"),
    [
        ("Sarah", "Thompson", BORN),  # a letter more
        ("SARA", "thompson", BORN),  # case
        ("Sara", "Thomspon", BORN),  # letters swapped
        ("Sara", "Thompson", BORN),  # the same
        ("Thompson", "Sara", BORN),  # forename and surname swapped
        ("Sára", "Thompson-Hale", BORN),  # accent, double-barrelled
    ],
)
def test_a_likely_duplicate_is_shown_and_nothing_is_added(
    city, sara, lead_client, given, family_name, born
):
    before = Family.objects.count()
    response = _add(lead_client, _adding(city, given, family_name, born))
    assert response.status_code == 200
    body = response.text
    assert "Someone like this may already have a record" in body
    assert reverse("families:family_record", args=[sara.pk]) in body
    assert "Sara Thompson" in body
    assert Family.objects.count() == before
    # What was typed is kept.
    assert f'value="{family_name}"' in body
    event = AuditEvent.objects.filter(action="search_families").latest("sequence")
    assert event.detail == {
        "duplicate_check": True,
        "shown": 1,
        "not_shown": 0,
        "not_shown_families": [],
    }


@pytest.mark.security_case(33)
def test_day_and_month_swapped_is_a_likely_duplicate(city, lead, lead_client):
    factories.family(
        by=lead,
        team=city.team_a,
        given_name="Sara",
        family_name="Thompson",
        date_of_birth=date(1991, 5, 3),
    )
    response = _add(lead_client, _adding(city, "Sara", "Thompson", date(1991, 3, 5)))
    assert "Someone like this may already have a record" in response.text


@pytest.mark.security_case(22)
@pytest.mark.security_case(33)
def test_a_look_alike_letter_from_another_script_is_a_likely_duplicate(
    city, lead, lead_client
):
    factories.family(
        by=lead,
        team=city.team_a,
        given_name="Anna",
        family_name="Kowalska",
        date_of_birth=BORN,
    )
    cyrillic_a = "\u0410"
    response = _add(lead_client, _adding(city, f"{cyrillic_a}nna", "Kowalska"))
    assert "Someone like this may already have a record" in response.text


def test_confirming_a_different_person_adds_the_family(city, sara, lead_client):
    data = _adding(city, "Sarah", "Thompson")
    first = _add(lead_client, data)
    assert 'name="not_a_duplicate"' in first.text
    response = _add(lead_client, data | {"not_a_duplicate": "on"})
    assert response.status_code == 302
    assert Person.objects.filter(given_name="Sarah", family_name="Thompson").exists()
    # No merge: both people are there.
    assert Person.objects.filter(given_name="Sara", family_name="Thompson").exists()


def test_different_people_born_the_same_day_are_not_flagged(city, sara, lead_client):
    response = _add(lead_client, _adding(city, "Priya", "Sharma"))
    assert response.status_code == 302
    assert "Someone like this" not in lead_client.get(response["Location"]).text


@pytest.mark.security_case(33)
def test_a_record_the_user_cannot_see_is_mentioned_but_not_shown(
    city, lead, other_hub_practitioner, client
):
    """The other hub's practitioner may not see Sara's family: they are told
    there may be a record, and nothing about it."""
    sara = _sara(city, lead)
    client.force_login(other_hub_practitioner)
    response = _add(client, _adding(city, "Sarah", "Thompson", team=city.team_b.pk))
    body = response.text
    assert "There may also be a record for this person that you cannot see" in body
    assert str(sara.pk) not in body
    assert "LS1 4AP" not in body
    assert "Sara Thompson" not in body
    event = AuditEvent.objects.filter(action="search_families").latest("sequence")
    assert event.detail["not_shown_families"] == [str(sara.pk)]


def test_another_local_authoritys_people_are_not_considered(
    city, lead, elsewhere, client
):
    person = elsewhere.family.members.get(role="parent_carer")
    client.force_login(lead)
    response = _add(
        client,
        _adding(city, person.given_name, person.family_name, person.date_of_birth),
    )
    assert response.status_code == 302


@pytest.mark.security_case(33)
def test_the_same_nhs_number_is_a_hard_stop_whatever_the_name(city, lead_client):
    existing = city.family.members.get(role="parent_carer")
    response = _add(
        lead_client,
        _adding(
            city,
            "Completely",
            "Different",
            carer_nhs_number=existing.nhs_number,
            not_a_duplicate="on",
        ),
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert not Person.objects.filter(family_name="Different").exists()


# The matching rule on its own: recall on seeded near-duplicates.

FIRST = [
    "Sarah",
    "Mohammed",
    "Olivia",
    "Siobhán",
    "Zoë",
    "Aleksandra",
    "Chidi",
    "Grace",
    "Hannah",
    "Jamal",
    "Katarzyna",
    "Liam",
    "Maryam",
    "Niamh",
    "Oluwaseun",
    "Priya",
    "Rhys",
    "Saoirse",
    "Tariq",
    "Yasmin",
]
LAST = [
    "Thompson",
    "Khan",
    "Nowak",
    "O'Brien",
    "Okafor",
    "Williams",
    "Patel",
    "MacDonald",
    "Evans",
    "Ahmed",
    "Kowalczyk",
    "Jones",
    "Hussain",
    "Murphy",
    "Adeyemi",
    "Sharma",
    "Price",
    "Byrne",
    "Mahmood",
    "Begum",
]


def _variants(rng, given, family, born):
    cyrillic = str.maketrans({"a": "\u0430", "o": "\u043e", "e": "\u0435"})
    typo_at = rng.randrange(1, len(family))
    yield given.upper(), family.lower(), born
    yield given, family[:typo_at] + family[typo_at + 1 :], born  # a letter lost
    yield given, family.replace(family[1], family[1] * 2, 1), born  # doubled
    yield family, given, born  # swapped
    yield given, f"{family}-Smith", born  # double-barrelled
    yield given.translate(cyrillic), family, born  # look-alike letters
    yield given, family, domain.swapped_day_and_month(born) or born
    yield given + "e", family, born  # Sara / Sarae, Grace / Gracee


def test_recall_on_seeded_near_duplicates_is_at_least_95_percent():
    rng = random.Random(33)
    found = total = 0
    for given, family in zip(FIRST, LAST, strict=True):
        born = date(rng.randint(1980, 2006), rng.randint(1, 12), rng.randint(1, 12))
        for v_given, v_family, v_born in _variants(rng, given, family, born):
            total += 1
            found += domain.likely_same_person(
                v_given, v_family, v_born, given, family, born
            )
    assert total == 160
    assert found / total >= 0.95


def test_different_people_born_the_same_day_are_rarely_alike():
    born = date(1990, 7, 1)
    pairs = [
        (a, b)
        for a in zip(FIRST, LAST, strict=True)
        for b in zip(FIRST, LAST, strict=True)
        if a != b
    ]
    false_alarms = sum(
        domain.likely_same_person(a[0], a[1], born, b[0], b[1], born) for a, b in pairs
    )
    assert false_alarms == 0


def test_the_ig_lead_and_commissioner_cannot_add_families(city, client):
    for role in (Role.COMMISSIONER, Role.INFORMATION_GOVERNANCE):
        client.force_login(factories.staff(f"No {role}", city.council, role))
        assert _add(client, _adding(city, "Sarah", "Thompson")).status_code == 403


def test_checking_is_limited_so_that_it_cannot_be_used_to_probe(city, lead_client):
    statuses = {
        _add(
            lead_client,
            _adding(city, "Probe", "Person", date(1960 + n, 1, 1), child="none"),
        ).status_code
        for n in range(30)
    }
    assert statuses == {302}
    refused = _add(lead_client, _adding(city, "Last", "One"))
    assert "You have added or checked more than 30 families" in refused.text
    assert not Person.objects.filter(given_name="Last").exists()
