"""axe-core on the pages issue 13 added, with and without JavaScript (axe runs
in the JavaScript run): each page is checked for its key text too, so neither
run can pass on a wrong page."""

from urllib.parse import parse_qsl, urlencode

import pytest
from django.core import mail
from django.urls import reverse

from tests import factories
from tests.accounts.test_administration import _link_in, _path
from tests.browser.test_journeys import PASSWORD, sign_in

pytestmark = pytest.mark.browser


def _body(journey):
    return journey.page.text_content("body")


def _post_sign_in(journey, *, status):
    """Send the sign-in form as it stands; the answer must have `status`."""
    page = journey.page
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Sign in").click()
    assert answer.value.status == status
    page.wait_for_load_state("load")
    journey.check()


def _set_up_link_pages(journey, admin, lead, manager):
    from onestory.accounts import administration

    page = journey.page
    administration.send_set_up_link(by=admin, user=manager, kind="password")
    administration.reset_second_factor(by=admin, user=lead)
    choose, again = (_path(_link_in(message)) for message in mail.outbox)

    journey.go(choose)
    assert "Only you know it: your administrator never sees" in _body(journey)
    page.get_by_role("button", name="Continue").click()
    assert "Enter a password" in page.get_by_role("alert").inner_text()
    journey.check()

    journey.go(again)
    assert "Set up two-factor sign-in again" in _body(journey)
    page.get_by_label("Your password").fill("not the password at all")
    page.get_by_role("button", name="Continue").click()
    assert "Your password is incorrect" in page.get_by_role("alert").inner_text()
    journey.check()

    journey.go(reverse("accounts:set_up_link", args=["no-such-link"]))
    assert "This link does not work" in _body(journey)
    assert "more than 24 hours old" in _body(journey)

    # The password alone, after a two-factor reset, reaches only this page.
    journey.go(reverse("accounts:sign_in"))
    page.get_by_label("Email address").fill(lead.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Use the link we emailed you"
    )
    assert "QR code" not in _body(journey)
    journey.check()
    journey.page.context.clear_cookies()


def _fault_pages(journey, monkeypatch):
    from django.db import connections

    from tests.core.test_database_unavailable import DISK_FULL_AT_COMMIT

    page = journey.page
    sign_in_page = reverse("accounts:sign_in")

    def as_json(route):
        if route.request.method != "POST":
            return route.continue_()
        headers = route.request.headers | {"content-type": "application/json"}
        return route.continue_(headers=headers, post_data='{"email": "a@b.c"}')

    def without_csrf_token(route):
        if route.request.method != "POST":
            return route.continue_()
        fields = parse_qsl(route.request.post_data or "")
        kept = [(k, v) for k, v in fields if k != "csrfmiddlewaretoken"]
        return route.continue_(post_data=urlencode(kept))

    for rewrite, status, says in [
        (as_json, 400, "Sorry, the service could not understand what was sent"),
        (without_csrf_token, 403, "Sorry, your form could not be sent"),
    ]:
        journey.go(sign_in_page)
        page.route("**" + sign_in_page, rewrite)
        page.get_by_label("Email address").fill("someone@test.onestory.example")
        _post_sign_in(journey, status=status)
        page.unroute("**" + sign_in_page)
        assert page.get_by_role("heading", level=1).inner_text() == says
        assert "Nothing from this action was saved" in _body(journey)

    # A full disk at COMMIT, in the live server's thread as in any other.
    wrapper = type(connections["default"])
    said = DISK_FULL_AT_COMMIT[connections["default"].vendor]

    def commit_fails(self):
        with self.wrap_database_errors:
            raise self.Database.OperationalError(said)

    journey.go(sign_in_page)
    page.get_by_label("Email address").fill("someone@test.onestory.example")
    page.get_by_label("Password").fill(PASSWORD)
    with monkeypatch.context() as patch:
        patch.setattr(wrapper, "_commit", commit_fails)
        _post_sign_in(journey, status=503)
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Sorry, the service cannot save your changes right now"
    )
    assert "The database's storage is full." in _body(journey)


def test_pages_seen_without_signing_in_pass_axe(
    transactional_db, city, admin, lead, team_manager, elsewhere, journey, monkeypatch
):
    """The set-up link pages, the feedback page of one local authority, and the
    400, CSRF-failure and 503 pages."""
    from onestory.accounts.models import Hub

    Hub.objects.create(name="Harbour Hub", organisation=city.council)
    Hub.objects.create(name="Moor Hub", organisation=elsewhere.council)
    _set_up_link_pages(journey, admin, lead, team_manager)

    journey.go(
        reverse("programmes:give_feedback", args=[city.council.local_authority_id])
    )
    assert "Tell us what you think" in _body(journey)
    hubs = journey.page.get_by_label("Which family hub? (optional)")
    assert "Harbour Hub" in hubs.inner_text()
    assert "Moor Hub" not in hubs.inner_text()  # another area's hub

    _fault_pages(journey, monkeypatch)
    if journey.javascript:
        assert len(journey.checked) == 14


