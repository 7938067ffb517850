"""Recording questionnaires through the pages: scored on the server, audited."""

import html
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from onestory.core.models import AuditEvent
from onestory.measures import services
from onestory.measures.models import QuestionnaireResponse, ReviewPoint
from tests import factories
from tests.conftest import CANARY_SURNAME
from tests.factories import checked_radio


@pytest.fixture
def carer(city):
    return city.family.members.get(role="parent_carer")


def phq9_post(positions, completed=(1, 11, 2026), **extra):
    data = {
        f"item_{n}": str(p) for n, p in enumerate(positions, start=1) if p is not None
    }
    day, month, year = completed
    return (
        data
        | {"completed_on_0": day, "completed_on_1": month, "completed_on_2": year}
        | extra
    )


def record_url(city, carer, code="PHQ9"):
    return reverse(
        "measures:record_questionnaire", args=[city.family.pk, carer.pk, code]
    )


def test_a_phq9_is_scored_on_the_server_and_stored_with_its_answers(
    city, client, lead, carer
):
    client.force_login(lead)
    data = phq9_post(
        [3, 3, 2, 2, 1, 1, 1, 1, 0], total="0", score="0"
    )  # client "scores" ignored
    response = client.post(record_url(city, carer), data)
    saved = QuestionnaireResponse.objects.get()
    assert response["Location"] == reverse(
        "measures:show_questionnaire", args=[city.family.pk, saved.pk]
    )
    assert saved.total == 14
    assert saved.score["band"]["key"] == "moderate"
    assert saved.answers == {
        str(n): p for n, p in enumerate([3, 3, 2, 2, 1, 1, 1, 1, 0], 1)
    }
    assert (saved.instrument_code, saved.instrument_version, saved.has_risk) == (
        "PHQ9",
        1,
        False,
    )
    assert saved.completed_on == date(2026, 11, 1)
    event = AuditEvent.objects.filter(action="record_questionnaire").get()
    assert (event.family_id, event.person_id) == (city.family.pk, carer.pk)


def test_an_incomplete_phq9_is_stored_but_not_scored(city, client, lead, carer):
    client.force_login(lead)
    answers = phq9_post([1, 1, 1, 1, 1, 1, 1, 1, None])
    listed = client.post(record_url(city, carer), answers)
    assert "Question 9 is not answered" in listed.content.decode()
    client.post(record_url(city, carer), answers | {"unanswered_shown": "9"})
    saved = QuestionnaireResponse.objects.get()
    assert saved.total is None
    assert saved.status == "incomplete"
    page = client.get(
        reverse("measures:show_questionnaire", args=[city.family.pk, saved.pk])
    )
    assert "Not answered" in page.content.decode()


def test_an_empty_questionnaire_is_refused_and_nothing_is_lost(
    city, client, lead, carer
):
    client.force_login(lead)
    response = client.post(
        record_url(city, carer), phq9_post([None] * 9, completed=(1, 11, 2099))
    )
    body = response.content.decode()
    assert "Date completed must be today or in the past" in body
    assert 'value="2099"' in body
    assert not QuestionnaireResponse.objects.exists()
    body = client.post(record_url(city, carer), phq9_post([None] * 9)).content.decode()
    assert "Answer at least one question" in body
    assert not QuestionnaireResponse.objects.exists()


def test_an_answer_outside_the_options_is_refused(city, client, lead, carer):
    client.force_login(lead)
    response = client.post(
        record_url(city, carer), phq9_post([7, 0, 0, 0, 0, 0, 0, 0, 0])
    )
    assert "Answer question 1" in response.content.decode()
    assert not QuestionnaireResponse.objects.exists()


def test_risk_answer_warns_everywhere_until_action_is_recorded(
    city, client, lead, carer
):
    client.force_login(lead)
    client.post(record_url(city, carer), phq9_post([0, 0, 0, 0, 0, 0, 0, 0, 1]))
    saved = QuestionnaireResponse.objects.get()
    assert saved.has_risk
    shown = client.get(
        reverse("measures:show_questionnaire", args=[city.family.pk, saved.pk])
    )
    assert "A risk question was answered positively" in shown.content.decode()
    record = client.get(
        reverse("families:family_record", args=[city.family.pk])
    ).content.decode()
    assert "answered a risk question positively" in record
    assert (
        "Risk: action needed"
        in client.get(reverse("families:my_caseload")).content.decode()
    )

    action_url = reverse("measures:record_risk_action", args=[city.family.pk, saved.pk])
    empty = client.post(action_url, {"action_taken": "  "})
    assert "Enter the action taken" in empty.content.decode()
    client.post(
        action_url, {"action_taken": "Spoke to her today; GP appointment made."}
    )

    record = client.get(
        reverse("families:family_record", args=[city.family.pk])
    ).content.decode()
    assert "answered a risk question positively" not in record
    assert (
        "Risk: action needed"
        not in client.get(reverse("families:my_caseload")).content.decode()
    )
    assert AuditEvent.objects.filter(action="record_risk_action").count() == 1


