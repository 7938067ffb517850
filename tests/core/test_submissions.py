"""A form is acted on once (security case 31): two identical posts, one after
the other or at the same moment, make one request for support, and the second
goes where the first went."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from onestory.core.models import AuditEvent, Submission
from onestory.support.models import SupportRequest
from tests import factories
from tests.support.test_triage import _request

pytestmark = pytest.mark.security_case(31)


def _token(client, url) -> str:
    page = client.get(url).text
    return re.search(r'name="submission" value="([0-9a-f]{32})"', page)[1]


def test_the_form_carries_a_one_time_token(city, lead_client):
    url = reverse("support:make_request", args=[city.family.pk])
    assert _token(lead_client, url) != _token(lead_client, url)


def test_the_same_form_sent_twice_makes_one_request(city, lead_client):
    token = _token(lead_client, reverse("support:make_request", args=[city.family.pk]))
    first = _request(lead_client, city, submission=token)
    second = _request(lead_client, city, submission=token)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert SupportRequest.objects.filter(family=city.family).count() == 1
    assert AuditEvent.objects.filter(action="make_request").count() == 1
    page = lead_client.get(second["Location"]).text
    assert "That was sent twice. It has been done once." in page


def test_a_form_with_errors_can_be_corrected_and_sent_with_the_same_token(
    city, lead_client
):
    token = _token(lead_client, reverse("support:make_request", args=[city.family.pk]))
    wrong = _request(lead_client, city, submission=token, reason="")
    assert wrong.status_code == 200
    assert "There is a problem" in wrong.text
    right = _request(lead_client, city, submission=token)
    assert right.status_code == 302
    assert SupportRequest.objects.filter(family=city.family).count() == 1


def test_new_forms_are_not_duplicates(city, lead_client):
    url = reverse("support:make_request", args=[city.family.pk])
    _request(lead_client, city, submission=_token(lead_client, url))
    _request(lead_client, city, submission=_token(lead_client, url))
    assert SupportRequest.objects.filter(family=city.family).count() == 2


def test_another_users_token_is_theirs(city, same_team_practitioner, lead_client):
    """The key includes who posted: a token seen by someone else claims nothing
    of theirs."""
    token = _token(lead_client, reverse("support:make_request", args=[city.family.pk]))
    _request(lead_client, city, submission=token)
    colleague = Client()
    colleague.force_login(same_team_practitioner)
    assert _request(colleague, city, submission=token).status_code == 302
    assert SupportRequest.objects.filter(family=city.family).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_identical_posts_at_the_same_moment_make_one_request(city, lead):
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(lead)
    token = _token(clients[0], reverse("support:make_request", args=[city.family.pk]))
    responses = []
    factories.at_once(
        lambda client: responses.append(_request(client, city, submission=token)),
        clients,
    )
    assert [r.status_code for r in responses] == [302, 302]
    assert responses[0]["Location"] == responses[1]["Location"]
    assert SupportRequest.objects.filter(family=city.family).count() == 1
    assert Submission.objects.count() == 1


def test_old_tokens_are_cleared_by_the_retention_run(city, lead_client):
    import io
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    Submission.objects.create(
        key="old", submitted_at=timezone.now() - timedelta(days=2)
    )
    Submission.objects.create(key="new")
    call_command("retention", apply=True, stdout=io.StringIO())
    assert list(Submission.objects.values_list("key", flat=True)) == ["new"]
