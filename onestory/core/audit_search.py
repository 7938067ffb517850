"""The information governance lead's audit-trail search, and its download
(registered with core/downloads.py: large ones are made by the worker)."""

from django.core.paginator import Paginator

from onestory.core import audit, downloads
from onestory.core.forms import AuditSearchForm
from onestory.core.models import AuditAction, AuditEvent
from onestory.core.roles import Role

COLUMNS = [
    "Position",
    "When (UTC)",
    "Who",
    "Roles",
    "Organisation",
    "Action",
    "Outcome",
    "Family reference",
    "Person reference",
    "Record",
    "Fields changed",
    "Request id",
    "Source address",
    "Emergency access",
]


def events(form, user):
    """The events a valid search finds, newest first: the lead's own local
    authority's staff only."""
    found = AuditEvent.objects.select_related("actor", "actor_organisation").filter(
        actor_organisation__local_authority_id=user.organisation.local_authority_id
    )
    data = form.cleaned_data
    if data.get("email"):
        found = found.filter(actor__email=data["email"].lower())
    if data.get("family"):
        found = found.filter(family_id=data["family"])
    if data.get("since"):
        found = found.filter(occurred_at__date__gte=data["since"])
    if data.get("until"):
        found = found.filter(occurred_at__date__lte=data["until"])
    return found.order_by("-sequence")


def search(form, user, page_number, per_page: int = 50):
    """The page asked for of the events the (valid) form finds; the search is
    audited, with the filters used."""
    page = Paginator(events(form, user), per_page).get_page(page_number)
    audit.record(
        action=AuditAction.SEARCH_AUDIT,
        by=user,
        detail={"filters": filters_used(form)},
    )
    return page


def filters_used(form) -> list[str]:
    return sorted(name for name, value in form.cleaned_data.items() if value)


@downloads.kind("audit-trail", roles={Role.INFORMATION_GOVERNANCE})
def download(user, params: dict) -> downloads.Export:
    """`params` is the search form's data, validated again here (the worker
    builds from it a day's work later, perhaps)."""
    form = AuditSearchForm(params)
    if not form.is_valid():
        raise ValueError("The audit search asked for is not valid")
    found = events(form, user)
    return downloads.Export(
        name="audit-trail",
        sheet="Audit trail",
        columns=COLUMNS,
        total=found.count(),
        rows=(row(event) for event in found.iterator(chunk_size=2000)),
        action=AuditAction.EXPORT_AUDIT,
        detail={"filters": filters_used(form)},
    )


def row(event) -> list:
    return [
        event.sequence,
        event.occurred_at.isoformat(),
        event.actor.email if event.actor else "",
        event.actor_roles,
        str(event.actor_organisation or ""),
        event.get_action_display(),
        event.outcome,
        str(event.family_id or ""),
        str(event.person_id or ""),
        f"{event.object_type} {event.object_id}".strip(),
        " ".join(event.changed_fields),
        event.request_id,
        event.source_ip or "",
        event.detail.get("break_glass", ""),
    ]