def test_a_missing_risk_item_is_not_answered_never_no_risk(city, lead, carer):
    from onestory.measures import instruments

    with_blank = services.record_response(
        person=carer,
        instrument=instruments.get("PHQ9"),
        answers={str(n): 0 for n in range(1, 9)},
        completed_on=date(2026, 11, 1),
        by=lead,
    )
    assert with_blank.score["risk"] == {"9": "not_answered"}
    assert not with_blank.has_risk


def test_amending_keeps_the_original_and_is_audited(city, client, lead, carer):
    client.force_login(lead)
    client.post(record_url(city, carer), phq9_post([1] * 9))
    original = QuestionnaireResponse.objects.get()
    amend_url = reverse(
        "measures:amend_questionnaire", args=[city.family.pk, original.pk]
    )
    page = client.get(amend_url).content.decode()
    assert [checked_radio(page, f"item_{n}") for n in range(1, 10)] == ["1"] * 9

    response = client.post(
        amend_url, phq9_post([2] + [1] * 8, reason="Item 1 keyed wrongly")
    )

    amended = QuestionnaireResponse.objects.current().get()
    assert response.status_code == 302
    assert amended.supersedes == original
    assert amended.total == 10
    original.refresh_from_db()
    assert original.total == 9  # kept as it was
    event = AuditEvent.objects.get(action="amend_questionnaire")
    assert event.changed_fields == ["item 1"]
    again = client.post(amend_url, phq9_post([3] * 9, reason="Second go"))
    assert "already been changed" in again.content.decode()


def test_amendment_needs_a_reason(city, client, lead, carer):
    client.force_login(lead)
    client.post(record_url(city, carer), phq9_post([1] * 9))
    original = QuestionnaireResponse.objects.get()
    body = client.post(
        reverse("measures:amend_questionnaire", args=[city.family.pk, original.pk]),
        phq9_post([2] * 9),
    ).content.decode()
    assert "Enter why you are changing the questionnaire" in body


def test_an_intervention_schedules_review_points(city, client, lead, carer):
    client.force_login(lead)
    client.post(
        reverse("measures:start_intervention", args=[city.family.pk]),
        {
            "person": carer.pk,
            "programme": factories.programme().pk,
            "deliverer": lead.pk,
            "started_on_0": "2",
            "started_on_1": "11",
            "started_on_2": "2026",
            "planned_weeks": "12",
            "instrument_codes": ["PHQ9", "GAD7"],
        },
    )
    points = ReviewPoint.objects.order_by("due_on", "instrument_code")
    assert [(p.kind, p.instrument_code, str(p.due_on)) for p in points] == [
        ("baseline", "GAD7", "2026-11-02"),
        ("baseline", "PHQ9", "2026-11-02"),
        ("midpoint", "GAD7", "2026-12-14"),
        ("midpoint", "PHQ9", "2026-12-14"),
        ("end", "GAD7", "2027-01-25"),
        ("end", "PHQ9", "2027-01-25"),
    ]


def test_due_and_overdue_reviews_show_on_the_caseload(city, client, lead, carer):
    today = timezone.localdate()
    from onestory.measures import instruments  # noqa: F401

    services.start_intervention(
        person=carer,
        programme=factories.programme(),
        deliverer=lead,
        started_on=today - timedelta(days=3),
        planned_weeks=12,
        instrument_codes=["PHQ9"],
        by=lead,
    )
    client.force_login(lead)
    assert (
        "Review overdue" in client.get(reverse("families:my_caseload")).content.decode()
    )
    baseline = ReviewPoint.objects.get(kind="baseline")
    client.post(
        record_url(city, carer),
        phq9_post(
            [1] * 9,
            completed=(today.day, today.month, today.year),
            review_point=baseline.pk,
        ),
    )
    baseline.refresh_from_db()
    assert baseline.completed_by is not None
    assert (
        "Review overdue"
        not in client.get(reverse("families:my_caseload")).content.decode()
    )


