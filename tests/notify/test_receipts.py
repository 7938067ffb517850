"""GOV.UK Notify's delivery receipts: JSON posted with a bearer token."""

import json

import pytest
from django.urls import reverse

from onestory.notify import services, tasks
from onestory.notify.models import Message, MessageStatus
from tests.notify.test_services import Scripted, queue

pytestmark = pytest.mark.django_db
TOKEN = "test-callback-token-0123456789"


@pytest.fixture(autouse=True)
def _callback_token(settings):
    settings.NOTIFY_CALLBACK_TOKEN = TOKEN


@pytest.fixture
def sent():
    message = queue()
    tasks.drain(sender=Scripted())
    message.refresh_from_db()
    return message


def post(client, receipt, authorization=f"Bearer {TOKEN}"):
    headers = {"Authorization": authorization} if authorization else {}
    return client.post(
        reverse("notify:delivery_receipt"),
        data=json.dumps(receipt),
        content_type="application/json",
        headers=headers,
    )


def _receipt(message, status="delivered"):
    return {
        "id": str(message.notify_id),
        "reference": str(message.pk),
        "to": "07700900123",
        "status": status,
        "notification_type": "sms",
    }


def test_a_receipt_with_the_token_records_delivery(client, sent):
    response = post(client, _receipt(sent))
    assert response.status_code == 200
    sent.refresh_from_db()
    assert sent.status == MessageStatus.DELIVERED
    assert sent.notify_status == "delivered"
    assert sent.to == ""
    assert sent.finished_at is not None


def test_a_failure_receipt_records_not_delivered_and_a_repeat_changes_nothing(
    client, sent
):
    assert post(client, _receipt(sent, "permanent-failure")).status_code == 200
    assert post(client, _receipt(sent, "delivered")).status_code == 200
    sent.refresh_from_db()
    assert sent.status == MessageStatus.NOT_DELIVERED
    assert sent.notify_status == "permanent-failure"
    assert sent.events.filter(status=MessageStatus.NOT_DELIVERED).count() == 1


def test_a_receipt_that_is_not_final_is_noted_only(client, sent):
    assert post(client, _receipt(sent, "sending")).status_code == 200
    sent.refresh_from_db()
    assert (sent.status, sent.notify_status) == (MessageStatus.SENT, "sending")


@pytest.mark.parametrize(
    "authorization",
    ["", "Bearer wrong-token", f"Basic {TOKEN}", TOKEN, f"Bearer {TOKEN}x"],
)
def test_a_receipt_without_the_token_is_refused_and_changes_nothing(
    client, sent, authorization
):
    response = post(client, _receipt(sent), authorization=authorization)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    sent.refresh_from_db()
    assert sent.status == MessageStatus.SENT


def test_with_no_token_set_every_receipt_is_refused(client, sent, settings):
    settings.NOTIFY_CALLBACK_TOKEN = ""
    assert post(client, _receipt(sent), authorization="Bearer ").status_code == 401


def test_a_receipt_for_an_unknown_message_is_404(client, sent):
    receipt = {**_receipt(sent), "id": "0b1f2d0e-0000-4000-8000-000000000000"}
    receipt["reference"] = "c9a4e5f2-0000-4000-8000-000000000000"
    assert post(client, receipt).status_code == 404
    assert post(client, {**receipt, "reference": "", "id": ""}).status_code == 404
    assert Message.objects.get().status == MessageStatus.SENT


def test_a_receipt_found_by_notifys_id_alone(client, sent):
    receipt = {**_receipt(sent), "reference": None}
    assert post(client, receipt).status_code == 200
    sent.refresh_from_db()
    assert sent.status == MessageStatus.DELIVERED


@pytest.mark.parametrize("body", ["not json", "[1, 2]", '{"id": "x"}'])
def test_a_body_that_is_not_a_receipt_is_400(client, sent, body):
    response = client.post(
        reverse("notify:delivery_receipt"),
        data=body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 400


def test_only_json_passes_the_form_bodies_rule_and_only_here(client, sent):
    as_text = client.post(
        reverse("notify:delivery_receipt"),
        data=json.dumps(_receipt(sent)),
        content_type="text/plain",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert as_text.status_code == 400
    elsewhere = client.post(
        reverse("accounts:sign_in"), data="{}", content_type="application/json"
    )
    assert elsewhere.status_code == 400
    assert b"was not a form" in elsewhere.content


def test_the_callback_takes_no_get(client):
    assert client.get(reverse("notify:delivery_receipt")).status_code == 405


def test_a_receipt_with_csrf_checks_on_still_arrives(sent):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert post(strict, _receipt(sent)).status_code == 200


def test_record_receipt_refuses_an_unknown_message():
    with pytest.raises(services.UnknownMessage):
        services.record_receipt(reference="", notify_id="", status="delivered")
