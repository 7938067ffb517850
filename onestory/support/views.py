"""An episode of support: its level, its lead, the team around the family,
contacts, consultations with specialists, and the family's plan."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from onestory.accounts.models import Role
from onestory.core import audit
from onestory.core.forms import act_on
from onestory.core.models import AuditAction
from onestory.core.permissions import roles_required
from onestory.families.pages import family_view, render_family_page
from onestory.support import plans, queries, services
from onestory.support.forms import (
    AddToTeamForm,
    AnswerConsultationForm,
    ArrangeContactForm,
    AskConsultationForm,
    ChangeLevelForm,
    CloseEpisodeForm,
    GoalForm,
    JoinTeamForm,
    PlanActionForm,
    PlanForm,
    RecordContactForm,
    TransferLeadForm,
)
from onestory.support.models import InvolvementRole


def _done(request, family, message):
    messages.success(request, message)
    return redirect("families:family_support", family_id=family.pk)


@family_view("GET", "POST")
def change_level(request, family):
    episode = queries.get_open_episode(family)
    form = ChangeLevelForm(request.POST or None, episode=episode, by=request.user)
    if act_on(request, form, form.change_level):
        return _done(request, family, "Level of support changed.")
    return render_family_page(
        request,
        family,
        "support/change_level.html",
        form=form,
        lead=form.current_lead,
        heading="Change the level of support",
        button="Change level",
    )


@family_view("GET", "POST")
def transfer_lead(request, family):
    episode = queries.get_open_episode(family)
    form = TransferLeadForm(request.POST or None, episode=episode, by=request.user)
    if done := act_on(request, form, form.transfer_lead):
        name = done.result.practitioner.full_name
        return _done(request, family, f"{name} is now the lead.")
    return render_family_page(
        request,
        family,
        "support/transfer_lead.html",
        form=form,
        lead=form.current_lead,
        heading="Transfer the lead practitioner",
        button="Transfer lead",
    )


@family_view("GET", "POST")
def add_to_team(request, family):
    episode = queries.get_open_episode(family)
    form = AddToTeamForm(request.POST or None, episode=episode, by=request.user)
    if done := act_on(request, form, form.add_to_team):
        name = done.result.practitioner.full_name
        return _done(request, family, f"{name} added to the team.")
    return render_family_page(
        request,
        family,
        "support/add_to_team.html",
        form=form,
        team_size=services.team_size(episode),
        reason_needed=form.reason_needed,
        heading="Add someone to the team",
        button="Add to the team",
    )


@family_view("GET", "POST", roles=(Role.SPECIALIST,))
def join_team(request, family):
    """A specialist (consulted, or not yet part of it) joins the team around the
    family as a contributor: they work with the family too; the lead stays."""
    episode = queries.get_open_episode(family)
    form = JoinTeamForm(request.POST or None, episode=episode, by=request.user)
    if act_on(request, form, form.join_team):
        lead = queries.lead_of(episode)
        return _done(
            request,
            family,
            "You have joined the team around the family as a contributor. "
            f"{lead.full_name} stays the lead practitioner.",
        )
    return render_family_page(
        request,
        family,
        "support/join_team.html",
        form=form,
        lead=queries.lead_of(episode),
        team_size=services.team_size(episode, besides=request.user),
        reason_needed=form.reason_needed,
        heading="Join the team around the family",
        button="Join the team",
    )


@family_view("GET", "POST")
def record_contact(request, family):
    episode = queries.get_open_episode(family)
    form = RecordContactForm(request.POST or None, episode=episode, by=request.user)
    if act_on(request, form, form.record_contact):
        return _done(request, family, "Contact recorded.")
    return render_family_page(
        request,
        family,
        "support/record_contact.html",
        form=form,
        heading="Record a contact",
        button="Save contact",
    )


@family_view("GET", "POST")
def arrange_contact(request, family):
    """Arrange the next contact: the family sees it coming up in their own view."""
    episode = queries.get_open_episode(family)
    form = ArrangeContactForm(request.POST or None, episode=episode, by=request.user)
    if act_on(request, form, form.arrange):
        messages.success(request, "Contact arranged. The family can see it.")
        return redirect("support:arrange_contact", family_id=family.pk)
    return render_family_page(
        request,
        family,
        "support/arrange_contact.html",
        form=form,
        arranged=queries.arranged_contacts(episode),
        heading="Arrange the next contact",
        button="Arrange contact",
    )


@family_view("POST")
def cancel_arranged_contact(request, family, arranged_id):
    arranged = queries.arranged_contact(family, arranged_id)
    try:
        services.cancel_arranged_contact(arranged=arranged, by=request.user)
    except services.AlreadyCancelled as refusal:
        messages.info(request, refusal.message)
    else:
        messages.success(request, "Arranged contact cancelled.")
    return redirect("support:arrange_contact", family_id=family.pk)


@family_view("GET", "POST")
def close_episode(request, family):
    episode = queries.get_open_episode(family)
    form = CloseEpisodeForm(request.POST or None)
    if act_on(
        request,
        form,
        lambda data: services.close_episode(episode=episode, by=request.user, **data),
    ):
        messages.success(request, "Support ended. The family's record is kept.")
        return redirect("families:my_caseload")
    return render_family_page(
        request,
        family,
        "support/close_episode.html",
        form=form,
        episode=episode,
        heading="End support",
        button="End support",
        warning_button=True,
    )


@family_view("GET", "POST")
def ask_consultation(request, family):
    episode = queries.get_open_episode(family)
    specialists = queries.specialists_for(episode)
    form = AskConsultationForm(request.POST or None, specialists=specialists)
    if done := act_on(
        request,
        form,
        lambda data: services.ask_consultation(
            episode=episode, by=request.user, **data
        ),
    ):
        name = done.result.specialist.full_name
        sent = f"Question sent to {name}. You stay the family's lead."
        messages.success(request, sent)
        return _to_consultation(family, done.result)
    return render_family_page(
        request,
        family,
        "support/ask_consultation.html",
        form=form,
        heading="Ask a specialist",
        button="Send question",
        specialists=specialists,
        without_consent=queries.specialists_without_consent(episode),
    )


def _to_consultation(family, consultation):
    return redirect(
        "support:show_consultation",
        family_id=family.pk,
        consultation_id=consultation.pk,
    )


@roles_required(Role.SPECIALIST)
@require_http_methods(["GET"])
def consultation_inbox(request):
    page = Paginator(queries.inbox(request.user), 25).get_page(request.GET.get("page"))
    audit.record(
        action=AuditAction.VIEW_CONSULTATION_INBOX,
        by=request.user,
        detail={"family_ids": sorted({str(c.episode.family_id) for c in page})},
    )
    return render(
        request,
        "support/consultation_inbox.html",
        {"page_obj": page, "rows": queries.inbox_rows(page)},
    )


@family_view("GET", "POST")
def show_consultation(request, family, consultation_id):
    consultation = queries.get_consultation(family, consultation_id)
    form = None
    if consultation.specialist_id == request.user.pk and not consultation.is_answered:
        form = AnswerConsultationForm(
            request.POST or None, consultation=consultation, by=request.user
        )
    elif request.method == "POST":
        raise PermissionDenied
    if form is not None and act_on(request, form, form.answer):
        messages.success(request, "Advice sent. The lead practitioner stays.")
        return _to_consultation(family, consultation)
    return render_family_page(
        request,
        family,
        "support/show_consultation.html",
        consultation=consultation,
        form=form,
        consulted_only=_only_consulted(consultation, request.user),
        lead=queries.lead_of(consultation.episode),
    )


def _only_consulted(consultation, user) -> bool:
    """Whether the user is consulted about this open episode, not working in it."""
    return (
        consultation.episode.closed_at is None
        and consultation.episode.involvements.filter(
            practitioner=user, role=InvolvementRole.CONSULTED, ended_at=None
        ).exists()
    )


def _plan_page(request, family, *, template="support/show_plan.html", **forms):
    plan = queries.plan_of(family)
    defaults = {
        "plan_form": PlanForm(
            initial={
                "strengths": plan.strengths if plan else "",
                "review_on": plan.review_on if plan else None,
                "based_on": plan.version if plan else 1,
            }
        ),
        "goal_form": GoalForm(),
        "action_form": PlanActionForm(),
    }
    status = 409 if forms.pop("conflict", False) else 200
    response = render_family_page(
        request, family, template, plan=plan, **(defaults | forms)
    )
    response.status_code = status
    return response


@family_view("GET")
def show_plan(request, family):
    return _plan_page(request, family)


@family_view("GET")
def print_plan(request, family):
    """The family's copy of their plan: who made it with them, how to reach
    them, where, and when it was printed."""
    return _plan_page(
        request,
        family,
        template="support/print_plan.html",
        **queries.who_to_contact(family),
    )


@family_view("POST")
def update_plan(request, family):
    form = PlanForm(request.POST, family=family, by=request.user)
    if act_on(request, form, form.save):
        return _to_plan(request, family, "Plan saved.")
    return _plan_page(request, family, plan_form=form, conflict=form.conflict)


@family_view("POST")
def add_goal(request, family):
    form = GoalForm(request.POST)
    if act_on(
        request,
        form,
        lambda data: plans.add_goal(family=family, text=data["goal"], by=request.user),
    ):
        return _to_plan(request, family, "Goal added.")
    return _plan_page(request, family, goal_form=form)


@family_view("POST")
def add_plan_action(request, family):
    form = PlanActionForm(request.POST)
    if act_on(
        request,
        form,
        lambda data: plans.add_plan_action(family=family, by=request.user, **data),
    ):
        return _to_plan(request, family, "Action added.")
    return _plan_page(request, family, action_form=form)


@family_view("POST")
def mark_action_done(request, family, action_id):
    action = queries.plan_action(family, action_id)
    plans.mark_action_done(action=action, by=request.user)
    return _to_plan(request, family, "Action marked as done.")


def _to_plan(request, family, message):
    messages.success(request, message)
    return redirect("support:show_plan", family_id=family.pk)
