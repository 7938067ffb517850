"""The staff side of the family's own view, on the family's record: who in the
family has it; giving it to an adult, pausing and giving it back; and the
family's suggestions for its story, which the lead decides on."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from onestory.core.forms import act_on
from onestory.core.roles import CLINICAL_ROLES
from onestory.families.models import PersonRole
from onestory.families.pages import family_view, render_family_page
from onestory.parents import queries, services
from onestory.parents.forms import DecideSuggestionForm, InviteForm, PauseForm
from onestory.parents.pages import sign_in_url


@family_view("GET")
def family_view_access(request, family):
    accesses = queries.accesses_in(family)
    adults = [
        (person, accesses.get(person.pk))
        for person in family.members.filter(role=PersonRole.PARENT_CARER)
    ]
    return render_family_page(
        request,
        family,
        "parents/staff/family_view_access.html",
        adults=adults,
        suggestions=queries.suggestions_of(family),
        lead=queries.lead_now(family),
    )


def _adult(family, person_id):
    # Through the family the access scope found: never another family's person.
    return get_object_or_404(
        family.members.filter(role=PersonRole.PARENT_CARER), pk=person_id
    )


def _access(family, person_id):
    access = queries.accesses_in(family).get(_adult(family, person_id).pk)
    if access is None:
        raise Http404("They have not been given the family's own view")
    return access


@family_view("GET", "POST", roles=CLINICAL_ROLES)
def invite(request, family, person_id):
    person = _adult(family, person_id)
    form = InviteForm(request.POST or None)
    if act_on(
        request,
        form,
        lambda data: services.invite(
            person=person,
            address=data["address"],
            family_agreed=data["family_agreed"],
            sign_in_url=sign_in_url(request),
            by=request.user,
        ),
    ):
        messages.success(request, f"{person.full_name} has been sent where to sign in.")
        return redirect("parents:family_view_access", family_id=family.pk)
    return render_family_page(
        request,
        family,
        "parents/staff/invite.html",
        form=form,
        person=person,
        heading=f"Give {person.full_name} the family's own view",
        button="Give access",
    )


@family_view("GET", "POST", roles=CLINICAL_ROLES)
def pause(request, family, person_id):
    access = _access(family, person_id)
    form = PauseForm(request.POST or None)
    if act_on(
        request,
        form,
        lambda data: services.pause(
            access=access, reason=data["reason"], by=request.user
        ),
    ):
        messages.success(request, f"{access.person.full_name}'s access is paused.")
        return redirect("parents:family_view_access", family_id=family.pk)
    return render_family_page(
        request,
        family,
        "parents/staff/pause.html",
        form=form,
        access=access,
        heading=f"Pause {access.person.full_name}'s access",
        button="Pause access",
        warning_button=True,
    )


@family_view("POST", roles=CLINICAL_ROLES)
def resume(request, family, person_id):
    access = _access(family, person_id)
    try:
        services.resume(access=access, by=request.user)
    except services.NotPaused as refusal:
        messages.info(request, refusal.message)
    else:
        messages.success(
            request, f"{access.person.full_name} can use the family's own view again."
        )
    return redirect("parents:family_view_access", family_id=family.pk)


@family_view("GET", "POST", roles=CLINICAL_ROLES)
def decide_suggestion(request, family, suggestion_id):
    suggestion = get_object_or_404(queries.suggestions_of(family), pk=suggestion_id)
    form = DecideSuggestionForm(request.POST or None)
    if act_on(
        request,
        form,
        lambda data: services.decide_suggestion(
            suggestion=suggestion,
            accept=data["decision"] == "accept",
            by=request.user,
        ),
    ):
        messages.success(request, "Decision recorded. The family can see it.")
        return redirect("parents:family_view_access", family_id=family.pk)
    return render_family_page(
        request,
        family,
        "parents/staff/decide_suggestion.html",
        form=form,
        suggestion=suggestion,
        lead=queries.lead_now(family),
        heading="A suggestion for the family's story",
        button="Save decision",
    )
