"""Every read and write of family data leaves exactly the expected audit events."""

import pytest
from django.db import connection
from django.urls import reverse

from onestory.core.models import AuditEvent
from tests import factories
from tests.conftest import CANARIES, CANARY_SURNAME


@pytest.fixture
def lead_client(lead_client):
    factories.clear_audit_trail()  # start each test from an empty trail
    return lead_client


def _events():
    return list(AuditEvent.objects.order_by("id").values_list("action", "outcome"))


def test_opening_the_record_is_audited_with_who_and_where(city, lead, lead_client):
    lead_client.get(reverse("families:family_record", args=[city.family.pk]))
    event = AuditEvent.objects.get()
    assert (event.action, event.outcome) == ("view_family", "allowed")
    assert event.family_id == city.family.pk
    assert event.actor == lead
    assert event.actor_roles == "practitioner"
    assert event.actor_organisation_id == lead.organisation_id
    assert len(event.request_id) == 32


def test_caseload_and_search_record_the_families_shown(city, lead_client):
    lead_client.get(reverse("families:my_caseload"))
    factories.search(lead_client, name=CANARY_SURNAME)
    caseload, search = AuditEvent.objects.order_by("id")
    assert caseload.action == "list_caseload"
    assert caseload.detail["family_ids"] == [str(city.family.pk)]
    assert search.action == "search_families"
    assert search.detail == {
        "searched_fields": ["name"],
        "result_count": 2,  # the parent and the baby share the surname
        "family_ids": [str(city.family.pk)],
    }


def test_an_empty_search_form_is_not_a_search(city, lead_client):
    lead_client.get(reverse("families:search_families"))
    assert _events() == []


def test_editing_the_story_records_the_field_not_the_words(city, lead_client):
    lead_client.post(
        reverse("families:edit_story", args=[city.family.pk]),
        {"text": "A new version with SECRET-WORDS", "based_on": 1},
    )
    assert _events() == [("edit_story", "allowed")]
    event = AuditEvent.objects.get()
    assert event.changed_fields == ["text"]
    assert "SECRET-WORDS" not in str(AuditEvent.objects.values().get())


def test_recording_and_withdrawing_consent_are_audited(city, lead_client):
    carer = city.family.members.get(role="parent_carer")
    lead_client.post(
        reverse("families:record_consent", args=[city.family.pk]),
        {
            "organisation": city.trust.pk,
            "purpose": "referral",
            "given_by": carer.pk,
            "given_on_0": "1",
            "given_on_1": "11",
            "given_on_2": "2026",
        },
    )
    consent = city.family.consents.get(organisation=city.trust)
    lead_client.post(
        reverse("families:withdraw_consent", args=[city.family.pk, consent.pk]),
        {"note": ""},
    )
    assert _events() == [("record_consent", "allowed"), ("withdraw_consent", "allowed")]


def test_a_refused_read_is_audited_as_refused(city, other_hub_practitioner_client):
    factories.clear_audit_trail()
    other_hub_practitioner_client.get(
        reverse("families:family_record", args=[city.family.pk])
    )
    event = AuditEvent.objects.get()
    assert (event.action, event.outcome, event.family_id) == (
        "refused",
        "refused",
        city.family.pk,
    )


def test_adding_a_family_is_audited(city, lead_client):
    from tests.families.test_views import valid_family_post

    lead_client.post(reverse("families:add_family"), valid_family_post(city))
    assert _events() == [("create_family", "allowed")]


def test_no_audit_row_holds_a_canary_value(city, lead_client):
    lead_client.get(reverse("families:family_record", args=[city.family.pk]))
    factories.search(lead_client, nhs_number="9990000026")
    dump = str(list(AuditEvent.objects.values()))
    assert [c for c in CANARIES if c in dump] == []


def test_when_the_audit_cannot_be_written_the_record_is_not_shown(city, lead_client):
    def refuse_audit_insert(execute, sql, params, many, context):
        if "INSERT INTO" in sql and "core_auditevent" in sql:
            raise RuntimeError("audit store unavailable")
        return execute(sql, params, many, context)

    from onestory.families.record_views import SECTIONS

    lead_client.raise_request_exception = False
    for section in SECTIONS:  # the summary and each page of the record
        with connection.execute_wrapper(refuse_audit_insert):
            response = lead_client.get(
                reverse(f"families:{section.name}", args=[city.family.pk])
            )
        assert response.status_code == 500, section
        assert CANARY_SURNAME not in response.content.decode(), section


def test_when_the_audit_cannot_be_written_the_change_is_rolled_back(city, lead_client):
    def refuse_audit_insert(execute, sql, params, many, context):
        if "INSERT INTO" in sql and "core_auditevent" in sql:
            raise RuntimeError("audit store unavailable")
        return execute(sql, params, many, context)

    lead_client.raise_request_exception = False
    with connection.execute_wrapper(refuse_audit_insert):
        lead_client.post(
            reverse("families:edit_story", args=[city.family.pk]),
            {"text": "Should not be kept", "based_on": 1},
        )
    assert not city.family.story_versions.filter(number=2).exists()
