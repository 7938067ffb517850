"""Settled quarters' stored figures (insights/stored.py): the same figures as
computed live, suppressed on reading, never used once the quarter's data has
changed, refreshed by the background task through the real database backend,
and one area's never another's."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from onestory.accounts import demo as accounts_demo
from onestory.core import tenancy
from onestory.insights import domain, stored, tasks
from onestory.insights.models import ReportVersion, StoredReport
from onestory.insights.queries import Scope, moment
from onestory.insights.queries.report import monthly, report
from onestory.insights.stored import SETTLES_AFTER
from tests import factories
from tests.conftest import postgresql_only
from tests.core.conftest import app_role  # noqa: F401 (its fixture)

REPORT = reverse("insights:service_report")


def _settled_quarter():
    """The latest quarter whose figures no longer move with time."""
    return domain.last_full_quarter(timezone.localdate() - SETTLES_AFTER)


@pytest.fixture
def demo_city(db, settings):
    settings.DEBUG = True  # the demo runs in development only
    call_command("demo", families=40, seed=7, stdout=io.StringIO())
    manager = accounts_demo.named("team.manager")
    return manager, Scope(manager.organisation.local_authority_id, _settled_quarter())


def _seen(family, by, period, days=(3, 4)):
    episode = family.episodes.get()
    episode.opened_at = moment(period.start) - timedelta(days=30)
    episode.save(update_fields=["opened_at"])
    for day in days:
        factories.contact(
            family,
            by=by,
            notes="Seen at home.",
            when=moment(period.start) + timedelta(days=day, hours=10),
        )


def _r1(sections):
    return next(f.value for f in sections[0].figures if f.code == "R1")


def _figure_r1(body: str) -> str:
    return body[body.index('id="figure-R1"') :][:600]


def _mark_r1(scope, value):
    """Change the stored R1, so a page showing it shows it was read from the
    store (a real refresh never writes anything but the computed figures)."""
    row = StoredReport.objects.get(
        local_authority=scope.local_authority_id, period=scope.period.key
    )
    for figure in row.figures["sections"][0]["figures"]:
        if figure["code"] == "R1":
            figure["value"] = value
    row.save(update_fields=["figures"])


def test_stored_figures_are_the_live_figures_for_every_filter(demo_city):
    manager, scope = demo_city
    team = manager.teams.first()
    for chosen in (
        scope,
        Scope(scope.local_authority_id, scope.period, team_id=team.pk),
        Scope(scope.local_authority_id, scope.period, level="targeted"),
        Scope(scope.local_authority_id, scope.period, group="language:other"),
        Scope(scope.local_authority_id, scope.period.months()[1]),
    ):
        live = (report(chosen), monthly(chosen))
        assert _r1(live[0]) > 0
        assert stored.refresh(chosen) is True
        assert stored.read(chosen) == live
        assert stored.refresh(chosen) is False  # current: nothing computed again
    assert StoredReport.objects.count() == 5


def test_the_current_quarter_is_never_stored(demo_city):
    _, scope = demo_city
    current = Scope(scope.local_authority_id, domain.quarter_of(timezone.localdate()))
    assert stored.refresh(current) is False
    assert stored.read(current) is None
    assert not StoredReport.objects.exists()


@pytest.fixture
def seen_in_settled_quarter(city, lead):
    period = _settled_quarter()
    _seen(city.family, lead, period)
    return Scope(city.council.local_authority_id, period)


def test_suppression_applies_to_stored_figures_on_reading(
    city, team_manager, commissioner, seen_in_settled_quarter, sign_in
):
    scope = seen_in_settled_quarter
    stored.refresh(scope)
    _mark_r1(scope, 3)  # stored exact, as computed: a count from 1 to 4
    query = {"period": scope.period.key}
    manager = sign_in(team_manager)
    assert ">3</p>" in _figure_r1(manager.get(REPORT, query).content.decode())
    as_commissioner = sign_in(commissioner)
    shown = _figure_r1(as_commissioner.get(REPORT, query).content.decode())
    assert "fewer than 5" in shown
    assert ">3</p>" not in shown
    download = as_commissioner.get(
        reverse("insights:export_report", args=["csv"]), query
    )
    assert "[c]" in download.content.decode()


def test_a_change_to_the_quarters_data_stops_the_stale_figures_at_once(
    city, team_manager, lead, seen_in_settled_quarter, sign_in
):
    scope = seen_in_settled_quarter
    stored.refresh(scope)
    _mark_r1(scope, 77)
    client = sign_in(team_manager)
    query = {"period": scope.period.key}
    assert ">77</p>" in _figure_r1(client.get(REPORT, query).content.decode())
    # A contact in that quarter, recorded late, by another family.
    with transaction.atomic():
        other = factories.family(by=lead, team=city.team_a, family_name="Ames")
    _seen(other, lead, scope.period, days=(10,))
    shown = _figure_r1(client.get(REPORT, query).content.decode())
    assert ">77</p>" not in shown
    assert ">2</p>" in shown  # computed live: both families
    waiting = DBTaskResult.objects.filter(task_path=tasks.refresh_report.module_path)
    assert waiting.count() == 1
    client.get(REPORT, query)
    assert waiting.count() == 1  # asked for once, however often the page is read


def test_the_stored_report_runs_a_fixed_number_of_queries(
    city, team_manager, lead, seen_in_settled_quarter, sign_in
):
    from django.test.utils import CaptureQueriesContext

    scope = seen_in_settled_quarter
    client = sign_in(team_manager)
    query = {"period": scope.period.key}
    counts = []
    for name in ("Ames", "Brook"):
        with transaction.atomic():
            family = factories.family(
                by=lead,
                team=city.team_a,
                family_name=name,
            )
        _seen(family, lead, scope.period)
        stored.refresh(scope)
        client.get(REPORT, query)  # the session warmed
        with CaptureQueriesContext(connection) as captured:
            body = client.get(REPORT, query).content.decode()
        counts.append(len(captured))
    assert ">3</p>" in _figure_r1(body)  # the second refresh's figures
    assert counts[0] == counts[1]
    # Far fewer than computing them: the figures are one row.
    with CaptureQueriesContext(connection) as live:
        report(scope)
    assert counts[0] < len(live)


def test_todays_work_leaves_settled_figures_current(
    city, lead, seen_in_settled_quarter, sign_in
):
    scope = seen_in_settled_quarter
    stored.refresh(scope)
    factories.contact(city.family, by=lead, notes="Hi")
    assert stored.read(scope) is not None


def test_correcting_a_parent_stops_every_stored_quarter(
    city, lead, seen_in_settled_quarter
):
    from onestory.families import corrections as family_corrections

    scope = seen_in_settled_quarter
    stored.refresh(scope)
    parent = city.family.members.get(role="parent_carer")
    family_corrections.correct_person(
        person=parent,
        details={"preferred_language": "Polish"},
        based_on=parent.version,
        reason="Recorded wrongly at the first visit.",
        by=lead,
    )
    assert stored.read(scope) is None


@pytest.mark.django_db(transaction=True)
def test_the_page_asks_for_a_refresh_that_the_worker_runs(
    team_manager, seen_in_settled_quarter, sign_in
):
    scope = seen_in_settled_quarter
    client = sign_in(team_manager)
    client.get(REPORT, {"period": scope.period.key})
    assert not StoredReport.objects.exists()
    [queued] = DBTaskResult.objects.all()
    assert queued.status == "READY"
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert queued.return_value is True
    assert stored.read(scope) == (report(scope), monthly(scope))
    row = StoredReport.objects.get()
    assert row.version == ReportVersion.objects.get().version


@pytest.mark.django_db(transaction=True)
def test_a_failed_refresh_is_tried_again_later(
    city, seen_in_settled_quarter, monkeypatch
):
    scope = seen_in_settled_quarter

    def fails(scope):
        raise DatabaseError("the database went away")

    monkeypatch.setattr(stored, "refresh", fails)
    tasks.ask_for_refresh(scope)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    first, again = DBTaskResult.objects.order_by("enqueued_at")
    assert first.status == "FAILED"
    assert again.status == "READY"
    assert again.args_kwargs["kwargs"] == {"attempt": 2}
    assert again.run_after > timezone.now()


def test_another_areas_stored_figures_are_never_read(
    team_manager, elsewhere, seen_in_settled_quarter, sign_in
):
    scope = seen_in_settled_quarter
    theirs = Scope(elsewhere.council.local_authority_id, scope.period)
    stored.refresh(theirs)
    _mark_r1(theirs, 55)
    assert stored.read(scope) is None
    client = sign_in(team_manager)
    body = client.get(REPORT, {"period": scope.period.key}).content.decode()
    assert ">55</p>" not in _figure_r1(body)


@postgresql_only
def test_stored_figures_have_forced_row_level_security(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
            "WHERE relname IN ('insights_storedreport', 'insights_reportversion')"
        )
        rows = sorted(cursor.fetchall())
    assert rows == [
        ("insights_reportversion", True, True),
        ("insights_storedreport", True, True),
    ]


@postgresql_only
def test_the_runtime_role_sees_and_writes_only_its_own_areas_figures(
    city, elsewhere, seen_in_settled_quarter, request
):
    runtime_role = request.getfixturevalue("app_role")
    scope = seen_in_settled_quarter
    theirs = Scope(elsewhere.council.local_authority_id, scope.period)
    stored.refresh(scope)
    stored.refresh(theirs)
    tenancy.set_tenant(city.council.local_authority_id)
    with runtime_role:
        seen = set(StoredReport.objects.values_list("local_authority_id", flat=True))
        with (
            pytest.raises(DatabaseError, match="row-level security"),
            transaction.atomic(),
        ):
            StoredReport.objects.create(
                local_authority_id=elsewhere.council.local_authority_id,
                period="2020-Q1",
                filters="",
                version=0,
                figures={},
            )
    tenancy.set_tenant(None)
    assert seen == {city.council.local_authority_id}


def _supervise(city, lead, held_on):
    from onestory.accounts.models import Role
    from onestory.workforce import services as workforce_services

    workforce_services.record_supervision(
        supervisee=lead,
        held_on=held_on,
        kind="reflective",
        themes="Time to think",
        agreed_actions="Protected time on Fridays",
        by=factories.staff("Sue Pervisor", city.council, Role.SUPERVISOR),
    )


def test_supervision_recorded_late_stops_the_settled_figures(
    city, lead, seen_in_settled_quarter
):
    scope = seen_in_settled_quarter
    stored.refresh(scope)
    _supervise(city, lead, held_on=scope.period.start)
    assert stored.read(scope) is None


def test_supervision_recorded_today_leaves_settled_figures_current(
    city, lead, seen_in_settled_quarter
):
    scope = seen_in_settled_quarter
    stored.refresh(scope)
    _supervise(city, lead, held_on=timezone.localdate())
    assert stored.read(scope) is not None


# What moves the report version (docs/insights.md): staff, courses, registers,
# reference data and the area lookup, each through its own writer.


@pytest.fixture
def figures_stored(city, seen_in_settled_quarter):
    """A settled quarter's figures, stored and current."""
    scope = seen_in_settled_quarter
    assert stored.refresh(scope) is True
    assert stored.read(scope) is not None
    return scope


