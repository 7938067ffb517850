import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from onestory.accounts import demo as accounts_demo
from onestory.accounts.models import Hub, Organisation, Role, RoleGrant, User
from onestory.families import domain
from onestory.families.models import Family, Person
from onestory.support.models import Episode
from tests import factories


@pytest.fixture(autouse=True)
def _development(settings):
    settings.DEBUG = True  # the demo runs in development only


@pytest.fixture
def demo_city(db):
    call_command(
        "demo",
        families=40,
        seed=7,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )


def test_the_demo_city_has_hubs_organisations_staff_with_every_role_and_families(
    demo_city,
):
    assert Hub.objects.count() == 10
    assert Organisation.objects.filter(kind="voluntary_partner").count() == 3
    assert 50 <= User.objects.count() <= 70
    assert set(RoleGrant.objects.values_list("role", flat=True)) == set(Role.values)
    assert Family.objects.count() == 40
    assert Episode.objects.count() == 40
    # Some have ended, so that the service report has endings and outcomes.
    assert 25 <= Episode.objects.filter(closed_at__isnull=True).count() < 40


def test_ended_demo_episodes_are_ended_properly(demo_city):
    from onestory.support.models import Involvement

    ended = Episode.objects.filter(closed_at__isnull=False)
    assert ended.exists()
    assert not ended.filter(closure_reason="").exists()
    assert not Involvement.objects.filter(episode__in=ended, ended_at=None).exists()
    assert Family.objects.filter(story_versions__isnull=True).count() == 0


def test_demo_people_are_synthetic(demo_city):
    numbers = list(
        Person.objects.exclude(nhs_number=None).values_list("nhs_number", flat=True)
    )
    assert numbers
    assert all(
        n.startswith("999") and domain.normalise_nhs_number(n) == n for n in numbers
    )
    for postcode in Family.objects.values_list("postcode", flat=True):
        assert domain.normalise_postcode(postcode) == postcode


def test_most_parents_and_carers_have_a_drama_phone_number_and_babies_none(
    demo_city,
):
    carers = list(
        Person.objects.filter(role="parent_carer").values_list("phone", flat=True)
    )
    with_phone = [p for p in carers if p]
    assert 0.8 <= len(with_phone) / len(carers) < 1
    assert all(
        p.startswith("07700") and 900000 <= int(p[5:]) <= 900999 for p in with_phone
    )
    assert all(domain.normalise_phone_number(p) == p for p in with_phone)
    assert not Person.objects.exclude(role="parent_carer").exclude(phone="").exists()


def test_every_printed_demo_sign_in_works(demo_city):
    for _name, local_part, *_ in accounts_demo.SIGN_INS:
        email = f"{local_part}@{accounts_demo.EMAIL_DOMAIN}"
        assert authenticate(username=email, password=accounts_demo.DEMO_PASSWORD), email


def test_the_demo_practitioner_has_a_caseload(demo_city, client):
    client.force_login(
        User.objects.get(email=f"practitioner@{accounts_demo.EMAIL_DOMAIN}")
    )
    assert "Lead practitioner" in client.get("/families/").content.decode()


def test_a_second_run_reuses_the_city_and_a_plain_run_refuses(demo_city, capsys):
    call_command("demo", if_empty=True)
    assert "already loaded" in capsys.readouterr().out
    assert Family.objects.count() == 40
    with pytest.raises(CommandError, match="not empty"):
        call_command("demo")


def test_the_same_seed_gives_the_same_city(db):
    import random

    from onestory.operations.demo import _postcode, _story

    first, second = random.Random(11), random.Random(11)
    assert [(_story(first), _postcode(first, "PL1")) for _ in range(5)] == [
        (_story(second), _postcode(second, "PL1")) for _ in range(5)
    ]


