"""Equity: the area lookup (loaded all or nothing); families and parents
reached by deprivation, by which parent and by ethnic group; and every figure
narrowed to one group."""

import csv
import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from onestory.insights import domain, services
from onestory.insights.models import AreaDeprivation
from onestory.insights.queries import people
from tests import factories
from tests.insights.builders import at, figure, parts, scope
from tests.insights.test_reach_and_waits import contact, new_family


def _reader(text: str):
    return csv.DictReader(io.StringIO(text))


def test_a_row_is_read_with_its_postcode_made_regular():
    row = domain.read_area_row(
        {"postcode": "pl1 2aa", "lsoa": "e01015000", "imd_decile": "3"}
    )
    assert row == domain.AreaRow("PL1 2AA", "E01015000", 3)
    assert [domain.quintile(d) for d in range(1, 11)] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            {"postcode": "NOT A CODE", "lsoa": "E01015000", "imd_decile": "3"},
            "postcode",
        ),
        ({"postcode": "PL1 2AA", "lsoa": "X123", "imd_decile": "3"}, "lsoa"),
        (
            {"postcode": "PL1 2AA", "lsoa": "E01015000", "imd_decile": "11"},
            "imd_decile",
        ),
        ({"postcode": "PL1 2AA", "lsoa": "E01015000", "imd_decile": ""}, "imd_decile"),
    ],
)
def test_a_bad_row_says_what_is_wrong(row, message):
    with pytest.raises(ValueError, match=message):
        domain.read_area_row(row)


@pytest.mark.django_db
def test_a_file_with_bad_rows_loads_nothing_and_names_every_bad_row():
    AreaDeprivation.objects.create(
        postcode="PL9 9ZZ", lsoa_code="E01000001", imd_decile=5
    )
    text = (
        "postcode,lsoa,imd_decile\n"
        "PL1 2AA,E01015000,1\n"
        "PL1 2AB,E01015001,0\n"
        "PL1 2AA,E01015000,2\n"
        "PL1 2AD,E01015002,4\n"
    )
    with pytest.raises(services.BadAreaLookup) as raised:
        services.load_area_lookup(_reader(text))
    assert raised.value.problems == [
        "Line 3: imd_decile '0' is not a whole number from 1 to 10.",
        "Line 4: PL1 2AA is already on line 2.",
    ]
    assert list(AreaDeprivation.objects.values_list("postcode", flat=True)) == [
        "PL9 9ZZ"
    ]


@pytest.mark.django_db
def test_a_good_file_replaces_the_lookup(tmp_path):
    AreaDeprivation.objects.create(
        postcode="PL9 9ZZ", lsoa_code="E01000001", imd_decile=5
    )
    path = tmp_path / "lookup.csv"
    path.write_text(
        "postcode,lsoa,imd_decile\npl1 2aa,E01015000,1\nPL1 2AB,E01015001,10\n"
    )
    out = io.StringIO()
    call_command("load_deprivation", str(path), stdout=out)
    assert "Loaded 2 postcodes." in out.getvalue()
    assert dict(AreaDeprivation.objects.values_list("postcode", "imd_decile")) == {
        "PL1 2AA": 1,
        "PL1 2AB": 10,
    }


@pytest.mark.django_db
def test_the_command_refuses_a_file_without_the_columns(tmp_path):
    path = tmp_path / "lookup.csv"
    path.write_text("postcode,decile\nPL1 2AA,1\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_deprivation", str(path), stderr=err)
    assert "The file has no column lsoa, imd_decile." in err.getvalue()


def test_without_a_lookup_the_report_says_how_to_load_one(city):
    found = figure(people.equity(scope(city)), "R1 deprivation")
    assert found.value is None
    assert "load_deprivation" in found.note


