"""Display formatting for family pages. No queries: works on prefetched records."""

from dataclasses import dataclass, replace
from datetime import date, datetime

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


@dataclass(frozen=True)
class TimelineEvent:
    when: datetime
    title: str
    by: str
    description: str = ""


def timeline(family: Family, questionnaires=(), attendance=()) -> list[TimelineEvent]:
    """What has happened in the record, newest first, from prefetched rows."""
    events = [
        TimelineEvent(
            family.created_at,
            "Family added",
            _by(family.created_by, family.created_by_organisation),
        )
    ]
    for version in family.story_versions.all():
        if version.number > 1:
            events.append(
                TimelineEvent(
                    version.written_at,
                    f"Story updated (version {version.number})",
                    _by(version.written_by, version.written_by_organisation),
                )
            )
    for consent in family.consents.all():
        events.append(
            TimelineEvent(
                consent.recorded_at,
                f"Consent recorded for {consent.organisation}",
                _by(consent.recorded_by, consent.recorded_by_organisation),
                consent.get_purpose_display(),
            )
        )
        if consent.withdrawn_at:
            events.append(
                TimelineEvent(
                    consent.withdrawn_at,
                    f"Consent withdrawn for {consent.organisation}",
                    # Staff, or the family themselves (in their own view).
                    _withdrawn_by(consent),
                    consent.get_purpose_display(),
                )
            )
    for request in family.support_requests.all():
        events.append(
            TimelineEvent(
                request.made_at,
                f"{request.get_kind_display()} for "
                f"{request.get_requested_level_display().lower()} support "
                f"to {request.to_organisation}",
                request.made_by.full_name,
            )
        )
    for decision in family.triage_decisions.all():
        events.append(
            TimelineEvent(
                decision.decided_at,
                f"Triage decision: {decision.outcome_label.lower()}",
                decision.decided_by.full_name,
                decision.summary,
            )
        )
    for episode in getattr(family, "open_episodes", ()):
        events += _episode_events(episode)
    for response in questionnaires:
        events.append(
            TimelineEvent(
                response.recorded_at,
                _questionnaire_title(response),
                response.recorded_by.full_name if response.recorded_by else "",
            )
        )
    for mark in attendance:
        place = mark.place
        events.append(
            TimelineEvent(
                mark.session.starts_at,
                f"{place.person.full_name or place.person.get_role_display()}: "
                f"{mark.get_mark_display().lower()} at session {mark.session.number} "
                f"of {place.course.programme.name}",
                place.course.hub.name,
            )
        )
    return sorted(events, key=lambda event: event.when, reverse=True)


def _questionnaire_title(response) -> str:
    """ "PHQ-9 completed by Amelia Hill, entered by a practitioner"; a child's
    or baby's questionnaire is about them ("SDQ parent 2 to 4 about Oliver
    Hill, ..."), since a parent answered it. A parent's own, online, reads
    "GAD-7 completed online by Alex Smith"."""
    person = response.person
    name = person.full_name or f"the {person.get_role_display().lower()}"
    own = person.role == PersonRole.PARENT_CARER
    if own and response.completed_online:
        return f"{response.instrument_name} completed online by {name}"
    verb = "completed by" if own else "about"
    how = response.get_mode_display()
    return f"{response.instrument_name} {verb} {name}, {how[0].lower()}{how[1:]}"


