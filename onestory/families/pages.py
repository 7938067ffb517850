"""The one way to render a page about a family: audit the read, then render."""

from django.shortcuts import render

from onestory.core import audit
from onestory.core.models import AuditAction
from onestory.families import presenters


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
    """
    page = template.rsplit("/", 1)[-1].removesuffix(".html")
    event = audit.record(
        action=AuditAction.VIEW_FAMILY,
        by=request.user,
        family=family,
        detail={} if page == "family_record" else {"page": page},
    )
    context["emergency_access"] = "break_glass" in event.detail
    return render(request, template, {**about(family), **context}, status=status)
