"""Arranging the next contact with the family (which they see coming up in
their own view), and cancelling it."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from onestory.core.models import AuditEvent
from onestory.support.models import ArrangedContact
from tests import factories


def _post(client, city, lead, when, **extra):
    local = timezone.localtime(when)
    return client.post(
        reverse("support:arrange_contact", args=[city.family.pk]),
        {
            "starts_on_0": local.day,
            "starts_on_1": local.month,
            "starts_on_2": local.year,
            "time": f"{local:%H:%M}",
            "contact_type": "home_visit",
            "practitioner": lead.pk,
            **extra,
        },
    )


def test_the_lead_arranges_the_next_contact_and_cancels_it(city, lead, lead_client):
    when = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    response = _post(lead_client, city, lead, when)
    assert response.status_code == 302
    arranged = ArrangedContact.objects.get()
    assert arranged.starts_at == when
    assert arranged.arranged_by == lead
    page = lead_client.get(
        reverse("support:arrange_contact", args=[city.family.pk])
    ).content.decode()
    assert "Arranged already" in page
    assert "Home visit, with Lena Lead" in page
    lead_client.post(
        reverse("support:cancel_arranged_contact", args=[city.family.pk, arranged.pk])
    )
    arranged.refresh_from_db()
    assert arranged.cancelled_at is not None
    actions = AuditEvent.objects.filter(object_id=str(arranged.pk)).order_by("sequence")
    assert [e.action for e in actions] == ["arrange_contact", "cancel_arranged_contact"]


def test_a_contact_in_the_past_is_refused_keeping_what_was_typed(
    city, lead, lead_client
):
    response = _post(lead_client, city, lead, timezone.now() - timedelta(hours=2))
    body = response.content.decode()
    assert response.status_code == 200
    assert "An arranged contact must be in the future" in body
    assert factories.checked_radio(body, "contact_type") == "home_visit"
    assert not ArrangedContact.objects.exists()


def test_outside_the_scope_nothing_is_arranged(
    city, lead, other_hub_practitioner_client
):
    response = _post(
        other_hub_practitioner_client, city, lead, timezone.now() + timedelta(days=2)
    )
    assert response.status_code == 404
    assert not ArrangedContact.objects.exists()
