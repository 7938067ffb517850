"""Rectification with history, and no lost updates on a person's details
(issue 5: rights; security.md R31)."""

import pytest
from django.urls import reverse

from onestory.core.models import AuditEvent
from onestory.families.models import Person, PersonCorrection
from onestory.operations import retention
from tests.conftest import CANARY_PHONE, CANARY_SURNAME


@pytest.fixture
def carer(city):
    return city.family.members.get(role="parent_carer")


def _url(city, person):
    return reverse("families:correct_person", args=[city.family.pk, person.pk])


def _post(client, city, person, based_on, **changes):
    data = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth_0": person.date_of_birth.day,
        "date_of_birth_1": person.date_of_birth.month,
        "date_of_birth_2": person.date_of_birth.year,
        "nhs_number": person.nhs_number or "",
        "phone": person.phone,
        "preferred_language": person.preferred_language,
        "interpreter_needed": "yes" if person.interpreter_needed else "no",
        "reason": "The parent told us their name is spelt differently",
        "based_on": based_on,
    } | changes
    return client.post(_url(city, person), data)


def test_a_correction_keeps_what_the_details_were_and_why(
    city, lead, lead_client, carer
):
    response = _post(lead_client, city, carer, 1, family_name="Zzcanarysonne")
    assert response.status_code == 302
    carer.refresh_from_db()
    assert (carer.family_name, carer.version) == ("Zzcanarysonne", 2)
    correction = PersonCorrection.objects.get()
    assert correction.changed_fields == ["family_name"]
    assert correction.previous == {"family_name": CANARY_SURNAME}
    assert correction.corrected_by == lead
    event = AuditEvent.objects.get(action="correct_person")
    assert event.changed_fields == ["family_name"]
    assert CANARY_SURNAME not in str(event.detail)  # names, never values
    page = lead_client.get(_url(city, carer)).text
    assert "Earlier corrections" in page
    assert "Last name. The parent told us" in page


def test_a_correction_of_ethnic_group_keeps_the_earlier_one(city, lead, client, carer):
    Person.objects.filter(pk=carer.pk).update(ethnic_category="A")
    carer.refresh_from_db()
    client.force_login(lead)
    response = _post(
        client,
        city,
        carer,
        1,
        ethnic_category="C",
        parent_role="father_or_partner",
        reason="He told us we had it wrong",
    )
    assert response.status_code == 302
    carer.refresh_from_db()
    assert (carer.ethnic_category, carer.parent_role) == ("C", "father_or_partner")
    correction = PersonCorrection.objects.get()
    assert sorted(correction.changed_fields) == ["ethnic_category", "parent_role"]
    assert correction.previous == {"ethnic_category": "A", "parent_role": ""}


@pytest.mark.security_case(29)
def test_a_correction_from_stale_details_is_refused_and_keeps_what_was_typed(
    city, lead_client, carer
):
    assert _post(lead_client, city, carer, 1, given_name="Alexa").status_code == 302
    stale = _post(lead_client, city, carer, 1, preferred_language="Polish")
    assert stale.status_code == 409
    assert "Someone else corrected these details while you were working" in stale.text
    assert 'value="Polish"' in stale.text
    assert 'name="based_on" value="2"' in stale.text
    carer.refresh_from_db()
    assert (carer.given_name, carer.preferred_language, carer.version) == (
        "Alexa",
        "English",
        2,
    )
    assert AuditEvent.objects.filter(action="correct_person_conflict").exists()
    # Sent again from the version now shown, it is saved.
    assert (
        _post(lead_client, city, carer, 2, preferred_language="Polish").status_code
        == 302
    )


def test_a_phone_number_is_corrected_as_its_digits_and_audited_by_name(
    city, lead_client, carer
):
    page = lead_client.get(_url(city, carer)).text
    assert 'value="07700 900026"' in page  # as recorded, shown for reading
    response = _post(lead_client, city, carer, 1, phone="+44 (0)1632 960 001")
    assert response.status_code == 302
    carer.refresh_from_db()
    assert (carer.phone, carer.version) == ("01632960001", 2)
    correction = PersonCorrection.objects.get()
    assert correction.changed_fields == ["phone"]
    assert correction.previous == {"phone": CANARY_PHONE}
    event = AuditEvent.objects.get(action="correct_person")
    assert event.changed_fields == ["phone"]
    assert "01632960001" not in str(event.detail)
    assert CANARY_PHONE not in str(event.detail)
    members = reverse("families:family_members", args=[city.family.pk])
    assert "01632 960001" in lead_client.get(members).text


def test_a_phone_number_can_be_removed(city, lead_client, carer):
    assert _post(lead_client, city, carer, 1, phone="").status_code == 302
    carer.refresh_from_db()
    assert carer.phone == ""
    assert PersonCorrection.objects.get().changed_fields == ["phone"]


def test_a_wrong_phone_number_is_not_a_correction_and_is_kept(city, lead_client, carer):
    response = _post(lead_client, city, carer, 1, phone="07700 9OO 982")
    assert "Enter a phone number, like 07700 900 982" in response.text
    assert 'value="07700 9OO 982"' in response.text
    carer.refresh_from_db()
    assert (carer.phone, carer.version) == (CANARY_PHONE, 1)
    assert not PersonCorrection.objects.exists()


def test_nothing_changed_is_not_a_correction(city, lead_client, carer):
    response = _post(lead_client, city, carer, 1)
    assert "Change at least one detail" in response.text
    assert not PersonCorrection.objects.exists()


def test_an_nhs_number_already_recorded_is_refused(city, lead, client, carer):
    from tests import factories

    other = factories.family(
        by=lead,
        team=city.team_a,
        nhs=factories.nhs_number(),
    ).members.get(role="parent_carer")
    client.force_login(lead)
    response = _post(client, city, carer, 1, nhs_number=other.nhs_number)
    assert "This NHS number is already recorded" in response.text
    carer.refresh_from_db()
    assert carer.version == 1


@pytest.mark.parametrize(
    "persona", ["other_hub_practitioner", "partner_worker_without_consent", "admin"]
)
def test_people_outside_the_scope_cannot_correct(city, client, carer, persona):
    client.force_login(city.personas[persona])
    response = _post(client, city, carer, 1, family_name="Hijacked")
    assert response.status_code in (403, 404)
    assert CANARY_SURNAME not in response.text
    assert Person.objects.get(pk=carer.pk).family_name == CANARY_SURNAME


def test_anonymisation_clears_the_corrections_history(city, lead_client, carer):
    _post(lead_client, city, carer, 1, family_name="Zzcanarysonne")
    retention.anonymise(city.family)
    correction = PersonCorrection.objects.get()
    assert correction.previous == {}
    assert CANARY_SURNAME not in correction.reason


def test_the_subject_access_export_holds_the_corrections(city, lead, client, carer):
    from onestory.accounts.models import Role
    from tests import factories

    client.force_login(lead)
    _post(client, city, carer, 1, family_name="Zzcanarysonne")
    client.force_login(
        factories.staff("Ivy Governance", city.council, Role.INFORMATION_GOVERNANCE)
    )
    export = client.post(reverse("families:subject_access"), {"person": carer.pk}).text
    assert "Corrections to your details" in export
    assert f"Before: Last name: {CANARY_SURNAME}" in export
