"""A family member's one-to-one programmes: started, and their progress kept."""

from django.contrib import messages
from django.shortcuts import redirect

from onestory.accounts.models import CLINICAL_ROLES
from onestory.core.forms import act_on
from onestory.families.pages import family_view, render_family_page
from onestory.measures import queries
from onestory.measures.forms import StartInterventionForm, UpdateEnrolmentForm


@family_view("GET", "POST", roles=CLINICAL_ROLES)
def start_intervention(request, family):
    form = StartInterventionForm(request.POST or None, family=family, user=request.user)
    if act_on(request, form, form.start):
        messages.success(request, "Programme started. Review points are scheduled.")
        return redirect("families:family_questionnaires", family_id=family.pk)
    none = not form.programmes.exists()
    template = "measures/start_intervention.html"
    return render_family_page(request, family, template, form=form, no_programmes=none)


@family_view("GET", "POST", roles=CLINICAL_ROLES)
def update_enrolment(request, family, enrolment_id):
    enrolment = queries.get_enrolment(family, enrolment_id)
    form = UpdateEnrolmentForm(
        request.POST or None, enrolment=enrolment, user=request.user
    )
    if act_on(request, form, form.update):
        messages.success(request, "Programme updated.")
        return redirect("families:family_questionnaires", family_id=family.pk)
    template = "measures/update_enrolment.html"
    return render_family_page(request, family, template, form=form, enrolment=enrolment)
