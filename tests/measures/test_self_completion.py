"""Parents complete questionnaires through a single-use, expiring link."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from onestory.core.models import AuditEvent
from onestory.measures import instruments, links
from onestory.measures.links import hash_token
from onestory.measures.models import (
    LicensedText,
    QuestionnaireResponse,
    SelfCompletionLink,
)
from tests import factories
from tests.conftest import CANARIES
from tests.factories import checked_radio


@pytest.fixture
def sent(city, client, lead):
    """Send a GAD-7 link as the lead practitioner; return the link's path."""
    carer = city.family.members.get(role="parent_carer")
    client.force_login(lead)
    response = client.post(
        reverse("measures:send_questionnaire_link", args=[city.family.pk]),
        {"person": carer.pk, "instrument": "GAD7", "email": "parent@example.org"},
    )
    assert response.status_code == 302
    client.logout()
    return re.search(r"http://testserver(/q/[^/\s]+/)", mail.outbox[0].body).group(1)


def gad7_answers(positions=(1, 1, 1, 1, 1, 1, 1)):
    return {f"item_{n}": str(p) for n, p in enumerate(positions, start=1)}


def test_sending_emails_a_link_and_keeps_only_a_hash(city, sent):
    token = sent.split("/")[2]
    link = SelfCompletionLink.objects.get()
    assert link.token_hash == hash_token(token)
    assert token not in str(list(SelfCompletionLink.objects.values()))
    assert link.sent_to == "p***@example.org"
    message = mail.outbox[0]
    assert message.to == ["parent@example.org"]
    assert [c for c in CANARIES if c in message.body] == []
    assert AuditEvent.objects.filter(action="send_questionnaire_link").count() == 1


def test_a_parent_completes_the_questionnaire_without_signing_in(city, client, sent):
    page = client.get(sent)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Feeling nervous, anxious" in body  # GAD-7 wording is public domain
    assert [c for c in CANARIES if c in body] == []

    done = client.post(sent, gad7_answers())

    assert done["Location"] == reverse(
        "measures:questionnaire_done", args=[city.council.local_authority_id]
    )
    saved = QuestionnaireResponse.objects.get()
    assert (saved.mode, saved.total, saved.recorded_by) == ("self_completion", 7, None)
    assert SelfCompletionLink.objects.get().response == saved
    event = AuditEvent.objects.get(action="complete_questionnaire_link")
    assert event.actor is None
    assert event.family_id == city.family.pk


def test_the_parent_must_answer_every_question(city, client, sent):
    body = client.post(sent, {"item_1": "2"}).content.decode()
    assert "Answer question 2" in body
    assert checked_radio(body, "item_1") == "2"  # what was answered is kept
    assert checked_radio(body, "item_2") is None
    assert not QuestionnaireResponse.objects.exists()
    assert SelfCompletionLink.objects.get().used_at is None  # still usable


def test_a_used_link_is_refused(city, client, sent):
    client.post(sent, gad7_answers())
    again = client.get(sent)
    assert again.status_code == 404
    assert "This link cannot be used" in again.content.decode()
    assert client.post(sent, gad7_answers((3,) * 7)).status_code == 404
    assert QuestionnaireResponse.objects.count() == 1
    assert AuditEvent.objects.filter(
        action="questionnaire_link_refused", detail__reason="used"
    ).exists()


def test_an_expired_link_is_refused(city, client, sent):
    with time_machine.travel(timedelta(days=8)):
        response = client.get(sent)
    assert response.status_code == 404
    assert [c for c in CANARIES if c in response.content.decode()] == []