def _episode_events(episode) -> list[TimelineEvent]:
    events = []
    for change in episode.level_changes.all():
        title = (
            f"Level changed from {change.get_from_level_display().lower()} to "
            f"{change.get_to_level_display().lower()}"
            if change.from_level
            else f"Support started at {change.get_to_level_display().lower()} level"
        )
        events.append(
            TimelineEvent(
                change.changed_at, title, change.changed_by.full_name, change.reason
            )
        )
    for involvement in episode.involvements.all():
        if involvement.started_at > episode.opened_at:
            events.append(
                TimelineEvent(
                    involvement.started_at,
                    f"{involvement.practitioner.full_name} joined as "
                    f"{involvement.get_role_display().lower()}",
                    involvement.practitioner.organisation.name,
                    involvement.reason,
                )
            )
    for consultation in episode.consultations.all():
        events.append(
            TimelineEvent(
                consultation.asked_at,
                f"Consultation asked of {consultation.specialist.full_name}",
                consultation.asked_by.full_name,
            )
        )
        if consultation.answered_at:
            events.append(
                TimelineEvent(
                    consultation.answered_at,
                    "Consultation answered",
                    consultation.specialist.full_name,
                )
            )
    for contact in episode.contacts.all():
        events.append(
            TimelineEvent(
                contact.occurred_at,
                f"{contact.get_contact_type_display()}: "
                f"{contact.get_attendance_display().lower()}",
                contact.practitioner.full_name,
                contact.get_purpose_display(),
            )
        )
    return events


def _by(user, organisation) -> str:
    return f"{user.full_name}, {organisation}"


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


def _withdrawn_by(consent) -> str:
    if consent.withdrawn_by:
        return consent.withdrawn_by.full_name
    if consent.withdrawn_by_person:
        return f"{consent.withdrawn_by_person.full_name}, in the family's own view"
    return "The family"


def quiet_for(family, today=None) -> str:
    """How long it has really been: "No contact since 4 June, 26 weeks" (the
    year too when it was not this year), from the last attended contact or,
    with none, from when the family was added."""
    today = today or timezone.localdate()
    since = timezone.localtime(family.last_seen or family.created_at).date()
    day = f"{since.day} {since:%B}" + (
        f" {since.year}" if since.year != today.year else ""
    )
    weeks = (today - since).days // 7
    gap = f"{weeks} week{'s' if weeks != 1 else ''}" if weeks else "days"
    if family.last_seen is None:
        return f"No contact since added on {day}, {gap}"
    return f"No contact since {day}, {gap}"


def team_role_colour(role: str | None) -> str:
    """A part in the team around a family: the lead stands out."""
    return "blue" if role == "lead" else "grey"


@status_tag("caseload_part")
def caseload_part(family) -> Tag:
    """The viewer's part in a family of their caseload (queries.caseload_details)."""
    if family.my_role == "lead":
        return Tag("Lead practitioner", team_role_colour(family.my_role))
    return Tag((family.my_role or "").capitalize(), team_role_colour(family.my_role))


@status_tag("caseload_attention")
def caseload_attention(family) -> list[Tag]:
    """What needs attention in a family of a caseload, most pressing first."""
    return [
        tag
        for flag, tag in [
            (family.open_risk, Tag("Risk: action needed", "red")),
            (family.review_overdue, Tag("Review overdue", "orange")),
            (
                family.review_due and not family.review_overdue,
                Tag("Review due", "yellow"),
            ),
            (family.plan_actions_due, Tag("Plan action due", "yellow")),
            (family.awaiting_advice, Tag("Awaiting specialist advice", "grey")),
            (family.no_recent_contact, Tag(quiet_for(family), "grey")),
        ]
        if flag
    ]


@status_tag("consent")
def consent_tag(consent) -> Tag:
    return Tag("Given", "green") if consent.is_standing else Tag("Withdrawn", "grey")


@status_tag("emergency_access_review")
def emergency_access_review_tag(grant) -> Tag:
    return Tag("Reviewed", "green") if grant.reviewed_at else Tag("To review", "red")


def caseload_row(family, no_contact_days: int) -> list:
    """One family of a caseload download: what the caseload page shows, and no
    more (no notes, no scores, nothing restricted)."""
    attention = [tag.text for tag in caseload_attention(family)]
    members = ", ".join(
        f"{p.full_name or p.get_role_display()} ({p.get_role_display().lower()})"
        for p in family.members.all()
    )
    return [
        str(family.pk),
        family_name(family),
        members,
        family.postcode,
        family.level.capitalize(),
        caseload_part(family).text,
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
