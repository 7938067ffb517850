"""The persona matrix: who may reach the canary family, through every door.

Documented in docs/access.md; a change here must change that table too.
"""

import pytest
from django.urls import reverse

from onestory.families.record_views import SECTIONS
from tests import factories
from tests.conftest import CANARIES, CANARY_SURNAME

LISTED, ABSENT, OK, NOT_FOUND, FORBIDDEN, SIGN_IN = (
    "listed",
    "absent",
    "ok",
    "not found",
    "forbidden",
    "sign in",
)

# persona: (caseload, search, family record, edit story, record consent)
MATRIX = {
    "lead_practitioner": (LISTED, LISTED, OK, OK, OK),
    "same_team_practitioner": (ABSENT, LISTED, OK, OK, OK),
    "team_manager": (ABSENT, LISTED, OK, OK, OK),
    "other_hub_practitioner": (ABSENT, ABSENT, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    "partner_worker_with_consent": (LISTED, LISTED, OK, OK, OK),
    "partner_worker_without_consent": (ABSENT, ABSENT, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    "commissioner": (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "admin": (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "anonymous": (SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN),
}
DOORS = ("caseload", "search", "family record", "edit story", "record consent")

# Every other page about one family answers as the family record does.
FAMILY_PAGES = {
    "the plan": ("support:show_plan", []),
    "printed plan": ("support:print_plan", []),
    "record a contact": ("support:record_contact", []),
    "change level": ("support:change_level", []),
    "transfer lead": ("support:transfer_lead", []),
    "add to team": ("support:add_to_team", []),
    "ask a specialist": ("support:ask_consultation", []),
    "request more support": ("support:make_request", []),
    "end support": ("support:close_episode", []),
    "choose questionnaire": ("measures:choose_questionnaire", []),
    "start intervention": ("measures:start_intervention", []),
    "progress sheet": ("measures:print_progress_sheet", []),
    "send questionnaire link": ("measures:send_questionnaire_link", []),
    "add member": ("families:add_member", []),
    "book a place on a course": ("programmes:book_place", []),
    # The record's own pages (issue 15), each a read of the record.
    **{
        f"record: {section.label.lower()}": (f"families:{section.name}", [])
        for section in SECTIONS[1:]
    },
}


def _urls(family):
    return {
        "caseload": reverse("families:my_caseload"),
        "search": reverse("families:search_families"),
        "family record": reverse("families:family_record", args=[family.pk]),
        "edit story": reverse("families:edit_story", args=[family.pk]),
        "record consent": reverse("families:record_consent", args=[family.pk]),
    }


def _refusal(response) -> str:
    if response.status_code == 302:
        location = response["Location"]
        return SIGN_IN if location.startswith(reverse("accounts:sign_in")) else location
    return {403: FORBIDDEN, 404: NOT_FOUND}.get(
        response.status_code, str(response.status_code)
    )


# What each outcome leaves in the audit trail: (action, outcome) pairs.
_READ = [("view_family", "allowed")]
EXPECTED_AUDIT = {
    **{(door, OK): _READ for door in DOORS},
    **{(door, NOT_FOUND): [("refused", "refused")] for door in DOORS},
    **{(door, outcome): [] for door in DOORS for outcome in (FORBIDDEN, SIGN_IN)},
    ("caseload", LISTED): [("list_caseload", "allowed")],
    ("caseload", ABSENT): [("list_caseload", "allowed")],
    ("search", LISTED): [("search_families", "allowed")],
    ("search", ABSENT): [("search_families", "allowed")],
}


def _audit_trail():
    from onestory.core.models import AuditEvent

    return list(AuditEvent.objects.order_by("id").values_list("action", "outcome"))


def _client_for(persona, city, client):

    if persona != "anonymous":
        client.force_login(city.personas[persona])
    factories.clear_audit_trail()  # only this request's events from here
    return client


@pytest.mark.security_case(1)
@pytest.mark.security_case(3)
@pytest.mark.parametrize("persona", MATRIX)
@pytest.mark.parametrize("door", DOORS)
def test_persona_matrix_get(persona, door, city, client):
    expected = MATRIX[persona][DOORS.index(door)]
    client = _client_for(persona, city, client)
    if door == "search":  # posted, then shown under a random key: no names in URLs
        response = client.post(_urls(city.family)[door], {"name": CANARY_SURNAME})
        if response.status_code == 302 and "results=" in response["Location"]:
            response = client.get(response["Location"])
    else:
        response = client.get(_urls(city.family)[door])

    outcome = _door_outcome(door, response, city.family)

    assert outcome == expected
    assert _audit_trail() == EXPECTED_AUDIT[door, expected]
    if expected in (ABSENT, NOT_FOUND, FORBIDDEN, SIGN_IN):
        body = response.content.decode()
        # The search form rightly shows back the surname the user typed.
        typed = {CANARY_SURNAME} if door == "search" and expected == ABSENT else set()
        assert not [c for c in CANARIES if c in body and c not in typed]


def _door_outcome(door, response, family):
    if response.status_code != 200:
        return _refusal(response)
    if door in ("caseload", "search"):
        link = reverse("families:family_record", args=[family.pk])
        return LISTED if link in response.content.decode() else ABSENT
    return OK


@pytest.mark.parametrize("persona", MATRIX)
def test_persona_matrix_post_story(persona, city, client):
    """Writes obey the same scope as reads: a refused edit changes nothing."""
    allowed = MATRIX[persona][DOORS.index("edit story")] == OK
    response = _client_for(persona, city, client).post(
        reverse("families:edit_story", args=[city.family.pk]),
        {"text": "A new version", "based_on": 1},
    )
    saved = city.family.story_versions.filter(number=2).exists()
    assert saved is allowed
    refusal = {"commissioner": 403, "admin": 403, "anonymous": 302}.get(persona, 404)
    assert response.status_code == (302 if allowed else refusal)
    if not allowed:
        assert CANARY_SURNAME not in response.content.decode()


@pytest.mark.parametrize("persona", MATRIX)
def test_persona_matrix_post_consent(persona, city, client):
    allowed = MATRIX[persona][DOORS.index("record consent")] == OK
    carer = city.family.members.get(role="parent_carer")
    before = city.family.consents.count()
    _client_for(persona, city, client).post(
        reverse("families:record_consent", args=[city.family.pk]),
        {
            "organisation": city.trust.pk,
            "purpose": "share_record",
            "given_by": carer.pk,
            "given_on_0": "1",
            "given_on_1": "11",
            "given_on_2": "2026",
        },
    )
    assert city.family.consents.count() == before + (1 if allowed else 0)


def test_withdrawing_consent_removes_the_partners_access_on_the_next_request(
    city, partner_worker_with_consent, lead, client
):
    consent = city.family.consents.get(organisation=city.partner)
    record = reverse("families:family_record", args=[city.family.pk])
    client.force_login(partner_worker_with_consent)
    assert client.get(record).status_code == 200

    client.force_login(lead)
    client.post(
        reverse("families:withdraw_consent", args=[city.family.pk, consent.pk]),
        {"note": ""},
    )

    client.force_login(partner_worker_with_consent)
    response = client.get(record)
    assert response.status_code == 404
    assert CANARY_SURNAME not in response.content.decode()


def test_closing_the_episode_ends_team_access(city, lead, client):
    city.family.episodes.update(closed_at="2026-11-01T10:00:00Z")
    client.force_login(lead)
    response = client.get(reverse("families:family_record", args=[city.family.pk]))
    assert response.status_code == 404


def test_administrator_who_is_also_a_practitioner_reads_their_teams_families(
    city, admin, client
):
    from onestory.accounts.models import Role, RoleGrant

    RoleGrant.objects.create(user=admin, role=Role.PRACTITIONER)
    admin.teams.add(city.team_a)
    client.force_login(admin)
    response = client.get(reverse("families:family_record", args=[city.family.pk]))
    assert response.status_code == 200


@pytest.mark.security_case(2)
@pytest.mark.parametrize("persona", MATRIX)
@pytest.mark.parametrize("page", FAMILY_PAGES)
def test_every_page_about_a_family_follows_the_family_record(
    persona, page, city, client
):
    expected = MATRIX[persona][DOORS.index("family record")]
    name, extra = FAMILY_PAGES[page]
    response = _client_for(persona, city, client).get(
        reverse(name, args=[city.family.pk, *extra])
    )
    outcome = OK if response.status_code == 200 else _refusal(response)
    assert outcome == expected
    if expected != OK:
        body = response.content.decode()
        assert [c for c in CANARIES if c in body] == []


@pytest.mark.security_case(7)
def test_extra_fields_in_a_post_change_nothing_else(
    city, lead, other_hub_practitioner, client
):
    """Forms name their fields: an edit cannot also move the family to another
    team, change who wrote it, restrict or unrestrict, or make anyone staff."""
    client.force_login(lead)
    response = client.post(
        reverse("families:edit_story", args=[city.family.pk]),
        {
            "text": "A new version",
            "based_on": 1,
            "written_by": other_hub_practitioner.pk,
            "written_by_organisation": city.partner.pk,
            "family": "00000000-0000-0000-0000-000000000000",
            "team": city.team_b.pk,
            "is_staff": "true",
            "roles": "administrator",
        },
    )
    assert response.status_code == 302
    version = city.family.story_versions.get(number=2)
    assert (version.written_by, version.written_by_organisation) == (
        lead,
        lead.organisation,
    )
    episode = city.family.episodes.get()
    assert episode.team == city.team_a
    lead.refresh_from_db()
    assert lead.roles == {"practitioner"}


@pytest.mark.security_case(1)
@pytest.mark.security_case(3)
@pytest.mark.parametrize("persona", MATRIX)
@pytest.mark.parametrize("section", [section.name for section in SECTIONS])
def test_every_page_of_the_record_is_read_and_audited_as_the_record(
    persona, section, city, client
):
    """Each page of the record answers as the record does and leaves the same
    trail: one read of this family (naming the page), or one refusal."""
    from onestory.core.models import AuditEvent

    expected = MATRIX[persona][DOORS.index("family record")]
    response = _client_for(persona, city, client).get(
        reverse(f"families:{section}", args=[city.family.pk])
    )
    outcome = OK if response.status_code == 200 else _refusal(response)
    assert outcome == expected
    assert _audit_trail() == EXPECTED_AUDIT["family record", expected]
    if expected == OK:
        event = AuditEvent.objects.get()
        assert event.family_id == city.family.pk
        assert event.detail == ({} if section == "family_record" else {"page": section})
        body = response.content.decode()
        assert 'aria-current="page"' in body
        assert "moj-identity-bar" in body
    else:
        body = response.content.decode()
        assert [c for c in CANARIES if c in body] == []