def test_signed_in_pages_of_issue_13_pass_axe(
    transactional_db, city, lead, team_manager, journey, settings
):
    """Joining the team as a contributor (the confirmation, with the team-size
    warning), measures that cannot be sent listed with why, a register before
    its session's day, and a learning-log entry refused for an NHS number."""
    from datetime import timedelta

    from django.utils import timezone

    from onestory.accounts.models import Hub, Role
    from onestory.insights import domain
    from onestory.programmes import services as programmes
    from onestory.support import services as support

    page = journey.page
    family = city.family.pk
    specialist = factories.staff(
        "Sue Specialist",
        city.council,
        Role.SPECIALIST,
        teams=[factories.team("Perinatal mental health", city.council)],
    )
    support.ask_consultation(
        episode=city.family.episodes.get(),
        specialist=specialist,
        question="Low mood and bonding: how best to help?",
        tried="Listening visits",
        urgency="routine",
        by=lead,
    )
    settings.TEAM_SIZE_WARNING = 3  # the lead and two partners already
    sign_in(journey, specialist.email)
    journey.go(reverse("support:join_team", args=[family]))
    body = _body(journey)
    assert "Lena Lead, who stays their lead practitioner" in body
    assert "Families do best with a small team" in body
    page.get_by_role("button", name="Join the team").click()
    assert "Enter why the team needs to be bigger" in (
        page.get_by_role("alert").inner_text()
    )
    journey.check()
    page.context.clear_cookies()

    course_type = factories.course("Baby massage instructor")
    factories.accredit(lead, course_type)
    course = programmes.run_course(
        programme=factories.programme(
            "Baby massage", required=course_type, delivery="group"
        ),
        hub=Hub.objects.create(name="Test Hub", organisation=city.council),
        title="Mornings",
        facilitators=[lead],
        first_session_at=timezone.now() + timedelta(days=2),
        sessions=5,
        venue="Hub hall",
        capacity=6,
        sessions_to_complete=4,
        by=lead,
    )
    sign_in(journey, lead.email)
    journey.go(reverse("measures:send_questionnaire_link", args=[family]))
    not_offered = page.locator("#not-offered").inner_text()
    assert "is completed together with a practitioner" in not_offered
    assert "wording is licensed and has not been loaded" in not_offered
    journey.go(reverse("programmes:take_register", args=[course.pk, 1]))
    assert "its register can be taken from that day" in _body(journey)
    assert page.get_by_role("button", name="Save register").count() == 0
    page.context.clear_cookies()

    sign_in(journey, team_manager.email)
    period = domain.last_full_quarter(timezone.localdate())
    journey.go(reverse("insights:record_learning") + f"?metric=R1&period={period.key}")
    page.get_by_label("What did we want to understand?").fill("Why fewer dads?")
    page.get_by_label("What did we try?").fill("Her NHS number is 999 000 0026")
    page.get_by_label("What did we notice?").fill("Three dads came twice.")
    page.get_by_label("What will we try next?").fill("Ask the dads.")
    page.get_by_role("button", name="Save to the learning log").click()
    assert "Remove the NHS number" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("What did we try?").input_value() == (
        "Her NHS number is 999 000 0026"
    )
    journey.check()
    if journey.javascript:
        assert len(journey.checked) == 9  # three of them the sign-in page


def test_the_pages_of_a_large_download_pass_axe(
    transactional_db, lead, journey, settings
):
    """A download made in the background: its progress, ready and failed
    pages, and the list of the user's downloads."""
    from onestory.core import downloads, tenancy
    from onestory.core.models import Download, DownloadStatus

    settings.DOWNLOAD_ROWS_AT_ONCE = 0
    sign_in(journey, lead.email)
    journey.go(reverse("families:export_caseload", args=["csv"]))
    assert "Preparing your download" in _body(journey)
    assert "Waiting to start" in _body(journey)
    download = Download.objects.get()
    tenancy.set_tenant(download.local_authority_id)
    downloads.build(download.pk)
    tenancy.set_tenant(None)
    # The page asks again by itself with JavaScript; without, "Check now" does.
    if journey.javascript:
        journey.page.get_by_text("Your download is ready").wait_for(timeout=15000)
    else:
        journey.page.get_by_role("link", name="Check now").click()
    assert "Your download is ready" in _body(journey)
    journey.check()
    journey.go(reverse("core:my_downloads"))
    assert download.filename in _body(journey)
    Download.objects.filter(pk=download.pk).update(status=DownloadStatus.FAILED)
    journey.go(reverse("core:download", args=[download.pk]))
    assert "could not be prepared" in _body(journey)
    if journey.javascript:
        assert len(journey.checked) == 5  # the sign-in page too
