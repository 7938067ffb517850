"""Who can see our record: each organisation and why, consent withdrawn per
organisation (taking effect as a staff withdrawal does), and who has opened
the record, by role and organisation, from the audit trail."""

from django.urls import reverse

from onestory.core.models import AuditEvent
from onestory.families.models import Consent
from tests.parents.conftest import sign_in


def test_an_adult_sees_each_organisation_and_why(client, city, family_personas):
    sign_in(client, family_personas.this_parent)
    page = client.get("/your-family/who-can-see/").content.decode()
    assert "Test City Council" in page
    assert "It supports your family" in page
    assert "Test Harbour Families" in page
    assert "You agreed it may see your family&#x27;s record" in page


def test_who_has_opened_the_record_by_role_and_organisation(
    client, city, family_personas, lead_client
):
    lead_client.get(reverse("families:family_record", args=[city.family.pk]))
    client.logout()
    sign_in(client, family_personas.other_parent)
    client.get("/your-family/story/")
    sign_in(client, family_personas.this_parent)
    page = client.get("/your-family/who-can-see/").content.decode()
    assert "A practitioner at Test City Council" in page
    assert "Opened the family record" in page
    assert "Jordan, in your family" in page
    assert "Lena Lead" not in page.split("Who has opened your record")[1]


def test_withdrawing_a_consent_ends_that_organisations_access_at_once(
    client,
    city,
    lead,
    partner_worker_with_consent,
    family_personas,
    partner_worker_with_consent_client,
):
    record = reverse("families:family_record", args=[city.family.pk])
    assert partner_worker_with_consent_client.get(record).status_code == 200
    partner_worker_with_consent_client.logout()
    consent = Consent.objects.get(family=city.family, organisation=city.partner)
    adult = family_personas.this_parent
    sign_in(client, adult)
    url = reverse("parents:withdraw_consent", args=[consent.pk])
    page = client.get(url).content.decode()
    assert "Stop sharing with Test Harbour Families?" in page
    response = client.post(url, {"note": "We would rather not"})
    assert response["Location"] == "/your-family/who-can-see/"
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert consent.withdrawn_by is None
    assert consent.withdrawn_by_person == adult.person
    event = AuditEvent.objects.get(action="withdraw_consent")
    assert event.detail["family_member"] == str(adult.person.pk)
    assert client.get(url).status_code == 404  # no longer standing
    client.cookies.clear()
    client.force_login(partner_worker_with_consent)
    assert client.get(record).status_code == 404
    client.force_login(lead)
    staff_page = client.get(
        reverse("families:family_consent", args=[city.family.pk])
    ).content.decode()
    assert "by Alex Zzcanaryson in the family's own view" in staff_page


def test_another_familys_consent_cannot_be_withdrawn(client, city, family_personas):
    consent = Consent.objects.get(family=city.family, organisation=city.partner)
    sign_in(client, family_personas.another_familys_parent)
    url = reverse("parents:withdraw_consent", args=[consent.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"note": ""}).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
