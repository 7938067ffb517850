"""Learning-log text is read by commissioners: an entry that names a person
of the area, or holds an NHS number or a date, is refused on its field with
what was typed kept (the rules for numbers, dates and names:
insights/learning_text.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from onestory.insights import domain, learning_text
from onestory.insights.forms import LearningEntryForm
from onestory.insights.models import LearningEntry
from tests import factories

RECORD = reverse("insights:record_learning")


@pytest.mark.parametrize(
    "text",
    ["Seen on 3/4/2025.", "born 03-04-2025", "3 April 2025", "on 2025-04-03",
     "the 3rd of Apr 2025", "April 3, 2025", "3.4.25"],
)  # fmt: skip
def test_a_date_written_as_a_date_is_found(text):
    assert learning_text.holds_date(text)


@pytest.mark.parametrize(
    "text",
    ["In April 2025 we tried", "2026-Q3 figures", "1 in 3 families", "10/20 said",
     "31/02/2025 is no day", "ratio 2/3/4", "12/2026"],
)  # fmt: skip
def test_months_scores_and_impossible_days_are_not_dates(text):
    assert not learning_text.holds_date(text)


@pytest.mark.parametrize("text", ["9990000026", "999 000 0026", "no. 999-000-0026."])
def test_an_nhs_number_spaced_or_not_is_found(text):
    assert learning_text.holds_nhs_number(text)


@pytest.mark.parametrize(
    "text",
    ["9990000027", "1234567890", "1111111111", "99900000261", "call 01752 123456"],
)
def test_ten_digits_that_fail_modulus_11_are_not_an_nhs_number(text):
    assert not learning_text.holds_nhs_number(text)


def test_a_name_is_found_with_both_parts_as_whole_words_in_any_case():
    people = [("Priya", "Okonkwo-Hale"), ("", "Nobody"), ("Sam", "Jones")]
    assert learning_text.names_in("we met PRIYA  okonkwo-hale", people) == [
        "Priya Okonkwo-Hale"
    ]
    assert learning_text.names_in("Okonkwo-Hale, Priya came", people) == [
        "Priya Okonkwo-Hale"
    ]
    assert learning_text.names_in("Priya came; the Jones family too", people) == []
    assert learning_text.names_in("Sammy Jonesy", people) == []


def _entry(period, **text):
    return {
        "metric": "R1",
        "period": period.key,
        "question": "Why do fewer fathers come?",
        "tried": "Saturday sessions.",
        "noticed": "Three dads came twice.",
        "next_steps": "Ask the dads.",
    } | text


@pytest.fixture
def priya(city, lead):
    return factories.family(
        by=lead,
        team=city.team_a,
        given_name="Priya",
        family_name="Okonkwo-Hale",
    )


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("noticed", "priya OKONKWO-HALE came twice", "Remove the name Priya"),
        ("tried", "Her NHS number is 999 000 0026", "Remove the NHS number"),
        ("next_steps", "Call back on 3/4/2025", "Remove the date from"),
    ],
)
def test_an_entry_that_identifies_someone_is_refused_keeping_what_was_typed(
    commissioner, priya, sign_in, field, text, message
):
    period = domain.last_full_quarter(timezone.localdate())
    client = sign_in(commissioner)
    response = client.post(RECORD, _entry(period, **{field: text}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert message in body
    assert f"#id_{field}" in body  # the summary links to the field
    assert text.replace("'", "&#x27;") in body  # what was typed is kept
    assert "Why do fewer fathers come?" in body
    assert LearningEntry.objects.count() == 0


def test_a_name_from_another_area_or_a_given_name_alone_is_accepted(
    team_manager, elsewhere, priya, sign_in
):
    period = domain.last_full_quarter(timezone.localdate())
    client = sign_in(team_manager)
    surname = elsewhere.family.members.first()
    text = f"Priya came; so did {surname.given_name} {surname.family_name}."
    response = client.post(RECORD, _entry(period, noticed=text))
    assert response.status_code == 302
    assert LearningEntry.objects.get().noticed == text


def test_the_name_check_is_one_query_however_many_people(city, lead, priya):
    period = domain.last_full_quarter(timezone.localdate())
    for n in range(5):
        factories.family(
            by=lead, team=city.team_a,
            given_name=f"Given{n}", family_name=f"Family{n}",
        )  # fmt: skip
    form = LearningEntryForm(
        _entry(period, noticed="Given3 Family3 came."),
        local_authority=city.council.local_authority_id,
    )
    with CaptureQueriesContext(connection) as queries:
        assert not form.is_valid()
    people = [q for q in queries if "families_person" in q["sql"]]
    assert len(people) == 1
    assert "Given3 Family3" in form.errors["noticed"][0]
