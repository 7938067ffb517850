"""Questionnaires through real pages: a risk answer acted on, and a parent's phone."""

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import Journey
from tests.browser.test_journeys import fill_date, sign_in

pytestmark = pytest.mark.browser


def test_epds_with_a_risk_answer_warns_until_action_is_recorded(
    transactional_db, city, lead, journey
):
    page = journey.page
    sign_in(journey, lead.email)
    journey.go(f"/families/{city.family.pk}/record/questionnaires/")
    page.get_by_role("link", name="Record a questionnaire").click()
    page.get_by_label("Alex Zzcanaryson").check()
    page.get_by_label("Edinburgh Postnatal Depression Scale").check()
    page.get_by_role("button", name="Continue").click()
    journey.check()

    fill_date(page, "Date completed", "20", "11", "2026")
    for item in range(1, 11):
        # EPDS wording is licensed: answers are keyed by printed position.
        position = "Answer 2" if item == 10 else "Answer 1"
        page.get_by_role("group", name=f"Item {item}", exact=True).get_by_label(
            position
        ).check()
    page.get_by_role("button", name="Save questionnaire").click()
    expect(page.get_by_text("A risk question was answered positively")).to_be_visible()
    journey.check()

    page.get_by_role("button", name="Record action taken").click()
    expect(
        page.get_by_role("alert").get_by_text("Enter the action taken").first
    ).to_be_visible()
    journey.check()
    page.get_by_label("What action was taken?").fill(
        "Talked it through; safety plan agreed; GP told."
    )
    page.get_by_role("button", name="Record action taken").click()
    expect(
        page.get_by_text("Action recorded. The warning is now closed.")
    ).to_be_visible()
    journey.check()

    for part in ("", "record/questionnaires/"):
        journey.go(f"/families/{city.family.pk}/{part}")
        assert page.get_by_text("answered a risk question positively").count() == 0


def test_a_core10_with_a_question_left_says_it_will_be_prorated_before_saving(
    transactional_db, city, lead, journey
):
    page = journey.page
    carer = city.family.members.get(role="parent_carer")
    sign_in(journey, lead.email)
    journey.go(f"/families/{city.family.pk}/people/{carer.pk}/questionnaires/CORE10/")
    fill_date(page, "Date completed", "20", "11", "2026")
    for item in range(1, 11):
        if item != 4:
            page.get_by_role("group", name=re.compile(rf"^{item}\. ")).get_by_label(
                "Not at all"
            ).check()
    page.get_by_role("button", name="Save questionnaire").click()
    banner = page.get_by_role("region", name="Important")
    expect(banner.get_by_text("Question 4 is not answered")).to_be_visible()
    expect(
        banner.get_by_text("The score is pro-rated from 9 of 10 answers.")
    ).to_be_visible()
    journey.check()
    banner.get_by_role("link", name="Question 4").click()
    assert page.url.endswith("#id_item_4_0")
    page.get_by_role("button", name="Save questionnaire").click()
    expect(page.get_by_text("CORE-10 recorded.")).to_be_visible()
    expect(
        page.get_by_text(
            "Question 4 is not answered. The score is pro-rated from 9 of 10 answers."
        )
    ).to_be_visible()
    journey.check()


def test_a_parent_completes_a_link_on_a_phone_without_javascript(
    transactional_db, city, lead, browser, live_server
):
    practitioner = Journey(
        browser.new_context().new_page(), live_server.url, javascript=True
    )
    contexts = [practitioner.page.context]
    page = practitioner.page
    sign_in(practitioner, lead.email)
    practitioner.go(f"/families/{city.family.pk}/record/questionnaires/")
    page.get_by_role("link", name="Send a questionnaire link").click()
    practitioner.check()
    page.get_by_label("Alex Zzcanaryson").check()
    page.get_by_label("Patient Health Questionnaire (PHQ-9)").check()
    page.get_by_label("Parent's email address or mobile number").fill("07700 900 982")
    page.get_by_role("button", name="Send link").click()
    expect(page.get_by_text("Link sent.")).to_be_visible()
    link = factories.questionnaire_link_path()

    # axe needs JavaScript: check the parent's pages as a phone with it on; GET
    # does not use up the link.
    checker = Journey(
        _phone(browser, contexts).new_page(),
        live_server.url,
        javascript=True,
    )
    checker.go(link)

    phone_context = _phone(browser, contexts, javascript=False)
    phone = Journey(phone_context.new_page(), live_server.url, javascript=False)
    phone.go(link)
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 375
    for item in range(1, 10):
        group = phone.page.get_by_role("group", name=re.compile(rf"^{item}\. "))
        group.get_by_label("Several days" if item < 9 else "Not at all").check()
    phone.page.get_by_role("button", name="Send my answers").click()
    expect(phone.page.get_by_role("heading", name="Answers sent")).to_be_visible()
    checker.go(urlparse(phone.page.url).path)  # the area's own done page

    practitioner.go(f"/families/{city.family.pk}/")
    expect(page.get_by_text("PHQ-9, completed online")).to_be_visible()
    practitioner.go(f"/families/{city.family.pk}/record/questionnaires/")
    expect(page.get_by_text("completed PHQ-9 online")).to_be_visible()
    page.get_by_role("link", name="Review their answers").click()
    expect(page.get_by_text("8 out of 27")).to_be_visible()
    practitioner.check()
    page.get_by_role("button", name="Mark as reviewed").click()
    page.get_by_role("link", name="See progress on PHQ-9").click()
    expect(page.get_by_role("img", name="PHQ-9 scores over time")).to_be_visible()
    practitioner.check()
    assert practitioner.csp_violations == []
    for context in contexts:  # before the live server stops
        context.close()


def _phone(browser, contexts, *, javascript=True):
    context = browser.new_context(
        viewport={"width": 375, "height": 667}, java_script_enabled=javascript
    )
    contexts.append(context)
    return context