def test_adding_staff_stops_the_settled_figures(city, admin, figures_stored):
    from onestory.accounts import administration
    from onestory.accounts.models import User

    newcomer = User(
        email="nell.new@test.onestory.example",
        full_name="Nell New",
        organisation=city.council,
    )
    administration.add_staff(by=admin, user=newcomer, teams=[city.team_a], roles=[])
    assert stored.read(figures_stored) is None


def test_deactivating_staff_stops_the_settled_figures(
    city, other_hub_practitioner, admin, figures_stored
):
    from onestory.accounts import administration
    from onestory.accounts.models import Role

    other_hub_practitioner.is_active = False
    administration.change_staff(
        by=admin,
        user=other_hub_practitioner,
        changed_fields=["is_active"],
        teams=[city.team_b],
        roles=[Role.PRACTITIONER],  # held already: no grant or revoke
    )
    assert stored.read(figures_stored) is None


def test_a_new_name_leaves_the_settled_figures_current(
    city, other_hub_practitioner, admin, figures_stored
):
    from onestory.accounts import administration
    from onestory.accounts.models import Role

    other_hub_practitioner.full_name = "Olly Otherton"
    administration.change_staff(
        by=admin,
        user=other_hub_practitioner,
        changed_fields=["full_name"],
        teams=[city.team_b],
        roles=[Role.PRACTITIONER],
    )
    assert stored.read(figures_stored) is not None


