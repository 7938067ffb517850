"""Demo city, part 3: interventions and questionnaire histories.

Trajectories show improvement, no change and deterioration, and a few risk
answers still waiting for action, so every screen has something true to show.
"""

from datetime import timedelta

from django.utils import timezone

from onestory.families.models import Person, PersonRole
from onestory.measures import instruments
from onestory.measures.models import (
    Intervention,
    Mode,
    QuestionnaireResponse,
    ReviewPoint,
    RiskAction,
)
from onestory.measures.services import review_dates
from onestory.programmes.models import Programme

# (name, measures, baseline totals, change per review) for a parent's work.
PLANS = [
    ("One-to-one perinatal support", ("PHQ9", "GAD7"), (16, 13), (-5, -4)),
    ("Video Interaction Guidance (VIG)", ("EPDS",), (15,), (-4,)),
    ("NHS Talking Therapies (step 2)", ("PHQ9", "GAD7"), (12, 10), (0, 1)),
    ("One-to-one perinatal support", ("PHQ9", "GAD7"), (9, 7), (4, 3)),
]


def build_measures(rng, *, risk_example_for=None, share: float = 0.4) -> None:
    today = timezone.localdate()
    carers = list(
        Person.objects.filter(role=PersonRole.PARENT_CARER)
        .select_related("family")
        .order_by("family__created_at", "pk")
    )
    seen_families = set()
    interventions, points, responses = [], [], []
    for carer in carers:
        if carer.family_id in seen_families or rng.random() > share:
            continue
        seen_families.add(carer.family_id)
        _plan_for(carer, rng, today, interventions, points, responses)
    Intervention.objects.bulk_create(interventions, batch_size=500)
    QuestionnaireResponse.objects.bulk_create(responses, batch_size=500)
    ReviewPoint.objects.bulk_create(points, batch_size=500)
    RiskAction.objects.bulk_create(
        RiskAction(
            response=response,
            action_taken="Talked it through the same day; safety plan agreed; GP told.",
            recorded_by=response.recorded_by,
            recorded_at=response.recorded_at,
        )
        for response in responses
        if response.has_risk
    )
    if risk_example_for is not None:
        _risk_example(risk_example_for, rng)


def _risk_example(practitioner, rng) -> None:
    """A PHQ-9 from yesterday with item 9 answered, not yet acted on."""
    carer = (
        Person.objects.filter(
            role=PersonRole.PARENT_CARER,
            family__episodes__involvements__practitioner=practitioner,
        )
        .order_by("family__created_at")
        .first()
    )
    if carer is None:
        return
    yesterday = timezone.localdate() - timedelta(days=1)
    response = _response(carer, "PHQ9", 14, yesterday, practitioner, rng)
    response.answers["9"] = 1
    score = instruments.get("PHQ9").score(response.answers)
    response.score, response.total = score.to_dict(), score.total
    response.status, response.has_risk = score.status, score.has_risk
    response.save()


def _programme(name):
    """The catalogue's programme (seeded by a migration; made again if gone)."""
    return Programme.objects.get_or_create(
        name=name, defaults={"delivery": "one_to_one", "level": "targeted"}
    )[0]


def _plan_for(carer, rng, today, interventions, points, responses) -> None:
    name, codes, baselines, steps = rng.choice(PLANS)
    weeks = rng.choice([12, 16, 20])
    started = today - timedelta(days=rng.randint(7, weeks * 7 + 30))
    lead = carer.recorded_by
    intervention = Intervention(
        person=carer,
        programme=_programme(name),
        name=name,
        deliverer=lead,
        started_on=started,
        planned_weeks=weeks,
        instrument_codes=list(codes),
        created_by=lead,
    )
    interventions.append(intervention)
    for stage, (kind, due) in enumerate(review_dates(started, weeks)):
        for code, baseline, step in zip(codes, baselines, steps, strict=True):
            point = ReviewPoint(
                intervention=intervention, kind=kind, instrument_code=code, due_on=due
            )
            points.append(point)
            if due <= today:
                target = baseline + step * stage + rng.randint(-1, 1)
                response = _response(carer, code, target, due, lead, rng)
                responses.append(response)
                point.completed_by = response


def _response(person, code, target, when, lead, rng) -> QuestionnaireResponse:
    instrument = instruments.get(code)
    answers = _answers_for(instrument, target, rng)
    score = instrument.score(answers)
    return QuestionnaireResponse(
        person=person,
        instrument_code=code,
        instrument_version=instrument.version,
        answers=answers,
        score=score.to_dict(),
        total=score.total,
        status=score.status,
        has_risk=score.has_risk,
        completed_on=when,
        mode=Mode.PRACTITIONER,
        recorded_by=lead,
        recorded_at=timezone.now() - timedelta(days=(timezone.localdate() - when).days),
    )


def _answers_for(instrument, target: int, rng) -> dict:
    """Option positions whose keyed values add up to `target` (clamped)."""
    items = [item for item in instrument.items if item.kind == "choice" and item.scored]
    top = max(option.value for option in items[0].options)
    values = [0] * len(items)
    remaining = max(0, min(target, top * len(items)))
    while remaining:
        index = rng.randrange(len(items))
        # Risk answers stay rare: most demo people are not at risk.
        if items[index].is_risk_item and rng.random() < 0.97:
            continue
        if values[index] < top:
            values[index] += 1
            remaining -= 1
    return {
        item.key: next(o.position for o in item.options if o.value == value)
        for item, value in zip(items, values, strict=True)
    }
