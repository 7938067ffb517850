"""axe-core on every page a practitioner can reach about a family, with data on
it; and every page reflows at 320 pixels, with JavaScript and without (the
Journey checks both)."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from onestory.families.record_views import SECTIONS
from tests import factories
from tests.browser.conftest import Journey
from tests.browser.test_journeys import sign_in

pytestmark = pytest.mark.browser


def _again_without_javascript(browser, context, live_server, pages):
    """The same pages for the same person, signed in already, with JavaScript
    off (the service navigation then shows its whole list): each reflows."""
    plain = browser.new_context(
        java_script_enabled=False, storage_state=context.storage_state()
    )
    journey = Journey(plain.new_page(), live_server.url, javascript=False)
    for path in pages:
        journey.go(path)
    assert journey.reflowed == [live_server.url + path for path in pages]
    plain.close()


@pytest.fixture
def busy_family(city, lead):
    """The canary family with a questionnaire, an intervention, a contact and a plan."""
    from onestory.measures import instruments
    from onestory.measures import services as measures
    from onestory.support import plans
    from onestory.support import services as support

    carer = city.family.members.get(role="parent_carer")
    episode = city.family.episodes.get()
    measures.start_intervention(
        person=carer,
        programme=factories.programme(),
        deliverer=lead,
        started_on=date(2026, 10, 1),
        planned_weeks=12,
        instrument_codes=["PHQ9"],
        by=lead,
    )
    response = measures.record_response(
        person=carer,
        instrument=instruments.get("SDQ_P4_17"),
        answers={str(n): 1 for n in range(1, 26)},
        completed_on=date(2026, 11, 1),
        by=lead,
    )
    support.record_contact(
        episode=episode,
        occurred_at=datetime(2026, 11, 2, 10, tzinfo=UTC),
        contact_type="hub",
        practitioner=lead,
        attendance="attended",
        purpose="review",
        notes="Talked about sleep",
        by=lead,
    )
    plans.add_goal(family=city.family, text="Sleep better", by=lead)
    return response


@pytest.fixture
def triage_meeting(city, team_manager):
    """A request awaiting triage for the canary family, and a meeting today."""
    from django.utils import timezone

    from onestory.support import triage

    request = triage.make_request(
        episode=city.family.episodes.get(),
        to_organisation=city.council,
        requested_level="targeted",
        source="health_visitor",
        urgency="soon",
        reason="Feeding is hard and mum is low",
        received_on=timezone.localdate(),
        by=team_manager,
    )
    triage.change_request_status(
        request=request, to="awaiting_triage", reason="", by=team_manager
    )
    meeting = triage.schedule_meeting(
        starts_at=timezone.now(),
        location="Room 1",
        chair=team_manager,
        organisations=[city.trust],
        attendees="Health visiting: Jo",
        by=team_manager,
    )
    return request, meeting


def test_every_family_page_passes_axe(
    transactional_db,
    city,
    team_manager,
    busy_family,
    triage_meeting,
    browser,
    live_server,
):
    context = browser.new_context()
    journey = Journey(context.new_page(), live_server.url, javascript=True)
    family = city.family.pk
    carer = city.family.members.get(role="parent_carer").pk
    sign_in(journey, team_manager.email)
    request, meeting = triage_meeting
    pages = [
        # The record's summary and each of its pages (issue 15).
        *(reverse(f"families:{section.name}", args=[family]) for section in SECTIONS),
        reverse("families:family_access_log", args=[family]),
        reverse("families:add_member", args=[family]),
        reverse("families:correct_person", args=[family, carer]),
        reverse("families:record_consent", args=[family]),
        reverse("support:change_level", args=[family]),
        reverse("support:transfer_lead", args=[family]),
        reverse("support:add_to_team", args=[family]),
        reverse("support:record_contact", args=[family]),
        reverse("support:close_episode", args=[family]),
        reverse("support:ask_consultation", args=[family]),
        reverse("support:show_plan", args=[family]),
        reverse("support:print_plan", args=[family]),
        reverse("measures:choose_questionnaire", args=[family]),
        reverse("measures:record_questionnaire", args=[family, carer, "SDQ_P4_17"]),
        reverse("measures:record_questionnaire", args=[family, carer, "ORS"]),
        reverse("measures:show_questionnaire", args=[family, busy_family.pk]),
        reverse("measures:amend_questionnaire", args=[family, busy_family.pk]),
        reverse("measures:start_intervention", args=[family]),
        reverse("measures:show_progress", args=[family, carer, "SDQ_P4_17"]),
        # Nothing scored yet: the empty state says why and links to recording one.
        reverse("measures:show_progress", args=[family, carer, "EPDS"]),
        reverse("measures:print_progress_sheet", args=[family]),
        reverse("measures:send_questionnaire_link", args=[family]),
        reverse("support:make_request", args=[family]),
        reverse("support:show_request", args=[family, request.pk]),
        reverse("support:triage_home"),
        reverse("support:schedule_meeting"),
        reverse("support:show_meeting", args=[meeting.pk]),
        reverse("support:decide", args=[meeting.pk, family]),
        reverse("support:print_meeting", args=[meeting.pk]),
        reverse("core:accessibility_statement"),
    ]
    for path in pages:
        journey.go(path)
    assert len(journey.checked) == len(pages) + 1  # and the sign-in page
    assert len(journey.reflowed) == len(journey.checked)
    assert journey.csp_violations == []
    _again_without_javascript(browser, context, live_server, pages)
    context.close()


def test_training_and_supervision_pages_pass_axe(
    transactional_db, team_manager, lead, browser, live_server
):
    from django.utils import timezone

    from onestory.workforce import services as workforce

    course = factories.course("Building Babies Brains", renewal_months=24)
    workforce.record_training(
        user=team_manager,
        course=course,
        status="completed",
        completed_on=timezone.localdate(),
        evidence_note="Certificate 12",
        by=team_manager,
    )
    workforce.record_need(
        need="Working with dads", confidence_before=2, by=team_manager
    )
    supervision = workforce.record_supervision(
        supervisee=lead,
        held_on=timezone.localdate(),
        kind="reflective",
        themes="Workload",
        agreed_actions="Protected time",
        by=team_manager,
    )
    context = browser.new_context()
    journey = Journey(context.new_page(), live_server.url, javascript=True)
    sign_in(journey, team_manager.email)
    pages = [
        reverse("workforce:my_development"),
        reverse("workforce:record_training"),
        reverse("workforce:record_training_for", args=[lead.pk]),
        reverse("workforce:record_need"),
        reverse("workforce:record_supervision"),
        reverse("workforce:supervision_given"),
        reverse("workforce:show_supervision", args=[supervision.pk]),
        reverse("workforce:team"),
    ]
    for path in pages:
        journey.go(path)
    # A form with errors, too.
    journey.go(reverse("workforce:record_training"))
    journey.page.get_by_role("button", name="Save training").click()
    assert "Select the course" in journey.page.get_by_role("alert").inner_text()
    journey.check()
    assert len(journey.checked) == len(pages) + 3
    assert journey.reflowed == journey.checked
    assert journey.csp_violations == []
    _again_without_javascript(browser, context, live_server, pages)
    context.close()


def test_course_pages_pass_axe(transactional_db, city, lead, browser, live_server):
    from datetime import timedelta

    from django.utils import timezone

    from onestory.accounts.models import Hub
    from onestory.programmes import services as programmes

    course_type = factories.course("Baby massage instructor")
    massage = factories.programme(
        "Baby massage", required=course_type, delivery="group"
    )
    factories.accredit(lead, course_type)
    hub = Hub.objects.create(name="Test Hub", organisation=city.council)
    course = programmes.run_course(
        programme=massage,
        hub=hub,
        title="Mornings",
        facilitators=[lead],
        first_session_at=timezone.now() + timedelta(days=1),
        sessions=5,
        venue="Hub hall",
        capacity=6,
        sessions_to_complete=4,
        by=lead,
    )
    programmes.book_place(
        course=course, person=city.family.members.get(role="parent_carer"), by=lead
    )
    context = browser.new_context()
    journey = Journey(context.new_page(), live_server.url, javascript=True)
    sign_in(journey, lead.email)
    pages = [
        reverse("programmes:courses"),
        reverse("programmes:run_course"),
        reverse("programmes:show_course", args=[course.pk]),
        reverse("programmes:take_register", args=[course.pk, 1]),
        reverse("programmes:book_place", args=[city.family.pk]),
    ]
    for path in pages:
        journey.go(path)
    journey.go(reverse("programmes:run_course"))
    journey.page.get_by_role("button", name="Set up course").click()
    assert "Select the programme" in journey.page.get_by_role("alert").inner_text()
    journey.check()
    assert len(journey.checked) == len(pages) + 3
    assert journey.reflowed == journey.checked
    assert journey.csp_violations == []
    _again_without_javascript(browser, context, live_server, pages)
    context.close()
