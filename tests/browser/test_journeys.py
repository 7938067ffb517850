"""A practitioner's day through real pages in Chromium, with and without JavaScript.

Every page visited is checked by axe-core (WCAG 2.2 AA): 0 violations.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import CANARY_SURNAME

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"


def sign_in(journey, email):
    """Password, then the code the user's authenticator app shows now."""
    from onestory.accounts.models import User
    from tests import factories

    page = journey.page
    journey.go("/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    code = factories.current_code(User.objects.get(email=email))
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Continue").click()


def fill_date(page, legend, day, month, year):
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def test_practitioner_journey(transactional_db, city, lead, journey):
    page = journey.page

    journey.go("/sign-in/")
    page.get_by_role("button", name="Sign in").click()
    expect(
        page.get_by_role("alert").get_by_text("Enter your email address")
    ).to_be_visible()
    journey.check()

    sign_in(journey, lead.email)
    expect(page.get_by_role("heading", name="My caseload")).to_be_visible()
    journey.check()

    page.get_by_role("link", name="Search").click()
    page.get_by_label("Name").fill(CANARY_SURNAME.lower())
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("2 results")).to_be_visible()
    journey.check()

    page.get_by_role("link", name=f"Alex {CANARY_SURNAME}").click()
    expect(
        page.get_by_role("heading", name=f"Alex {CANARY_SURNAME}'s family")
    ).to_be_visible()
    expect(page.get_by_text("Nothing due")).to_be_visible()
    journey.check()

    record = page.get_by_role("navigation", name="Parts of the family record")
    record.get_by_role("link", name="Story").click()
    expect(page.get_by_role("heading", name="The family's story")).to_be_visible()
    journey.check()
    page.get_by_role("link", name="Edit the story").click()
    page.get_by_label("The family's story").fill("")
    page.get_by_role("button", name="Save the story").click()
    expect(
        page.get_by_role("alert").get_by_text("Enter the family's story")
    ).to_be_visible()
    journey.check()
    page.get_by_label("The family's story").fill(
        "We are settling in now. We'd like to join a group."
    )
    page.get_by_role("button", name="Save the story").click()
    expect(page.get_by_text("The family's story has been saved.")).to_be_visible()
    expect(page.get_by_text("We'd like to join a group.")).to_be_visible()
    journey.check()

    record.get_by_role("link", name="Consent").click()
    expect(page.get_by_role("heading", name="Consent to share")).to_be_visible()
    page.get_by_role("link", name="Record consent").click()
    page.get_by_label("Organisation the family agrees to share with").select_option(
        label="Test Health NHS Trust"
    )
    page.get_by_label("Share the family record to coordinate support").check()
    page.get_by_label(f"Alex {CANARY_SURNAME}").check()
    fill_date(page, "Date consent was given", "2", "11", "2026")
    page.get_by_role("button", name="Record consent").click()
    expect(page.get_by_text("Consent recorded.")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Test Health NHS Trust", exact=False)
    ).to_be_visible()
    journey.check()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="You have signed out")).to_be_visible()
    journey.check()
    assert city.family.story_versions.count() == 2
    assert city.family.consents.filter(organisation=city.trust).exists()


def test_adding_a_family_with_a_mistake_first(transactional_db, city, lead, journey):
    page = journey.page
    sign_in(journey, lead.email)
    page.get_by_role("link", name="Add a family").first.click()
    journey.check()
    page.get_by_label("First name", exact=True).fill("Maya")
    page.get_by_label("Last name").fill("Kowalski")
    fill_date(page, "Date of birth", "4", "9", "1998")
    page.get_by_label("No").first.check()
    page.get_by_label("Address line 1").fill("3 Kings Road")
    page.get_by_label("Town or city").fill("Tamarside")
    page.get_by_label("Postcode").fill("PL1 ZZZ")
    page.get_by_label("Yes, a baby on the way").check()
    fill_date(page, "Expected date of delivery", "12", "2", "2027")
    page.get_by_label("The family's story").fill("First baby, feeling anxious.")
    page.get_by_role("button", name="Add family").click()

    expect(
        page.get_by_role("alert").get_by_text("Enter a real postcode")
    ).to_be_visible()
    assert page.get_by_label("Last name").input_value() == "Kowalski"
    journey.check()
    page.get_by_label("Postcode").fill("PL1 4AB")
    page.get_by_role("button", name="Add family").click()
    expect(page.get_by_role("heading", name="Maya Kowalski's family")).to_be_visible()
    journey.check()
    page.get_by_role("navigation", name="Parts of the family record").get_by_role(
        "link", name="Members"
    ).click()
    expect(page.get_by_text("Due 12 February 2027")).to_be_visible()
    journey.check()

    page.get_by_role("link", name="Add a family member").click()
    page.get_by_label("Parent or carer").check()
    page.get_by_role("button", name="Add family member").click()
    expect(
        page.get_by_role("alert").get_by_text("Enter their last name")
    ).to_be_visible()
    journey.check()
    page.get_by_label("First name").fill("Tomasz")
    page.get_by_label("Last name").fill("Kowalski")
    fill_date(page, "Date of birth", "30", "1", "1996")
    page.get_by_label("How are they related").select_option(label="Partner of")
    page.get_by_label("Family member", exact=True).select_option(
        label="Maya Kowalski (parent or carer)"
    )
    page.get_by_role("button", name="Add family member").click()
    expect(
        page.get_by_text("Tomasz Kowalski is partner of Maya Kowalski")
    ).to_be_visible()
    journey.check()


