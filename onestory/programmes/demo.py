"""Two running courses with registers (one with a waiting list), one that
ended about three months ago, a weekly peer support drop-in with head counts
for the last eight months and a peer support group with a register, and
families' feedback given through the last half year. Run after the workforce
demo (the facilitators need their accreditations)."""

from datetime import datetime, time, timedelta
from importlib import import_module

from django.apps import apps
from django.utils import timezone

from onestory.accounts import demo as accounts_demo
from onestory.families.models import Person, PersonRole
from onestory.programmes import services
from onestory.programmes.models import (
    Feedback,
    FeedbackTheme,
    Mark,
    PlaceStatus,
    Programme,
)

MARKS = [Mark.ATTENDED] * 6 + [Mark.LATE, Mark.ABSENT, Mark.CANCELLED]
# Invented, in the spirit of what Plymouth's families said.
QUOTES = [
    (
        "Circle of Security Parenting",
        5,
        True,
        "I finally understood what my baby was asking me for. "
        "I cry less and so does she.",
    ),
    (
        "Perinatal peer support group",
        5,
        True,
        "Meeting other mums who felt the same made me feel normal again.",
    ),
    ("Baby massage", 4, True, "A calm hour in the week for both of us."),
    (
        None,
        5,
        True,
        "I didn't have to tell my story again and again. Same worker the whole way.",
    ),
    (
        "Video Interaction Guidance (VIG)",
        5,
        True,
        "Seeing the video of us together, I saw a good mum.",
    ),
    (None, 3, False, "The waiting list was long and nobody told me where I was on it."),
    (
        "NHS Talking Therapies (step 2)",
        4,
        True,
        "Being able to have sessions at the hub with the baby made it possible.",
    ),
    ("Baby massage", 5, True, "She sleeps better after massage, and so do I."),
    (None, 4, False, "It took three phone calls before anyone rang me back."),
    (
        "Perinatal peer support group",
        4,
        True,
        "I came for the tea and stayed for the people.",
    ),
    (None, 5, True, "My worker remembered everything I had told her. I felt held."),
    ("Circle of Security Parenting", 3, False, "The room was cold and too small."),
    (None, 5, True, "Dad was made to feel welcome too, which meant a lot to us."),
    ("Baby massage", 4, True, "A friendly group; I wish it ran in the evening."),
]
# How long ago each of QUOTES was given: about every fortnight through the last
# half year, so any quarter's report has several.
GIVEN_DAYS_AGO = [200, 185, 170, 156, 142, 128, 114, 100, 86, 72, 58, 44, 30, 16]


def build_courses(rng) -> None:
    import_module("onestory.programmes.migrations.0002_catalogue").add_catalogue(
        apps, None
    )
    practitioner = accounts_demo.demo_practitioner()
    peer = accounts_demo.named("peer.support")
    team = practitioner.teams.exclude(hub=None).first()
    if team is None or team.hub is None:
        raise LookupError("The demo practitioner has no team at a hub")
    hub = team.hub
    today = timezone.localdate()
    parents = list(
        Person.objects.filter(
            role=PersonRole.PARENT_CARER,
            family__episodes__team__hub=hub,
            family__episodes__closed_at=None,
        ).order_by("pk")[:30]
    )
    rng.shuffle(parents)
    running = _course(
        "Circle of Security Parenting",
        hub,
        [practitioner],
        "Winter",
        today - timedelta(weeks=3),
        sessions=8,
        capacity=8,
        complete=6,
    )
    for person in parents[:10]:  # 8 places, 2 waiting
        services.book_place(course=running, person=person, by=practitioner)
    _registers(rng, running, practitioner, today)
    mornings = _course(
        "Baby massage",
        hub,
        [practitioner],
        "Mornings",
        today - timedelta(days=9),
        sessions=5,
        capacity=6,
        complete=4,
    )
    for person in parents[10:14]:
        services.book_place(course=mornings, person=person, by=practitioner)
    _registers(rng, mornings, practitioner, today)
    earlier = _course(
        "Circle of Security Parenting",
        hub,
        [practitioner],
        "Earlier course",
        today - timedelta(weeks=20),
        sessions=8,
        capacity=8,
        complete=6,
    )
    for person in parents[14:22]:
        services.book_place(course=earlier, person=person, by=practitioner)
    _registers(rng, earlier, practitioner, today)
    drop_in = _course(
        "Perinatal peer support group",
        hub,
        [peer],
        "Thursday drop-in",
        today - timedelta(weeks=36),  # after the peer support worker's training
        sessions=44,
        capacity=None,
        complete=None,
        anonymous=True,
    )
    for session in drop_in.sessions.filter(starts_at__date__lt=today):
        services.record_head_count(session=session, count=rng.randint(4, 14), by=peer)
    # A peer support group whose parents are named on its register, so the
    # report can count the families it reached (P1).
    circle = _course(
        "Perinatal peer support group",
        hub,
        [peer],
        "Parents' circle",
        today - timedelta(weeks=16),  # through the last full quarter
        sessions=20,
        capacity=None,
        complete=None,
    )
    for person in parents[22:30]:
        services.book_place(course=circle, person=person, by=peer)
    _registers(rng, circle, peer, today)
    _feedback(rng, hub, practitioner)


def _feedback(rng, hub, practitioner):
    import_module("onestory.programmes.migrations.0005_feedback").add_themes(apps, None)
    themes = list(FeedbackTheme.objects.all())
    for number, (name, rating, consent, text) in enumerate(QUOTES):
        feedback = services.give_feedback(
            text=text,
            hub=hub,
            programme=Programme.objects.filter(name=name).first() if name else None,
            about_practitioner=name is None,
            rating=rating,
            consent_to_quote=consent,
            themes=rng.sample(themes, 2),
            by=practitioner if number % 3 == 0 else None,
        )
        # Given through the year, the newest last: each quarter has some.
        Feedback.objects.filter(pk=feedback.pk).update(
            given_at=timezone.now() - timedelta(days=GIVEN_DAYS_AGO[number])
        )
    # All but the newest consented quote have been read and shown.
    manager = accounts_demo.named("team.manager")
    consented = list(
        Feedback.objects.filter(consent_to_quote=True).order_by("given_at")
    )
    for feedback in consented[:-1]:
        services.check_quote(feedback=feedback, show=True, by=manager)


def _course(
    name,
    hub,
    facilitators,
    title,
    first_day,
    *,
    sessions,
    capacity,
    complete,
    anonymous=False,
):
    return services.run_course(
        programme=Programme.objects.get(name=name),
        hub=hub,
        title=title,
        facilitators=facilitators,
        first_session_at=timezone.make_aware(datetime.combine(first_day, time(10))),
        sessions=sessions,
        venue=f"{hub.name}, group room",
        capacity=capacity,
        sessions_to_complete=complete,
        anonymous_head_count=anonymous,
        by=facilitators[0],
    )


def _registers(rng, course, facilitator, today):
    booked = list(course.places.filter(status=PlaceStatus.BOOKED))
    for session in course.sessions.filter(starts_at__date__lt=today):
        services.take_register(
            session=session,
            marks={place.pk: rng.choice(MARKS) for place in booked},
            by=facilitator,
        )
