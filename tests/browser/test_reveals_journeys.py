"""Branching forms in Chromium: an answer reveals its questions with
JavaScript; without it they all show under their answers, and the form still
saves only the chosen branch. axe checks each page in the JavaScript run."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_journeys import fill_date, sign_in

pytestmark = pytest.mark.browser


def test_the_triage_decision_reveals_each_answers_questions(
    transactional_db, city, lead, journey
):
    from onestory.accounts.models import Role
    from onestory.support.models import TriageDecision
    from tests import factories
    from tests.support.test_triage import _awaiting, _meeting

    chair = factories.staff(
        "Tom Chair",
        city.council,
        Role.TRIAGE_CHAIR,
        teams=[factories.team("Triage", city.council)],
    )
    _awaiting(city, lead)
    meeting = _meeting(chair)
    page = journey.page
    sign_in(journey, chair.email)
    journey.go(reverse("support:decide", args=[meeting.pk, city.family.pk]))

    support = page.get_by_label("Support from us")
    signpost = page.get_by_label("Declined: signposted to another service")
    level = page.get_by_role("group", name="Level of support")
    where = page.get_by_label("Signposted to", exact=True)
    offer = page.get_by_label("What is offered (optional)")
    if journey.javascript:
        expect(level).to_be_hidden()
        expect(where).to_be_hidden()
        support.check()
        expect(level).to_be_visible()
        expect(support).to_have_attribute("aria-controls", "id_outcome_0-reveal")
        # Not allowed on a radio (decision 0024): GOV.UK's is taken off.
        assert support.get_attribute("aria-expanded") is None
        journey.check()
        offer.fill("Circle of Security")  # typed, then another answer chosen
        signpost.check()
        expect(level).to_be_hidden()
        expect(where).to_be_visible()
    else:
        expect(level).to_be_visible()
        expect(where).to_be_visible()
        offer.fill("Circle of Security")
        signpost.check()
    page.get_by_label("We have checked the consent").check()
    where.fill("Home-Start")
    page.get_by_role("button", name="Record decision").click()
    expect(
        page.get_by_role("alert").get_by_text("Enter what was discussed and decided")
    ).to_be_visible()
    expect(where).to_have_value("Home-Start")  # kept, and still shown
    expect(where).to_be_visible()
    journey.check()

    page.get_by_label("What was discussed and decided, and why").fill(
        "Home-Start can visit weekly."
    )
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    decision = TriageDecision.objects.get()
    assert (decision.outcome, decision.signpost_to) == ("signpost", "Home-Start")
    assert (decision.offer, decision.level) == ("", "")  # the other branch


def test_restricting_a_note_reveals_who_else_may_read_it(
    transactional_db, city, lead, journey
):
    from onestory.support.models import Contact

    page = journey.page
    sign_in(journey, lead.email)
    journey.go(reverse("support:record_contact", args=[city.family.pk]))
    restrict = page.get_by_label("Restrict these notes")
    managers = page.get_by_label("Team managers in the family's scope")
    if journey.javascript:
        expect(managers).to_be_hidden()
        restrict.check()
        expect(managers).to_be_visible()
        journey.check()
    else:
        expect(managers).to_be_visible()
        restrict.check()
    managers.check()
    fill_date(page, "Date", "2", "11", "2026")
    page.get_by_label("Time").fill("10:00")
    page.get_by_label("Home visit").check()
    page.get_by_label("Attended", exact=True).check()
    page.get_by_label("Intervention session").check()
    page.get_by_label("Notes (optional)").fill("Worried about the home.")
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_text("Contact recorded.")).to_be_visible()
    journey.check()
    contact = Contact.objects.get(notes="Worried about the home.")
    assert (contact.notes_restricted, contact.notes_roles) == (True, ["team_manager"])
