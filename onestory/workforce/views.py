from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onestory.accounts.models import Role, User
from onestory.core import audit
from onestory.core.models import AuditAction
from onestory.core.permissions import roles_required, signed_in
from onestory.workforce import queries, services
from onestory.workforce.forms import (
    MeetNeedForm,
    SupervisionForm,
    TrainingNeedForm,
    TrainingRecordForm,
)
from onestory.workforce.models import TrainingNeed, TrainingRecord


def _form_page(request, template, form, *, heading, button, back, **context):
    return render(
        request,
        template,
        {"form": form, "heading": heading, "button": button, "back": back, **context},
    )


@signed_in
@require_GET
def my_development(request):
    """Your training, what you want to learn, and your supervision."""
    context = queries.my_development(request.user, timezone.localdate())
    return render(request, "workforce/my_development.html", context)


@signed_in
@require_http_methods(["GET", "POST"])
def record_training(request, user_id=None):
    """Record your own training, or (team managers) a team member's."""
    person = request.user
    if user_id is not None:
        person = get_object_or_404(User, pk=user_id, is_active=True)
        if not queries.may_manage(request.user, person):
            raise Http404
    form = TrainingRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record_training(user=person, **form.cleaned_data, by=request.user)
        messages.success(request, f"Training recorded for {person.full_name}.")
        if person == request.user:
            return redirect("workforce:my_development")
        return redirect("workforce:team")
    own = person == request.user
    return _form_page(
        request,
        "workforce/record_training.html",
        form,
        heading="Record training",
        button="Save training",
        back="workforce:my_development" if own else "workforce:team",
        person=person,
        caption="" if own else person.full_name,
    )


@signed_in
@require_http_methods(["GET", "POST"])
def record_need(request):
    form = TrainingNeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record_need(**form.cleaned_data, by=request.user)
        messages.success(request, "Training need recorded.")
        return redirect("workforce:my_development")
    return _form_page(
        request,
        "workforce/record_need.html",
        form,
        heading="Add a training need",
        button="Save need",
        back="workforce:my_development",
    )


@signed_in
@require_http_methods(["GET", "POST"])
def meet_need(request, need_id):
    need = get_object_or_404(TrainingNeed, pk=need_id, user=request.user, met_at=None)
    form = MeetNeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.meet_need(need=need, **form.cleaned_data, by=request.user)
        messages.success(request, "Training need marked as met.")
        return redirect("workforce:my_development")
    return _form_page(
        request,
        "workforce/meet_need.html",
        form,
        heading="Training need met",
        button="Save",
        back="workforce:my_development",
        need=need,
    )


@roles_required(Role.SUPERVISOR, Role.TEAM_MANAGER)
@require_http_methods(["GET", "POST"])
def record_supervision(request):
    supervisees = User.objects.in_organisation_of(request.user).exclude(
        pk=request.user.pk
    )
    form = SupervisionForm(request.POST or None, supervisees=supervisees)
    if request.method == "POST" and form.is_valid():
        services.record_supervision(**form.cleaned_data, by=request.user)
        messages.success(request, "Supervision recorded.")
        return redirect("workforce:supervision_given")
    return _form_page(
        request,
        "workforce/record_supervision.html",
        form,
        heading="Record supervision",
        button="Save supervision",
        back="workforce:supervision_given",
    )


@roles_required(Role.SUPERVISOR, Role.TEAM_MANAGER)
@require_GET
def supervision_given(request):
    given = queries.supervision_visible_to(request.user).filter(
        supervisor=request.user
    )[:50]
    return render(request, "workforce/supervision_given.html", {"given": given})


@signed_in
@require_GET
def show_supervision(request, supervision_id):
    supervision = get_object_or_404(
        queries.supervision_visible_to(request.user), pk=supervision_id
    )
    audit.record(action=AuditAction.VIEW_SUPERVISION, by=request.user, obj=supervision)
    return render(
        request, "workforce/show_supervision.html", {"supervision": supervision}
    )


@roles_required(Role.TEAM_MANAGER)
@require_GET
def team(request):
    """Accreditations held and expiring, supervision due, caseloads and needs."""
    members = queries.team_overview(request.user, timezone.localdate())
    return render(
        request,
        "workforce/team.html",
        {
            "members": members,
            "may_administer": Role.ADMINISTRATOR in request.user.roles,
        },
    )


@roles_required(Role.TEAM_MANAGER)
@require_POST
def confirm_training(request, record_id):
    record = get_object_or_404(
        TrainingRecord.objects.select_related("user"), pk=record_id
    )
    if not queries.may_manage(request.user, record.user) or record.user == request.user:
        raise Http404
    services.confirm_training(record=record, by=request.user)
    messages.success(request, f"Training confirmed for {record.user.full_name}.")
    return redirect("workforce:team")