@pytest.mark.parametrize("change", ["grant_role", "revoke_role"])
def test_a_role_granted_or_revoked_stops_the_settled_figures(
    other_hub_practitioner, admin, figures_stored, change
):
    from onestory.accounts import administration
    from onestory.accounts.models import Role

    role = Role.PEER_SUPPORT_WORKER if change == "grant_role" else Role.PRACTITIONER
    getattr(administration, change)(by=admin, user=other_hub_practitioner, role=role)
    assert stored.read(figures_stored) is None


def test_editing_an_areas_reference_data_stops_the_settled_figures(
    city, admin, figures_stored
):
    from onestory.accounts import administration

    area = city.council.local_authority
    area.eligible_families = 5000
    administration.save_reference(
        by=admin,
        obj=area,
        changed_fields=["eligible_families"],
        adding=False,
    )
    assert stored.read(figures_stored) is None


def _drop_in(city, facilitator, first, *, anonymous=False):
    from onestory.accounts.models import Hub
    from onestory.programmes import services as programmes

    peer_group = factories.programme("Peer support group", delivery="drop_in")
    hub = Hub.objects.create(name="Test Hub", organisation=city.council)
    with transaction.atomic():
        course = programmes.run_course(
            programme=peer_group,
            hub=hub,
            title="Tuesday group",
            facilitators=[facilitator],
            first_session_at=first,
            sessions=2,
            venue="Library",
            anonymous_head_count=anonymous,
            by=facilitator,
        )
    return course, facilitator


