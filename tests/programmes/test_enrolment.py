"""One-to-one programmes from the catalogue (issue 6): the programme sets the
review schedule, and only someone who may deliver it can be named."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from onestory.core.models import AuditEvent
from onestory.measures import services
from onestory.measures.models import Intervention, ReviewPoint
from onestory.programmes.models import Programme
from onestory.workforce.models import SupervisedPractice
from tests import factories


@pytest.fixture
def vig(db):
    course = factories.course("Video Interaction Guidance (VIG) practitioner")
    return factories.programme(
        "Video Interaction Guidance (VIG)",
        required=course,
        instrument_codes=["MORS_SF"],
        planned_weeks=12,
        sessions_planned=6,
    )


@pytest.fixture
def carer(city):
    return city.family.members.get(role="parent_carer")


def _start(client, city, carer, programme, deliverer, **extra):
    today = timezone.localdate()
    return client.post(
        reverse("measures:start_intervention", args=[city.family.pk]),
        {
            "person": carer.pk,
            "programme": programme.pk,
            "deliverer": deliverer.pk,
            "started_on_0": today.day,
            "started_on_1": today.month,
            "started_on_2": today.year,
        }
        | extra,
    )


def test_the_catalogue_is_seeded_by_its_migration(db):
    from importlib import import_module

    from django.apps import apps

    seed = import_module("onestory.programmes.migrations.0002_catalogue")
    seed.add_catalogue(apps, None)
    names = {row[0] for row in seed.PROGRAMMES}
    assert set(Programme.objects.values_list("name", flat=True)) >= names
    talking = Programme.objects.get(name="NHS Talking Therapies (step 2)")
    assert talking.instrument_codes == ["PHQ9", "GAD7"]
    assert talking.required_course.accredits


def test_someone_without_the_accreditation_is_refused_with_the_reason(
    city, lead, client, carer, vig
):
    client.force_login(lead)
    response = _start(client, city, carer, vig, lead)
    assert response.status_code == 200
    assert (
        "Video Interaction Guidance (VIG) can only be delivered by someone with a "
        "current Video Interaction Guidance (VIG) practitioner" in response.text
    )
    assert not Intervention.objects.exists()


def test_an_accredited_deliverer_starts_it_on_the_programmes_schedule(
    city, lead, client, carer, vig
):
    factories.accredit(lead, vig.required_course, date(2026, 1, 5))
    client.force_login(lead)
    response = _start(client, city, carer, vig, lead)
    assert response.status_code == 302
    enrolment = Intervention.objects.get()
    assert (enrolment.programme, enrolment.deliverer) == (vig, lead)
    assert (enrolment.planned_weeks, enrolment.sessions_planned) == (12, 6)
    assert enrolment.status == "active"
    today = timezone.localdate()
    points = ReviewPoint.objects.order_by("due_on")
    assert [(p.kind, p.instrument_code, p.due_on) for p in points] == [
        ("baseline", "MORS_SF", today),
        ("midpoint", "MORS_SF", today + timedelta(weeks=6)),
        ("end", "MORS_SF", today + timedelta(weeks=12)),
    ]


def test_supervised_practice_allows_it_and_the_audit_says_so(lead, admin, carer, vig):
    SupervisedPractice.objects.create(
        user=lead,
        course=vig.required_course,
        reason="Training, with an accredited colleague supervising",
        until=timezone.localdate() + timedelta(days=30),
        granted_by=admin,
    )
    from django.db import transaction

    with transaction.atomic():
        services.start_intervention(
            person=carer,
            programme=vig,
            deliverer=lead,
            started_on=timezone.localdate(),
            by=lead,
        )
    event = AuditEvent.objects.get(action="start_intervention")
    assert event.detail == {"supervised_practice": True}


def test_a_programme_needing_no_accreditation_can_be_delivered_by_anyone(
    city, lead, client, carer
):
    support = factories.programme("One-to-one perinatal support")
    client.force_login(lead)
    assert _start(client, city, carer, support, lead).status_code == 302


def test_group_and_inactive_programmes_are_not_offered_one_to_one(
    city, lead, client, carer
):
    group = factories.programme("Baby massage", delivery="group")
    old = factories.programme("Something retired", active=False)
    client.force_login(lead)
    page = client.get(reverse("measures:start_intervention", args=[city.family.pk]))
    assert group.name not in page.text
    assert old.name not in page.text
    refused = _start(client, city, carer, group, lead)
    assert "Select a valid choice" in refused.text or "Select the programme" in (
        refused.text
    )


def test_a_deliverer_from_outside_the_family_and_teams_cannot_be_named(
    city, other_hub_practitioner, lead, client, carer
):
    support = factories.programme("One-to-one perinatal support")
    client.force_login(lead)
    response = _start(client, city, carer, support, other_hub_practitioner)
    assert response.status_code == 200
    assert not Intervention.objects.exists()


def test_freely_named_interventions_become_enrolments(db):
    """The data migration's rule: an intervention named before the catalogue
    joins the programme of that name, or a new inactive one with its schedule."""
    from importlib import import_module
    from types import SimpleNamespace

    migration = import_module(
        "onestory.measures.migrations.0005_interventions_become_enrolments"
    )
    catalogued = factories.programme("Video Interaction Guidance (VIG)")

    def old(name):
        return SimpleNamespace(name=name, instrument_codes=["EPDS"], planned_weeks=10)

    assert migration.programme_for(
        Programme, old("video interaction guidance (VIG)")
    ) == (catalogued)
    walk = migration.programme_for(Programme, old("Walk and talk"))
    assert (walk.active, walk.instrument_codes, walk.planned_weeks) == (
        False,
        ["EPDS"],
        10,
    )
    assert migration.programme_for(Programme, old("Walk and talk")) == walk


def test_sessions_attended_and_completion_are_recorded_on_the_enrolment(
    city, lead, client, carer
):
    support = factories.programme("One-to-one perinatal support")
    client.force_login(lead)
    _start(client, city, carer, support, lead)
    enrolment = Intervention.objects.get()
    record = client.get(
        reverse("families:family_questionnaires", args=[city.family.pk])
    ).text
    assert "One-to-one programmes" in record
    url = reverse("measures:update_enrolment", args=[city.family.pk, enrolment.pk])
    wrong = client.post(url, {"sessions_attended": "-1", "status": "completed"})
    assert "Sessions attended must be 0 or more" in wrong.text
    response = client.post(url, {"sessions_attended": "8", "status": "completed"})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.sessions_attended, enrolment.status) == (8, "completed")
    event = AuditEvent.objects.get(action="update_enrolment")
    assert event.changed_fields == ["sessions_attended", "status"]


def test_an_enrolment_of_another_family_is_not_found(city, lead, client, carer):
    support = factories.programme("One-to-one perinatal support")
    client.force_login(lead)
    _start(client, city, carer, support, lead)
    enrolment = Intervention.objects.get()
    other = factories.family(by=lead, team=city.team_a, family_name="Otherly")
    url = reverse("measures:update_enrolment", args=[other.pk, enrolment.pk])
    assert client.get(url).status_code == 404
