"""Display formatting for family pages. No queries: works on prefetched records."""

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from onestory.core.audit import FAMILY_MEMBER_ROLE
from onestory.core.presenters import Tag, status_tag
from onestory.families.models import Family, PersonRole


def family_name(family: Family) -> str:
    """How staff refer to a household: its first parent or carer's name."""
    carers = [p for p in family.members.all() if p.role == PersonRole.PARENT_CARER]
    people = carers or list(family.members.all())
    return f"{people[0].full_name}'s family" if people else "Family"


CASELOAD_COLUMNS = [
    "Family reference",
    "Family",
    "Members",
    "Postcode",
    "Level",
    "Your part",
    "Needs attention",
    "Added on",
]


@dataclass(frozen=True)
class AccessRow:
    """One line of "who has opened this record"."""

    event: object
    who: str
    organisation: str


def access_rows(events, members) -> list[AccessRow]:
    """Staff by name and organisation; a parent or carer acting in the
    family's own view by name, as a member of the family (core.audit's
    FamilyMember); no one else is named."""
    names = {str(person.pk): person.full_name for person in members}
    rows = []
    for event in events:
        if event.actor_roles == FAMILY_MEMBER_ROLE:
            name = names.get(event.detail.get("family_member"), "Someone")
            rows.append(AccessRow(event, f"{name} (family member)", "The family"))
        elif event.actor is not None:
            rows.append(
                AccessRow(
                    event, event.actor.full_name, str(event.actor_organisation or "")
                )
            )
        else:
            rows.append(AccessRow(event, "Unknown", ""))
    return rows


def quiet_for(last_seen, added_at, today=None) -> str:
    """How long it has really been: "No contact since 4 June, 26 weeks" (the
    year too when it was not this year), from the last attended contact or,
    with none, from when the family was added."""
    today = today or timezone.localdate()
    since = timezone.localtime(last_seen or added_at).date()
    day = f"{since.day} {since:%B}" + (
        f" {since.year}" if since.year != today.year else ""
    )
    weeks = (today - since).days // 7
    gap = f"{weeks} week{'s' if weeks != 1 else ''}" if weeks else "days"
    if last_seen is None:
        return f"No contact since added on {day}, {gap}"
    return f"No contact since {day}, {gap}"


def team_role_colour(role: str | None) -> str:
    """A part in the team around a family: the lead stands out."""
    return "blue" if role == "lead" else "grey"


@dataclass(frozen=True)
class CaseloadFamily:
    """A family of a caseload page, with what the apps about its support say
    of it: the viewer's part, its level, and what needs attention."""

    family: Family
    name: str
    my_role: str | None
    level: str
    last_seen: datetime | None
    open_risk: bool
    review_overdue: bool
    review_due: bool
    plan_actions_due: bool
    awaiting_advice: bool
    no_recent_contact: bool


def caseload_rows(families, details: dict, today=None) -> list[CaseloadFamily]:
    """A page of a caseload as rows, from `queries.caseload_details`."""
    today = today or timezone.localdate()
    quiet_since = timezone.now() - timedelta(days=settings.NO_CONTACT_DAYS)
    rows = []
    for family in families:
        row = details.get(family.pk, {})
        due = row.get("next_review")
        last_seen = row.get("last_seen")
        rows.append(
            CaseloadFamily(
                family=family,
                name=family_name(family),
                my_role=row.get("my_role"),
                level=row.get("level") or "",
                last_seen=last_seen,
                open_risk=bool(row.get("open_risk")),
                review_overdue=due is not None and due < today,
                review_due=due is not None and due >= today,
                plan_actions_due=bool(row.get("plan_actions_due")),
                awaiting_advice=bool(row.get("awaiting_advice")),
                no_recent_contact=(last_seen or family.created_at) < quiet_since,
            )
        )
    return rows


@status_tag("caseload_part")
def caseload_part(row) -> Tag:
    """The viewer's part in a family of their caseload (a `CaseloadFamily`)."""
    if row.my_role == "lead":
        return Tag("Lead practitioner", team_role_colour(row.my_role))
    return Tag((row.my_role or "").capitalize(), team_role_colour(row.my_role))


