"""Reads about staff training and supervision, each with a fixed number of queries."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, Max, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from onestory.accounts.models import Role, User
from onestory.core.refusals import Refusal
from onestory.support.models import Involvement
from onestory.workforce import domain
from onestory.workforce.models import (
    SupervisedPractice,
    Supervision,
    TrainingNeed,
    TrainingRecord,
    TrainingStatus,
)

EXPIRING_WITHIN_DAYS = 60


def current_accreditations(user, on: date) -> set[str]:
    """Names of the accrediting courses the user holds now."""
    return {
        record.course.name
        for record in TrainingRecord.objects.filter(
            user=user,
            status=TrainingStatus.COMPLETED,
            course__accredits=True,
            verified_at__isnull=False,
        ).select_related("course")
        if domain.is_current(record.completed_on, record.expires_on, on)
    }


def supervised_practice(user, on: date) -> set[str]:
    return set(
        SupervisedPractice.objects.filter(user=user, until__gte=on).values_list(
            "course__name", flat=True
        )
    )


def delivery_decision(user, *, programme: str, required, on: date):
    """Whether the user may deliver a programme that requires `required` (a
    TrainingCourse, or None)."""
    return domain.may_deliver(
        programme=programme,
        required=required.name if required else None,
        current=current_accreditations(user, on),
        supervised_practice=supervised_practice(user, on),
    )


def managed_by(manager):
    """Staff in the teams a team manager manages (not the manager themself)."""
    if Role.TEAM_MANAGER not in manager.roles:
        return User.objects.none()
    # Other team managers in the same team are colleagues, not people managed.
    return (
        User.objects.filter(is_active=True, teams__in=manager.team_ids)
        .exclude(role_grants__role=Role.TEAM_MANAGER)
        .distinct()
    )


def supervision_visible_to(viewer):
    """The one scope for supervision records: the supervisee, the supervisor,
    and the supervisee's team managers."""
    return Supervision.objects.filter(
        Q(supervisee=viewer)
        | Q(supervisor=viewer)
        | Q(supervisee__in=managed_by(viewer).values("pk"))
    ).select_related("supervisee", "supervisor")


def may_manage(viewer, user) -> bool:
    return viewer.pk == user.pk or managed_by(viewer).filter(pk=user.pk).exists()


def get_person_to_train(viewer, user_id=None) -> User:
    """The viewer (no id), or an active member of staff they manage (404 else)."""
    if user_id is None:
        return viewer
    person = get_object_or_404(User, pk=user_id, is_active=True)
    if not may_manage(viewer, person):
        raise Http404
    return person


def get_open_need(user, need_id) -> TrainingNeed:
    """One of the user's own training needs not yet met."""
    return get_object_or_404(TrainingNeed, pk=need_id, user=user, met_at=None)


def get_record_to_confirm(viewer, record_id) -> TrainingRecord:
    """Someone else's training record that the viewer manages (404 else)."""
    record = get_object_or_404(
        TrainingRecord.objects.select_related("user"), pk=record_id
    )
    if not may_manage(viewer, record.user) or record.user == viewer:
        raise Http404
    return record


def get_supervision(viewer, supervision_id) -> Supervision:
    return get_object_or_404(supervision_visible_to(viewer), pk=supervision_id)


@dataclass(frozen=True)
class Training:
    """One training record and where it stands on a day."""

    record: TrainingRecord
    current: bool
    expiring_soon: bool


@dataclass(frozen=True)
class TeamMember:
    """One row of the team page: a member of the manager's teams."""

    user: User
    accreditations: list[TrainingRecord]
    expiring: list[TrainingRecord]
    last_supervision: date | None
    supervision_due: domain.SupervisionDue
    champion: bool
    to_confirm: list[TrainingRecord]
    caseload: int
    open_needs: int


def my_development(user, on: date) -> dict:
    records = [
        Training(
            record,
            current=domain.is_current(record.completed_on, record.expires_on, on),
            expiring_soon=domain.expiring_soon(
                record.expires_on, on, within_days=EXPIRING_WITHIN_DAYS
            ),
        )
        for record in TrainingRecord.objects.filter(user=user).select_related("course")
    ]
    supervision = list(supervision_visible_to(user).filter(supervisee=user)[:10])
    last = supervision[0].held_on if supervision else None
    return {
        "records": records,
        "champion": any(r.current and r.record.course.makes_champion for r in records),
        "needs": list(TrainingNeed.objects.filter(user=user)),
        "supervision": supervision,
        "supervision_due": domain.supervision_due(
            last, on, every_weeks=settings.SUPERVISION_EVERY_WEEKS
        ),
        "supervised_practice": list(
            SupervisedPractice.objects.filter(user=user, until__gte=on).select_related(
                "course"
            )
        ),
    }


def team_overview(manager, on: date) -> list[TeamMember]:
    """One row per member of the manager's teams: accreditations held and
    expiring, supervision due, caseload size and open training needs. Five
    queries, whatever the team's size."""
    members = list(managed_by(manager).order_by("full_name"))
    ids = [member.pk for member in members]
    held: dict[object, list[TrainingRecord]] = {}
    to_confirm: dict[object, list[TrainingRecord]] = {}
    champions = set()
    for record in TrainingRecord.objects.filter(
        Q(course__accredits=True) | Q(course__makes_champion=True),
        user__in=ids,
        status=TrainingStatus.COMPLETED,
    ).select_related("course"):
        if not domain.is_current(record.completed_on, record.expires_on, on):
            continue
        if record.verified_at is None:
            to_confirm.setdefault(record.user_id, []).append(record)
            continue
        if record.course.makes_champion:
            champions.add(record.user_id)
        if record.course.accredits:
            held.setdefault(record.user_id, []).append(record)
    last_supervision = dict(
        Supervision.objects.filter(supervisee__in=ids)
        .values("supervisee")
        .annotate(last=Max("held_on"))
        .values_list("supervisee", "last")
    )
    caseloads = dict(
        Involvement.objects.filter(
            practitioner__in=ids, ended_at=None, episode__closed_at=None
        )
        .values("practitioner")
        .annotate(families=Count("episode__family", distinct=True))
        .values_list("practitioner", "families")
    )
    needs = dict(
        TrainingNeed.objects.filter(user__in=ids, met_at=None)
        .values("user")
        .annotate(open=Count("pk"))
        .values_list("user", "open")
    )
    rows = []
    for member in members:
        accreditations = sorted(held.get(member.pk, []), key=lambda r: r.course.name)
        last = last_supervision.get(member.pk)
        rows.append(
            TeamMember(
                member,
                accreditations=accreditations,
                expiring=[
                    r
                    for r in accreditations
                    if domain.expiring_soon(
                        r.expires_on, on, within_days=EXPIRING_WITHIN_DAYS
                    )
                ],
                last_supervision=last,
                supervision_due=domain.supervision_due(
                    last, on, every_weeks=settings.SUPERVISION_EVERY_WEEKS
                ),
                champion=member.pk in champions,
                to_confirm=to_confirm.get(member.pk, []),
                caseload=caseloads.get(member.pk, 0),
                open_needs=needs.get(member.pk, 0),
            )
        )
    return rows


class NotAccredited(Refusal):
    """Someone may not deliver a programme; the message says why."""


def check_may_deliver(person, programme, on: date, *, field: str | None = None):
    """The decision for `person` delivering `programme` on a day; refused with
    NotAccredited and the reason (about the form's `field`, if named)."""
    decision = delivery_decision(
        person, programme=programme.name, required=programme.required_course, on=on
    )
    if not decision.allowed:
        raise NotAccredited(decision.reason, field=field)
    return decision