def test_the_demo_triage_chair_has_past_weekly_meetings_and_one_upcoming(
    demo_city, client
):
    from django.utils import timezone

    from onestory.support.models import SupportRequest, TriageMeeting

    chair = accounts_demo.named("triage.chair")
    meetings = TriageMeeting.objects.filter(organisation=chair.organisation)
    now = timezone.now()
    # Each family's first request was decided at one of the weekly meetings;
    # only weeks with something to decide have one.
    assert meetings.filter(starts_at__lt=now).count() > 2
    assert meetings.filter(starts_at__gt=now).count() == 1
    assert not meetings.filter(starts_at__lt=now, decisions__isnull=True).exists()
    statuses = set(SupportRequest.objects.values_list("status", flat=True))
    assert {"new", "awaiting_triage", "accepted"} <= statuses
    client.force_login(chair)
    upcoming = meetings.get(starts_at__gt=now)
    body = client.get(f"/triage/meetings/{upcoming.pk}/").content.decode()
    assert "Discuss and decide" in body
    assert "Triage" in client.get("/triage/").content.decode()


def test_demo_users_sign_in_with_the_printed_two_factor_code(demo_city, client):
    out = io.StringIO()
    call_command("demo", code=True, stdout=out)
    client.post(
        "/sign-in/",
        {
            "email": f"practitioner@{accounts_demo.EMAIL_DOMAIN}",
            "password": accounts_demo.DEMO_PASSWORD,
        },
    )
    response = client.post("/sign-in/code/", {"code": out.getvalue().strip()})
    assert response.status_code == 302
    assert client.get("/families/").status_code == 200


def test_the_demo_city_has_courses_training_and_supervision(demo_city):
    from onestory.programmes.models import Attendance, Course, CourseSession
    from onestory.workforce import queries as workforce_queries
    from onestory.workforce.models import Supervision, TrainingRecord

    running = Course.objects.get(title="Winter")
    assert running.places.filter(status="booked").count() == 8
    assert running.places.filter(status="waiting").count() == 2
    assert Attendance.objects.filter(session__course=running).exists()
    assert CourseSession.objects.filter(
        course__title="Thursday drop-in", head_count__isnull=False
    ).exists()
    assert TrainingRecord.objects.filter(status="planned").exists()
    assert Supervision.objects.exists()
    manager = accounts_demo.named("team.manager")
    team = workforce_queries.team_overview(manager, manager.date_joined.date())
    assert team  # the manager's team page has people on it


def test_the_demo_city_has_feedback_with_consented_quotes(demo_city):
    from onestory.programmes.models import Feedback

    assert Feedback.objects.filter(consent_to_quote=True).count() >= 5
    assert Feedback.objects.filter(consent_to_quote=False).exists()
    assert Feedback.objects.filter(source="verbal").exists()


def test_the_demo_area_lookup_is_valid(demo_city):
    from onestory.insights import domain
    from onestory.insights.models import AreaDeprivation

    rows = list(AreaDeprivation.objects.values("postcode", "lsoa_code", "imd_decile"))
    assert rows
    for row in rows:
        domain.read_area_row(
            {
                "postcode": row["postcode"],
                "lsoa": row["lsoa_code"],
                "imd_decile": str(row["imd_decile"]),
            }
        )


def test_the_demo_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="ONESTORY_DEBUG=true"):
        call_command("demo", families=1, stdout=io.StringIO())
    assert not Organisation.objects.exists()


def test_the_demo_command_exits_non_zero_with_debug_off():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "onestory", "demo", "--code"],
        env=factories.production_environment(
            ONESTORY_DATABASE_URL="sqlite:///var/never-made-by-the-demo.sqlite3"
        ),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "for development only" in result.stderr


def test_the_staff_grow_with_the_city_to_about_300_for_20000_families(db):
    """product.md's council: 20,000 families, 300 staff; caseloads stay even."""
    import random

    from onestory.accounts.models import Team

    city = accounts_demo.build_city(random.Random(1), families=20000)
    leads = [u for members in city.practitioners_by_team.values() for u in members]
    assert 270 <= User.objects.count() <= 330
    assert 20000 / len(leads) <= accounts_demo.FAMILIES_PER_PRACTITIONER
    assert len(city.specialists) == 20  # one consulted per 1,000 families
    for team in Team.objects.exclude(name=accounts_demo.SPECIALIST_TEAM):
        members = team.members.filter(role_grants__role=Role.PRACTITIONER)
        assert members.count() <= accounts_demo.TEAM_SIZE, team
        assert members.filter(role_grants__role=Role.TEAM_MANAGER).exists(), team
    assert Team.objects.count() > 18


