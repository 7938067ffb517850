"""Administration is audited and cannot reach families (issue 13): every write
in the administration pages goes through accounts/administration.py into the
audit chain; no one grants roles to themself; a family-opening grant alerts the
information governance leads; no administrator sets a password."""

import re

import pytest
from django.conf import settings
from django.contrib import admin
from django.core import mail
from django.test import Client
from django.urls import reverse

from onestory.accounts.models import Role, RoleGrant, User
from onestory.core import audit_chain
from onestory.core.models import AuditEvent
from tests import factories

PASSWORD = "correct horse battery staple"


@pytest.fixture
def admin_user(admin):
    return admin


@pytest.fixture
def admin_client(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.fixture
def ig_lead(city):
    return factories.staff("Ivy Governance", city.council, Role.INFORMATION_GOVERNANCE)


def _user_form(user, **changes):
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "organisation": user.organisation_id,
        "teams": [t.pk for t in user.teams.all()],
        "roles": sorted(user.role_grants.values_list("role", flat=True)),
        "is_active": "on" if user.is_active else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def _change(client, user, **changes):
    return client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        _user_form(user, **changes),
    )


def _events(action, user=None):
    events = AuditEvent.objects.filter(action=action)
    if user is not None:
        events = events.filter(object_id=str(user.pk))
    return events


def _chain_intact():
    rows = AuditEvent.objects.order_by("sequence").values()
    return audit_chain.verify(rows, settings.AUDIT_KEY) == []


def _link_in(message) -> str:
    return re.search(r"https?://\S+/account/set-up/[^/\s]+/", message.body).group(0)


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_adding_an_account_is_audited_and_sends_a_link_not_a_password(
    city, admin_client, admin_user, django_capture_on_commit_callbacks
):
    body = admin_client.get(reverse("admin:accounts_user_add")).text
    assert 'type="password"' not in body
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:accounts_user_add"),
            {
                "email": "Nell.New@Test.onestory.example",
                "full_name": "Nell New",
                "organisation": city.council.pk,
                "teams": [city.team_a.pk],
                "roles": [Role.COMMISSIONER],
                "is_active": "on",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="nell.new@test.onestory.example")
    assert not user.has_usable_password()
    assert user.enrol_by_link
    assert list(user.teams.all()) == [city.team_a]
    assert _events("add_staff", user).get().actor == admin_user
    assert _events("grant_role", user).get().detail == {"role": "commissioner"}
    assert _events("send_set_up_link", user).exists()
    (email,) = mail.outbox  # a commissioner opens no family data: no alert
    assert email.to == [user.email]
    assert "/account/set-up/" in email.body
    assert _chain_intact()


