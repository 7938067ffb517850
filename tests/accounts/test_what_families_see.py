"""What families see of their area (names, contact, email sender): set by that
area's administrator on a GOV.UK page or in the Django admin, checked the same
way in both, audited."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from onestory.accounts import administration
from onestory.accounts.models import LocalAuthority, Role
from onestory.core.models import AuditEvent
from tests import factories

URL = reverse("accounts:change_what_families_see")
FILLED = {
    "families_name": "Tamarside Family Hubs",
    "council_name": "Tamarside City Council",
    "contact_phone": "01632 960 001",
    "contact_email": "familyhubs@tamarside.example",
    "sender_name": "Tamarside Family Hubs",
    "sender_email": "hello@tamarside.example",
}


def _area(city) -> LocalAuthority:
    return LocalAuthority.objects.get(pk=city.council.local_authority_id)


def test_the_administrator_sets_what_families_see_and_it_is_audited(
    city, admin, admin_client
):
    page = admin_client.get(URL)
    assert page.status_code == 200
    assert "What families see" in page.text
    assert 'class="govuk-input' in page.text  # the GOV.UK form, not the admin's

    response = admin_client.post(URL, FILLED)

    assert response["Location"] == URL
    area = _area(city)
    assert {name: getattr(area, name) for name in FILLED} == FILLED
    event = AuditEvent.objects.get(action="change_reference")
    assert event.actor == admin
    assert (event.object_type, event.object_id) == ("LocalAuthority", str(area.pk))
    assert event.changed_fields == sorted(FILLED)
    assert "saved" in admin_client.get(URL).text


def test_saving_what_did_not_change_writes_no_event(city, admin_client):
    admin_client.post(URL, FILLED)
    admin_client.post(URL, FILLED)
    assert AuditEvent.objects.filter(action="change_reference").count() == 1


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("families_name", "", "Enter the name families see"),
        ("council_name", "", "Enter the council&#x27;s name"),
        ("families_name", "x" * 101, "Name families see must be 100 characters"),
        ("contact_phone", "call us", "Enter a phone number, like 01632 960 001"),
        ("contact_phone", "01632 960", "Enter a phone number, like 01632 960 001"),
        ("contact_email", "familyhubs", "Enter an email address in the correct"),
        ("sender_email", "no-reply@", "Enter an email address in the correct"),
        ("sender_name", 'Hubs" <x@evil.example>', "without line breaks, quotation"),
        ("sender_name", "Hubs\r\nBcc: x@evil.example", "without line breaks"),
    ],
)
def test_what_is_typed_is_checked_and_kept(city, admin_client, field, typed, message):
    response = admin_client.post(URL, {**FILLED, field: typed})
    body = response.text
    assert response.status_code == 200
    assert "There is a problem" in body
    assert f'href="#id_{field}"' in body  # the summary links to the field
    assert message in body
    assert "<title>Error: " in body
    kept = {name: value for name, value in FILLED.items() if name != field}
    for value in kept.values():
        assert f'value="{value}"' in body  # what was typed is kept
    assert not AuditEvent.objects.filter(action="change_reference").exists()
    assert _area(city).families_name == ""


def test_families_need_a_phone_number_or_an_email_address(city, admin_client):
    body = admin_client.post(
        URL, {**FILLED, "contact_phone": "", "contact_email": ""}
    ).text
    assert "Enter a phone number or an email address, or both" in body
    assert admin_client.post(URL, {**FILLED, "contact_email": ""}).status_code == 302
    assert _area(city).contact_email == ""


@pytest.mark.parametrize(
    "persona", ["lead_practitioner", "team_manager", "commissioner"]
)
def test_other_roles_are_refused(city, client, persona):
    client.force_login(city.personas[persona])
    assert client.get(URL).status_code == 403
    assert client.post(URL, FILLED).status_code == 403
    assert _area(city).families_name == ""


def test_a_service_administrator_without_the_administrator_role_is_refused(
    city, client
):
    service_admin = factories.staff(
        "Sol Service", city.council, Role.SERVICE_ADMINISTRATOR
    )
    client.force_login(service_admin)
    assert client.post(URL, FILLED).status_code == 403


def test_another_areas_administrator_sees_and_changes_only_their_own(
    city, admin, client, elsewhere
):
    client.force_login(admin)
    client.post(URL, FILLED)
    moorland_admin = factories.staff("Mel Moor", elsewhere.council, Role.ADMINISTRATOR)
    client.force_login(moorland_admin)

    page = client.get(URL).text
    assert "Moorland" in page
    assert "Tamarside Family Hubs" not in page
    assert "familyhubs@tamarside.example" not in page
    client.post(URL, {**FILLED, "families_name": "Moorland Family Hubs"})

    assert _area(city).families_name == "Tamarside Family Hubs"
    moorland = LocalAuthority.objects.get(pk=elsewhere.council.local_authority_id)
    assert moorland.families_name == "Moorland Family Hubs"


def test_the_service_refuses_another_areas_change(admin, elsewhere):
    moorland = LocalAuthority.objects.get(pk=elsewhere.council.local_authority_id)
    moorland.families_name = "Taken over"
    with pytest.raises(PermissionDenied):
        administration.change_what_families_see(
            by=admin,
            local_authority=moorland,
            changed_fields=["families_name"],
        )
    moorland.refresh_from_db()
    assert moorland.families_name == ""
    assert not AuditEvent.objects.filter(action="change_reference").exists()


def test_the_django_admin_checks_the_same_rules_and_links_to_the_page(
    city, admin_client
):
    assert URL in admin_client.get(reverse("admin:index")).text
    area = _area(city)
    change = reverse("admin:accounts_localauthority_change", args=[area.pk])
    refused = admin_client.post(
        change, {"name": area.name, "code": "", **FILLED, "contact_phone": "call us"}
    )
    assert refused.status_code == 200
    assert "Enter a phone number" in refused.text
    assert _area(city).contact_phone == ""
    saved = admin_client.post(change, {"name": area.name, "code": "", **FILLED})
    assert saved.status_code == 302
    assert _area(city).sender_email == "hello@tamarside.example"
    assert AuditEvent.objects.filter(
        action="change_reference", object_type="LocalAuthority"
    ).exists()


def test_the_demo_area_has_what_families_see_set(db, settings):
    """The demo city's parents never get a bare "onestory" from localhost."""
    import io

    from django.core.management import call_command

    settings.DEBUG = True  # the demo runs in development only
    call_command("demo", families=2, seed=7, stdout=io.StringIO(), stderr=io.StringIO())
    area = LocalAuthority.objects.get()
    assert area.name_for_families == "Tamarside Family Hubs"
    assert area.council_name == "Tamarside City Council"
    assert area.contact_phone
    assert area.contact_email
    assert "localhost" not in area.email_sender
    assert area.email_sender == "Tamarside Family Hubs <familyhubs@tamarside.example>"


def test_the_deploy_check_warns_of_a_sender_at_localhost(settings):
    from onestory.core.checks import check_production_settings

    def warned():
        return "onestory.W002" in [p.id for p in check_production_settings(None)]

    settings.DEFAULT_FROM_EMAIL = "onestory <no-reply@localhost>"
    assert warned()
    settings.DEFAULT_FROM_EMAIL = "Family Hubs <familyhubs@tamarside.example>"
    assert not warned()