def test_progress_shows_a_chart_a_table_and_a_summary_a_parent_understands(
    city, client, lead, carer
):
    from onestory.measures import instruments

    phq9 = instruments.get("PHQ9")
    for when, positions in [
        (date(2026, 8, 1), [2, 2, 2, 2, 2, 2, 2, 1, 0]),
        (date(2026, 11, 1), [1, 1, 1, 1, 1, 1, 1, 1, 0]),
    ]:
        services.record_response(
            person=carer,
            instrument=phq9,
            answers={str(n): p for n, p in enumerate(positions, 1)},
            completed_on=when,
            by=lead,
        )
    client.force_login(lead)
    body = client.get(
        reverse("measures:show_progress", args=[city.family.pk, carer.pk, "PHQ9"])
    ).content.decode()
    assert "<svg" in body
    assert body.count('class="onestory-chart__line"') == 1  # the two scores joined
    assert "<table" in body
    assert "from 15 to 8" in body
    assert "reliable improvement" in body
    sheet = client.get(
        reverse("measures:print_progress_sheet", args=[city.family.pk])
    ).content.decode()
    assert "Your progress" in sheet
    assert "<svg" in sheet


def test_goal_progress_compares_each_goal_with_itself_not_the_mean(
    city, client, lead, carer
):
    from onestory.measures import instruments

    gbo = instruments.get("GBO")
    # Goal 1: 2 then 8; goal 2 added at the second rating, 6 then 2 at the
    # third. The mean (2, 4.5, 5) would read as a rise of 3 over different goals.
    for when, answers in [
        (date(2026, 8, 1), {"1": 2}),
        (date(2026, 9, 1), {"1": 3, "2": 6}),
        (date(2026, 11, 1), {"1": 8, "2": 2}),
    ]:
        services.record_response(
            person=carer, instrument=gbo, answers=answers, completed_on=when, by=lead
        )
    client.force_login(lead)
    body = html.unescape(
        client.get(
            reverse("measures:show_progress", args=[city.family.pk, carer.pk, "GBO"])
        ).content.decode()
    )
    assert (
        f"{carer.given_name}'s GBO: goal 1 went from 2 to 8: a reliable improvement"
        in body
    )
    assert "goal 2 went from 6 to 2: a reliable change for the worse" in body
    assert "1 of 2 goals went up by 3 points or more, and 1 went down" in body
    assert "average goal score went from" not in body.lower()


@pytest.mark.parametrize(
    "url_name",
    [
        "choose_questionnaire",
        "start_intervention",
        "print_progress_sheet",
        "send_questionnaire_link",
    ],
)
def test_questionnaire_pages_are_refused_outside_the_scope(
    city, other_hub_practitioner_client, url_name
):
    response = other_hub_practitioner_client.get(
        reverse(f"measures:{url_name}", args=[city.family.pk])
    )
    assert response.status_code == 404
    assert CANARY_SURNAME not in response.content.decode()


def test_a_response_cannot_be_reached_through_another_familys_address(
    city, client, lead, carer
):
    from onestory.measures import instruments
    from tests import factories

    other = factories.family(by=lead, team=city.team_a, family_name="Otherfamily")
    response = services.record_response(
        person=carer,
        instrument=instruments.get("GAD7"),
        answers={"1": 1},
        completed_on=date(2026, 11, 1),
        by=lead,
    )
    client.force_login(lead)
    url = reverse("measures:show_questionnaire", args=[other.pk, response.pk])
    assert client.get(url).status_code == 404


def test_commissioners_cannot_record_questionnaires(city, commissioner_client, carer):
    assert commissioner_client.get(record_url(city, carer)).status_code == 403


def test_the_record_groups_review_points_by_programme(city, client, lead, carer):
    import re

    today = timezone.localdate()
    for name, started in (("Listening visits test", 40), ("Parent and baby test", 3)):
        services.start_intervention(
            person=carer,
            programme=factories.programme(name),
            deliverer=lead,
            started_on=today - timedelta(days=started),
            planned_weeks=12,
            instrument_codes=["PHQ9"],
            by=lead,
        )
    client.force_login(lead)
    body = client.get(
        reverse("families:family_questionnaires", args=[city.family.pk])
    ).text
    captions = re.findall(r'caption--s">([^<]*) with ', body)
    # The latest programme first, each with its own three review points.
    assert captions[-2:] == ["Parent and baby test", "Listening visits test"]
    tables = body.split('caption--s">Parent and baby test with ')[1]
    first, second = tables.split('caption--s">Listening visits test with ')
    assert first.count("PHQ-9</td>") == 3
    assert second.split("</table>")[0].count("PHQ-9</td>") == 3
