"""Demo city, part 3: interventions and questionnaire histories.

Trajectories show improvement, no change and deterioration, and a few risk
answers still waiting for action, so every screen has something true to show.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from onestory.core.demo import insert
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
    programmes = {name: _programme(name) for name in {plan[0] for plan in PLANS}}
    # Identifiers only: model instances for 40,000 carers cost more than the rest.
    # Oldest family first; in a family, the mother or other carer before a partner.
    carers = (
        Person.objects.filter(role=PersonRole.PARENT_CARER)
        .order_by("family__created_at", "family_id", "-parent_role")
        .values_list("pk", "family_id", "recorded_by_id")
    )
    seen_families = set()
    interventions: list[Intervention] = []
    points: list[ReviewPoint] = []
    responses: list[QuestionnaireResponse] = []
    for carer_id, family_id, lead_id in carers:
        if family_id in seen_families or rng.random() > share:
            continue
        seen_families.add(family_id)
        _plan_for(
            carer_id, lead_id, programmes, rng, today, interventions, points, responses
        )
    insert(Intervention, interventions)
    insert(QuestionnaireResponse, responses)
    insert(ReviewPoint, points)
    insert(
        RiskAction,
        (
            RiskAction(
                response=response,
                action_taken="Talked it through the same day; safety plan agreed; "
                "GP told.",
                recorded_by_id=response.recorded_by_id,
                recorded_at=response.recorded_at,
            )
            for response in responses
            # Recorded by the family's lead, who acted on the answer.
            if response.has_risk and response.recorded_by_id is not None
        ),
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
    response = _response(carer.pk, "PHQ9", 14, yesterday, practitioner.pk, rng)
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


def _plan_for(
    carer_id, lead_id, programmes, rng, today, interventions, points, responses
) -> None:
    name, codes, baselines, steps = rng.choice(PLANS)
    weeks = rng.choice([12, 16, 20])
    started = today - timedelta(days=rng.randint(7, weeks * 7 + 30))
    intervention = Intervention(
        person_id=carer_id,
        programme=programmes[name],
        name=name,
        deliverer_id=lead_id,
        started_on=started,
        planned_weeks=weeks,
        instrument_codes=list(codes),
        created_by_id=lead_id,
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
                response = _response(carer_id, code, target, due, lead_id, rng)
                responses.append(response)
                point.completed_by = response


def _response(person_id, code, target, when, lead_id, rng) -> QuestionnaireResponse:
    answers = _answers_for(instruments.get(code), target, rng)
    return response_with(person_id, code, answers, when, lead_id)


def response_with(person_id, code, answers, when, lead_id) -> QuestionnaireResponse:
    """A completion of `code` with these answers, scored as the service scores."""
    instrument = instruments.get(code)
    score = instrument.score(answers)
    return QuestionnaireResponse(
        person_id=person_id,
        instrument_code=code,
        instrument_version=instrument.version,
        # Stored as the service stores them: readings that are not whole as text.
        answers={k: v if isinstance(v, int) else str(v) for k, v in answers.items()},
        score=score.to_dict(),
        total=score.total,
        status=score.status,
        has_risk=score.has_risk,
        completed_on=when,
        mode=Mode.PRACTITIONER,
        recorded_by_id=lead_id,
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


def answers_at(instrument, level: float, rng, *, reversed_keys=()) -> dict:
    """Answers to every scored item near `level` of its range (0 the lowest
    keyed value, 1 the highest; for `reversed_keys`, near 1 - level): options
    by position, readings as Decimals in the item's steps."""
    answers = {}
    for item in instrument.items:
        if not item.scored:
            continue
        want = 1 - level if item.key in reversed_keys else level
        want = min(1.0, max(0.0, want + rng.uniform(-0.15, 0.15)))
        if item.kind == "choice":
            values = [option.value for option in item.options]
            target = min(values) + want * (max(values) - min(values))
            chosen = min(item.options, key=lambda o: abs(o.value - target))
            answers[item.key] = chosen.position
        else:
            reading = item.minimum + (item.maximum - item.minimum) * Decimal(
                f"{want:.3f}"
            )
            answers[item.key] = reading.quantize(
                Decimal(1).scaleb(-item.decimal_places)
            )
    return answers
