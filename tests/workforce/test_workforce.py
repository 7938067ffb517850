"""Training that decides who may deliver what, training needs, and private
supervision (issue 6: workforce)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from onestory.accounts.models import Role
from onestory.core.models import AuditEvent
from onestory.workforce import domain, queries, services
from onestory.workforce.models import (
    SupervisedPractice,
    Supervision,
    TrainingCourse,
    TrainingNeed,
    TrainingRecord,
)
from tests import factories
from tests.pages import queries_for

TODAY = date(2026, 11, 26)


# The rules


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 11, 26), 24, date(2028, 11, 26)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_months_are_added_by_the_calendar(start, months, expected):
    assert domain.add_months(start, months) == expected


def test_training_is_current_until_the_day_before_it_expires():
    done = date(2024, 11, 26)
    expires = domain.expiry(done, 24)
    assert expires == date(2026, 11, 26)
    assert domain.is_current(done, expires, date(2026, 11, 25))
    assert not domain.is_current(done, expires, date(2026, 11, 26))
    assert domain.is_current(done, None, date(2060, 1, 1))  # never expires
    assert not domain.is_current(None, None, TODAY)  # only planned


def test_who_may_deliver():
    rule = {"programme": "Circle of Security Parenting", "required": "COS facilitator"}
    refused = domain.may_deliver(**rule, current=set(), supervised_practice=set())
    assert not refused.allowed
    assert refused.reason == (
        "Circle of Security Parenting can only be delivered by someone with a "
        "current COS facilitator."
    )
    held = domain.may_deliver(
        **rule, current={"COS facilitator"}, supervised_practice=set()
    )
    assert (held.allowed, held.supervised) == (True, False)
    excepted = domain.may_deliver(
        **rule, current=set(), supervised_practice={"COS facilitator"}
    )
    assert (excepted.allowed, excepted.supervised) == (True, True)
    open_to_all = domain.may_deliver(
        programme="Drop-in", required=None, current=set(), supervised_practice=set()
    )
    assert open_to_all.allowed


def test_supervision_is_overdue_after_the_expected_interval():
    assert domain.supervision_due(None, TODAY, every_weeks=6).overdue
    recent = domain.supervision_due(TODAY - timedelta(weeks=5), TODAY, every_weeks=6)
    assert (recent.due_on, recent.overdue) == (TODAY + timedelta(weeks=1), False)
    late = domain.supervision_due(TODAY - timedelta(weeks=7), TODAY, every_weeks=6)
    assert late.overdue


# Training records and who may deliver


@pytest.fixture
def cos(db):
    return factories.course("Circle of Security Parenting facilitator")


def test_the_catalogue_is_seeded_by_its_migration(db):
    from importlib import import_module

    from django.apps import apps

    seed = import_module("onestory.workforce.migrations.0002_training_catalogue")
    # Seeded rows are gone after a transactional test's flush: seed again.
    seed.add_catalogue(apps, None)
    seed.add_catalogue(apps, None)  # safe to run again
    names = [course[0] for course in seed.COURSES]
    assert TrainingCourse.objects.filter(name__in=names).count() == len(names) == 10
    assert TrainingCourse.objects.filter(makes_champion=True).count() == 1
    vig = TrainingCourse.objects.get(
        name="Video Interaction Guidance (VIG) practitioner"
    )
    assert (vig.accredits, vig.renewal_months) == (True, 36)


def test_staff_record_their_own_training_and_it_decides_who_may_deliver(
    lead, team_manager, client, cos
):
    before = queries.delivery_decision(
        lead, programme="Circle of Security Parenting", required=cos, on=TODAY
    )
    assert not before.allowed
    client.force_login(lead)
    response = client.post(
        reverse("workforce:record_training"),
        {
            "course": cos.pk,
            "status": "completed",
            "completed_on_0": "1",
            "completed_on_1": "9",
            "completed_on_2": "2026",
            "evidence_note": "Certificate COS-1234",
        },
    )
    assert response.status_code == 302
    record = TrainingRecord.objects.get(user=lead)
    assert (record.completed_on, record.expires_on) == (date(2026, 9, 1), None)
    # Recorded by themselves: it counts once their team manager confirms it.
    waiting = queries.delivery_decision(
        lead, programme="Circle of Security Parenting", required=cos, on=TODAY
    )
    assert not waiting.allowed
    page = client.get(reverse("workforce:my_development")).text
    assert "Circle of Security Parenting facilitator" in page
    assert "Certificate COS-1234" in page
    assert "Awaiting your manager" in page
    confirm = reverse("workforce:confirm_training", args=[record.pk])
    assert client.post(confirm).status_code == 403  # not a team manager
    client.force_login(team_manager)
    assert "needs confirming" in client.get(reverse("workforce:team")).text
    assert client.post(confirm).status_code == 302
    after = queries.delivery_decision(
        lead, programme="Circle of Security Parenting", required=cos, on=TODAY
    )
    assert after.allowed
    record.refresh_from_db()
    assert record.verified_by == team_manager
    assert AuditEvent.objects.filter(
        action="record_training", detail__confirmed=True
    ).exists()


def test_expired_training_no_longer_allows_delivery(lead):
    bbb = factories.course("Building Babies Brains", renewal_months=24)
    factories.accredit(lead, bbb, date(2024, 11, 1))
    decision = queries.delivery_decision(
        lead, programme="Building Babies Brains", required=bbb, on=TODAY
    )
    assert not decision.allowed


def test_supervised_practice_recorded_by_an_administrator_allows_delivery(
    lead, admin, client, cos
):
    client.force_login(admin)
    response = client.post(
        "/admin/workforce/supervisedpractice/add/",
        {
            "user": lead.pk,
            "course": cos.pk,
            "reason": "Co-facilitating with an accredited colleague while training",
            "until_0": "2027-03-31",
            "until": "2027-03-31",
        },
    )
    assert response.status_code == 302, response.text[:500]
    exception = SupervisedPractice.objects.get(user=lead)
    assert exception.granted_by == admin
    decision = queries.delivery_decision(
        lead, programme="Circle of Security Parenting", required=cos, on=TODAY
    )
    assert (decision.allowed, decision.supervised) == (True, True)


def test_a_completed_course_needs_its_date(lead_client, cos):
    response = lead_client.post(
        reverse("workforce:record_training"), {"course": cos.pk, "status": "completed"}
    )
    assert "Enter the date completed" in response.text
    assert not TrainingRecord.objects.exists()


def test_only_the_person_or_their_team_manager_records_their_training(
    city, lead, team_manager, client, cos
):
    url = reverse("workforce:record_training_for", args=[lead.pk])
    data = {
        "course": cos.pk,
        "status": "planned",
        "planned_for_0": "1",
        "planned_for_1": "2",
        "planned_for_2": "2027",
    }
    for outsider in (
        "same_team_practitioner",
        "other_hub_practitioner",
        "commissioner",
    ):
        client.force_login(city.personas[outsider])
        assert client.post(url, data).status_code == 404
    client.force_login(team_manager)
    assert client.post(url, data).status_code == 302
    assert TrainingRecord.objects.get(user=lead).recorded_by == team_manager


def test_training_needs_with_confidence_before_and_after(
    lead, same_team_practitioner, client
):
    client.force_login(lead)
    client.post(
        reverse("workforce:record_need"),
        {"need": "Talking with fathers about low mood", "confidence_before": "2"},
    )
    need = TrainingNeed.objects.get()
    response = client.post(
        reverse("workforce:meet_need", args=[need.pk]), {"confidence_after": "4"}
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert (need.confidence_before, need.confidence_after) == (2, 4)
    assert need.met_at is not None
    # Someone else's need cannot be marked.
    client.force_login(same_team_practitioner)
    assert client.get(reverse("workforce:meet_need", args=[need.pk])).status_code == 404


# Supervision privacy


@pytest.fixture
def supervision(city, lead):
    supervisor = factories.staff("Sue Pervisor", city.council, Role.SUPERVISOR)
    return services.record_supervision(
        supervisee=lead,
        held_on=TODAY - timedelta(days=3),
        kind="reflective",
        themes="SUPERVISION-CANARY feeling stretched",
        agreed_actions="Protected time on Fridays",
        by=supervisor,
    )


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("lead_practitioner", True),  # the supervisee
        ("team_manager", True),  # the supervisee's team manager
        ("same_team_practitioner", False),
        ("other_hub_practitioner", False),
        ("partner_worker_with_consent", False),
        ("commissioner", False),
        ("admin", False),
    ],
)
def test_supervision_is_private(city, client, supervision, persona, sees):
    client.force_login(city.personas[persona])
    response = client.get(reverse("workforce:show_supervision", args=[supervision.pk]))
    assert response.status_code == (200 if sees else 404)
    assert ("SUPERVISION-CANARY" in response.text) is sees
    mine = client.get(reverse("workforce:my_development")).text
    assert "SUPERVISION-CANARY" not in mine  # the list shows dates, not notes


def test_the_supervisor_sees_what_they_recorded(city, client, supervision):
    client.force_login(supervision.supervisor)
    given = client.get(reverse("workforce:supervision_given")).text
    assert "Lena Lead" in given
    detail = client.get(reverse("workforce:show_supervision", args=[supervision.pk]))
    assert "SUPERVISION-CANARY" in detail.text
    assert AuditEvent.objects.filter(action="view_supervision").count() == 1


def test_practitioners_cannot_record_supervision(
    same_team_practitioner, lead, lead_client
):
    assert lead_client.get(reverse("workforce:record_supervision")).status_code == 403
    with pytest.raises(services.NotTheirs):
        services.record_supervision(
            supervisee=same_team_practitioner,
            held_on=TODAY,
            kind="reflective",
            themes="",
            agreed_actions="",
            by=lead,
        )


def test_a_supervisor_records_supervision_through_the_form(city, lead, client):
    supervisor = factories.staff("Sue Pervisor", city.council, Role.SUPERVISOR)
    client.force_login(supervisor)
    today = timezone.localdate()
    response = client.post(
        reverse("workforce:record_supervision"),
        {
            "supervisee": lead.pk,
            "held_on_0": today.day,
            "held_on_1": today.month,
            "held_on_2": today.year,
            "kind": "restorative",
            "themes": "Workload",
            "agreed_actions": "",
        },
    )
    assert response.status_code == 302
    assert Supervision.objects.get().supervisor == supervisor


def test_overdue_supervision_shows_on_my_page(lead_client):
    assert (
        "You have no supervision recorded"
        in lead_client.get(reverse("workforce:my_development")).text
    )


# The team page


def test_the_team_page_shows_accreditations_supervision_caseloads_and_needs(
    team_manager, lead, client, cos
):
    vig = factories.course(
        "Video Interaction Guidance (VIG) practitioner", renewal_months=36
    )
    services.record_training(
        user=lead,
        course=vig,
        status="completed",
        completed_on=domain.add_months(timezone.localdate(), -36) + timedelta(days=30),
        by=team_manager,  # recorded by the manager: confirmed
    )
    services.record_need(need="Fathers", confidence_before=2, by=lead)
    client.force_login(team_manager)
    page = client.get(reverse("workforce:team")).text
    assert "Lena Lead" in page
    assert "Video Interaction Guidance (VIG) practitioner" in page
    assert "Renew by" in page
    assert "Overdue" in page
    assert "Olly Other" not in page  # another team's


def test_the_team_page_has_a_fixed_number_of_queries(city, team_manager, client, cos):
    client.force_login(team_manager)
    client.get(reverse("workforce:team"))
    small = queries_for(client, reverse("workforce:team"))
    for number in range(6):
        member = factories.staff(
            f"Member {number}", city.council, Role.PRACTITIONER, teams=[city.team_a]
        )
        services.record_training(
            user=member, course=cos, status="completed", completed_on=TODAY, by=member
        )
        services.record_need(need="More", confidence_before=3, by=member)
        services.record_supervision(
            supervisee=member,
            held_on=TODAY,
            kind="case",
            themes="",
            agreed_actions="",
            by=team_manager,
        )
    assert queries_for(client, reverse("workforce:team")) == small


def test_only_team_managers_see_the_team_page(lead_client):
    assert lead_client.get(reverse("workforce:team")).status_code == 403


def test_champions_are_marked_on_the_team_page(lead, team_manager, client):
    champion = factories.course(
        "Perinatal mental health champion",
        accredits=False,
        renewal_months=24,
        makes_champion=True,
    )
    services.record_training(
        user=lead,
        course=champion,
        status="completed",
        completed_on=timezone.localdate(),
        by=lead,
    )
    client.force_login(team_manager)
    page = client.get(reverse("workforce:team")).text
    assert "Perinatal mental health champion" in page
