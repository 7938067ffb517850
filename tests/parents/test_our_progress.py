"""How things are changing: an adult sees the progress pictures of their own
questionnaires and their children's, each with its table, in the family's
words; never another adult's."""

from datetime import date

from onestory.families.models import PersonRole
from onestory.measures import instruments, services
from tests.parents.conftest import sign_in


def _phq9(person, total_each, when, by):
    services.record_response(
        person=person,
        instrument=instruments.get("PHQ9"),
        answers={str(n): total_each for n in range(1, 10)},
        completed_on=when,
        by=by,
    )


def test_an_adult_sees_their_own_and_their_childrens_progress_only(
    client, city, lead, family_personas
):
    alex = family_personas.this_parent.person
    jordan = family_personas.other_parent.person
    _phq9(alex, 2, date(2026, 9, 1), lead)
    _phq9(alex, 1, date(2026, 11, 1), lead)
    _phq9(jordan, 3, date(2026, 10, 1), lead)
    robin = city.family.members.get(role=PersonRole.BABY)
    # Any measure recorded about the child (which one does not matter here).
    _phq9(robin, 0, date(2026, 10, 5), lead)
    sign_in(client, family_personas.this_parent)
    page = client.get("/your-family/progress/").content.decode()
    assert "Alex: PHQ-9" in page
    assert "Robin: " in page
    assert "Jordan" not in page
    assert "PHQ-9 scores" in page  # the table beside the chart
    assert "1 November 2026" in page
    client.cookies.clear()
    sign_in(client, family_personas.other_parent)
    theirs = client.get("/your-family/progress/").content.decode()
    assert "Jordan: PHQ-9" in theirs
    assert "Alex" not in theirs
    assert "Robin: " not in theirs  # recorded as Alex's child, not Jordan's


def test_no_questionnaires_yet_says_so(client, family_personas):
    sign_in(client, family_personas.another_familys_parent)
    page = client.get("/your-family/progress/").content.decode()
    assert "You have not filled in any questionnaires with us yet" in page
