"""The family record: a summary first, then one page per section (issue 15)."""

import re
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from onestory.families.record_views import SECTIONS
from tests import factories
from tests.conftest import CANARY_STORY

# The ids the one-page record's sections had: old links such as ".../#consent"
# land on the summary's link to that page.
OLD_ANCHORS = (
    "members",
    "story",
    "consent",
    "team",
    "questionnaires",
    "courses",
    "timeline",
)


def _page(client, city, name):
    response = client.get(reverse(f"families:{name}", args=[city.family.pk]))
    assert response.status_code == 200
    return response.text


def _summary_row(body, key):
    row = body.split(f'<dt class="govuk-summary-list__key">{key}</dt>')[1]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row.split("</div>")[0]))
    return text.replace(" ,", ",").strip()


def test_the_summary_says_level_lead_team_and_that_nothing_is_due(city, client, lead):
    client.force_login(lead)
    body = _page(client, city, "family_record")
    assert _summary_row(body, "Level of support").startswith("Universal")
    assert _summary_row(body, "Lead practitioner").startswith(
        "Lena Lead, Test City Council"
    )
    team = _summary_row(body, "Team")
    assert team.startswith("Held by Hub A team (Test City Council)")
    assert "Pat Partner, Test Harbour Families: contributor" in team
    assert _summary_row(body, "What needs doing next") == "Nothing due"
    assert _summary_row(body, "Risk") == "No risk answers waiting for an action"
    # It says what is at the top, and no more: the story is on its own page.
    assert CANARY_STORY not in body
    assert body.index("Level of support") < body.index("What needs doing next")


def test_the_summary_lists_what_needs_doing_next_soonest_first(city, client, lead):
    from onestory.measures import services as measures
    from onestory.support import plans, triage

    today = timezone.localdate()
    plans.add_plan_action(
        family=city.family,
        description="Call the GP",
        owner="Lena",
        due_on=today - timedelta(days=3),
        by=lead,
    )
    triage.make_request(
        episode=city.family.episodes.get(),
        to_organisation=lead.organisation,
        requested_level="targeted",
        source="hub_team",
        urgency="routine",
        reason="More help",
        received_on=today - timedelta(days=1),
        by=lead,
    )
    measures.start_intervention(
        person=city.family.members.get(role="parent_carer"),
        programme=factories.programme("Listening visits test"),
        deliverer=lead,
        started_on=today + timedelta(days=5),
        planned_weeks=12,
        instrument_codes=["PHQ9"],
        by=lead,
    )
    client.force_login(lead)
    steps = _summary_row(_page(client, city, "family_record"), "What needs doing next")
    plan = steps.index("Plan action for Lena: Call the GP")
    request = steps.index("Step-up for targeted support to Test City Council")
    review = steps.index("Baseline PHQ-9 for Alex Zzcanaryson (Listening visits test)")
    assert plan < request < review
    due = (today - timedelta(days=3)).strftime("%-d %B %Y")
    assert f"Call the GP, due {due} Overdue" in steps
    assert "Nothing due" not in steps


def test_an_open_risk_answer_is_on_the_summary_and_the_questionnaires(
    city, client, lead
):
    from onestory.measures import instruments
    from onestory.measures import services as measures

    measures.record_response(
        person=city.family.members.get(role="parent_carer"),
        instrument=instruments.get("PHQ9"),
        answers={str(n): 2 for n in range(1, 10)},
        completed_on=date(2026, 11, 20),
        by=lead,
    )
    client.force_login(lead)
    warning = "answered a risk question positively on PHQ-9 (20 November 2026)"
    summary = _page(client, city, "family_record")
    assert warning in summary
    assert _summary_row(summary, "Risk").startswith(
        "1 risk answer with no action recorded"
    )
    assert warning in _page(client, city, "family_questionnaires")


def test_the_sub_navigation_marks_the_page_and_keeps_the_old_anchors(
    city, client, lead
):
    client.force_login(lead)
    for section in SECTIONS:
        body = _page(client, city, section.name)
        nav = body.split('<nav class="moj-sub-navigation"')[1].split("</nav>")[0]
        assert nav.count("<a ") == len(SECTIONS)
        (current,) = re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]*)</a>', nav)
        assert current == section.label
        anchors = re.findall(r'id="([a-z]+)"', nav)
        if section.name == "family_record":
            assert set(OLD_ANCHORS) <= set(anchors)
        else:
            assert anchors == []
            assert f"<title>{section.label} \u2013 " in body


def test_each_page_shows_its_own_part(city, client, lead):
    client.force_login(lead)
    members = _page(client, city, "family_members")
    assert "999 000 0026" in members  # the carer's NHS number, in a summary card
    assert "Robin Zzcanaryson" in members
    assert CANARY_STORY in _page(client, city, "family_story")
    consent = _page(client, city, "family_consent")
    assert (
        "Test Harbour Families: share the family record to coordinate support"
        in consent
    )
    assert "No contacts are recorded in this episode yet." in _page(
        client, city, "family_support"
    )
    assert "No questionnaires are recorded for this family yet." in _page(
        client, city, "family_questionnaires"
    )
    assert "Book a place on a course" in _page(client, city, "family_courses")
    assert "Family added" in _page(client, city, "family_timeline")


def test_an_action_returns_to_its_page_of_the_record(city, client, lead):
    client.force_login(lead)
    story = client.post(
        reverse("families:edit_story", args=[city.family.pk]),
        {"text": "Second", "based_on": 1},
    )
    assert story["Location"] == reverse("families:family_story", args=[city.family.pk])
    consent = city.family.consents.get()
    withdrawn = client.post(
        reverse("families:withdraw_consent", args=[city.family.pk, consent.pk]),
        {"note": ""},
    )
    assert withdrawn["Location"] == reverse(
        "families:family_consent", args=[city.family.pk]
    )
    assert "Withdrawn" in client.get(withdrawn["Location"]).text