def test_families_reached_by_deprivation_quintile(city, lead):
    # Deciles 1 and 2 are quintile 1; 9 is quintile 5; PL3 3DD is not in the lookup.
    for postcode, decile in (("PL1 1AA", 1), ("PL1 1AB", 2), ("PL2 2BB", 9)):
        AreaDeprivation.objects.create(
            postcode=postcode, lsoa_code="E01015000", imd_decile=decile
        )
    for postcode in ("PL1 1AA", "PL1 1AB", "PL2 2BB", "PL3 3DD", "PL1 1AA"):
        family, episode = new_family(city)
        family.postcode = postcode
        family.save(update_fields=["postcode"])
        contact(episode, at(date(2026, 5, 5)), by=lead)
    # A family not reached in the period is not counted, whatever its area.
    factories.family(by=lead, team=city.team_a, postcode="PL2 2BB")
    found = figure(people.equity(scope(city)), "R1 deprivation")
    assert found.value == 5
    assert parts(found) == {
        "Quintile 1 (most deprived)": 3,
        "Quintile 2": 0,
        "Quintile 3": 0,
        "Quintile 4": 0,
        "Quintile 5 (least deprived)": 1,
        "Postcode not in the lookup": 1,
    }


def test_every_figure_can_be_narrowed_to_an_equity_group(city, lead):
    """Narrowed to a group, figures count that group's families only: by the
    youngest parent's age at the end of the period, language, or deprivation."""
    from onestory.families.models import Person
    from onestory.insights.queries import activity

    AreaDeprivation.objects.create(
        postcode="PL1 1AA", lsoa_code="E01015000", imd_decile=2
    )
    families = {}
    # Youngest parent's birthday against the period's last day, 30 June 2026:
    # born 1 July 2006 is 19 (under 20); born 30 June 2006 is 20.
    for name, born, language, postcode in (
        ("young", date(2006, 7, 1), "English", "PL1 1AA"),
        ("twenty", date(2006, 6, 30), "Polish", "PL2 2BB"),
        ("older", date(1985, 1, 1), "English", "PL1 1AA"),
    ):
        family, episode = new_family(city)
        Person.objects.filter(family=family, role="parent_carer").update(
            date_of_birth=born, preferred_language=language
        )
        family.postcode = postcode
        family.save(update_fields=["postcode"])
        contact(episode, at(date(2026, 5, 5)), by=lead)
        families[name] = family

    def reached(group):
        return figure(activity.reach(scope(city, group=group)), "R1").value

    assert reached("") == 3
    assert reached("age:under-20") == 1
    assert reached("age:20-24") == 1
    assert reached("age:35-plus") == 1
    assert reached("age:25-34") == 0
    assert reached("language:other") == 1
    assert reached("imd:1") == 2  # decile 2 is quintile 1
    assert reached("imd:5") == 0


def test_parents_reached_by_which_parent_and_ethnic_group_and_their_filters(city, lead):
    from onestory.families.models import Person
    from onestory.insights.queries import activity

    # Family 1: a mother (Indian, H) and a father (White British, A).
    # Family 2: a mother who chose not to say (Z). Family 3: not asked.
    described = [
        [("mother", "H"), ("father_or_partner", "A")],
        [("mother", "Z")],
        [("", "")],
    ]
    for parents in described:
        family, episode = new_family(city)
        carer = family.members.get(role="parent_carer")
        Person.objects.filter(pk=carer.pk).update(
            parent_role=parents[0][0], ethnic_category=parents[0][1]
        )
        for role, category in parents[1:]:
            Person.objects.create(
                family=family,
                role="parent_carer",
                family_name="Testerson",
                parent_role=role,
                ethnic_category=category,
                recorded_by=lead,
                recorded_by_organisation=lead.organisation,
                local_authority=family.local_authority,
            )
        contact(episode, at(date(2026, 5, 5)), by=lead)
    figures = people.equity(scope(city))
    assert parts(figure(figures, "R2 parents")) == {
        "Mother or birthing parent": 2,
        "Father or partner": 1,
        "Other carer": 0,
        "Not recorded": 1,
    }
    assert parts(figure(figures, "R2 ethnic group")) == {
        "White": 1,
        "Mixed": 0,
        "Asian or Asian British": 1,
        "Black or Black British": 0,
        "Other ethnic groups": 0,
        "Not stated": 1,
        "Not asked yet": 1,
    }

    def reached(group):
        return figure(activity.reach(scope(city, group=group)), "R1").value

    assert reached("role:father_or_partner") == 1
    assert reached("ethnic:asian") == 1
    assert reached("ethnic:white") == 1  # the same family: its father
    assert reached("ethnic:black") == 0
