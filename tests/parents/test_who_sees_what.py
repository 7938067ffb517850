"""The family persona matrix: what each adult sees of the family's own view,
canaries included; and a family session reaches no staff page."""

from datetime import date

import pytest
from django.urls import reverse

from onestory.core.models import AuditEvent
from onestory.measures import instruments
from onestory.measures import services as measures_services
from onestory.parents.models import StorySuggestion
from onestory.support import plans
from tests import factories
from tests.conftest import CANARY_STORY, CANARY_SURNAME
from tests.core.test_permission_declarations import (
    FAMILY_URL_NAMES,
    PUBLIC_URL_NAMES,
    _our_urls,
    _sample_url,
)
from tests.parents.conftest import OTHER_FAMILY_STORY, OTHER_FAMILY_SURNAME, sign_in

# Every page of the family's own view that takes no id.
PAGES = (
    "/your-family/",
    "/your-family/story/",
    "/your-family/story/suggest/",
    "/your-family/plan/",
    "/your-family/progress/",
    "/your-family/questionnaires/",
    "/your-family/who-can-see/",
    "/your-family/coming-up/",
)
RESTRICTED_NOTE = "RESTRICTED-CANARY-disclosed-to-the-practitioner-alone"
# Staff a parent does not work with: never named on their pages.
OTHER_STAFF = ("Sam Same", "Tess Manager", "Olly Other", "Pat Partner", "Nia Nurse")


@pytest.fixture
def canaries(city, lead, family_personas):
    factories.contact(city.family, by=lead, notes=RESTRICTED_NOTE, restricted=True)
    factories.contact(
        family_personas.other_family, by=lead, notes="OTHER-FAMILY-CONTACT-CANARY"
    )
    plans.add_plan_action(
        family=family_personas.other_family,
        description="OTHER-FAMILY-ACTION-CANARY",
        owner="Parent",
        due_on=date(2026, 12, 20),
        by=lead,
    )
    # A GAD-7 of another family's parent, and of another adult in this family:
    # neither is ever shown to this family's other adults.
    for person in (
        family_personas.another_familys_parent.person,
        family_personas.paused_parent.person,
    ):
        measures_services.record_response(
            person=person,
            instrument=instruments.get("GAD7"),
            answers={str(n): 3 for n in range(1, 8)},
            completed_on=date(2026, 11, 2),
            by=lead,
        )


def _pages(client):
    bodies = []
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 200, page
        bodies.append(response.content.decode())
    return "\n".join(bodies)


@pytest.mark.parametrize("persona", ["this_parent", "other_parent"])
def test_each_adult_sees_their_familys_story_and_nothing_else(
    client, family_personas, canaries, persona
):
    sign_in(client, getattr(family_personas, persona))
    seen = _pages(client)
    assert CANARY_STORY in seen
    assert "Lena Lead" in seen  # their own practitioner
    for hidden in (
        OTHER_FAMILY_STORY,
        OTHER_FAMILY_SURNAME,
        RESTRICTED_NOTE,
        "OTHER-FAMILY-CONTACT-CANARY",
        "OTHER-FAMILY-ACTION-CANARY",
        "GAD-7",  # Casey's and Morgan's questionnaires, never these adults'
        *OTHER_STAFF,
    ):
        assert hidden not in seen, hidden


@pytest.mark.security_case(43)
def test_another_familys_parent_sees_only_their_own(client, family_personas, canaries):
    sign_in(client, family_personas.another_familys_parent)
    seen = _pages(client)
    assert OTHER_FAMILY_STORY in seen
    for hidden in (CANARY_STORY, CANARY_SURNAME, RESTRICTED_NOTE, *OTHER_STAFF):
        assert hidden not in seen, hidden


@pytest.mark.security_case(43)
def test_no_posted_id_moves_a_suggestion_to_another_family(client, family_personas):
    sign_in(client, family_personas.another_familys_parent)
    response = client.post(
        "/your-family/story/suggest/",
        {
            "kind": "addition",
            "text": "Ours",
            "family": family_personas.this_parent.access.family_id,
            "family_id": family_personas.this_parent.access.family_id,
            "suggested_by": family_personas.this_parent.person.pk,
        },
    )
    assert response.status_code == 302
    suggestion = StorySuggestion.objects.get()
    assert suggestion.family_id == family_personas.other_family.pk
    assert suggestion.suggested_by == family_personas.another_familys_parent.person


@pytest.mark.security_case(45)
def test_a_paused_adult_reaches_no_page(client, family_personas):
    from tests.parents.conftest import latest_link

    adult = family_personas.paused_parent
    client.post("/your-family/sign-in/", {"address": adult.address})
    dob = adult.person.date_of_birth
    client.post(
        f"/your-family/sign-in/{latest_link(adult.access)}/",
        {
            "date_of_birth_0": dob.day,
            "date_of_birth_1": dob.month,
            "date_of_birth_2": dob.year,
        },
    )
    for page in PAGES:
        assert client.get(page).status_code == 302


def test_a_staff_sign_in_is_not_a_family_one(lead_client):
    for page in PAGES:
        response = lead_client.get(page)
        assert response.status_code == 302
        assert response["Location"] == "/your-family/sign-in/"


STAFF_URLS = [
    (name, pattern)
    for name, pattern in _our_urls()
    if name not in FAMILY_URL_NAMES and name not in PUBLIC_URL_NAMES
]


@pytest.mark.security_case(44)
def test_a_family_session_reaches_no_staff_page(client, family_personas, city):
    sign_in(client, family_personas.this_parent)
    family_id = city.family.pk
    for name, pattern in STAFF_URLS:
        kwargs = {
            key: (family_id if key == "family_id" else None)
            for key in pattern.pattern.converters
        }
        url = (
            reverse(name, kwargs=kwargs)
            if set(kwargs) == {"family_id"}
            else _sample_url(name, pattern)
        )
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("accounts:sign_in")), name


def test_every_read_and_write_is_audited_with_the_adult_as_actor(
    client, family_personas, city, team_manager_client
):
    adult = family_personas.this_parent
    sign_in(client, adult)
    client.get("/your-family/story/")
    client.post(
        "/your-family/story/suggest/", {"kind": "correction", "text": "Not quite"}
    )
    events = AuditEvent.objects.filter(
        actor_roles="family member", detail__family_member=str(adult.person.pk)
    )
    assert set(events.values_list("action", flat=True)) >= {
        "family_sign_in",
        "family_view_page",
        "suggest_story_change",
    }
    assert set(events.values_list("family_id", flat=True)) == {city.family.pk}
    log = team_manager_client.get(
        reverse("families:family_access_log", args=[city.family.pk])
    ).content.decode()
    assert f"{adult.person.full_name} (family member)" in log
    assert "Suggested a change to the family&#x27;s story" in log
