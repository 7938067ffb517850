from django.conf import settings
from django.urls import reverse

from onestory.accounts.middleware import idle_seconds_left
from onestory.accounts.models import FAMILY_ROLES, REPORT_ROLES, TRIAGE_ROLES, Role
from onestory.core import submissions


def layout(request):
    """What the base layout needs: service name, navigation and who is signed in."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "service_name": "onestory",
        "signed_in_user": user if signed_in else None,
        "primary_navigation": _navigation(request, user) if signed_in else [],
        # What is left of the idle timeout (renewed once a minute, not on every
        # request: accounts/middleware.py), for the timeout warning.
        "session_idle_seconds": idle_seconds_left(request)
        if signed_in
        else settings.SESSION_COOKIE_AGE,
        "session_idle_minutes": settings.SESSION_COOKIE_AGE // 60,
        # A one-time token for forms that create something (core/submissions.py).
        "submission_token": submissions.new_token(),
    }


def _navigation(request, user):
    """The places where each role's work is, few enough to sit on one line on
    a laptop whatever roles a person holds (docs/decisions/0023). Actions
    (adding a family, recording feedback) are on the pages they belong to;
    your own training is reached from your account, the team page and the
    supervision page; what families say from courses, reports and the team page."""
    items = []
    if user.roles & FAMILY_ROLES:
        items += [
            ("My caseload", reverse("families:my_caseload")),
            ("Search", reverse("families:search_families")),
            ("Courses", reverse("programmes:courses")),
        ]
    if Role.SPECIALIST in user.roles:
        items.append(("Consultations", reverse("support:consultation_inbox")))
    if user.roles & TRIAGE_ROLES:
        items.append(("Triage", reverse("support:triage_home")))
    if Role.INFORMATION_GOVERNANCE in user.roles:
        items.append(("Emergency access", reverse("families:emergency_access_reviews")))
        items.append(("Audit trail", reverse("core:audit_trail")))
        items.append(("Subject access", reverse("families:subject_access")))
    if Role.TEAM_MANAGER in user.roles:
        items.append(("Your team", reverse("workforce:team")))
    elif Role.SUPERVISOR in user.roles:
        items.append(("Supervision", reverse("workforce:supervision_given")))
    if user.roles & REPORT_ROLES:
        items.append(("Reports", reverse("insights:service_report")))
    if Role.EMERGENCY_LEAD in user.roles:
        items.append(("Incidents", reverse("incidents:incidents")))
    if user.uses_administration:
        items.append(("Administration", reverse("admin:index")))
    return [
        {"text": text, "href": href, "current": request.path == href}
        for text, href in items
    ]
