"""The practitioner's progress page speaks about the person, by first name and
real scores; the family's sheet speaks to the family. Both from the same rules.
An empty progress page says why and links to what would fill it."""

import html
import re
from datetime import date

import pytest
from django.urls import reverse

from onestory.measures import instruments, services
from tests.measures.instruments.helpers import answers_with_total


@pytest.fixture
def carer(city):
    return city.family.members.get(role="parent_carer")


def _text(response):
    page = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(page).split())


def _record(carer, lead, code, *totals):
    instrument = instruments.get(code)
    for month, total in enumerate(totals, start=8):
        services.record_response(
            person=carer,
            instrument=instrument,
            answers=answers_with_total(instrument, total),
            completed_on=date(2026, month, 1),
            by=lead,
        )


def _progress(client, city, person, code):
    return client.get(
        reverse("measures:show_progress", args=[city.family.pk, person.pk, code])
    )


def test_the_practitioner_reads_the_persons_scores_and_the_family_reads_theirs(
    city, client, lead, carer
):
    _record(carer, lead, "PHQ9", 17, 8)
    client.force_login(lead)
    page = _text(_progress(client, city, carer, "PHQ9"))
    assert (
        f"{carer.given_name}'s PHQ-9 score went from 17 to 8: a reliable "
        "improvement. It is now below the clinical range." in page
    )
    assert "Your score" not in page
    assert "onestory-empty" not in _progress(client, city, carer, "PHQ9").text
    sheet = _text(
        client.get(reverse("measures:print_progress_sheet", args=[city.family.pk]))
    )
    assert (
        "Your score went from 17 to 8: a reliable improvement. "
        "It is now below the clinical range." in sheet
    )
    assert f"{carer.given_name}'s PHQ-9 score" not in sheet


def test_one_score_is_read_as_the_persons_first(city, client, lead, carer):
    _record(carer, lead, "GAD7", 12)
    client.force_login(lead)
    page = _text(_progress(client, city, carer, "GAD7"))
    assert f"{carer.given_name}'s first GAD-7 score is 12 out of 21: moderate." in page
    record = reverse(
        "measures:record_questionnaire", args=[city.family.pk, carer.pk, "GAD7"]
    )
    assert record in _progress(client, city, carer, "GAD7").content.decode()


def test_an_empty_progress_page_says_why_and_links_to_recording_one(
    city, client, lead, carer
):
    client.force_login(lead)
    response = _progress(client, city, carer, "EPDS")
    page = _text(response)
    assert (
        f"There is no progress to show yet: no EPDS has been scored for "
        f"{carer.full_name}." in page
    )
    body = response.content.decode()
    record = reverse(
        "measures:record_questionnaire", args=[city.family.pk, carer.pk, "EPDS"]
    )
    assert f'href="{record}">Record EPDS for {carer.full_name}</a>' in body
    send = reverse("measures:send_questionnaire_link", args=[city.family.pk])
    assert f'href="{send}"' in body
    assert "onestory-chart" not in body
    assert 'class="govuk-inset-text onestory-empty"' in body


def test_an_empty_progress_page_counts_what_could_not_be_scored(
    city, client, lead, carer
):
    services.record_response(
        person=carer,
        instrument=instruments.get("PHQ9"),
        answers={"1": 1},
        completed_on=date(2026, 11, 1),
        by=lead,
    )
    client.force_login(lead)
    page = _text(_progress(client, city, carer, "PHQ9"))
    assert (
        "1 recorded could not be scored because questions were left unanswered" in page
    )


def test_a_measure_completed_with_a_practitioner_offers_no_link(
    city, client, lead, carer
):
    client.force_login(lead)
    body = _progress(client, city, carer, "STAR").content.decode()
    assert "There is no progress to show yet" in body
    send = reverse("measures:send_questionnaire_link", args=[city.family.pk])
    assert send not in body


def test_an_empty_progress_sheet_says_why_and_links_to_what_would_fill_it(
    city, client, lead
):
    client.force_login(lead)
    response = client.get(
        reverse("measures:print_progress_sheet", args=[city.family.pk])
    )
    assert "No questionnaires have been scored yet, so there is no progress" in (
        _text(response)
    )
    body = response.content.decode()
    assert '<div class="onestory-empty"' in body
    for name in ("choose_questionnaire", "send_questionnaire_link"):
        assert reverse(f"measures:{name}", args=[city.family.pk]) in body