def test_changing_and_deactivating_an_account_are_audited(city, admin_client, lead):
    response = _change(
        admin_client, lead, full_name="Lena Lead-Smith", teams=[city.team_b.pk]
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.full_name == "Lena Lead-Smith"
    assert list(lead.teams.all()) == [city.team_b]
    assert _events("change_staff", lead).get().changed_fields == ["full_name", "teams"]

    _change(admin_client, lead, is_active="")
    lead.refresh_from_db()
    assert not lead.is_active
    assert _events("deactivate_staff", lead).get().changed_fields == ["is_active"]
    assert _chain_intact()


def test_granting_and_revoking_roles_are_audited_and_alert_governance(
    city, admin_client, lead, ig_lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _change(admin_client, lead, roles=[Role.PRACTITIONER, Role.SUPERVISOR])
    assert _events("grant_role", lead).get().detail == {"role": "supervisor"}
    assert mail.outbox == []  # a supervisor reads no family records

    with django_capture_on_commit_callbacks(execute=True):
        _change(admin_client, lead, roles=[Role.SUPERVISOR, Role.TEAM_MANAGER])
    assert _events("grant_role", lead).count() == 2
    assert _events("revoke_role", lead).get().detail == {"role": "practitioner"}
    (alert,) = mail.outbox
    assert alert.to == [ig_lead.email]
    assert "Team manager" in alert.body
    assert lead.full_name in alert.body
    assert set(lead.role_grants.values_list("role", flat=True)) == {
        "supervisor",
        "team_manager",
    }


def test_granting_information_governance_alerts_the_leads(
    commissioner, admin_client, ig_lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _change(
            admin_client,
            commissioner,
            roles=[Role.COMMISSIONER, Role.INFORMATION_GOVERNANCE],
        )
    (alert,) = mail.outbox
    assert ig_lead.email in alert.to
    assert "Information governance lead" in alert.body


@pytest.mark.security_case(7)
def test_an_administrator_cannot_grant_themself_information_governance(
    admin_client, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _change(
            admin_client,
            admin_user,
            roles=[Role.ADMINISTRATOR, Role.INFORMATION_GOVERNANCE],
        )
        # The old inline form of role grants is gone: naming it changes nothing.
        inline = _user_form(admin_user)
        inline.update(
            {
                "role_grants-TOTAL_FORMS": "1",
                "role_grants-INITIAL_FORMS": "0",
                "role_grants-0-role": Role.INFORMATION_GOVERNANCE,
                "role_grants-0-user": admin_user.pk,
            }
        )
        admin_client.post(
            reverse("admin:accounts_user_change", args=[admin_user.pk]), inline
        )
    assert response.status_code == 200
    assert "You cannot grant roles to your own account" in response.text
    assert set(admin_user.role_grants.values_list("role", flat=True)) == {
        "administrator"
    }
    refused = _events("grant_role", admin_user).get()
    assert refused.outcome == "refused"
    assert refused.detail["roles"] == ["information_governance"]
    assert mail.outbox == []
    # Nor can the service be asked directly.
    from onestory.accounts import administration

    with pytest.raises(administration.OwnRolesRefused):
        administration.grant_role(
            by=admin_user, user=admin_user, role=Role.PRACTITIONER
        )
    assert not RoleGrant.objects.filter(
        user=admin_user, role=Role.PRACTITIONER
    ).exists()


@pytest.mark.security_case(13)
def test_an_administrator_cannot_set_a_password(admin_client, lead):
    body = admin_client.get(reverse("admin:accounts_user_change", args=[lead.pk])).text
    assert 'type="password"' not in body
    for field in ("new_password", "password", "password1"):
        response = _change(admin_client, lead, **{field: "admin chosen passphrase"})
        assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.check_password(PASSWORD)
    assert not lead.check_password("admin chosen passphrase")


def test_a_password_link_works_once_and_the_old_password_stops(
    client, admin_client, lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "send_password_link", "_selected_action": [lead.pk]},
        )
    (email,) = mail.outbox
    link = _path(_link_in(email))
    token = link.rstrip("/").rsplit("/", 1)[1]
    lead.refresh_from_db()
    assert not lead.has_usable_password()
    assert not lead.set_up_links.filter(token_hash=token).exists()  # hashed only
    assert _events("send_set_up_link", lead).get().changed_fields == [
        "password",
        "session_epoch",
        "set_up_link",
    ]
    response = client.post(link, {"new_password": "a new passphrase of mine"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sign_in")  # app still set up
    lead.refresh_from_db()
    assert lead.check_password("a new passphrase of mine")
    assert _events("use_set_up_link", lead).exists()
    again = client.post(link, {"new_password": "another passphrase here"})
    assert again.status_code == 404
    assert "This link does not work" in again.text
    lead.refresh_from_db()
    assert lead.check_password("a new passphrase of mine")


def test_a_link_expires_after_the_documented_hours(
    admin_user, lead, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    import time_machine
    from django.db import transaction
    from django.utils import timezone

    from onestory.accounts import administration

    assert administration.SET_UP_LINK_HOURS == 24  # as docs/access.md says
    with time_machine.travel(timezone.now(), tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            administration.send_set_up_link(by=admin_user, user=lead, kind="password")
        token = _link_in(mail.outbox[0]).rstrip("/").rsplit("/", 1)[1]
        clock.shift(timedelta(hours=23, minutes=59))
        assert administration.find_link(token) is not None
        clock.shift(timedelta(minutes=2))
        assert administration.find_link(token) is None


@pytest.mark.security_case(16)
def test_after_a_two_factor_reset_the_password_alone_reaches_nothing(
    city, client, admin_client, lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "reset_second_factor", "_selected_action": [lead.pk]},
        )
    assert not hasattr(User.objects.get(pk=lead.pk), "authenticator")
    assert _events("reset_second_factor", lead).exists()
    (email,) = mail.outbox
    assert email.to == [lead.email]

    # Someone with the password (the administrator who reset it, say) signs in.
    response = client.post(
        reverse("accounts:sign_in"), {"email": lead.email, "password": PASSWORD}
    )
    page = client.get(response["Location"])
    assert page.status_code == 403
    assert "Use the link we emailed you" in page.text
    assert "QR code" not in page.text
    assert client.post(response["Location"], {"code": "123456"}).status_code == 403
    caseload = client.get(reverse("families:my_caseload"))
    assert caseload.status_code == 302
    assert caseload["Location"].startswith(reverse("accounts:sign_in"))

    # The link alone is not enough either: it needs the password.
    link = _path(_link_in(email))
    wrong = Client().post(link, {"password": "not the password at all"})
    assert "Your password is incorrect" in wrong.text
    owner = Client()
    response = owner.post(link, {"password": PASSWORD})
    assert response["Location"] == reverse("accounts:set_up_second_factor")
    page = owner.get(response["Location"])
    assert "QR code" in page.text
    import time

    from onestory.accounts import totp

    secret = owner.session["onestory_enrol_secret"]
    code = totp.code_for(secret, totp.step_at(time.time()))
    done = owner.post(reverse("accounts:set_up_second_factor"), {"code": code})
    assert done.status_code == 200
    assert "recovery codes" in done.text.lower()
    assert not User.objects.get(pk=lead.pk).enrol_by_link
    assert owner.get(reverse("families:my_caseload")).status_code == 200
    assert _chain_intact()


def test_nothing_is_deleted_in_bulk_and_accounts_are_not_deleted(admin_client, lead):
    page = admin_client.get(reverse("admin:accounts_user_changelist")).text
    assert "delete_selected" not in page
    response = admin_client.get(reverse("admin:accounts_user_delete", args=[lead.pk]))
    assert response.status_code == 403


def test_reference_data_writes_are_audited(city, admin_client, admin_user):
    response = admin_client.post(
        reverse("admin:accounts_team_add"),
        {"name": "Hub C team", "organisation": city.council.pk},
    )
    assert response.status_code == 302
    event = _events("add_reference").get()
    assert (event.object_type, event.actor) == ("Team", admin_user)
    team = city.council.teams.get(name="Hub C team")
    admin_client.post(
        reverse("admin:accounts_team_delete", args=[team.pk]), {"post": "yes"}
    )
    assert _events("delete_reference").get().object_id == str(team.pk)
    assert _chain_intact()


def test_no_family_data_is_administered():
    family_apps = {"families", "support"}
    family_models = {"Intervention", "ReviewPoint", "QuestionnaireResponse"}
    family_models |= {"RiskAction", "SelfCompletionLink", "Course", "Place"}
    family_models |= {"Attendance", "Feedback", "CourseSession"}
    for model in admin.site._registry:
        assert model._meta.app_label not in family_apps, model
        assert model.__name__ not in family_models, model


@pytest.mark.security_case(13)
def test_a_changed_email_address_is_told_to_the_old_one(
    admin_client, admin_user, lead, django_capture_on_commit_callbacks
):
    """Taking an account over by moving its email to another mailbox and sending
    a link there is seen: by the audit trail and by the account's owner."""
    old = lead.email
    with django_capture_on_commit_callbacks(execute=True):
        _change(admin_client, lead, email="someone.else@test.onestory.example")
    lead.refresh_from_db()
    assert lead.email == "someone.else@test.onestory.example"
    (notice,) = mail.outbox
    assert notice.to == [old]
    assert "someone.else@test.onestory.example" in notice.body
    assert admin_user.full_name in notice.body
    assert _events("change_staff", lead).get().changed_fields == ["email"]
