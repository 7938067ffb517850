"""A refused plan edit leaves a trace in the audit chain, as a refused story edit
does (security R29, case 29)."""

import pytest
from django.urls import reverse

from onestory.core.models import AuditEvent


@pytest.mark.security_case(29)
def test_a_stale_plan_edit_is_refused_and_audited(city, lead, client):
    client.force_login(lead)
    url = reverse("support:update_plan", args=[city.family.pk])
    client.post(url, {"strengths": "First", "based_on": "1"})
    assert not AuditEvent.objects.filter(outcome="refused").exists()
    response = client.post(url, {"strengths": "Second", "based_on": "1"})
    assert response.status_code == 409
    assert (
        "Someone saved the plan while you were editing it" in response.content.decode()
    )
    refused = AuditEvent.objects.get(action="update_plan_conflict", outcome="refused")
    assert refused.actor == lead
    assert refused.family_id == city.family.pk
    assert refused.detail == {"refused": "changed_meanwhile"}
    assert AuditEvent.objects.filter(action="update_plan").count() == 1
