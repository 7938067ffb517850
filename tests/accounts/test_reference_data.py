"""Reference data every local authority shares (programmes and who may deliver
them, training courses, feedback themes, licensed questionnaire wording) is
changed only by a service administrator, never by one council's administrator
(docs/access.md, "Administration")."""

import pytest
from django.test import Client
from django.urls import reverse

from onestory.accounts import administration
from onestory.accounts.models import Role, RoleGrant
from onestory.core.models import AuditEvent
from onestory.programmes.models import FeedbackTheme
from tests import factories

SHARED = [
    "programmes_programme",
    "programmes_feedbacktheme",
    "workforce_trainingcourse",
    "measures_licensedtext",
]


@pytest.fixture
def service_admin(city):
    return factories.staff("Sid Service", city.council, Role.SERVICE_ADMINISTRATOR)


def _as(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", SHARED)
def test_a_councils_administrator_may_look_but_not_change(admin, model):
    client = _as(admin)
    assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{model}_add")).status_code == 403
    assert client.post(reverse(f"admin:{model}_add"), {"name": "X"}).status_code == 403


def test_a_councils_administrator_cannot_change_a_theme(admin):
    theme = FeedbackTheme.objects.create(name="Feeling welcome")
    client = _as(admin)
    url = reverse("admin:programmes_feedbacktheme_change", args=[theme.pk])
    client.post(url, {"name": "Renamed by a council"})
    client.post(
        reverse("admin:programmes_feedbacktheme_delete", args=[theme.pk]),
        {"post": "yes"},
    )
    theme.refresh_from_db()
    assert theme.name == "Feeling welcome"


@pytest.mark.parametrize("model", SHARED)
def test_a_service_administrator_may_change_shared_reference_data(service_admin, model):
    client = _as(service_admin)
    assert client.get(reverse(f"admin:{model}_add")).status_code == 200


def test_a_service_administrators_change_is_audited(service_admin):
    response = _as(service_admin).post(
        reverse("admin:programmes_feedbacktheme_add"), {"name": "Feeling welcome"}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="add_reference")
    assert (event.object_type, event.actor) == ("FeedbackTheme", service_admin)


def test_a_service_administrator_manages_no_councils_staff(city, service_admin):
    client = _as(service_admin)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert client.get(reverse("admin:accounts_team_add")).status_code == 403


@pytest.mark.security_case(7)
def test_a_councils_administrator_cannot_grant_the_service_role(city, lead, admin):
    client = _as(admin)
    response = client.post(
        reverse("admin:accounts_user_change", args=[lead.pk]),
        {
            "email": lead.email,
            "full_name": lead.full_name,
            "organisation": lead.organisation_id,
            "teams": [city.team_a.pk],
            "roles": [Role.PRACTITIONER, Role.SERVICE_ADMINISTRATOR],
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not RoleGrant.objects.filter(role=Role.SERVICE_ADMINISTRATOR).exists()
    with pytest.raises(administration.RoleNotGrantable):
        administration.grant_role(by=admin, user=lead, role=Role.SERVICE_ADMINISTRATOR)


def test_saving_an_account_keeps_its_service_role(admin, service_admin):
    client = _as(admin)
    client.post(
        reverse("admin:accounts_user_change", args=[service_admin.pk]),
        {
            "email": service_admin.email,
            "full_name": "Sid Service-Renamed",
            "organisation": service_admin.organisation_id,
            "is_active": "on",
        },
    )
    service_admin.refresh_from_db()
    assert service_admin.full_name == "Sid Service-Renamed"
    assert service_admin.has_role(Role.SERVICE_ADMINISTRATOR)
