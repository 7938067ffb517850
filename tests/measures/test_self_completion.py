"""Parents complete questionnaires through a single-use, expiring link."""

import html
import re
from unittest.mock import patch

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from onestory.core.models import AuditEvent
from onestory.measures import instruments, links
from onestory.measures.links import hash_token
from onestory.measures.models import (
    LicensedText,
    QuestionnaireResponse,
    SelfCompletionLink,
)
from onestory.notify.models import Message
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
        {"person": carer.pk, "instrument": "GAD7", "address": "parent@example.org"},
    )
    assert response.status_code == 302
    client.logout()
    return factories.questionnaire_link_path()


def gad7_answers(positions=(1, 1, 1, 1, 1, 1, 1)):
    return {f"item_{n}": str(p) for n, p in enumerate(positions, start=1)}


def test_sending_queues_an_email_with_the_link_and_keeps_only_a_hash(city, sent, lead):
    token = sent.split("/")[2]
    link = SelfCompletionLink.objects.get()
    assert link.token_hash == hash_token(token)
    assert token not in str(list(SelfCompletionLink.objects.values()))
    assert link.sent_to == "p•••@example.org"
    message = Message.objects.get()
    assert (message.kind, message.channel, message.to) == (
        "questionnaire_link",
        "email",
        "parent@example.org",
    )
    assert message.reference == f"questionnaire-link:{link.pk}"
    assert message.queued_by == lead
    carer = link.person
    expires = timezone.localtime(link.expires_at)
    assert message.personalisation == {
        "link": f"http://testserver/q/{token}/",
        "first_name": carer.given_name,
        "area": "Tamarside",
        "practitioner": "Lena Lead",
        "expires_on": f"{expires.day} {expires:%B %Y}",
    }
    assert [c for c in CANARIES if c in str(message.personalisation)] == []
    sent_event = AuditEvent.objects.get(action="send_questionnaire_link")
    assert sent_event.detail == {"instrument": "GAD7", "channel": "email"}
    queued = AuditEvent.objects.get(action="queue_message")
    assert (queued.family_id, queued.person_id) == (city.family.pk, carer.pk)
    assert mail.outbox == []  # nothing goes by SMTP in the request


def test_the_link_is_queued_with_the_link_or_not_at_all(city, client, lead):
    """The message is written in the link's transaction: a link refused after
    the message was queued leaves neither."""
    carer = city.family.members.get(role="parent_carer")
    with (
        patch.object(
            links.audit, "record", side_effect=[None, RuntimeError("audit down")]
        ),
        pytest.raises(RuntimeError),
    ):
        links.send_questionnaire_link(
            person=carer,
            instrument=instruments.get("GAD7"),
            address="parent@example.org",
            link_base="http://testserver/q/",
            by=lead,
        )
    assert not SelfCompletionLink.objects.exists()
    assert not Message.objects.exists()


