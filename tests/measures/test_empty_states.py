"""A questionnaire page with nothing to offer says why and links to what
would fill it (the progress page's and sheet's are in test_progress_wording)."""

import html
import re

from django.urls import reverse

from onestory.families.models import PersonRole
from onestory.programmes.models import Programme


def _text(response):
    page = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(page).split())


def test_no_programme_to_start_says_who_adds_one(city, lead, client):
    Programme.objects.update(active=False)
    client.force_login(lead)
    response = client.get(reverse("measures:start_intervention", args=[city.family.pk]))
    text = _text(response)
    assert "No one-to-one programme is set up yet, so there is none to start." in text
    assert "Ask your service administrator to add one." in text
    body = response.content.decode()
    assert reverse("measures:choose_questionnaire", args=[city.family.pk]) in body
    assert "Start programme</button>" not in body
    assert 'class="govuk-inset-text onestory-empty"' in body


def test_programmes_to_start_show_the_form(city, lead, client):
    from tests import factories

    factories.programme("Listening visits test")
    client.force_login(lead)
    body = client.get(
        reverse("measures:start_intervention", args=[city.family.pk])
    ).content.decode()
    assert "Start programme</button>" in body
    assert "No one-to-one programme is set up yet" not in body
    assert "onestory-empty" not in body


def test_no_parent_to_send_a_link_to_says_so_and_links_to_adding_one(
    city, lead, client
):
    city.family.members.filter(role=PersonRole.PARENT_CARER).update(
        role=PersonRole.CHILD
    )
    client.force_login(lead)
    response = client.get(
        reverse("measures:send_questionnaire_link", args=[city.family.pk])
    )
    assert "no parent or carer is recorded in this family" in _text(response)
    body = response.content.decode()
    assert reverse("families:add_member", args=[city.family.pk]) in body
    assert "Send link</button>" not in body
    assert 'class="govuk-inset-text onestory-empty"' in body
