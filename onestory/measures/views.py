from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from onestory.accounts.models import CLINICAL_ROLES, LocalAuthority
from onestory.accounts.presenters import for_families
from onestory.core import ratelimit
from onestory.core.permissions import public, roles_required
from onestory.families.models import PersonRole
from onestory.families.pages import render_family_page
from onestory.families.queries import get_visible_family
from onestory.measures import instruments, presenters, queries, services
from onestory.measures.forms import (
    AmendQuestionnaireForm,
    AnswersForm,
    ChooseQuestionnaireForm,
    RecordQuestionnaireForm,
    RiskActionForm,
    SendLinkForm,
    StartInterventionForm,
    UpdateEnrolmentForm,
)
from onestory.measures.models import Intervention
from onestory.programmes.models import Delivery, Programme
from onestory.support import queries as support_queries
from onestory.workforce.queries import NotAccredited


def _instrument(code):
    try:
        return instruments.get(code)
    except KeyError:
        raise Http404("No such questionnaire") from None


@roles_required(*CLINICAL_ROLES)
@require_http_methods(["GET"])
def choose_questionnaire(request, family_id):
    family = get_visible_family(request.user, family_id)
    form = ChooseQuestionnaireForm(request.GET or None, people=family.members.all())
    if request.GET and form.is_valid():
        return redirect(
            "measures:record_questionnaire",
            family_id=family.pk,
            person_id=form.cleaned_data["person"].pk,
            code=form.cleaned_data["instrument"],
        )
    return render_family_page(
        request,
        family,
        "measures/choose_questionnaire.html",
        form=form,
    )


@roles_required(*CLINICAL_ROLES)
@require_http_methods(["GET", "POST"])
def record_questionnaire(request, family_id, person_id, code):
    family = get_visible_family(request.user, family_id)
    person = queries.get_person(family, person_id)
    instrument = queries.with_licensed_text(_instrument(code))
    form = RecordQuestionnaireForm(
        request.POST or None,
        instrument=instrument,
        review_points=queries.outstanding_review_points(person, code),
    )
    if request.method == "POST" and form.ready_to_save():
        response = services.record_response(
            person=person,
            instrument=instrument,
            answers=form.answers(),
            completed_on=form.cleaned_data["completed_on"],
            review_point=form.cleaned_data["review_point"],
            by=request.user,
        )
        messages.success(request, f"{instrument.short_name} recorded.")
        return redirect(
            "measures:show_questionnaire", family_id=family.pk, response_id=response.pk
        )
    return render_family_page(
        request,
        family,
        "measures/record_questionnaire.html",
        form=form,
        person=person,
        instrument=instrument,
    )


@roles_required(*CLINICAL_ROLES)
@require_http_methods(["GET"])
def show_questionnaire(request, family_id, response_id):
    family = get_visible_family(request.user, family_id)
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