def test_a_course_entered_after_it_ran_stops_the_settled_figures(
    city, lead, figures_stored
):
    _drop_in(
        city, lead, moment(figures_stored.period.start) + timedelta(days=7, hours=10)
    )
    assert stored.read(figures_stored) is None


def test_a_course_still_to_run_leaves_the_settled_figures_current(
    city, lead, figures_stored
):
    _drop_in(city, lead, timezone.now() + timedelta(days=7))
    assert stored.read(figures_stored) is not None


def test_a_place_booked_stops_the_settled_figures(city, lead, seen_in_settled_quarter):
    from onestory.programmes import services as programmes

    course, facilitator = _drop_in(city, lead, timezone.now() + timedelta(days=7))
    scope = seen_in_settled_quarter
    stored.refresh(scope)
    with transaction.atomic():
        programmes.book_place(
            course=course,
            person=city.family.members.get(role="parent_carer"),
            by=facilitator,
        )
    assert stored.read(scope) is None


@pytest.fixture
def ran_in_settled_quarter(city, lead, seen_in_settled_quarter):
    """A drop-in whose sessions were in the settled quarter, entered since, with
    the canary carer's place; then the quarter's figures stored."""
    from onestory.programmes import services as programmes

    scope = seen_in_settled_quarter
    first = moment(scope.period.start) + timedelta(days=7, hours=10)
    course, facilitator = _drop_in(city, lead, first)
    with transaction.atomic():
        place = programmes.book_place(
            course=course,
            person=city.family.members.get(role="parent_carer"),
            by=facilitator,
        )
    stored.refresh(scope)
    assert stored.read(scope) is not None
    return course, place, facilitator, scope


def test_a_register_taken_late_stops_the_settled_figures(ran_in_settled_quarter):
    from onestory.programmes import services as programmes

    course, place, facilitator, scope = ran_in_settled_quarter
    programmes.take_register(
        session=course.sessions.first(), marks={place.pk: "attended"}, by=facilitator
    )
    assert stored.read(scope) is None


def test_a_head_count_taken_late_stops_the_settled_figures(ran_in_settled_quarter):
    from onestory.programmes import services as programmes

    course, _, facilitator, scope = ran_in_settled_quarter
    programmes.record_head_count(
        session=course.sessions.first(), count=9, by=facilitator
    )
    assert stored.read(scope) is None


def test_todays_register_leaves_the_settled_figures_current(
    city, lead, seen_in_settled_quarter
):
    from onestory.programmes import services as programmes

    scope = seen_in_settled_quarter
    course, facilitator = _drop_in(city, lead, timezone.now() - timedelta(minutes=1))
    with transaction.atomic():
        place = programmes.book_place(
            course=course,
            person=city.family.members.get(role="parent_carer"),
            by=facilitator,
        )
    stored.refresh(scope)
    programmes.take_register(
        session=course.sessions.first(), marks={place.pk: "attended"}, by=facilitator
    )
    assert stored.read(scope) is not None


def test_loading_an_area_lookup_stops_every_areas_settled_figures(
    city, elsewhere, figures_stored, tmp_path
):
    theirs = Scope(elsewhere.council.local_authority_id, figures_stored.period)
    stored.refresh(theirs)
    assert stored.read(theirs) is not None
    lookup = tmp_path / "lookup.csv"
    lookup.write_text("postcode,lsoa,imd_decile\nPL1 2AA,E01015000,3\n")
    call_command("load_deprivation", str(lookup), stdout=io.StringIO())
    assert stored.read(figures_stored) is None
    assert stored.read(theirs) is None


@postgresql_only
def test_the_runtime_role_loading_an_area_lookup_moves_every_areas_version(
    city, elsewhere, figures_stored, request
):
    import csv

    from onestory.insights import services as insights_services

    runtime_role = request.getfixturevalue("app_role")
    theirs = Scope(elsewhere.council.local_authority_id, figures_stored.period)
    stored.refresh(theirs)
    before = dict(ReportVersion.objects.values_list("local_authority_id", "version"))
    rows = io.StringIO("postcode,lsoa,imd_decile\nPL1 2AA,E01015000,3\n")
    with runtime_role, transaction.atomic():
        insights_services.load_area_lookup(csv.DictReader(rows))
    after = dict(ReportVersion.objects.values_list("local_authority_id", "version"))
    assert len(before) == 2
    assert {area: version + 1 for area, version in before.items()} == after


def test_an_intervention_started_stops_the_settled_figures(city, lead, figures_stored):
    from onestory.measures import services as measures

    with transaction.atomic():
        measures.start_intervention(
            person=city.family.members.get(role="parent_carer"),
            programme=factories.programme(),
            deliverer=lead,
            started_on=timezone.localdate(),
            by=lead,
        )
    assert stored.read(figures_stored) is None
