"""Nothing crosses local authorities (security case 4): the tenant comes only
from the signed-in user's organisation, never from the request. On PostgreSQL
row-level security enforces it again (tests/core/test_row_level_security.py);
these check the first wall, on both databases."""

import pytest
from django.urls import reverse

from onestory.accounts.models import Role
from onestory.families.models import ConsentPurpose, Family
from onestory.support.models import Involvement, InvolvementRole
from tests import factories
from tests.conftest import CANARY_SURNAME
from tests.conftest import ELSEWHERE_SURNAME as ELSEWHERE

pytestmark = pytest.mark.security_case(4)


def elsewhere_nhs(elsewhere):
    return elsewhere.family.members.get(role="parent_carer").nhs_number


def test_a_family_in_another_local_authority_is_not_found_whatever_the_request_says(
    lead, elsewhere, client
):
    family = elsewhere.family
    client.force_login(lead)
    url = reverse("families:family_record", args=[family.pk])
    for response in [
        client.get(url),
        client.get(url, headers={"X-Tenant": "Moorland"}),
        client.get(url, {"tenant": str(family.local_authority_id)}),
    ]:
        assert response.status_code == 404
        assert ELSEWHERE not in response.text
    assert url not in factories.search(client, name=ELSEWHERE).text


def test_the_family_is_theirs_and_not_ours_the_other_way_round(city, elsewhere, client):
    practitioner, family = elsewhere.practitioner, elsewhere.family
    client.force_login(practitioner)
    own = client.get(reverse("families:family_record", args=[family.pk]))
    assert own.status_code == 200
    canary = client.get(reverse("families:family_record", args=[city.family.pk]))
    assert canary.status_code == 404
    assert CANARY_SURNAME not in client.get(reverse("families:my_caseload")).text


def test_consent_cannot_name_an_organisation_in_another_local_authority(
    city, lead, elsewhere, client
):
    council = elsewhere.council
    client.force_login(lead)
    url = reverse("families:record_consent", args=[city.family.pk])
    assert "Moorland Council" not in client.get(url).text
    response = client.post(
        url,
        {
            "organisation": council.pk,
            "purpose": "share_record",
            "given_by": city.family.members.get(role="parent_carer").pk,
            "given_on_0": "1",
            "given_on_1": "11",
            "given_on_2": "2026",
        },
    )
    assert "There is a problem" in response.text
    assert not city.family.consents.filter(organisation=council).exists()


def test_even_a_consent_recorded_across_areas_opens_nothing(city, lead, elsewhere):
    """Defence in depth: were such a consent and involvement in the database,
    the scope still stops at the local authority."""
    practitioner, family = elsewhere.practitioner, elsewhere.family
    Involvement.objects.create(
        episode=city.family.episodes.get(),
        practitioner=practitioner,
        role=InvolvementRole.CONTRIBUTOR,
    )
    city.family.consents.create(
        organisation=practitioner.organisation,
        purpose=ConsentPurpose.SHARE_RECORD,
        given_by=city.family.members.get(role="parent_carer"),
        given_on="2026-10-01",
        recorded_by=lead,
        recorded_by_organisation=city.council,
    )
    assert list(Family.objects.visible_to(practitioner)) == [family]


def test_emergency_access_does_not_reach_another_local_authority(
    elsewhere, lead_client
):
    response = lead_client.post(
        reverse("families:emergency_access"),
        {
            "nhs_number": elsewhere_nhs(elsewhere),
            "reason": "Urgent welfare concern reported out of hours by police",
            "understood": "on",
        },
    )
    assert "No one in onestory has this NHS number" in response.text
    assert ELSEWHERE not in response.text


def test_subject_access_does_not_reach_another_local_authority(city, elsewhere, client):
    ig_lead = factories.staff(
        "Ivy Governance", city.council, Role.INFORMATION_GOVERNANCE
    )
    client.force_login(ig_lead)
    response = client.post(
        reverse("families:subject_access"), {"nhs_number": elsewhere_nhs(elsewhere)}
    )
    assert "No one in onestory matches" in response.text
    assert ELSEWHERE not in response.text


def test_the_audit_trail_search_stays_in_the_local_authority(city, elsewhere, client):
    practitioner, family = elsewhere.practitioner, elsewhere.family
    ig_lead = factories.staff(
        "Ivy Governance", city.council, Role.INFORMATION_GOVERNANCE
    )
    client.force_login(ig_lead)
    response = client.get(
        reverse("core:audit_trail"), {"family": str(family.pk), "format": "csv"}
    )
    assert practitioner.email not in response.text
    assert str(family.pk) not in response.text


def test_an_nhs_number_held_in_another_local_authority_neither_blocks_nor_leaks(
    city, lead, elsewhere, client
):
    """A family that moved is recorded afresh; nothing says they are known
    elsewhere."""
    from tests.families.test_views import valid_family_post

    client.force_login(lead)
    number = elsewhere_nhs(elsewhere)
    response = client.post(
        reverse("families:add_family"),
        valid_family_post(city, carer_nhs_number=number, carer_family_name="Mover"),
    )
    assert response.status_code == 302
    assert Family.objects.filter(members__nhs_number=number).count() == 2


def test_the_area_querysets_hold_only_the_users_own_area(
    city, lead, partner_worker_with_consent, elsewhere
):
    """The tenant filters views use (`in_area_of`, `in_organisation_of`)."""
    from onestory.accounts.models import Hub, User
    from onestory.programmes.models import Feedback, FeedbackSource

    here = Hub.objects.create(name="Harbour hub", organisation=city.council)
    there = Hub.objects.create(name="Moorland hub", organisation=elsewhere.council)
    for hub in (here, there):
        Feedback.objects.create(hub=hub, text="It helped", source=FeedbackSource.VERBAL)
    assert list(Hub.objects.in_area_of(lead)) == [here]
    assert {f.hub for f in Feedback.objects.in_area_of(lead)} == {here}
    staff = set(User.objects.in_area_of(lead))
    assert lead in staff
    assert partner_worker_with_consent in staff  # same area
    assert elsewhere.practitioner not in staff
    own = set(User.objects.in_organisation_of(lead))
    assert lead in own
    assert partner_worker_with_consent not in own