@roles_required(*CLINICAL_ROLES)
@require_http_methods(["GET", "POST"])
def amend_questionnaire(request, family_id, response_id):
    family = get_visible_family(request.user, family_id)
    response = queries.get_response(family, response_id)
    instrument = queries.with_licensed_text(response.instrument)
    initial = {f"item_{key}": value for key, value in response.answers.items()}
    form = AmendQuestionnaireForm(
        request.POST or None,
        instrument=instrument,
        initial={**initial, "completed_on": response.completed_on},
    )
    if request.method == "POST" and form.ready_to_save():
        try:
            amended = services.amend_response(
                response=response,
                answers=form.answers(),
                completed_on=form.cleaned_data["completed_on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except services.AlreadyAmended:
            form.add_error(
                None,
                "This questionnaire has already been changed: "
                "change the newest version",
            )
        else:
            messages.success(
                request, f"{instrument.short_name} changed. The original is kept."
            )
            return redirect(
                "measures:show_questionnaire",
                family_id=family.pk,
                response_id=amended.pk,
            )
    return render_family_page(
        request,
        family,
        "measures/amend_questionnaire.html",
        form=form,
        response=response,
        instrument=instrument,
    )


@roles_required(*CLINICAL_ROLES)
@require_POST
def record_risk_action(request, family_id, response_id):
    family = get_visible_family(request.user, family_id)
    response = queries.get_response(family, response_id)
    form = RiskActionForm(request.POST)
    if form.is_valid():
        try:
            services.record_risk_action(
                response=response,
                action_taken=form.cleaned_data["action_taken"],
                by=request.user,
            )
        except services.NoRiskToAct:
            messages.info(request, "Action on this answer has already been recorded.")
        else:
            messages.success(request, "Action recorded. The warning is now closed.")
        return redirect(
            "measures:show_questionnaire", family_id=family.pk, response_id=response.pk
        )
    return _show_response(request, family, response, form)


@roles_required(*CLINICAL_ROLES)
@require_POST
def mark_questionnaire_reviewed(request, family_id, response_id):
    family = get_visible_family(request.user, family_id)
    response = queries.get_response(family, response_id)
    services.mark_reviewed(response=response, by=request.user)
    messages.success(request, "Marked as reviewed.")
    return redirect(
        "measures:show_questionnaire", family_id=family.pk, response_id=response.pk
    )


@roles_required(*CLINICAL_ROLES)
@require_http_methods(["GET", "POST"])
def start_intervention(request, family_id):
    family = get_visible_family(request.user, family_id)
    programmes = Programme.objects.filter(active=True, delivery=Delivery.ONE_TO_ONE)
    form = StartInterventionForm(
        request.POST or None,
        people=family.members.all(),
        programmes=programmes,
        deliverers=queries.possible_deliverers(request.user, family),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.start_intervention(**form.cleaned_data, by=request.user)
        except NotAccredited as refusal:
            form.add_error("deliverer", str(refusal))
        else:
            messages.success(request, "Programme started. Review points are scheduled.")
            return redirect("families:family_questionnaires", family_id=family.pk)
    return render_family_page(
        request,
        family,
        "measures/start_intervention.html",
        form=form,
        no_programmes=not programmes.exists(),
    )


@roles_required(*CLINICAL_ROLES)
@require_http_methods(["GET"])
def show_progress(request, family_id, person_id, code):
    family = get_visible_family(request.user, family_id)
    person = queries.get_person(family, person_id)
    instrument = _instrument(code)
    responses = list(queries.responses_for(person, code))
    return render_family_page(
        request,
        family,
        "measures/show_progress.html",
        person=person,
        instrument=instrument,
        progress=presenters.progress(
            instrument,
            responses,
            list(queries.outstanding_review_points(person, code)),
            name=presenters.first_name(person),
        ),
        unscored=sum(1 for r in responses if r.total is None),
        can_send_link=person.role == PersonRole.PARENT_CARER
        and instrument.self_completion,
    )


@roles_required(*CLINICAL_ROLES)
@require_http_methods(["GET"])
def print_progress_sheet(request, family_id):
    family = get_visible_family(request.user, family_id)
    return render_family_page(
        request,
        family,
        "measures/print_progress_sheet.html",
        sheets=presenters.progress_sheets(
            queries.responses_by_measure(family),
            queries.outstanding_by_measure(family),
        ),
        **support_queries.who_to_contact(family),
    )


@roles_required(*CLINICAL_ROLES)
@require_http_methods(["GET", "POST"])
def send_questionnaire_link(request, family_id):
    family = get_visible_family(request.user, family_id)
    carers = family.members.filter(role="parent_carer")
    offered, not_offered = queries.self_completion_options()
    form = SendLinkForm(request.POST or None, people=carers, offered=offered)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.allow(
            f"send-link:{request.user.pk}", limit=50, window_seconds=3600
        ):
            form.add_error(
                None, "You have sent a lot of links in the last hour. Try again later"
            )
        elif _sent(request, form):
            messages.success(
                request, "Link sent. The answers will appear here for you to review."
            )
            return redirect("families:family_questionnaires", family_id=family.pk)
    return render_family_page(
        request,
        family,
        "measures/send_questionnaire_link.html",
        form=form,
        not_offered=not_offered,
        no_carers=not carers.exists(),
    )


def _sent(request, form) -> bool:
    try:
        services.send_questionnaire_link(
            person=form.cleaned_data["person"],
            instrument=instruments.get(form.cleaned_data["instrument"]),
            email=form.cleaned_data["email"],
            link_base=_link_base(request),
            by=request.user,
        )
    except services.NotForSelfCompletion as refused:
        # The wording was withdrawn after the page was shown.
        form.add_error("instrument", str(refused))
        return False
    return True


def _link_base(request) -> str:
    base = settings.PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")
    return base + reverse(
        "measures:complete_questionnaire", args=["TOKEN"]
    ).removesuffix("TOKEN/")


# Wrong or spent links one address may try, and requests one link may take,
# in 15 minutes.
LINK_GUESSES, LINK_USES, LINK_WINDOW = 30, 30, 15 * 60


@public
@require_http_methods(["GET", "POST"])
def complete_questionnaire(request, token):
    """The parent's page: no sign-in, one use, and nothing shown to a wrong token."""
    # Guesses are limited per address (behind the proxy: the parent's own, see
    # core/addresses.py), and uses of one link per link, so that parents at one
    # hub's Wi-Fi never share a limit.
    guesses = f"link-guesses:{ratelimit.client_ip(request)}"
    if ratelimit.count(guesses) >= LINK_GUESSES:
        return _unavailable(request, None, status=429)
    link = services.find_link(token)
    if link is None or not link.is_usable():
        ratelimit.hit(guesses, window_seconds=LINK_WINDOW)
        services.record_link_refusal(link=link, reason=_refusal_reason(link))
        return _unavailable(request, link, status=404)
    if not ratelimit.allow(
        f"link:{link.pk}", limit=LINK_USES, window_seconds=LINK_WINDOW
    ):
        return _unavailable(request, link, status=429)
    instrument = queries.with_licensed_text(instruments.get(link.instrument_code))
    if instrument.self_completion_refusal():
        # Its licensed wording was withdrawn after the link was sent.
        return _unavailable(request, link, status=404)
    form = AnswersForm(
        request.POST or None,
        instrument=instrument,
        require_all=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.complete_questionnaire_link(link=link, answers=form.answers())
        except services.LinkNotUsable:
            return _unavailable(request, link, status=404)
        return redirect("measures:questionnaire_done", link.local_authority_id)
    return render(
        request,
        "measures/complete_questionnaire.html",
        {"form": form, "instrument": instrument, **for_families(link.local_authority)},
    )


def _unavailable(request, link, *, status):
    """A link that was sent names its area and how to contact it; a made-up
    one gets the same page with neither."""
    area = link.local_authority if link is not None else None
    return render(
        request, "measures/link_unavailable.html", for_families(area), status=status
    )


def _refusal_reason(link) -> str:
    if link is None:
        return "unknown"
    return "used" if link.used_at else "expired"


@public
@require_http_methods(["GET"])
def questionnaire_done(request, local_authority_id=None):
    """After the answers are sent: the area the link came from, if named."""
    area = None
    if local_authority_id is not None:
        area = get_object_or_404(LocalAuthority, pk=local_authority_id)
    return render(request, "measures/questionnaire_done.html", for_families(area))


@roles_required(*CLINICAL_ROLES)
@require_http_methods(["GET", "POST"])
def update_enrolment(request, family_id, enrolment_id):
    family = get_visible_family(request.user, family_id)
    enrolment = get_object_or_404(
        Intervention.objects.select_related("person", "programme"),
        pk=enrolment_id,
        person__family=family,
    )
    form = UpdateEnrolmentForm(
        request.POST or None,
        initial={
            "sessions_attended": enrolment.sessions_attended,
            "status": enrolment.status,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.update_enrolment(
            enrolment=enrolment, **form.cleaned_data, by=request.user
        )
        messages.success(request, "Programme updated.")
        return redirect("families:family_questionnaires", family_id=family.pk)
    return render_family_page(
        request,
        family,
        "measures/update_enrolment.html",
        form=form,
        enrolment=enrolment,
    )
