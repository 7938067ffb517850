"""Administrators load licensed wording; forms then show it instead of item numbers."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from onestory.accounts.models import Role
from onestory.measures.models import LicensedText
from tests import factories


def _service_administrator(city):
    """Licensed wording is shared by every local authority: a service
    administrator loads it, not one council's administrator."""
    return factories.staff("Sid Service", city.council, Role.SERVICE_ADMINISTRATOR)


def _epds_file(**overrides) -> SimpleUploadedFile:
    payload = factories.licensed_text_payload("EPDS", **overrides)
    return SimpleUploadedFile(
        "epds.json", json.dumps(payload).encode(), "application/json"
    )


def test_a_service_administrator_loads_licensed_text_and_forms_show_it(
    city, lead, client
):
    loader = _service_administrator(city)
    client.force_login(loader)
    response = client.post(
        "/admin/measures/licensedtext/add/",
        {"instrument": "EPDS", "file": _epds_file()},
    )
    assert response.status_code == 302
    stored = LicensedText.objects.get()
    assert (stored.instrument_code, stored.loaded_by) == ("EPDS", loader)

    carer = city.family.members.get(role="parent_carer")
    client.force_login(lead)
    form = client.get(
        reverse(
            "measures:record_questionnaire", args=[city.family.pk, carer.pk, "EPDS"]
        )
    ).content.decode()
    assert "Licensed wording 10" in form
    assert "Licensed option 3" in form


def test_a_file_that_does_not_match_the_instrument_is_refused(city, client):
    client.force_login(_service_administrator(city))
    response = client.post(
        "/admin/measures/licensedtext/add/",
        {"instrument": "EPDS", "file": _epds_file(instrument="SDQ_P4_17")},
    )
    assert response.status_code == 200
    assert (
        "Licensed text refused: &quot;instrument&quot; must be"
        in response.content.decode()
    )
    assert not LicensedText.objects.exists()


def test_without_licensed_text_forms_show_item_numbers(city, lead, client):
    carer = city.family.members.get(role="parent_carer")
    client.force_login(lead)
    form = client.get(
        reverse(
            "measures:record_questionnaire", args=[city.family.pk, carer.pk, "EPDS"]
        )
    ).content.decode()
    assert "Item 10" in form
    assert "Answer 4" in form
    assert "Licensed wording" not in form


def test_practitioners_cannot_load_licensed_text(lead_client):
    response = lead_client.post(
        "/admin/measures/licensedtext/add/",
        {"instrument": "EPDS", "file": _epds_file()},
    )
    assert response.status_code == 302  # sent to sign in as someone else
    assert not LicensedText.objects.exists()


def test_a_councils_administrator_cannot_load_licensed_text(admin_client):
    response = admin_client.post(
        "/admin/measures/licensedtext/add/",
        {"instrument": "EPDS", "file": _epds_file()},
    )
    assert response.status_code == 403
    assert not LicensedText.objects.exists()
