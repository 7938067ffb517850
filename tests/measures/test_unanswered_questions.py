"""The practitioner's form lists unanswered questions and says, by the
instrument's own rule, whether the score will be pro-rated or cannot be given;
saving again confirms. The saved questionnaire says the same."""

import re

import pytest
from django.urls import reverse

from onestory.measures.models import QuestionnaireResponse


@pytest.fixture
def carer(city):
    return city.family.members.get(role="parent_carer")


def _post(answered, unanswered=(), shown=None):
    data = {f"item_{key}": "1" for key in answered if key not in unanswered}
    data |= {"completed_on_0": "1", "completed_on_1": "11", "completed_on_2": "2026"}
    if shown is not None:
        data["unanswered_shown"] = shown
    return data


def _url(city, carer, code):
    return reverse(
        "measures:record_questionnaire", args=[city.family.pk, carer.pk, code]
    )


def _text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_phq9_with_two_unanswered_lists_them_and_says_no_score(
    city, client, lead, carer
):
    client.force_login(lead)
    nine = [str(n) for n in range(1, 10)]
    page = client.post(_url(city, carer, "PHQ9"), _post(nine, ("3", "7")))
    assert page.status_code == 200
    assert not QuestionnaireResponse.objects.exists()
    body = page.content.decode()
    assert "There is a problem" not in body  # a confirmation, not an error
    assert "<title>Error" not in body
    [banner] = re.findall(
        r'<ul class="govuk-list[^"]*" id="unanswered-questions">(.*?)</ul>', body, re.S
    )
    assert re.findall(r'href="#([^"]+)">([^<]+)</a>', banner) == [
        ("id_item_3_0", "Question 3"),
        ("id_item_7_0", "Question 7"),
    ]
    # Each link's target is the question's first answer on the page.
    assert 'id="id_item_3_0"' in body
    assert 'id="id_item_7_0"' in body
    text = _text(body)
    assert "Questions 3 and 7 are not answered" in text
    assert "A score cannot be given unless every question is answered." in text
    assert 'name="unanswered_shown" value="3,7"' in body
    assert "Answer them below, or save again to leave them unanswered." in text
    # What was typed is kept.
    [first] = re.findall(r'<input type="radio" name="item_1" value="1"[^>]*>', body)
    assert "checked" in first

    saved = client.post(_url(city, carer, "PHQ9"), _post(nine, ("3", "7"), shown="3,7"))
    assert saved.status_code == 302
    response = QuestionnaireResponse.objects.get()
    assert response.status == "incomplete"
    shown = _text(client.get(saved["Location"]).content.decode())
    assert (
        "Not answered Questions 3 and 7 are not answered. "
        "A score cannot be given unless every question is answered." in shown
    )


def test_a_core10_with_one_unanswered_will_be_prorated(city, client, lead, carer):
    client.force_login(lead)
    ten = [str(n) for n in range(1, 11)]
    page = client.post(_url(city, carer, "CORE10"), _post(ten, ("4",)))
    text = _text(page.content.decode())
    assert "Question 4 is not answered" in text
    assert "The score is pro-rated from 9 of 10 answers." in text
    assert "Answer it below, or save again to leave it unanswered." in text
    assert not QuestionnaireResponse.objects.exists()

    saved = client.post(_url(city, carer, "CORE10"), _post(ten, ("4",), shown="4"))
    assert QuestionnaireResponse.objects.get().status == "prorated"
    shown = _text(client.get(saved["Location"]).content.decode())
    assert (
        "Question 4 is not answered. The score is pro-rated from 9 of 10 answers."
        in shown
    )


def test_a_core10_with_two_unanswered_cannot_be_scored(city, client, lead, carer):
    client.force_login(lead)
    ten = [str(n) for n in range(1, 11)]
    page = client.post(_url(city, carer, "CORE10"), _post(ten, ("4", "5")))
    text = _text(page.content.decode())
    assert "Questions 4 and 5 are not answered" in text
    assert "A score cannot be given with fewer than 9 answers." in text


def test_confirming_covers_only_the_questions_shown(city, client, lead, carer):
    """Leaving another question unanswered after the list was shown shows the
    list again; answering some of them saves."""
    client.force_login(lead)
    nine = [str(n) for n in range(1, 10)]
    again = client.post(_url(city, carer, "PHQ9"), _post(nine, ("3", "5"), shown="3"))
    assert again.status_code == 200
    assert "Questions 3 and 5 are not answered" in _text(again.content.decode())
    assert not QuestionnaireResponse.objects.exists()
    fewer = client.post(_url(city, carer, "PHQ9"), _post(nine, ("3",), shown="3,7"))
    assert fewer.status_code == 302
    saved = QuestionnaireResponse.objects.get()
    assert "3" not in saved.answers or saved.answers["3"] is None
    assert saved.answers["7"] == 1


def test_a_complete_form_saves_at_once_and_says_nothing_about_unanswered(
    city, client, lead, carer
):
    client.force_login(lead)
    saved = client.post(
        _url(city, carer, "PHQ9"), _post([str(n) for n in range(1, 10)])
    )
    assert saved.status_code == 302
    assert "Not answered" not in client.get(saved["Location"]).content.decode()


def test_changing_answers_lists_unanswered_questions_too(city, client, lead, carer):
    client.force_login(lead)
    nine = [str(n) for n in range(1, 10)]
    client.post(_url(city, carer, "PHQ9"), _post(nine))
    original = QuestionnaireResponse.objects.get()
    url = reverse("measures:amend_questionnaire", args=[city.family.pk, original.pk])
    change = _post(nine, ("9",)) | {"reason": "Keyed in wrongly"}
    page = client.post(url, change)
    assert page.status_code == 200
    text = _text(page.content.decode())
    assert "Question 9 is not answered" in text
    assert 'href="#id_item_9_0"' in page.content.decode()
    assert QuestionnaireResponse.objects.count() == 1
    assert client.post(url, change | {"unanswered_shown": "9"}).status_code == 302
    assert QuestionnaireResponse.objects.count() == 2


def test_readings_link_to_their_input(city, client, lead, carer):
    """A number question (ORS line) links to its own input, not a radio."""
    client.force_login(lead)
    data = _post(["1", "2", "3"])
    page = client.post(_url(city, carer, "ORS"), data)
    body = page.content.decode()
    assert 'href="#id_item_4">Line 4</a>' in body
    assert "Line 4 is not answered" in _text(body)
