"""Questionnaires on a family's record: recorded, shown, changed, acted on,
and the progress they show."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect

from onestory.accounts.models import CLINICAL_ROLES
from onestory.core.forms import act_on
from onestory.core.refusals import Refusal
from onestory.families.pages import family_view, render_family_page
from onestory.measures import instruments, presenters, queries, services
from onestory.measures.forms import (
    AmendQuestionnaireForm,
    ChooseQuestionnaireForm,
    RecordQuestionnaireForm,
    RiskActionForm,
)
from onestory.support import queries as support_queries


def _instrument(code):
    try:
        return instruments.get(code)
    except KeyError:
        raise Http404("No such questionnaire") from None


def _to_response(family, response):
    return redirect(
        "measures:show_questionnaire", family_id=family.pk, response_id=response.pk
    )


@family_view("GET", roles=CLINICAL_ROLES)
def choose_questionnaire(request, family):
    form = ChooseQuestionnaireForm(request.GET or None, people=family.members.all())
    if request.GET and form.is_valid():
        return redirect(
            "measures:record_questionnaire",
            family_id=family.pk,
            person_id=form.cleaned_data["person"].pk,
            code=form.cleaned_data["instrument"],
        )
    return render_family_page(
        request, family, "measures/choose_questionnaire.html", form=form
    )


@family_view("GET", "POST", roles=CLINICAL_ROLES)
def record_questionnaire(request, family, person_id, code):
    person = queries.get_person(family, person_id)
    instrument = queries.with_licensed_text(_instrument(code))
    form = RecordQuestionnaireForm(
        request.POST or None, instrument=instrument, person=person, user=request.user
    )
    if request.method == "POST" and form.ready_to_save():
        response = form.record(form.cleaned_data)
        messages.success(request, f"{instrument.short_name} recorded.")
        return _to_response(family, response)
    return render_family_page(
        request,
        family,
        "measures/record_questionnaire.html",
        form=form,
        person=person,
        instrument=instrument,
    )


@family_view("GET", roles=CLINICAL_ROLES)
def show_questionnaire(request, family, response_id):
    response = queries.get_response(family, response_id)
    return _show_response(request, family, response, RiskActionForm())


def _show_response(request, family, response, risk_form):
    instrument = queries.with_licensed_text(response.instrument)
    return render_family_page(
        request,
        family,
        "measures/show_questionnaire.html",
        response=response,
        instrument=instrument,
        score=response.scored,
        summary=instruments.describe_score(instrument, response.scored),
        unanswered=presenters.unanswered(instrument, response.scored),
        answers=presenters.answer_rows(instrument, response),
        history=queries.history(response),
        is_current=not hasattr(response, "superseded_by"),
        risk_form=risk_form,
    )


@family_view("GET", "POST", roles=CLINICAL_ROLES)
def amend_questionnaire(request, family, response_id):
    response = queries.get_response(family, response_id)
    form = AmendQuestionnaireForm(
        request.POST or None, response=response, user=request.user
    )
    ready = request.method == "POST" and form.ready_to_save()
    if ready and (done := act_on(request, form, form.amend)):
        name = form.instrument.short_name
        messages.success(request, f"{name} changed. The original is kept.")
        return _to_response(family, done.result)
    return render_family_page(
        request,
        family,
        "measures/amend_questionnaire.html",
        form=form,
        response=response,
        instrument=form.instrument,
    )


@family_view("POST", roles=CLINICAL_ROLES)
def record_risk_action(request, family, response_id):
    response = queries.get_response(family, response_id)
    form = RiskActionForm(request.POST)
    if not form.is_valid():
        return _show_response(request, family, response, form)
    try:
        form.record(response=response, user=request.user)
    except Refusal as refusal:  # recorded already, by someone else
        messages.info(request, refusal.message)
    else:
        messages.success(request, "Action recorded. The warning is now closed.")
    return _to_response(family, response)


@family_view("POST", roles=CLINICAL_ROLES)
def mark_questionnaire_reviewed(request, family, response_id):
    response = queries.get_response(family, response_id)
    services.mark_reviewed(response=response, by=request.user)
    messages.success(request, "Marked as reviewed.")
    return _to_response(family, response)


@family_view("GET", roles=CLINICAL_ROLES)
def show_progress(request, family, person_id, code):
    person = queries.get_person(family, person_id)
    instrument = _instrument(code)
    responses = list(queries.responses_for(person, code))
    due = list(queries.outstanding_review_points(person, code))
    context = presenters.progress_page(person, instrument, responses, due)
    return render_family_page(request, family, "measures/show_progress.html", **context)


@family_view("GET", roles=CLINICAL_ROLES)
def print_progress_sheet(request, family):
    responses = queries.responses_by_measure(family)
    sheets = presenters.progress_sheets(
        responses, queries.outstanding_by_measure(family)
    )
    contact = support_queries.who_to_contact(family)
    template = "measures/print_progress_sheet.html"
    return render_family_page(request, family, template, sheets=sheets, **contact)
