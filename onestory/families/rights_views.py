"""A person's data protection rights: their subject access export, and
corrections of their details (rights.py, corrections.py)."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from onestory.accounts.models import Role
from onestory.core import audit
from onestory.core.forms import act_on
from onestory.core.models import AuditAction
from onestory.core.permissions import roles_required
from onestory.families import corrections, rights
from onestory.families.forms import CorrectPersonForm, SubjectAccessForm
from onestory.families.models import CORRECTABLE, Person
from onestory.families.pages import family_view, render_family_page


@roles_required(Role.INFORMATION_GOVERNANCE)
@require_http_methods(["GET", "POST"])
def subject_access(request):
    """Everything held about one person, for a subject access request. Posted,
    so that the NHS number never appears in a URL."""
    form = SubjectAccessForm(request.POST or None)
    export = None
    if done := act_on(request, form, lambda data: rights.find(request.user, **data)):
        person = done.result
        wanted = "json" if request.POST.get("format") == "json" else "html"
        audit.record(
            action=AuditAction.SUBJECT_ACCESS,
            by=request.user,
            family=person.family_id,
            person=person,
            detail={"format": wanted},
        )
        export = rights.subject_access(person)
        if wanted == "json":
            return _download(export, f"subject-access-{person.pk}.json")
    return render(
        request, "families/subject_access.html", {"form": form, "export": export}
    )


def _download(export: dict, filename: str) -> JsonResponse:
    response = JsonResponse(export, json_dumps_params={"indent": 1})
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@family_view("GET", "POST")
def correct_person(request, family, person_id):
    """Correct a family member's details, keeping the history; a correction made
    from details someone else has since corrected is refused (409) and what was
    typed is kept."""
    person = get_object_or_404(Person, pk=person_id, family=family)
    form = CorrectPersonForm(request.POST or None, initial=_as_recorded(person))
    try:
        done = act_on(
            request,
            form,
            lambda data: corrections.correct_person(
                person=person,
                details=form.details(),
                based_on=data["based_on"],
                reason=data["reason"],
                by=request.user,
            ),
        )
    except corrections.PersonChangedMeanwhile as conflict:
        return _correction_conflict(request, family, person, conflict.person)
    if done:
        messages.success(request, "Details corrected. The previous ones are kept.")
        return redirect("families:family_members", family_id=family.pk)
    return _correction_page(request, family, person, form)


def _as_recorded(person) -> dict:
    """The correction form's starting values: the details as they are now."""
    return {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth": person.date_of_birth,
        "nhs_number": person.nhs_number or "",
        "phone": person.formatted_phone,
        "preferred_language": person.preferred_language,
        "interpreter_needed": "yes" if person.interpreter_needed else "no",
        "parent_role": person.parent_role,
        "ethnic_category": person.ethnic_category,
        "based_on": person.version,
    }


def _correction_conflict(request, family, person, latest):
    """Someone corrected the details first: audited, and what was typed is kept
    for the user to try again from the latest details (409)."""
    corrections.record_correction_conflict(person=person, by=request.user)
    data = request.POST.copy()
    data["based_on"] = latest.version
    form = CorrectPersonForm(data)
    form.is_valid()
    return _correction_page(request, family, person, form, status=409, latest=latest)


def _correction_page(request, family, person, form, *, status=200, latest=None):
    return render_family_page(
        request,
        family,
        "families/correct_person.html",
        status=status,
        form=form,
        person=person,
        latest=latest,
        corrections=[
            (correction, [CORRECTABLE[name] for name in correction.changed_fields])
            for correction in person.corrections.select_related("corrected_by")
        ],
    )