def test_a_link_goes_by_text_message_to_a_uk_mobile_and_works(city, client, lead):
    carer = city.family.members.get(role="parent_carer")
    client.force_login(lead)
    response = client.post(
        reverse("measures:send_questionnaire_link", args=[city.family.pk]),
        {"person": carer.pk, "instrument": "GAD7", "address": "+44 7700 900 982"},
    )
    assert response.status_code == 302
    client.logout()
    message = Message.objects.get()
    assert (message.channel, message.to, message.to_hint) == (
        "sms",
        "07700900982",
        "•••982",
    )
    link = SelfCompletionLink.objects.get()
    assert link.sent_to == "•••982"
    assert "07700900982" not in str(list(SelfCompletionLink.objects.values()))
    assert AuditEvent.objects.get(action="send_questionnaire_link").detail == {
        "instrument": "GAD7",
        "channel": "sms",
    }

    path = factories.questionnaire_link_path()
    assert "Feeling nervous, anxious" in client.get(path).text
    assert client.post(path, gad7_answers()).status_code == 302
    assert (
        SelfCompletionLink.objects.get().response == QuestionnaireResponse.objects.get()
    )


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", "Enter the parent's email address or mobile number"),
        (
            "parent@example",
            "Enter an email address in the correct format, like name@example.org",
        ),
        ("01632 960 001", "Enter a UK mobile number, like 07700 900 982"),
        (
            "ask at the hub",
            "Enter the parent's email address, like name@example.org, or a UK "
            "mobile number, like 07700 900 982",
        ),
    ],
)
def test_what_is_neither_an_email_nor_a_uk_mobile_is_refused_keeping_what_was_typed(
    city, client, lead, typed, error
):
    carer = city.family.members.get(role="parent_carer")
    client.force_login(lead)
    response = client.post(
        reverse("measures:send_questionnaire_link", args=[city.family.pk]),
        {"person": carer.pk, "instrument": "GAD7", "address": typed},
    )
    assert response.status_code == 200
    body = html.unescape(response.text)
    assert body.count(error) == 2  # in the error summary and at the field
    assert '<a href="#id_address">' in body
    field = re.search(r'<input[^>]*name="address"[^>]*>', body)[0]
    assert (f'value="{typed}"' in field) == bool(typed)
    assert checked_radio(response.text, "instrument") == "GAD7"
    assert not SelfCompletionLink.objects.exists()
    assert not Message.objects.exists()


SELF_COMPLETION = sorted(
    i.code for i in instruments.all_instruments() if i.self_completion
)
TOKEN_ONLY = re.compile(r"http://testserver/q/[A-Za-z0-9_-]{43}/")


@pytest.mark.parametrize("code", SELF_COMPLETION)
def test_no_message_names_the_questionnaire(city, admin, lead, code):
    """Whichever questionnaire is sent, the message names none: not its name,
    its short name nor its code, and its link is only the token."""
    instrument = instruments.get(code)
    if instrument.self_completion_refusal():  # licensed wording: load it
        LicensedText.objects.create(
            instrument_code=code,
            instrument_version=instrument.version,
            payload=factories.licensed_text_payload(code),
            loaded_by=admin,
        )
    carer = city.family.members.get(role="parent_carer")
    links.send_questionnaire_link(
        person=carer,
        instrument=instrument,
        address="parent@example.org",
        link_base="http://testserver/q/",
        by=lead,
    )
    personalisation = Message.objects.get().personalisation
    assert TOKEN_ONLY.fullmatch(personalisation.pop("link"))
    assert personalisation["area"] == "Tamarside"  # the rest is there, and
    words = " ".join(personalisation.values()).lower()
    for name in (instrument.name, instrument.short_name, instrument.code):
        assert name.lower() not in words


def test_licensed_measures_cannot_be_sent(city, client, lead):
    carer = city.family.members.get(role="parent_carer")
    client.force_login(lead)
    response = client.post(
        reverse("measures:send_questionnaire_link", args=[city.family.pk]),
        {"person": carer.pk, "instrument": "EPDS", "address": "parent@example.org"},
    )
    assert "Select a questionnaire from the list" in response.content.decode()
    assert not Message.objects.exists()


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
        {"person": carer.pk, "instrument": "EPDS", "address": "parent@example.org"},
    )
    assert response.status_code == 302
    client.logout()
    path = factories.questionnaire_link_path()

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
            address="parent@example.org",
            link_base="http://testserver/q/",
            by=lead,
        )
    assert not SelfCompletionLink.objects.exists()
    assert not Message.objects.exists()


def test_a_link_whose_wording_was_withdrawn_shows_no_bare_item_numbers(
    city, admin, client, lead
):
    _load_epds_wording(admin)
    carer = city.family.members.get(role="parent_carer")
    client.force_login(lead)
    client.post(
        reverse("measures:send_questionnaire_link", args=[city.family.pk]),
        {"person": carer.pk, "instrument": "EPDS", "address": "parent@example.org"},
    )
    client.logout()
    path = factories.questionnaire_link_path()
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
