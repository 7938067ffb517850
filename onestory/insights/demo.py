"""Demo city, last part: episodes that ended in the last full quarter and this
one, with their intervention sessions and PHQ-9 and GAD-7 first and last
scores, so the service report has completions and outcomes to show. An ended
episode opened well before its last twelve weeks, and nothing in it (nor a
questionnaire of its family) is dated after it ended."""

from datetime import datetime, time, timedelta

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

from onestory.core.demo import insert, update
from onestory.families.models import Person, PersonRole
from onestory.insights import domain
from onestory.measures import instruments
from onestory.measures.demo import _response, answers_at, response_with
from onestory.measures.instruments.mors_sf import INVASION_ITEMS
from onestory.measures.models import Intervention, QuestionnaireResponse
from onestory.support.models import (
    ClosureReason,
    Contact,
    ContactPurpose,
    ContactType,
    Episode,
    Involvement,
    InvolvementRole,
)

# (first PHQ-9, first GAD-7, last PHQ-9, last GAD-7): recovered, reliably
# improved but not recovered, no reliable change, deteriorated, not at caseness.
COURSES = [(16, 13, 6, 5), (18, 15, 11, 9), (12, 10, 11, 9), (11, 8, 18, 13),
           (7, 5, 4, 3)]  # fmt: skip
# Other measures some families completed at the start and at the end: where
# their answers sat in each item's range (0 the lowest, 1 the highest) first
# and last: better, about the same, worse. Higher is better on the ORS, the
# MORS-SF Warmth items and the Outcomes Star; lower on the Invasion items.
OTHER_MEASURES = {
    "ORS": [(0.5, 0.78), (0.55, 0.6), (0.7, 0.5)],
    "MORS_SF": [(0.45, 0.8), (0.6, 0.65), (0.7, 0.5)],
    "STAR": [(0.3, 0.65), (0.4, 0.5), (0.55, 0.4)],
}
OTHER_SHARE = 0.6  # of the families with first and last PHQ-9 and GAD-7
REASONS = [ClosureReason.NEEDS_MET] * 5 + [
    ClosureReason.DECLINED,
    ClosureReason.MOVED_AWAY,
    ClosureReason.REFERRED_ELSEWHERE,
]


def build_endings(rng, *, keep_open_for=None, share: float = 0.12) -> None:
    today = timezone.localdate()
    periods = [domain.last_full_quarter(today), domain.quarter_of(today)]
    if periods[1].start == today:  # no day of this quarter has ended yet
        periods.pop()
    # Opened before the sessions of the earliest possible ending.
    opened_by = timezone.make_aware(
        datetime.combine(periods[0].start - timedelta(weeks=13), time.min)
    )
    # Not a family in the middle of an intervention (measures/demo.py): its
    # review points run on past the ending.
    in_one = Intervention.objects.filter(person__family=OuterRef("family"))
    episodes = (
        Episode.objects.filter(closed_at=None, opened_at__lt=opened_by)
        .exclude(Exists(in_one))
        .exclude(involvements__practitioner=keep_open_for)
        .order_by("opened_at", "pk")
        .values_list("pk", "family_id")
    )
    leads = dict(
        Involvement.objects.filter(
            role=InvolvementRole.LEAD, ended_at=None, episode__closed_at=None
        ).values_list("episode_id", "practitioner_id")
    )
    # Each family's first carer: the mother or other carer, before a partner.
    carers: dict = {}
    for family_id, person_id in (
        Person.objects.filter(role=PersonRole.PARENT_CARER)
        .order_by("-parent_role", "pk")
        .values_list("family_id", "pk")
    ):
        carers.setdefault(family_id, person_id)
    contacts, responses, ended = [], [], []
    # A fixed share of the open episodes, whatever the draw: a small city has
    # some endings too.
    wanted = round(share * Episode.objects.filter(closed_at=None).count())
    open_episodes = list(episodes)
    count = len(open_episodes)
    picked = sorted(rng.sample(range(count), min(wanted, count)))
    for episode_id, family_id in (open_episodes[index] for index in picked):
        period = rng.choice(periods)
        last = min(period.end, today) - timedelta(days=1)
        closed_on = period.start + timedelta(
            days=rng.randint(0, (last - period.start).days)
        )
        start = closed_on - timedelta(weeks=12)
        lead = leads[episode_id]
        sessions = rng.choice([0, 1, 2, 4, 6, 6, 8, 8])
        for week in range(sessions):
            when = _at(start + timedelta(weeks=week + 1), rng)
            contacts.append(_session(episode_id, when, lead, rng))
        carer = carers.get(family_id)
        if carer is not None and sessions >= 2 and rng.random() < 0.8:
            phq, gad, phq_end, gad_end = rng.choice(COURSES)
            for code, first, final in (("PHQ9", phq, phq_end), ("GAD7", gad, gad_end)):
                responses.append(_response(carer, code, first, start, lead, rng))
                responses.append(_response(carer, code, final, closed_on, lead, rng))
            responses += _other_measures(rng, carer, lead, start, closed_on)
        ended.append(
            Episode(
                pk=episode_id,
                closed_at=_at(closed_on, rng),
                closed_by_id=lead,
                closure_reason=rng.choice(REASONS),
                closure_note="Ending agreed with the family.",
            )
        )
    insert(Contact, contacts)
    insert(QuestionnaireResponse, responses)
    update(Episode, ended, ["closed_at", "closed_by", "closure_reason", "closure_note"])
    _nothing_after_the_end()


