"""The one way to render a page about a family: audit the read, then render.

It also watches for unusual volume (security.md R29): one person opening many
different families in an hour is what a scraper or a curious insider does. At
`BULK_READ_ALERT_FAMILIES` the information governance leads are alerted; past
`BULK_READ_LIMIT_FAMILIES` other families are refused until the hour is over
(those already opened stay open).
"""

from collections.abc import Collection
from functools import wraps

from django.conf import settings
from django.db import transaction
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from onestory.core import audit, logs, ratelimit
from onestory.core.models import AuditAction, AuditOutcome
from onestory.core.permissions import roles_required
from onestory.core.roles import FAMILY_ROLES
from onestory.families import presenters
from onestory.families.queries import get_family_record, get_visible_family

HOUR = 60 * 60


def family_view(
    *methods: str, roles=FAMILY_ROLES, record: Collection[str] | None = None
):
    """Declare a view of one family's pages: who may call it (`roles`, 403 to
    others), the HTTP methods it answers (405 to others), and the family itself,
    found through the access scope (404 outside it) and passed to the view in
    place of the URL's `family_id`:

        @family_view("GET", "POST")
        def change_level(request, family): ...

    With `record`, the family comes with those parts of its record loaded
    (`queries.get_family_record`: `queries.WHOLE_RECORD`, or a few of them).
    """

    def decorator(view):
        @roles_required(*roles)
        @require_http_methods(list(methods))
        @wraps(view)
        def wrapped(request, family_id, *args, **kwargs):
            family = (
                get_visible_family(request.user, family_id)
                if record is None
                else get_family_record(request.user, family_id, record)
            )
            return view(request, family, *args, **kwargs)

        return wrapped

    return decorator


def about(family) -> dict:
    """Context every page about one family needs: its name and identity bar."""
    return {
        "family": family,
        "family_name": presenters.family_name(family),
        "identity_details": [family.address_line_1, family.postcode],
    }


def render_family_page(request, family, template, *, status=200, **context):
    """Render a page showing one family's data, writing its audit event first.

    The page's name (its template's) goes in the event, except for the record.
    Its count toward the hour's limit and its event are written together, in
    one transaction (a read has none of its own: core/transactions.py), so
    SQLite's write lock is taken once, for a moment, and not while it renders.
    """
    page = template.rsplit("/", 1)[-1].removesuffix(".html")
    with transaction.atomic():  # the read's writes: one short transaction
        if refused := count_family_reads(request, [family.pk], family=family):
            return refused
        event = audit.record(
            action=AuditAction.VIEW_FAMILY,
            by=request.user,
            family=family,
            detail={} if page == "family_record" else {"page": page},
        )
    context["emergency_access"] = "break_glass" in event.detail
    return render(request, template, {**about(family), **context}, status=status)


def count_family_reads(request, family_ids, *, family=None):
    """Count these families toward the different families the user has seen
    this hour (R29: record pages and search results alike), alerting at the
    threshold. Past the limit, the refusal page (429, audited); else None."""
    before, families_this_hour, allowed = ratelimit.distinct(
        f"family-reads:{request.user.pk}",
        [str(family_id) for family_id in family_ids],
        limit=settings.BULK_READ_LIMIT_FAMILIES,
        window_seconds=HOUR,
    )
    if before < settings.BULK_READ_ALERT_FAMILIES <= families_this_hour:
        _alert_bulk_reads(request.user, families_this_hour)
    if not allowed:
        audit.record(
            action=AuditAction.BULK_READ_ALERT,
            by=request.user,
            family=family,
            outcome=AuditOutcome.REFUSED,
            detail={"families_this_hour": families_this_hour},
        )
        return render(
            request,
            "families/too_many_families.html",
            {"limit": settings.BULK_READ_LIMIT_FAMILIES},
            status=429,
        )
    return None


def _alert_bulk_reads(user, families: int) -> None:
    from onestory.accounts.services import email_information_governance

    audit.record(
        action=AuditAction.BULK_READ_ALERT,
        by=user,
        detail={"families_this_hour": families},
    )
    logs.security_event("bulk_read_alert", user_id=str(user.pk), families=families)
    transaction.on_commit(
        lambda: email_information_governance(
            local_authority_id=user.organisation.local_authority_id,
            subject="onestory: unusual number of family records opened",
            message=(
                f"{user.full_name} ({user.organisation}) has opened {families} "
                "different family records in the last hour. This may be part of "
                "their work (a triage meeting, say) or may not.\n\nSee what they "
                "opened in onestory under 'Audit trail', searching by their email "
                "address.\n"
            ),
        )
    )