def test_a_partner_without_consent_is_shown_page_not_found(
    transactional_db, city, partner_worker_without_consent, journey
):
    sign_in(journey, partner_worker_without_consent.email)
    journey.go(f"/families/{city.family.pk}/")
    expect(journey.page.get_by_role("heading", name="Page not found")).to_be_visible()
    assert CANARY_SURNAME not in journey.page.content()


def test_signing_in_and_skipping_to_content_with_the_keyboard_alone(
    transactional_db, lead, journey
):
    page = journey.page
    journey.go("/sign-in/")
    page.keyboard.press("Tab")
    assert (
        page.evaluate("document.activeElement.textContent").strip()
        == "Skip to main content"
    )
    page.keyboard.press("Enter")
    # With JavaScript, GOV.UK's skip link moves focus to <main>; without it, the
    # browser follows the fragment.
    focused = page.evaluate("document.activeElement.id")
    assert focused == "main-content" or page.url.endswith("#main-content")
    page.get_by_label("Email address").focus()
    page.keyboard.type(lead.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    from tests import factories

    page.get_by_label("Code from your authenticator app").focus()
    page.keyboard.type(factories.current_code(lead))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="My caseload")).to_be_visible()


def test_first_sign_in_sets_up_two_factor_then_signs_in_with_a_code(
    transactional_db, city, journey
):
    import time

    from onestory.accounts import totp
    from onestory.accounts.models import Authenticator
    from tests import factories

    user = factories.staff(
        "Fay First", city.council, "practitioner", teams=[city.team_a], enrolled=False
    )
    page = journey.page
    journey.go("/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(
        page.get_by_role("heading", name="Set up two-factor sign-in")
    ).to_be_visible()
    expect(
        page.get_by_role("img", name="QR code to scan with your app")
    ).to_be_visible()
    journey.check()
    page.get_by_role("button", name="Confirm and sign in").click()
    expect(page.get_by_role("alert").get_by_text("Enter the code")).to_be_visible()
    journey.check()
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator("code.onestory-secret").inner_text().replace(" ", "")
    code = totp.code_for(secret, totp.step_at(time.time()))
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Confirm and sign in").click()
    expect(page.get_by_text("Save your recovery codes")).to_be_visible()
    assert page.locator("ul.onestory-recovery-codes li").count() == 10
    journey.check()
    page.get_by_role("link", name="I have saved my codes: continue").click()
    expect(page.get_by_role("heading", name="My caseload")).to_be_visible()
    assert Authenticator.objects.get(user=user).secret == secret

    page.get_by_role("button", name="Sign out").click()
    journey.go("/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(
        page.get_by_role("heading", name="Enter the code from your authenticator app")
    ).to_be_visible()
    journey.check()
    page.get_by_label("Code from your authenticator app").fill(
        factories.current_code(user)
    )
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="My caseload")).to_be_visible()


def test_emergency_access_then_the_ig_lead_reviews_it(
    transactional_db, city, other_hub_practitioner, journey
):
    from onestory.accounts.models import Role
    from tests import factories
    from tests.conftest import CANARY_NHS_NUMBER

    factories.staff("Iona Governance", city.council, Role.INFORMATION_GOVERNANCE)
    page = journey.page
    sign_in(journey, other_hub_practitioner.email)
    journey.go("/families/search/")
    page.get_by_label("Name").fill(CANARY_SURNAME)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="emergency access").click()
    journey.check()
    page.get_by_label("NHS number of someone in the family").fill(CANARY_NHS_NUMBER)
    page.get_by_label("Why do you need this record now?").fill("Too short")
    page.get_by_role("button", name="Open the record").click()
    expect(
        page.get_by_role("alert").get_by_text("at least 20 characters")
    ).to_be_visible()
    journey.check()
    page.get_by_label("Why do you need this record now?").fill(
        "Police welfare request: mother and baby missing since last night"
    )
    page.get_by_label("I understand that this access is recorded").check()
    page.get_by_role("button", name="Open the record").click()
    expect(
        page.get_by_text("You are using emergency access to this record")
    ).to_be_visible()
    journey.check()
    page.get_by_role("button", name="Sign out").click()

    sign_in(journey, "iona.governance@test.onestory.example")
    page.get_by_role("link", name="Emergency access").click()
    journey.check()
    page.get_by_role("link", name=re.compile(r"\d{4}")).first.click()
    expect(page.get_by_text("Opened the family record")).to_be_visible()
    journey.check()
    page.get_by_label("Review note").fill("Justified; confirmed with the police.")
    page.get_by_role("button", name="Record review").click()
    expect(page.get_by_text("Review recorded.")).to_be_visible()
    expect(page.get_by_text("Reviewed", exact=True)).to_be_visible()
    journey.check()


