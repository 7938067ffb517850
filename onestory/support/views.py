from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from onestory.accounts.models import FAMILY_ROLES, Role
from onestory.core import audit
from onestory.core.models import AuditAction
from onestory.core.permissions import roles_required
from onestory.families.pages import render_family_page
from onestory.families.queries import get_visible_family
from onestory.support import queries, services
from onestory.support.forms import (
    STALE_LEAD,
    TEAM_NEEDS_A_REASON,
    AddToTeamForm,
    AnswerConsultationForm,
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


@roles_required(*FAMILY_ROLES)
@require_http_methods(["GET", "POST"])
def change_level(request, family_id):
    family = get_visible_family(request.user, family_id)
    episode = queries.get_open_episode(family)
    lead = queries.lead_of(episode)
    form = ChangeLevelForm(
        request.POST or None,
        current_level=services.current_level(episode),
        current_lead=lead,
        candidates=queries.lead_candidates(
            queries.allocation_candidates(episode, exclude=[lead])
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_level(
                episode=episode,
                to_level=form.cleaned_data["to_level"],
                reason=form.cleaned_data["reason"],
                new_lead=form.new_lead,
                expected_lead_id=form.cleaned_data["expected_lead"],
                by=request.user,
            )
        except services.LeadChangedMeanwhile:
            form.add_error(None, STALE_LEAD)
        except services.CannotLead as refusal:
            form.add_error(None, str(refusal))
        else:
            return _done(request, family, "Level of support changed.")
    return render_family_page(
        request,
        family,
        "support/change_level.html",
        form=form,
        lead=lead,
        heading="Change the level of support",
        button="Change level",
    )


@roles_required(*FAMILY_ROLES)
@require_http_methods(["GET", "POST"])
def transfer_lead(request, family_id):
    family = get_visible_family(request.user, family_id)
    episode = queries.get_open_episode(family)
    lead = queries.lead_of(episode)
    form = TransferLeadForm(
        request.POST or None,
        current_lead=lead,
        candidates=queries.lead_candidates(
            queries.allocation_candidates(episode, exclude=[lead])
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_lead(
                episode=episode,
                to=form.chosen,
                reason=form.cleaned_data["reason"],
                expected_lead_id=form.cleaned_data["expected_lead"],
                by=request.user,
            )
        except services.LeadChangedMeanwhile:
            form.add_error(None, STALE_LEAD)
        except services.CannotLead as refusal:
            form.add_error(None, str(refusal))
        else:
            return _done(request, family, f"{form.chosen.full_name} is now the lead.")
    return render_family_page(
        request,
        family,
        "support/transfer_lead.html",
        form=form,
        lead=lead,
        heading="Transfer the lead practitioner",
        button="Transfer lead",
    )


def _joining_candidates(episode):
    """Who may be added: people in scope not yet lead or contributor (the
    consulted can become contributors), then the specialists who may be asked."""
    working = list(
        episode.involvements.filter(ended_at=None)
        .exclude(role=InvolvementRole.CONSULTED)
        .select_related("practitioner")
    )
    people = queries.allocation_candidates(
        episode, exclude=[i.practitioner for i in working]
    )
    known = {person.pk for person in people} | {i.practitioner_id for i in working}
    return people + [p for p in queries.specialists_for(episode) if p.pk not in known]


def _try_joining(form, episode, practitioner, role, by) -> bool:
    """Add them through the service; a refusal becomes the form's error."""
    try:
        services.add_to_team(
            episode=episode,
            practitioner=practitioner,
            role=role,
            reason=form.cleaned_data["reason"],
            by=by,
        )
    except services.AlreadyInTheTeam:
        form.add_error(None, "They are already in the team around the family")
    except services.MayNotJoin as refusal:
        form.add_error(None, str(refusal))
    except services.ReasonNeeded:
        form.add_error("reason", TEAM_NEEDS_A_REASON)
    else:
        return True
    return False


@roles_required(*FAMILY_ROLES)
@require_http_methods(["GET", "POST"])
def add_to_team(request, family_id):
    family = get_visible_family(request.user, family_id)
    episode = queries.get_open_episode(family)
    reason_needed = services.beyond_team_size(episode)
    form = AddToTeamForm(
        request.POST or None,
        candidates=_joining_candidates(episode),
        reason_needed=reason_needed,
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _try_joining(
            form, episode, form.chosen, form.cleaned_data["role"], request.user
        )
    ):
        return _done(request, family, f"{form.chosen.full_name} added to the team.")
    return render_family_page(
        request,
        family,
        "support/add_to_team.html",
        form=form,
        team_size=services.team_size(episode),
        reason_needed=reason_needed,
        heading="Add someone to the team",
        button="Add to the team",
    )


@roles_required(Role.SPECIALIST)
@require_http_methods(["GET", "POST"])
def join_team(request, family_id):
    """A specialist (consulted, or not yet part of it) joins the team around the
    family as a contributor: they work with the family too; the lead stays."""
    family = get_visible_family(request.user, family_id)
    episode = queries.get_open_episode(family)
    reason_needed = services.beyond_team_size(episode, joining=request.user)
    form = JoinTeamForm(request.POST or None, reason_needed=reason_needed)
    if (
        request.method == "POST"
        and form.is_valid()
        and _try_joining(
            form, episode, request.user, InvolvementRole.CONTRIBUTOR, request.user
        )
    ):
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
        reason_needed=reason_needed,
        heading="Join the team around the family",
        button="Join the team",
    )


@roles_required(*FAMILY_ROLES)
@require_http_methods(["GET", "POST"])
def record_contact(request, family_id):
    family = get_visible_family(request.user, family_id)
    episode = queries.get_open_episode(family)
    candidates = queries.allocation_candidates(episode)
    form = RecordContactForm(
        request.POST or None,
        candidates=candidates,
        initial={"practitioner": str(request.user.pk)},
    )
    if request.method == "POST" and form.is_valid():
        services.record_contact(
            episode=episode, by=request.user, **form.contact_details()
        )
        return _done(request, family, "Contact recorded.")
    return render_family_page(
        request,
        family,
        "support/record_contact.html",
        form=form,
        heading="Record a contact",
        button="Save contact",
    )


@roles_required(*FAMILY_ROLES)
@require_http_methods(["GET", "POST"])
def close_episode(request, family_id):
    family = get_visible_family(request.user, family_id)
    episode = queries.get_open_episode(family)
    form = CloseEpisodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.close_episode(episode=episode, by=request.user, **form.cleaned_data)
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


@roles_required(*FAMILY_ROLES)
@require_http_methods(["GET", "POST"])
def ask_consultation(request, family_id):
    family = get_visible_family(request.user, family_id)
    episode = queries.get_open_episode(family)
    specialists = queries.specialists_for(episode)
    form = AskConsultationForm(request.POST or None, specialists=specialists)
    if request.method == "POST" and form.is_valid():
        consultation = services.ask_consultation(
            episode=episode,
            specialist=form.chosen,
            question=form.cleaned_data["question"],
            tried=form.cleaned_data["tried"],
            urgency=form.cleaned_data["urgency"],
            discuss_at_triage=form.cleaned_data["discuss_at_triage"],
            by=request.user,
        )
        messages.success(
            request,
            f"Question sent to {form.chosen.full_name}. You stay the family's lead.",
        )
        return redirect(
            "support:show_consultation",
            family_id=family.pk,
            consultation_id=consultation.pk,
        )
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


@roles_required(*FAMILY_ROLES)
@require_http_methods(["GET", "POST"])
def show_consultation(request, family_id, consultation_id):
    family = get_visible_family(request.user, family_id)
    consultation = queries.get_consultation(family, consultation_id)
    can_answer = (
        consultation.specialist_id == request.user.pk and not consultation.is_answered
    )
    form = None
    if can_answer:
        owners = queries.allocation_candidates(consultation.episode)
        form = AnswerConsultationForm(request.POST or None, owners=owners)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.answer_consultation(
                    consultation=consultation,
                    advice=form.cleaned_data["advice"],
                    review_on=form.cleaned_data["review_on"],
                    actions=form.actions(),
                    by=request.user,
                )
            except services.AlreadyAnswered:
                form.add_error(None, "This consultation has already been answered")
            else:
                messages.success(request, "Advice sent. The lead practitioner stays.")
                return redirect(
                    "support:show_consultation",
                    family_id=family.pk,
                    consultation_id=consultation.pk,
                )
    return render_family_page(
        request,
        family,
        "support/show_consultation.html",
        consultation=consultation,
        form=form,
        consulted_only=consultation.episode.closed_at is None
        and consultation.episode.involvements.filter(
            practitioner=request.user,
            role=InvolvementRole.CONSULTED,
            ended_at=None,
        ).exists(),
        lead=queries.lead_of(consultation.episode),
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


@roles_required(*FAMILY_ROLES)
@require_http_methods(["GET"])
def show_plan(request, family_id):
    return _plan_page(request, get_visible_family(request.user, family_id))


@roles_required(*FAMILY_ROLES)
@require_http_methods(["GET"])
def print_plan(request, family_id):
    """The family's copy of their plan: who made it with them, how to reach
    them, where, and when it was printed."""
    family = get_visible_family(request.user, family_id)
    return _plan_page(
        request,
        family,
        template="support/print_plan.html",
        **queries.who_to_contact(family),
    )


@roles_required(*FAMILY_ROLES)
@require_POST
def update_plan(request, family_id):
    family = get_visible_family(request.user, family_id)
    form = PlanForm(request.POST)
    if form.is_valid():
        try:
            services.update_plan(family=family, by=request.user, **form.cleaned_data)
        except services.PlanChangedMeanwhile:
            form.add_error(
                None,
                "Someone saved the plan while you were editing it, so your changes "
                "were not saved. What you typed is below: check the plan and save "
                "again",
            )
            form.data = form.data.copy()
            form.data["based_on"] = queries.plan_of(family).version
            return _plan_page(request, family, plan_form=form, conflict=True)
        return _to_plan(request, family, "Plan saved.")
    return _plan_page(request, family, plan_form=form)


@roles_required(*FAMILY_ROLES)
@require_POST
def add_goal(request, family_id):
    family = get_visible_family(request.user, family_id)
    form = GoalForm(request.POST)
    if form.is_valid():
        services.add_goal(
            family=family, text=form.cleaned_data["goal"], by=request.user
        )
        return _to_plan(request, family, "Goal added.")
    return _plan_page(request, family, goal_form=form)


@roles_required(*FAMILY_ROLES)
@require_POST
def add_plan_action(request, family_id):
    family = get_visible_family(request.user, family_id)
    form = PlanActionForm(request.POST)
    if form.is_valid():
        services.add_plan_action(family=family, by=request.user, **form.cleaned_data)
        return _to_plan(request, family, "Action added.")
    return _plan_page(request, family, action_form=form)


@roles_required(*FAMILY_ROLES)
@require_POST
def mark_action_done(request, family_id, action_id):
    family = get_visible_family(request.user, family_id)
    action = queries.plan_action(family, action_id)
    services.mark_action_done(action=action, by=request.user)
    return _to_plan(request, family, "Action marked as done.")


def _to_plan(request, family, message):
    messages.success(request, message)
    return redirect("support:show_plan", family_id=family.pk)
