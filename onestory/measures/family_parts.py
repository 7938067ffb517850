"""What measures contributes to a family (families/parts.py): risk and reviews
due on the caseload, the record's questionnaires, and the questionnaires and
interventions in a person's subject access export.

Registered by `MeasuresConfig.ready()`.
"""

from django.db.models import Exists, Subquery

from onestory.families import parts, queries
from onestory.families.rights import Item, by_whom, when
from onestory.measures.models import Intervention, QuestionnaireResponse, ReviewPoint
from onestory.measures.queries import family_measures


def register() -> None:
    parts.caseload_details(caseload_details)
    parts.subject_access("questionnaires", questionnaire_items)
    parts.presenter("family_measures", family_measures)


def caseload_details(user, of_family, today) -> dict:
    """An open risk answer and the next review due, per family of a page of
    the caseload."""
    # Risk answers and reviews are clinical: not for peer support workers.
    if not user.sees_clinical_information:
        return {}
    return {
        "open_risk": Exists(
            QuestionnaireResponse.objects.with_open_risk().filter(
                person__family=of_family
            )
        ),
        # Through the outstanding points' partial index, per intervention.
        "next_review": Subquery(
            ReviewPoint.objects.filter(
                intervention__person__family=of_family,
                completed_by=None,
                due_on__lte=today + queries.REVIEW_SOON,
            )
            .order_by("due_on")
            .values("due_on")[:1]
        ),
    }


def questionnaire_items(person) -> list[Item]:
    items = [
        Item(
            f"{r.instrument_name} (version {r.instrument_version})",
            when(r.completed_on),
            by_whom(r.recorded_by),
            f"Total {r.total}" if r.total is not None else "Recorded",
        )
        for r in QuestionnaireResponse.objects.filter(person=person)
        .select_related("recorded_by__organisation")
        .order_by("completed_on")
    ]
    items += [
        Item(
            f"Intervention: {i.name}",
            when(i.started_on),
            by_whom(i.created_by),
            f"{i.planned_weeks} weeks planned",
        )
        for i in Intervention.objects.filter(person=person).select_related(
            "created_by__organisation"
        )
    ]
    return items
