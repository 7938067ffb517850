"""Training records (some expiring), training needs and supervision history for
the demo city's staff. Synthetic, deterministic for a seed."""

from datetime import timedelta
from importlib import import_module

from django.apps import apps
from django.utils import timezone

from onestory.accounts import demo as accounts_demo
from onestory.accounts.models import FAMILY_ROLES, Role, User
from onestory.workforce import services
from onestory.workforce.models import SupervisionKind, TrainingCourse, TrainingRecord

NEEDS = [
    "Talking with fathers about their mental health",
    "Using the PHQ-9 and GAD-7 with parents who are wary of forms",
    "Supporting parents after a traumatic birth",
    "Working with interpreters on home visits",
]
THEMES = [
    "Workload and protected time",
    "A family where progress has stalled",
    "Feeling the weight of a safeguarding concern",
    "Reflecting on a difficult home visit",
]


def build_workforce(rng) -> None:
    # The catalogue comes with the migrations; seed it again in case it was removed.
    import_module(
        "onestory.workforce.migrations.0002_training_catalogue"
    ).add_catalogue(apps, None)
    today = timezone.localdate()
    accrediting = list(TrainingCourse.objects.filter(accredits=True))
    champion = TrainingCourse.objects.get(makes_champion=True)
    manager = accounts_demo.named("team.manager")  # confirms what staff record
    staff = list(
        User.objects.filter(role_grants__role__in=FAMILY_ROLES)
        .distinct()
        .select_related("organisation")
        .order_by("email")
    )
    for person in staff:
        for course in rng.sample(accrediting, rng.randint(0, 2)):
            _completed(
                person,
                course,
                today - timedelta(days=rng.randint(30, 1400)),
                f"Certificate {rng.randint(10000, 99999)}",
                confirmed_by=manager if rng.random() < 0.85 else None,
            )
        if rng.random() < 0.2:
            _completed(
                person,
                champion,
                today - timedelta(days=rng.randint(30, 700)),
                confirmed_by=manager,
            )
        if rng.random() < 0.3:
            services.record_training(
                user=person,
                course=rng.choice(accrediting),
                status="planned",
                planned_for=today + timedelta(days=rng.randint(14, 120)),
                by=person,
            )
        if rng.random() < 0.25:
            services.record_need(
                need=rng.choice(NEEDS), confidence_before=rng.randint(1, 3), by=person
            )
    _named_people_training(today, manager)
    _supervision(rng, staff, today)


def _completed(person, course, on, note="", *, confirmed_by):
    """Training the person recorded; confirmed by a manager unless not yet."""
    record = services.record_training(
        user=person,
        course=course,
        status="completed",
        completed_on=on,
        evidence_note=note,
        by=person,
    )
    if confirmed_by is not None:
        TrainingRecord.objects.filter(pk=record.pk).update(
            verified_by=confirmed_by, verified_at=timezone.now()
        )


def _named_people_training(today, manager):
    """The demo sign-ins facilitate the demo courses, and one renewal is due soon."""
    practitioner = accounts_demo.demo_practitioner()
    for name in (
        "Circle of Security Parenting facilitator",
        "Baby massage instructor",
        "Perinatal mental health champion",
    ):
        _completed(
            practitioner,
            TrainingCourse.objects.get(name=name),
            today - timedelta(days=200),
            confirmed_by=manager,
        )
    _completed(
        accounts_demo.named("peer.support"),
        TrainingCourse.objects.get(name="Peer support worker training"),
        today - timedelta(days=300),
        confirmed_by=manager,
    )
    _completed(
        manager,
        TrainingCourse.objects.get(name="Building Babies Brains"),
        today - timedelta(days=700),  # renew within a month
        confirmed_by=manager,
    )


def _supervision(rng, staff, today):
    supervisors = {}
    for person in User.objects.filter(
        role_grants__role__in=[Role.SUPERVISOR, Role.TEAM_MANAGER]
    ).distinct():
        supervisors.setdefault(person.organisation_id, []).append(person)
    for person in staff:
        choices = [
            s for s in supervisors.get(person.organisation_id, []) if s != person
        ]
        if not choices:
            continue
        supervisor = rng.choice(choices)
        # Every five or six weeks, stopping a while ago for some: overdue.
        held_on = today - timedelta(days=rng.choice([10, 20, 30, 60, 90]))
        for _ in range(rng.randint(1, 5)):
            services.record_supervision(
                supervisee=person,
                held_on=held_on,
                kind=rng.choice(SupervisionKind.values),
                themes=rng.choice(THEMES),
                agreed_actions="Review at the next supervision.",
                by=supervisor,
            )
            held_on -= timedelta(weeks=rng.choice([5, 6]))
