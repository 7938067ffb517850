"""Scaffold, don't pass around: a specialist advises and the lead stays."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from onestory.accounts.models import Role
from onestory.core.models import AuditEvent
from onestory.support.models import Consultation
from tests import factories
from tests.conftest import CANARIES


@pytest.fixture
def specialist(city):
    return factories.staff(
        "Priya Specialist",
        city.council,
        Role.SPECIALIST,
        teams=[factories.team("PMH", city.council)],
    )


def _ask(client, city, specialist):
    return client.post(
        reverse("support:ask_consultation", args=[city.family.pk]),
        {
            "specialist": specialist.pk,
            "question": "Low mood and bonding: what next?",
            "tried": "Weekly visits",
            "urgency": "soon",
        },
    )


def _leads(city):
    return list(
        city.family.episodes.get()
        .involvements.filter(role="lead", ended_at=None)
        .values_list("practitioner__full_name", flat=True)
    )


def test_asking_a_specialist_keeps_the_lead_and_lets_them_read_the_record(
    city, client, lead, specialist
):
    client.force_login(specialist)
    record = reverse("families:family_record", args=[city.family.pk])
    assert client.get(record).status_code == 404  # not before they are asked

    client.force_login(lead)
    response = _ask(client, city, specialist)
    consultation = Consultation.objects.get()
    assert response["Location"] == reverse(
        "support:show_consultation", args=[city.family.pk, consultation.pk]
    )
    assert _leads(city) == ["Lena Lead"]
    assert (
        city.family.episodes.get()
        .involvements.filter(practitioner=specialist, role="consulted")
        .exists()
    )

    client.force_login(specialist)
    inbox = client.get(reverse("support:consultation_inbox")).content.decode()
    assert "Alex Zzcanaryson" in inbox
    assert "Awaiting reply" in inbox
    assert client.get(record).status_code == 200


def test_the_specialist_answers_with_advice_actions_and_a_review_date(
    city, client, lead, specialist
):
    client.force_login(lead)
    _ask(client, city, specialist)
    consultation = Consultation.objects.get()
    client.force_login(specialist)
    url = reverse("support:show_consultation", args=[city.family.pk, consultation.pk])
    review = timezone.localdate() + timedelta(days=28)
    empty = client.post(url, {"advice": "", "action_1": "Try VIG"}).content.decode()
    assert "Enter your advice" in empty
    assert "Select who will do action 1" in empty
    response = client.post(
        url,
        {
            "advice": "Offer VIG; keep weekly visits.",
            "review_on_0": review.day,
            "review_on_1": review.month,
            "review_on_2": review.year,
            "action_1": "Offer VIG sessions",
            "owner_1": lead.pk,
            "due_1_0": review.day,
            "due_1_1": review.month,
            "due_1_2": review.year,
        },
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.is_answered
    assert consultation.review_on == review
    assert [a.owner for a in consultation.actions.all()] == [lead]
    assert _leads(city) == ["Lena Lead"]
    assert AuditEvent.objects.filter(action="answer_consultation").count() == 1
    client.force_login(lead)
    body = client.get(url).content.decode()
    assert "Offer VIG; keep weekly visits." in body


def test_only_the_specialist_asked_can_answer(city, client, lead, specialist):
    client.force_login(lead)
    _ask(client, city, specialist)
    consultation = Consultation.objects.get()
    url = reverse("support:show_consultation", args=[city.family.pk, consultation.pk])
    assert client.post(url, {"advice": "I am not the specialist"}).status_code == 403
    consultation.refresh_from_db()
    assert not consultation.is_answered


def test_specialists_of_an_organisation_without_consent_are_not_offered(
    city, client, lead
):
    outsider = factories.staff("Nick Nhs Specialist", city.trust, Role.SPECIALIST)
    client.force_login(lead)
    page = client.get(
        reverse("support:ask_consultation", args=[city.family.pk])
    ).content.decode()
    assert "Nick Nhs Specialist" not in page
    response = _ask(client, city, outsider)
    assert "Select a specialist from the list" in response.content.decode()
    assert not Consultation.objects.exists()


def test_the_inbox_is_for_specialists_and_leaks_nothing_to_others(
    city, client, lead, specialist
):
    client.force_login(lead)
    assert client.get(reverse("support:consultation_inbox")).status_code == 403
    _ask(client, city, specialist)
    other = factories.staff("Other Specialist", city.council, Role.SPECIALIST)
    client.force_login(other)
    body = client.get(reverse("support:consultation_inbox")).content.decode()
    assert [c for c in CANARIES if c in body] == []
    assert "No one has asked you" in body


def test_a_consultation_cannot_be_reached_through_another_family(
    city, client, lead, specialist
):
    client.force_login(lead)
    _ask(client, city, specialist)
    consultation = Consultation.objects.get()
    other = factories.family(by=lead, team=city.team_a, family_name="Otherfamily")
    url = reverse("support:show_consultation", args=[other.pk, consultation.pk])
    assert client.get(url).status_code == 404


def test_the_consultation_shows_on_the_record_and_timeline(
    city, client, lead, specialist
):
    client.force_login(lead)
    _ask(client, city, specialist)
    timeline = client.get(reverse("families:family_timeline", args=[city.family.pk]))
    assert "Consultation asked of Priya Specialist" in timeline.text
    support = client.get(reverse("families:family_support", args=[city.family.pk]))
    assert "Awaiting reply" in support.text
    summary = client.get(reverse("families:family_record", args=[city.family.pk]))
    assert "Advice asked of Priya Specialist: awaiting reply</a>, asked" in summary.text


def test_the_inbox_runs_a_fixed_number_of_queries(city, client, lead, specialist):
    from tests.pages import queries_for

    client.force_login(lead)
    _ask(client, city, specialist)

    def count():
        return queries_for(client, reverse("support:consultation_inbox"))

    client.force_login(specialist)
    client.get(reverse("support:consultation_inbox"))
    small = count()
    for number in range(6):
        family = factories.family(
            by=lead, team=city.team_a, family_name=f"Grower{number}"
        )
        client.force_login(lead)
        client.post(
            reverse("support:ask_consultation", args=[family.pk]),
            {"specialist": specialist.pk, "question": "Q", "urgency": "routine"},
        )
    client.force_login(specialist)
    client.get(reverse("support:consultation_inbox"))
    assert count() == small


def test_the_record_says_specialist_help_came_by_consultation_not_transfer(
    city, client, lead, specialist
):
    from onestory.support import services

    client.force_login(lead)
    _ask(client, city, specialist)
    record = reverse("families:family_support", args=[city.family.pk])
    body = client.get(record).content.decode()
    assert "own practitioner 1 of 1 time, not by passing them on" in body

    services.transfer_lead(
        episode=city.family.episodes.get(),
        to=specialist,
        reason="Needs a specialist lead now",
        expected_lead_id=lead.pk,
        by=lead,
    )
    client.force_login(specialist)
    body = client.get(record).content.decode()
    assert "own practitioner 1 of 2 times, not by passing them on" in body


def test_asking_says_which_consent_would_let_a_specialist_be_asked(city, client, lead):
    factories.staff("Nick Nhs Specialist", city.trust, Role.SPECIALIST)
    factories.staff("Nora Nhs Specialist", city.trust, Role.SPECIALIST)
    client.force_login(lead)
    page = client.get(reverse("support:ask_consultation", args=[city.family.pk])).text
    assert "There is no specialist you can ask yet" in page
    assert (
        "The family's consent to share with these organisations is not recorded" in page
    )
    assert f"{city.trust.name} (2 specialists)" in page
    link = reverse("families:record_consent", args=[city.family.pk])
    assert f'{link}?organisation={city.trust.pk}"' in page
    consent = client.get(link, {"organisation": city.trust.pk}).text
    assert f'<option value="{city.trust.pk}" selected>' in consent


def test_no_consent_is_asked_for_when_a_specialist_can_be_asked(
    city, client, lead, specialist
):
    client.force_login(lead)
    page = client.get(reverse("support:ask_consultation", args=[city.family.pk])).text
    assert specialist.full_name in page
    assert "consent to share with these organisations" not in page
