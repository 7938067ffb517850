"""Coming up: the family's booked course sessions, the plan's next review,
their last contact, how to reach their practitioner, and feedback."""

from datetime import timedelta

from django.utils import timezone

from onestory.accounts.models import Hub
from onestory.programmes.models import Course, CourseSession, Place, PlaceStatus
from onestory.support import plans
from onestory.support import services as support
from tests import factories
from tests.parents.conftest import sign_in


def _course(
    city, lead, title, person, status=PlaceStatus.BOOKED, days=3, cancelled=False
):
    course = Course.objects.create(
        programme=factories.programme(f"Baby massage {title}"),
        hub=Hub.objects.get_or_create(name="North Hub", organisation=city.council)[0],
        title=title,
        created_by=lead,
    )
    CourseSession.objects.create(
        course=course,
        number=1,
        starts_at=timezone.now() + timedelta(days=days),
        venue=f"VENUE-{title}",
        cancelled=cancelled,
    )
    Place.objects.create(course=course, person=person, status=status, added_by=lead)


def test_an_adult_sees_what_is_next_and_how_to_reach_their_practitioner(
    client, city, lead, same_team_practitioner, family_personas
):
    robin = city.family.members.get(role="baby")
    _course(city, lead, "Spring", robin)
    _course(city, lead, "Waiting", robin, status=PlaceStatus.WAITING)
    _course(city, lead, "Cancelled", robin, cancelled=True)
    _course(city, lead, "Past", robin, days=-3)
    _course(city, lead, "Elsewhere", family_personas.another_familys_parent.person)
    plans.update_plan(
        family=city.family,
        strengths="",
        review_on=timezone.localdate() + timedelta(days=20),
        based_on=1,
        by=lead,
    )
    episode = city.family.episodes.get()
    soon = timezone.now() + timedelta(days=2)
    support.arrange_contact(
        episode=episode,
        starts_at=soon,
        contact_type="home_visit",
        practitioner=lead,
        by=lead,
    )
    support.arrange_contact(
        episode=episode,
        starts_at=soon + timedelta(days=7),
        contact_type="phone",
        practitioner=same_team_practitioner,
        by=lead,
    )
    cancelled = support.arrange_contact(
        episode=episode,
        starts_at=soon + timedelta(days=1),
        contact_type="video",
        practitioner=lead,
        by=lead,
    )
    support.cancel_arranged_contact(arranged=cancelled, by=lead)
    sign_in(client, family_personas.other_parent)
    page = client.get("/your-family/coming-up/").content.decode()
    assert "Home visit with Lena Lead" in page
    assert "Phone with someone in your team" in page
    assert "Sam Same" not in page
    assert "Video" not in page  # cancelled
    assert "VENUE-Spring" in page
    for hidden in ("VENUE-Waiting", "VENUE-Cancelled", "VENUE-Past", "VENUE-Elsewhere"):
        assert hidden not in page, hidden
    assert "You will look at your plan together again on" in page
    assert "Lena Lead, Test City Council" in page
    assert f"mailto:{lead.email}" in page
    assert f"/feedback/{city.family.local_authority_id}/" in page


def test_with_nothing_booked_it_says_what_to_do(client, family_personas):
    sign_in(client, family_personas.this_parent)
    page = client.get("/your-family/coming-up/").content.decode()
    assert "No contact is arranged yet" in page
    assert "No course sessions are booked for your family" in page
    assert "No date is set to look at your plan again" in page