def test_a_guessed_link_is_refused_and_reveals_nothing(city, client, sent):
    response = client.get("/q/" + "A" * 43 + "/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "This link cannot be used" in body
    assert [c for c in CANARIES if c in body] == []


def test_another_familys_link_answers_only_for_that_family(city, client, sent, lead):
    from tests import factories

    other = factories.family(by=lead, team=city.team_a, family_name="Otherfamily")
    client.post(sent, gad7_answers())
    assert QuestionnaireResponse.objects.get().person.family == city.family
    assert not QuestionnaireResponse.objects.filter(person__family=other).exists()


def test_guessing_is_rate_limited(city, client, db):
    from django.core.cache import cache

    cache.clear()
    statuses = [client.get(f"/q/guess{n}/").status_code for n in range(32)]
    assert statuses[:30] == [404] * 30
    assert statuses[-1] == 429
    cache.clear()


def test_the_practitioner_sees_the_answers_and_marks_them_reviewed(
    city, client, sent, lead
):
    client.post(sent, gad7_answers())
    saved = QuestionnaireResponse.objects.get()
    client.force_login(lead)
    summary = client.get(reverse("families:family_record", args=[city.family.pk]))
    assert "GAD-7, completed online</a>, completed" in summary.text
    record = client.get(
        reverse("families:family_questionnaires", args=[city.family.pk])
    ).content.decode()
    assert "completed GAD-7 online" in record
    client.post(
        reverse("measures:mark_questionnaire_reviewed", args=[city.family.pk, saved.pk])
    )
    saved.refresh_from_db()
    assert saved.reviewed_by == lead


def test_licensed_measures_cannot_be_sent(city, client, lead):
    carer = city.family.members.get(role="parent_carer")
    client.force_login(lead)
    response = client.post(
        reverse("measures:send_questionnaire_link", args=[city.family.pk]),
        {"person": carer.pk, "instrument": "EPDS", "email": "parent@example.org"},
    )
    assert "Select a questionnaire from the list" in response.content.decode()
    assert mail.outbox == []


def _load_epds_wording(admin):
    """Licensed EPDS wording, as an administrator would load it."""
    epds = instruments.get("EPDS")
    payload = factories.licensed_text_payload("EPDS")
    LicensedText.objects.create(
        instrument_code="EPDS",
        instrument_version=epds.version,
        payload=payload,
        loaded_by=admin,
    )


def test_measures_without_wording_are_listed_with_the_reason(city, client, lead):
    client.force_login(lead)
    page = client.get(
        reverse("measures:send_questionnaire_link", args=[city.family.pk])
    ).content.decode()
    offered = re.findall(r'<input[^>]*name="instrument"[^>]*value="([^"]+)"', page)
    assert set(offered) == {"PHQ9", "GAD7", "CORE10", "GBO"}
    assert (
        "Edinburgh Postnatal Depression Scale (EPDS): EPDS&#x27;s wording is licensed"
        in page
    )
    assert "Outcomes Star" in page
    assert "Outcomes Star is completed together with a practitioner" in page


def test_epds_with_its_wording_loaded_is_sent_and_completed(city, admin, client, lead):
    _load_epds_wording(admin)
    carer = city.family.members.get(role="parent_carer")
    client.force_login(lead)
    page = client.get(
        reverse("measures:send_questionnaire_link", args=[city.family.pk])
    ).content.decode()
    assert 'value="EPDS"' in page
    response = client.post(
        reverse("measures:send_questionnaire_link", args=[city.family.pk]),
        {"person": carer.pk, "instrument": "EPDS", "email": "parent@example.org"},
    )
    assert response.status_code == 302
    client.logout()
    path = re.search(r"http://testserver(/q/[^/\s]+/)", mail.outbox[0].body).group(1)

    form = client.get(path).content.decode()
    assert "Licensed wording 1" in form
    assert "Licensed option 2" in form
    done = client.post(path, {f"item_{n}": "0" for n in range(1, 11)})

    assert done["Location"] == reverse(
        "measures:questionnaire_done", args=[city.council.local_authority_id]
    )
    saved = QuestionnaireResponse.objects.get()
    assert (saved.instrument_code, saved.mode) == ("EPDS", "self_completion")


def test_the_service_refuses_a_measure_without_wording(city, lead):
    carer = city.family.members.get(role="parent_carer")
    with pytest.raises(links.NotForSelfCompletion, match="has not been loaded"):
        links.send_questionnaire_link(
            person=carer,
            instrument=instruments.get("SWEMWBS"),
            email="parent@example.org",
            link_base="http://testserver/q/",
            by=lead,
        )
    assert not SelfCompletionLink.objects.exists()
    assert mail.outbox == []


def test_a_link_whose_wording_was_withdrawn_shows_no_bare_item_numbers(
    city, admin, client, lead
):
    _load_epds_wording(admin)
    carer = city.family.members.get(role="parent_carer")
    client.force_login(lead)
    client.post(
        reverse("measures:send_questionnaire_link", args=[city.family.pk]),
        {"person": carer.pk, "instrument": "EPDS", "email": "parent@example.org"},
    )
    client.logout()
    path = re.search(r"http://testserver(/q/[^/\s]+/)", mail.outbox[0].body).group(1)
    LicensedText.objects.all().delete()

    page = client.get(path)

    assert page.status_code == 404
    assert "This link cannot be used" in page.content.decode()
    assert "Item 1" not in page.content.decode()
    assert not QuestionnaireResponse.objects.exists()


@pytest.mark.security_case(15)
def test_behind_the_proxy_one_guesser_does_not_block_other_parents(
    city, client, sent, settings
):
    """Every parent arrives from the TLS proxy: the guessing limit falls on the
    guesser's own address, and a parent's own link still opens."""
    from ipaddress import ip_network

    from django.test import Client

    settings.TRUSTED_PROXIES = (ip_network("10.0.0.5/32"),)
    proxy = {"REMOTE_ADDR": "10.0.0.5"}
    guesser = Client(HTTP_X_FORWARDED_FOR="203.0.113.66", **proxy)
    statuses = [guesser.get(f"/q/guess{n}/").status_code for n in range(31)]
    assert statuses == [404] * 30 + [429]
    refused = guesser.get(sent)  # even a real link, from the guesser: refused
    assert refused.status_code == 429
    assert "This link cannot be used" in refused.text
    parent = Client(HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    page = parent.get(sent)
    assert page.status_code == 200
    assert "Feeling nervous, anxious" in page.text


def test_one_link_takes_a_limited_number_of_requests(city, client, sent):
    statuses = [client.get(sent).status_code for _ in range(31)]
    assert statuses == [200] * 30 + [429]
    # Another address is held back on this link too: the limit is the link's.
    other = client.__class__(REMOTE_ADDR="192.0.2.77")
    assert other.get(sent).status_code == 429


def test_the_timeline_writes_the_instrument_as_people_do(city, client, sent, lead):
    client.post(sent, gad7_answers())
    client.force_login(lead)
    record = client.get(reverse("families:family_timeline", args=[city.family.pk])).text
    person = QuestionnaireResponse.objects.get().person.full_name
    assert f"GAD-7 completed online by {person}" in record
    # Only addresses carry the stored code.
    assert ">GAD7" not in record
    assert " GAD7" not in record
