"""Deny by default: every URL declares who may use it, and honours it."""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, StringConverter, UUIDConverter

from onestory.core.permissions import FAMILY_MEMBER, PUBLIC

PUBLIC_URL_NAMES = {
    "core:start",
    "core:accessibility_statement",
    "accounts:sign_in",
    "accounts:second_factor",  # needs the password step in the same session
    "accounts:set_up_second_factor",  # likewise
    "accounts:signed_out",
    "accounts:set_up_link",  # an administrator's one-time link, for one person
    "measures:complete_questionnaire",  # a parent's single-use link: no sign-in
    "measures:questionnaire_done",
    "programmes:give_feedback",  # families tell us what they think, anonymously
    "programmes:feedback_thanks",
    # GOV.UK Notify's delivery receipts: no sign-in, its bearer token instead
    # (notify/views.py); anything without the token is answered 401.
    "notify:delivery_receipt",
}

# The family's own view (onestory/parents): no staff sign-in, and a staff
# sign-in does not count. The sign-in steps are open to anyone; every other
# page needs a family session, and without one leads to the family sign-in.
FAMILY_SIGN_IN_URL_NAMES = {
    "parents:sign_in",
    "parents:link_sent",
    "parents:use_link",  # a single-use link: 404 for a made-up one
    "parents:signed_out",
}
FAMILY_URL_NAMES = FAMILY_SIGN_IN_URL_NAMES | {
    "parents:home",
    "parents:sign_out",
    "parents:our_story",
    "parents:suggest",
    "parents:our_plan",
    "parents:action_done",
    "parents:who_can_see",
    "parents:our_progress",
    "parents:coming_up",
    "parents:questionnaires",
    "parents:fill_in",
    "parents:withdraw_consent",
}


# For any signed-in member of staff, whatever their roles: about their own account.
SIGNED_IN_URL_NAMES = {
    # Their own prepared downloads: the owner's alone, while they hold the
    # role the kind of download needs (core/downloads.py).
    "core:my_downloads",
    "core:download",
    "core:download_file",
    "core:download_again",
    "accounts:sign_out",
    "accounts:your_account",
    "accounts:change_password",
    "accounts:stay_signed_in",
    # Their own training, needs and supervision; others' only as the scope allows.
    "workforce:my_development",
    "workforce:record_training",
    "workforce:record_training_for",
    "workforce:record_need",
    "workforce:meet_need",
    "workforce:show_supervision",
    # Families' anonymous feedback: anyone on the staff may read and record it.
    "programmes:record_feedback",
    "programmes:quotes",
    # Major incidents: anyone on the staff may be assigned to one, or given a
    # family's check; the incident's own scope decides (incidents/pages.py),
    # 404 for anyone else, and its families only while it is open.
    "incidents:incidents",
    "incidents:incident",
    "incidents:families",
    "incidents:export",
    "incidents:print",
    "incidents:my_checks",
    "incidents:welfare_check",
    "incidents:add_area",
    "incidents:widen",
    "incidents:staff",
    "incidents:rest_centres",
    "incidents:check_in",
    "incidents:stand_down",
    "incidents:report",
}


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", entry


def _our_urls():
    # The Django admin has its own gate (administrators only), tested separately.
    return [
        (name, p)
        for name, p in _walk(get_resolver().url_patterns)
        if not name.startswith("admin:")
    ]


def _sample_url(name, pattern):
    samples = {IntConverter: 1, UUIDConverter: uuid.uuid4(), StringConverter: "sample"}
    kwargs = {
        key: samples[type(converter)]
        for key, converter in pattern.pattern.converters.items()
    }
    return reverse(name, kwargs=kwargs)


def test_every_url_declares_a_permission():
    undeclared = [
        name
        for name, p in _our_urls()
        if not hasattr(p.callback, "onestory_permission")
    ]
    assert undeclared == []


def test_only_the_allowlisted_urls_are_for_family_members():
    family = {
        name
        for name, p in _our_urls()
        if p.callback.onestory_permission == FAMILY_MEMBER
    }
    assert family == FAMILY_URL_NAMES


def test_only_the_allowlisted_urls_are_public():
    public = {
        name for name, p in _our_urls() if p.callback.onestory_permission == PUBLIC
    }
    assert public == PUBLIC_URL_NAMES


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "pattern"), _our_urls(), ids=[n for n, _ in _our_urls()]
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_users_are_sent_to_sign_in(client, name, pattern, method):
    response = getattr(client, method)(_sample_url(name, pattern))
    if name in FAMILY_URL_NAMES:
        _to_family_sign_in(name, response)
    elif name in PUBLIC_URL_NAMES:
        # 404: a made-up questionnaire link is refused like any unknown page;
        # 401: a machine's callback called without its token.
        assert response.status_code in (200, 302, 401, 404, 405)
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("accounts:sign_in"))
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign_in"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "pattern"), _our_urls(), ids=[n for n, _ in _our_urls()]
)
def test_staff_with_no_role_reach_nothing_but_public_pages(client, name, pattern):
    from tests import factories

    user = factories.staff("No Role", factories.organisation("Org"))
    client.force_login(user)
    response = client.get(_sample_url(name, pattern))
    if name in FAMILY_URL_NAMES:
        # A staff sign-in is not a family one.
        _to_family_sign_in(name, response)
    elif name in PUBLIC_URL_NAMES or name in SIGNED_IN_URL_NAMES:
        assert response.status_code in (200, 302, 404, 405)
    else:
        assert response.status_code in (403, 404)


def _to_family_sign_in(name, response):
    if name in FAMILY_SIGN_IN_URL_NAMES:
        assert response.status_code in (200, 302, 404, 405)
        if response.status_code == 302:
            assert response["Location"].startswith("/your-family/sign-in/")
    else:
        assert response.status_code in (302, 405)
        if response.status_code == 302:
            assert response["Location"] == reverse("parents:sign_in")


@pytest.mark.django_db
def test_the_admin_is_for_administrators_only(client, lead, admin):
    client.force_login(lead)
    assert client.get("/admin/").status_code == 302
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/organisation/").status_code == 200
    # Reference data only: family records are not administered here.
    assert client.get("/admin/families/family/").status_code == 404


@pytest.mark.django_db
def test_the_admin_keeps_its_own_form_markup(admin_client):
    body = admin_client.get("/admin/accounts/team/add/").content.decode()
    assert "vTextField" in body
    assert "govuk-input" not in body


def test_only_the_allowlisted_urls_are_for_any_signed_in_user():
    from onestory.core.permissions import SIGNED_IN

    signed_in = {
        name
        for name, pattern in _our_urls()
        if getattr(pattern.callback, "onestory_permission", None) == SIGNED_IN
    }
    assert signed_in == SIGNED_IN_URL_NAMES