def test_the_small_demo_city_keeps_its_staff(db):
    import random

    city = accounts_demo.build_city(random.Random(1), families=300)
    assert len(city.teams) == 18
    # As before the staff grew with the city, and the emergency lead.
    assert User.objects.count() == 64
    assert [s.email for s in city.specialists] == [
        f"specialist@{accounts_demo.EMAIL_DOMAIN}"
    ]
    assert RoleGrant.objects.filter(role=Role.TEAM_MANAGER).count() == 1


def test_the_demo_practitioner_leads_a_caseload_like_everyone_else(db, monkeypatch):
    """A small city made to grow its staff: two families a practitioner."""
    from django.db.models import Count, Q

    monkeypatch.setattr(accounts_demo, "FAMILIES_PER_PRACTITIONER", 2)
    monkeypatch.setattr(accounts_demo, "TEAM_SIZE", 4)
    call_command("demo", families=200, seed=3, stdout=io.StringIO())
    caseloads = dict(
        User.objects.filter(role_grants__role=Role.PRACTITIONER)
        .annotate(n=Count("involvements", filter=Q(involvements__role="lead")))
        .values_list("email", "n")
    )
    assert len(caseloads) >= 100
    # Families are dealt in turn: everyone leads one or two (some more through a
    # colleague's transfer); the named practitioners start with four more each.
    named = caseloads.pop(f"practitioner@{accounts_demo.EMAIL_DOMAIN}")
    caseloads.pop(f"team.manager@{accounts_demo.EMAIL_DOMAIN}")
    assert min(caseloads.values()) >= 1
    assert max(caseloads.values()) <= 2 + 1  # a random draw would give some 5 or 6
    assert 4 + 1 <= named <= 4 + 2 + 1


def _in_a_rolled_back_city(families, seed, look):
    """Load a city, return what `look` reads of it and the queries the load
    ran, and roll it back, so that the next city starts in an empty database.
    Counted as they run: the debug log of queries keeps only the last 9,000,
    and two cities' loads are more than that."""
    from django.db import connection, transaction

    ran = []

    def count(execute, sql, params, many, context):
        ran.append(sql)
        return execute(sql, params, many, context)

    with transaction.atomic():
        with connection.execute_wrapper(count):
            call_command("demo", families=families, seed=seed, stdout=io.StringIO())
        seen = look()
        transaction.set_rollback(True)
    return seen, len(ran)


def test_the_demo_runs_a_bounded_number_of_queries_per_family(db):
    counts = [_in_a_rolled_back_city(n, 5, lambda: None)[1] for n in (100, 300)]
    assert counts[1] - counts[0] < 200 / 10, counts  # under one per ten families


def test_the_same_seed_gives_the_same_city_whole(db):
    from django.db.models import Count, Q

    from onestory.measures.models import QuestionnaireResponse
    from onestory.support.models import Contact

    def look():
        def rows(queryset, *fields):
            return list(queryset.order_by(*fields).values_list(*fields))

        return (
            rows(Family.objects, "address_line_1", "postcode"),
            rows(Person.objects, "given_name", "nhs_number", "role"),
            rows(
                User.objects.annotate(
                    leads=Count("involvements", filter=Q(involvements__role="lead"))
                ),
                "email",
                "full_name",
                "leads",
            ),
            rows(Contact.objects, "contact_type", "duration_minutes"),
            rows(QuestionnaireResponse.objects, "instrument_code", "total"),
            Episode.objects.filter(closed_at__isnull=False).count(),
        )

    first, _ = _in_a_rolled_back_city(60, 9, look)
    again, _ = _in_a_rolled_back_city(60, 9, look)
    other, _ = _in_a_rolled_back_city(60, 10, look)
    assert first == again
    assert first != other