def test_the_timeout_warning_lets_the_user_stay_signed_in(
    transactional_db, lead, browser, live_server, settings
):
    from tests.browser.conftest import Journey

    settings.SESSION_COOKIE_AGE = 8  # the warning comes at 4 seconds
    context = browser.new_context()
    journey = Journey(context.new_page(), live_server.url, javascript=True)
    page = journey.page
    sign_in(journey, lead.email)
    dialog = page.get_by_role("alertdialog", name="You will be signed out soon")
    dialog.wait_for(state="visible", timeout=7000)
    journey.check()
    page.get_by_role("button", name="Stay signed in").click()
    dialog.wait_for(state="hidden", timeout=3000)
    expect(page.get_by_role("heading", name="My caseload")).to_be_visible()
    context.close()


def test_information_governance_pages_pass_axe(
    transactional_db, city, browser, live_server
):
    from onestory.accounts.models import Role
    from tests import factories
    from tests.browser.conftest import Journey
    from tests.conftest import CANARY_NHS_NUMBER

    factories.staff("Iona Governance", city.council, Role.INFORMATION_GOVERNANCE)
    context = browser.new_context()
    journey = Journey(context.new_page(), live_server.url, javascript=True)
    page = journey.page
    sign_in(journey, "iona.governance@test.onestory.example")
    page.get_by_role("link", name="Audit trail").click()
    journey.check()
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Download these events (CSV)")).to_be_visible()
    journey.check()
    page.get_by_role("link", name="Subject access").click()
    journey.check()
    page.get_by_label("NHS number").fill(CANARY_NHS_NUMBER)
    page.get_by_role("button", name="Find everything held").click()
    expect(page.get_by_role("heading", name="Alex Zzcanaryson")).to_be_visible()
    assert CANARY_NHS_NUMBER not in page.url
    journey.check()
    journey.go("/families/emergency-access/reviews/")
    assert journey.csp_violations == []
    context.close()


@pytest.mark.security_case(17)
def test_changing_a_password_by_pasting_it(transactional_db, lead, journey):
    """A mistake first, then a long passphrase pasted from a password manager."""
    passphrase = "kettle orbit marigold lantern seventeen hedgehog crumpet"
    page = journey.page
    sign_in(journey, lead.email)
    journey.go("/account/")
    page.get_by_role("link", name="Change your password").click()
    journey.check()
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password").fill("familyhub2026")
    page.get_by_role("button", name="Change password").click()
    summary = page.get_by_role("alert")
    assert "too easy to guess" in summary.inner_text()
    journey.check()
    page.get_by_label("Current password").fill(PASSWORD)
    new_password = page.get_by_label("New password")
    if journey.javascript:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page.evaluate("text => navigator.clipboard.writeText(text)", passphrase)
        new_password.focus()
        page.keyboard.press("Control+V")
        assert new_password.input_value() == passphrase
    else:
        new_password.fill(passphrase)
    page.get_by_role("button", name="Change password").click()
    assert "Your password has been changed" in page.text_content("body")
    journey.check()
    lead.refresh_from_db()
    assert lead.check_password(passphrase)


@pytest.mark.security_case(20)
def test_stored_attacks_run_no_script_in_the_browser(
    transactional_db, city, lead, browser, live_server
):
    """Case 20 in a real browser: names and a story holding attacks open no
    dialog (tests/core/test_output_encoding.py sweeps every field and page)."""
    from tests import factories
    from tests.browser.conftest import Journey

    family = factories.family(
        by=lead,
        team=city.team_a,
        family_name='"><img src=x onerror=alert(1)>',
        given_name="<svg onload=alert(2)>",
        story="<script>alert(3)</script> </textarea><img src=x onerror=alert(4)>",
    )
    context = browser.new_context()
    journey = Journey(context.new_page(), live_server.url, javascript=True)
    dialogs = []
    journey.page.on(
        "dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss())
    )
    sign_in(journey, lead.email)
    shown = ""
    for path in [
        "/families/",
        f"/families/{family.pk}/",
        f"/families/{family.pk}/record/members/",
        f"/families/{family.pk}/record/story/",
        f"/families/{family.pk}/story/",
        f"/families/{family.pk}/plan/",
    ]:
        journey.go(path)
        shown += journey.page.text_content("body")
    # The attacks are on the pages, as text.
    assert '"><img src=x onerror=alert(1)>' in shown
    assert "<script>alert(3)</script>" in shown
    context.close()
    assert dialogs == []
    assert journey.csp_violations == []
