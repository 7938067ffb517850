from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onestory.accounts.models import Role
from onestory.core import audit
from onestory.core.forms import act_on
from onestory.core.models import AuditAction
from onestory.core.permissions import roles_required, signed_in
from onestory.workforce import queries, services
from onestory.workforce.forms import (
    MeetNeedForm,
    SupervisionForm,
    TrainingNeedForm,
    TrainingRecordForm,
)

MY_DEVELOPMENT, TEAM = "workforce:my_development", "workforce:team"
SUPERVISION_GIVEN = "workforce:supervision_given"

# Each form page's heading, button and the page its back link goes to.
FORM_PAGES = {
    "record_training": {"heading": "Record training", "button": "Save training"},
    "record_need": {
        "heading": "Add a training need",
        "button": "Save need",
        "back": MY_DEVELOPMENT,
    },
    "meet_need": {
        "heading": "Training need met",
        "button": "Save",
        "back": MY_DEVELOPMENT,
    },
    "record_supervision": {
        "heading": "Record supervision",
        "button": "Save supervision",
        "back": SUPERVISION_GIVEN,
    },
}


def _form_page(request, name, form, **context):
    """workforce/<name>.html with its form and FORM_PAGES words."""
    page = {"form": form, **FORM_PAGES[name], **context}
    return render(request, f"workforce/{name}.html", page)


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
    person = queries.get_person_to_train(request.user, user_id)
    own = person == request.user
    form = TrainingRecordForm(request.POST or None, person=person, user=request.user)
    if act_on(request, form, form.record):
        messages.success(request, f"Training recorded for {person.full_name}.")
        return redirect(MY_DEVELOPMENT if own else TEAM)
    caption = "" if own else person.full_name
    back = MY_DEVELOPMENT if own else TEAM
    return _form_page(
        request, "record_training", form, back=back, person=person, caption=caption
    )


@signed_in
@require_http_methods(["GET", "POST"])
def record_need(request):
    form = TrainingNeedForm(request.POST or None, user=request.user)
    if act_on(request, form, form.record):
        messages.success(request, "Training need recorded.")
        return redirect(MY_DEVELOPMENT)
    return _form_page(request, "record_need", form)


@signed_in
@require_http_methods(["GET", "POST"])
def meet_need(request, need_id):
    need = queries.get_open_need(request.user, need_id)
    form = MeetNeedForm(request.POST or None, need=need, user=request.user)
    if act_on(request, form, form.record):
        messages.success(request, "Training need marked as met.")
        return redirect(MY_DEVELOPMENT)
    return _form_page(request, "meet_need", form, need=need)


@roles_required(Role.SUPERVISOR, Role.TEAM_MANAGER)
@require_http_methods(["GET", "POST"])
def record_supervision(request):
    form = SupervisionForm(request.POST or None, user=request.user)
    if act_on(request, form, form.record):
        messages.success(request, "Supervision recorded.")
        return redirect(SUPERVISION_GIVEN)
    return _form_page(request, "record_supervision", form)


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
    supervision = queries.get_supervision(request.user, supervision_id)
    audit.record(action=AuditAction.VIEW_SUPERVISION, by=request.user, obj=supervision)
    return render(
        request, "workforce/show_supervision.html", {"supervision": supervision}
    )


@roles_required(Role.TEAM_MANAGER)
@require_GET
def team(request):
    """Accreditations held and expiring, supervision due, caseloads and needs."""
    members = queries.team_overview(request.user, timezone.localdate())
    may_administer = Role.ADMINISTRATOR in request.user.roles
    return render(
        request,
        "workforce/team.html",
        {"members": members, "may_administer": may_administer},
    )


@roles_required(Role.TEAM_MANAGER)
@require_POST
def confirm_training(request, record_id):
    record = queries.get_record_to_confirm(request.user, record_id)
    services.confirm_training(record=record, by=request.user)
    messages.success(request, f"Training confirmed for {record.user.full_name}.")
    return redirect(TEAM)