@status_tag("caseload_attention")
def caseload_attention(row) -> list[Tag]:
    """What needs attention in a family of a caseload, most pressing first."""
    return [
        tag
        for flag, tag in [
            (row.open_risk, Tag("Risk: action needed", "red")),
            (row.review_overdue, Tag("Review overdue", "orange")),
            (row.review_due and not row.review_overdue, Tag("Review due", "yellow")),
            (row.plan_actions_due, Tag("Plan action due", "yellow")),
            (row.awaiting_advice, Tag("Awaiting specialist advice", "grey")),
            (
                row.no_recent_contact,
                Tag(quiet_for(row.last_seen, row.family.created_at), "grey"),
            ),
        ]
        if flag
    ]


@status_tag("consent")
def consent_tag(consent) -> Tag:
    return Tag("Given", "green") if consent.is_standing else Tag("Withdrawn", "grey")


@status_tag("emergency_access_review")
def emergency_access_review_tag(grant) -> Tag:
    return Tag("Reviewed", "green") if grant.reviewed_at else Tag("To review", "red")


def caseload_row(row, no_contact_days: int) -> list:
    """One family of a caseload download (a `CaseloadFamily`): what the
    caseload page shows, and no more (no notes, no scores, nothing restricted)."""
    family = row.family
    attention = [tag.text for tag in caseload_attention(row)]
    members = ", ".join(
        f"{p.full_name or p.get_role_display()} ({p.get_role_display().lower()})"
        for p in family.members.all()
    )
    return [
        str(family.pk),
        row.name,
        members,
        family.postcode,
        row.level.capitalize(),
        caseload_part(row).text,
        "; ".join(attention),
        family.created_at.date().isoformat(),
    ]


@dataclass(frozen=True)
class NextStep:
    """One thing the record says needs doing, with where to do it."""

    when: date
    text: str
    url: str
    # What the date is: "due" for what falls due, else when it began.
    dated: str = "due"
    overdue: bool = False


def next_steps(family: Family, glances, measures, today: date) -> list[NextStep]:
    """What needs doing next, soonest first, from rows already loaded: review
    points and answers to review (measures, for those who see them), requests
    for support still open, advice awaited, the plan's review and actions."""
    steps = []
    if measures:
        steps += _measures_steps(family, measures)
    for request in family.support_requests.all():
        if request.is_open:
            steps.append(
                NextStep(
                    request.received_on,
                    f"{request.get_kind_display()} for "
                    f"{request.get_requested_level_display().lower()} support to "
                    f"{request.to_organisation}: "
                    f"{request.get_status_display().lower()}",
                    reverse("support:show_request", args=[family.pk, request.pk]),
                    dated="received",
                )
            )
    for glance in glances:
        for consultation in glance.awaiting_advice:
            steps.append(
                NextStep(
                    timezone.localdate(consultation.asked_at),
                    f"Advice asked of {consultation.specialist.full_name}: "
                    "awaiting reply",
                    reverse(
                        "support:show_consultation",
                        args=[family.pk, consultation.pk],
                    ),
                    dated="asked",
                )
            )
    steps += _plan_steps(family)
    return sorted(
        (replace(s, overdue=s.dated == "due" and s.when < today) for s in steps),
        key=lambda step: step.when,
    )


def _measures_steps(family, measures) -> list[NextStep]:
    steps = [
        NextStep(
            response.completed_on,
            f"Review {response.person.full_name}'s {response.instrument_name}, "
            "completed online",
            reverse("measures:show_questionnaire", args=[family.pk, response.pk]),
            dated="completed",
        )
        for response in measures["to_review"]
    ]
    outstanding = [p for p in measures["review_points"] if not p.completed_by_id]
    if outstanding:
        point = min(outstanding, key=lambda p: p.due_on)
        person = point.intervention.person
        steps.append(
            NextStep(
                point.due_on,
                f"{point.get_kind_display()} {point.instrument_name} for "
                f"{person.full_name or person.get_role_display()} "
                f"({point.intervention.name})",
                reverse(
                    "measures:record_questionnaire",
                    args=[family.pk, person.pk, point.instrument_code],
                ),
            )
        )
    return steps


def _plan_steps(family) -> list[NextStep]:
    plan = getattr(family, "plan", None)
    if plan is None:
        return []
    url = reverse("support:show_plan", args=[family.pk])
    steps = [NextStep(plan.review_on, "Review the plan", url)] if plan.review_on else []
    actions = getattr(plan, "open_actions", [])
    if actions:
        action = actions[0]  # the soonest due: actions are ordered by due date
        more = f" (and {len(actions) - 1} more)" if len(actions) > 1 else ""
        steps.append(
            NextStep(
                action.due_on,
                f"Plan action for {action.owner}: {action.description}{more}",
                url,
            )
        )
    return steps
