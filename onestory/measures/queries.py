"""Reads of questionnaires. Every one starts from a family already in scope."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from onestory.measures import instruments
from onestory.measures.models import (
    Intervention,
    LicensedText,
    QuestionnaireResponse,
    ReviewPoint,
)


def get_person(family, person_id):
    person = family.members.filter(pk=person_id).first()
    if person is None:
        raise Http404("No such person in this family")
    return person


def get_response(family, response_id) -> QuestionnaireResponse:
    response = (
        QuestionnaireResponse.objects.filter(person__family=family, pk=response_id)
        .select_related("person", "recorded_by", "reviewed_by", "supersedes")
        .prefetch_related("risk_action__recorded_by")
        .first()
    )
    if response is None:
        raise Http404("No such questionnaire in this family")
    return response


def get_enrolment(family, enrolment_id) -> Intervention:
    """A programme one of the family's people is enrolled in (404 otherwise)."""
    return get_object_or_404(
        Intervention.objects.select_related("person", "programme"),
        pk=enrolment_id,
        person__family=family,
    )


def history(response) -> list[QuestionnaireResponse]:
    """The response and the versions it replaced, newest first."""
    versions, current = [], response
    while current is not None:
        versions.append(current)
        current = current.supersedes
    return versions


def responses_for(person, instrument_code):
    return (
        QuestionnaireResponse.objects.current()
        .filter(person=person, instrument_code=instrument_code)
        .prefetch_related("review_points")
        .order_by("completed_on", "recorded_at")
    )


def outstanding_review_points(person, instrument_code=None):
    points = ReviewPoint.objects.filter(
        intervention__person=person, completed_by__isnull=True
    ).select_related("intervention")
    if instrument_code:
        points = points.filter(instrument_code=instrument_code)
    return points


def outstanding_by_measure(family) -> dict:
    """Review points not yet done, by (person id, instrument code), in one
    query: the printed sheet's charts show them as the progress page does."""
    groups: dict = {}
    points = ReviewPoint.objects.filter(
        intervention__person__family=family, completed_by__isnull=True
    ).select_related("intervention")
    for point in points:
        key = (point.intervention.person_id, point.instrument_code)
        groups.setdefault(key, []).append(point)
    return groups


def family_measures(family) -> dict:
    """Everything the family record shows about questionnaires, in three queries."""
    responses = list(
        QuestionnaireResponse.objects.current()
        .filter(person__family=family)
        .select_related("person", "recorded_by")
        .prefetch_related("risk_action")
        .order_by("-completed_on", "-recorded_at")
    )
    points = list(
        ReviewPoint.objects.filter(intervention__person__family=family)
        .select_related("intervention__person", "completed_by")
        # Grouped by programme on the record, the latest programme first.
        .order_by("-intervention__started_on", "intervention_id", "due_on")
    )
    enrolments = list(
        Intervention.objects.filter(person__family=family)
        .select_related("person", "deliverer")
        .order_by("-started_on")
    )
    return {
        "enrolments": enrolments,
        "responses": responses,
        "open_risks": [r for r in responses if r.has_risk and not _has_action(r)],
        "to_review": [
            r for r in responses if r.mode == "self_completion" and not r.reviewed_at
        ],
        "review_points": points,
        "today": timezone.localdate(),
    }


def _has_action(response) -> bool:
    try:
        return response.risk_action is not None
    except QuestionnaireResponse.risk_action.RelatedObjectDoesNotExist:
        return False


def with_licensed_text(instrument):
    """The instrument as forms show it: with any licensed wording an admin loaded."""
    row = LicensedText.objects.filter(
        instrument_code=instrument.code, instrument_version=instrument.version
    ).first()
    return _shown(instrument, None if row is None else row.payload)


def _shown(instrument, payload):
    if payload is None:
        return instrument
    return instrument.with_licensed_text(instrument.validate_licensed_text(payload))


def self_completion_options():
    """The instruments a parent can be sent to fill in (their wording is
    shipped or loaded), and the others, each with the reason it is not
    offered: (offered, [(instrument, reason)])."""
    loaded = {
        (row.instrument_code, row.instrument_version): row.payload
        for row in LicensedText.objects.all()
    }
    offered, refused = [], []
    for definition in instruments.all_instruments():
        shown = _shown(definition, loaded.get((definition.code, definition.version)))
        reason = shown.self_completion_refusal()
        if reason is None:
            offered.append(shown)
        else:
            refused.append((shown, reason))
    return offered, refused


def responses_by_measure(family) -> dict:
    """Current responses grouped by (person, instrument code), oldest first."""
    groups: dict = {}
    responses = (
        QuestionnaireResponse.objects.current()
        .filter(person__family=family)
        .select_related("person")
        .prefetch_related("review_points")
        .order_by("completed_on", "recorded_at")
    )
    for response in responses:
        groups.setdefault((response.person, response.instrument_code), []).append(
            response
        )
    return groups


def possible_deliverers(user, family):
    """Who may be named to deliver a programme with this family: the user, their
    teams, and the team around the family (whether each is accredited is the
    service's check, with its reason)."""
    from django.db.models import Q

    from onestory.accounts.models import FAMILY_ROLES, User

    return (
        User.objects.filter(is_active=True, role_grants__role__in=FAMILY_ROLES)
        .filter(
            Q(pk=user.pk)
            | Q(teams__in=user.team_ids)
            | Q(
                involvements__episode__family=family,
                involvements__ended_at__isnull=True,
            )
        )
        .distinct()
        .order_by("full_name")
    )
