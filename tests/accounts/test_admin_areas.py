"""Administrators manage their own local authority only (security.md R4)."""

from django.urls import reverse


def test_lists_stop_at_the_local_authority(admin_client, elsewhere):
    for name in ["user", "organisation", "team", "localauthority"]:
        page = admin_client.get(reverse(f"admin:accounts_{name}_changelist")).text
        assert "Moorland" not in page, name
        assert "Mo Moor" not in page, name


def test_another_areas_records_cannot_be_opened(admin_client, elsewhere):
    for url in [
        reverse("admin:accounts_user_change", args=[elsewhere.practitioner.pk]),
        reverse("admin:accounts_organisation_change", args=[elsewhere.council.pk]),
    ]:
        response = admin_client.get(url)
        assert response.status_code == 302  # "does not exist", back to the list
        assert "Moorland" not in admin_client.get(response["Location"]).text


def test_no_one_can_be_moved_into_another_area(city, lead, admin_client, elsewhere):
    page = admin_client.get(reverse("admin:accounts_user_change", args=[lead.pk])).text
    assert "Moorland Council" not in page
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[lead.pk]),
        {
            "email": lead.email,
            "full_name": lead.full_name,
            "organisation": elsewhere.council.pk,
            "is_active": "on",
            "role_grants-TOTAL_FORMS": "0",
            "role_grants-INITIAL_FORMS": "0",
            "authenticator-TOTAL_FORMS": "0",
            "authenticator-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200  # the form refuses the choice
    lead.refresh_from_db()
    assert lead.organisation == city.council


def test_areas_are_not_added_or_deleted_by_an_administrator(admin_client):
    assert (
        admin_client.get(reverse("admin:accounts_localauthority_add")).status_code
        == 403
    )


def test_unlocking_stops_at_the_area(city, admin_client, elsewhere):
    admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock_sign_in", "_selected_action": [elsewhere.practitioner.pk]},
    )
    from onestory.core.models import AuditEvent

    assert not AuditEvent.objects.filter(action="unlock_sign_in").exists()