def _nothing_after_the_end() -> None:
    """The history written up to today for episodes that have now ended stops
    at the end: later contacts, changes of level, consultations and joiners
    go, and everyone still on the team (or leaving later) leaves when it
    closed."""
    from onestory.support.models import Consultation, LevelChange

    for model, field in [
        (Contact, "occurred_at"),
        (LevelChange, "changed_at"),
        (Consultation, "asked_at"),
        (Involvement, "started_at"),
    ]:
        model._default_manager.filter(
            episode__closed_at__isnull=False,
            **{f"{field}__gte": F("episode__closed_at")},
        ).delete()
    Consultation.objects.filter(
        episode__closed_at__isnull=False, answered_at__gt=F("episode__closed_at")
    ).update(advice="", review_on=None, answered_at=None)
    closed = Involvement.objects.filter(episode__closed_at__isnull=False)
    closed.filter(Q(ended_at=None) | Q(ended_at__gt=F("episode__closed_at"))).update(
        ended_at=Subquery(
            Episode.objects.filter(pk=OuterRef("episode_id")).values("closed_at")
        ),
        end_reason="Episode closed",
    )


def _other_measures(rng, carer, lead, start, closed_on) -> list:
    """ORS, MORS-SF and Outcomes Star readings at the start and the end, for
    some. (No SDQ: it is for children of 2 to 4, and the demo's are younger.)"""
    responses = []
    for code, courses in OTHER_MEASURES.items():
        if rng.random() > OTHER_SHARE:
            continue
        instrument = instruments.get(code)
        reversed_keys = INVASION_ITEMS if code == "MORS_SF" else ()
        for level, day in zip(rng.choice(courses), (start, closed_on), strict=True):
            answers = answers_at(instrument, level, rng, reversed_keys=reversed_keys)
            responses.append(response_with(carer, code, answers, day, lead))
    return responses


def _at(day, rng) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(9, 15), 0)))


def _session(episode_id, when, practitioner_id, rng) -> Contact:
    return Contact(
        episode_id=episode_id,
        occurred_at=when,
        contact_type=rng.choice([ContactType.HOME_VISIT, ContactType.HUB]),
        practitioner_id=practitioner_id,
        attendance="attended" if rng.random() < 0.9 else "late",
        purpose=ContactPurpose.INTERVENTION,
        duration_minutes=60,
        notes="Worked on the plan together.",
        recorded_by_id=practitioner_id,
        recorded_at=when,
    )


LEARNING = [
    (
        "C1",
        "Do families who move from targeted to specialist support keep seeing the "
        "practitioner they know?",
        "Specialists joined as consultants at the lead's visits instead of taking "
        "the family over.",
        "Families kept their lead in most changes of level; two asked for the "
        "specialist to visit with the lead again.",
        "Try joint first visits for every step-up this quarter, and look at C5 again.",
    ),
    (
        "R1",
        "Are fathers and partners reaching our hubs?",
        "A Saturday morning session at two hubs.",
        "New dads came, most through their partner's health visitor.",
        "Ask health visitors to invite partners at the new birth visit.",
    ),
]


def build_learning(*, by) -> None:
    """Two turns of the learning cycle from the last full quarter, written by
    the demo team manager, shown beside their figures in the report."""
    from onestory.insights.models import LearningEntry

    period = domain.last_full_quarter(timezone.localdate())
    LearningEntry.objects.bulk_create(
        LearningEntry(
            local_authority=by.organisation.local_authority,
            team=by.teams.first(),
            period=period.key,
            metric_codes=[code],
            question=question,
            tried=tried,
            noticed=noticed,
            next_steps=next_steps,
            written_by=by,
        )
        for code, question, tried, noticed, next_steps in LEARNING
    )


def build_area_lookup(rng) -> None:
    """An invented area lookup for the demo's postcodes, so the report can show
    deprivation. The deciles and LSOA codes are made up: load the real ones
    with `python -m onestory load_deprivation` (docs/insights.md)."""
    from onestory.families.models import Family
    from onestory.insights.models import AreaDeprivation

    postcodes = sorted(set(Family.objects.values_list("postcode", flat=True)))
    # Plymouth has more deprived areas than most: weight the lower deciles.
    deciles = [1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 8, 9, 10]
    AreaDeprivation.objects.bulk_create(
        (
            AreaDeprivation(
                postcode=postcode,
                lsoa_code=f"E01{990000 + number // 15:06d}",  # ~15 postcodes each
                imd_decile=rng.choice(deciles),
            )
            for number, postcode in enumerate(postcodes)
        ),
        batch_size=1000,
        ignore_conflicts=True,
    )
