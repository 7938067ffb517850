import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from onestory.accounts.models import FAMILY_ROLES, Organisation, Role
from onestory.core import audit, downloads, ratelimit
from onestory.core.forms import act_on
from onestory.core.models import AuditAction, AuditEvent
from onestory.core.permissions import roles_required
from onestory.core.refusals import Refusal
from onestory.core.replica import reads_from_replica
from onestory.families import presenters, queries, services
from onestory.families.forms import (
    AddFamilyForm,
    AddMemberForm,
    EditStoryForm,
    RecordConsentForm,
    SearchFamiliesForm,
    WithdrawConsentForm,
)
from onestory.families.models import Family, PersonRole
from onestory.families.pages import (
    about,
    count_family_reads,
    family_view,
    render_family_page,
)

PAGE_SIZE = 25


@roles_required(*FAMILY_ROLES)
@require_GET
def my_caseload(request):
    page = Paginator(queries.list_caseload(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    details = queries.caseload_details(request.user, page.object_list)
    rows = presenters.caseload_rows(page.object_list, details)
    audit.record(
        action=AuditAction.LIST_CASELOAD,
        by=request.user,
        detail={"family_ids": [str(family.pk) for family in page]},
    )
    return render(
        request,
        "families/my_caseload.html",
        {"page_obj": page, "rows": rows, "no_contact_days": settings.NO_CONTACT_DAYS},
    )


CASELOAD_EXPORTS_PER_HOUR = 10
# Adding a family checks for likely duplicates, which says whether someone is
# known: limited, so that it cannot be used to probe.
ADDING_PER_HOUR = 30


@roles_required(*FAMILY_ROLES)
@require_GET
@reads_from_replica
def export_caseload(request, file_format):
    """The user's caseload as a spreadsheet: the families they work with now and
    nothing restricted; audited with the families in it; 10 an hour."""
    if file_format not in ("csv", "xlsx"):
        raise Http404
    if not ratelimit.allow(
        f"caseload-export:{request.user.pk}",
        limit=CASELOAD_EXPORTS_PER_HOUR,
        window_seconds=60 * 60,
    ):
        return render(
            request,
            "families/export_limit.html",
            {"limit": CASELOAD_EXPORTS_PER_HOUR},
            status=429,
        )
    return downloads.respond(request, "caseload", file_format, {})


SEARCHES = "onestory_searches"
KEPT_SEARCHES = 5


@roles_required(*FAMILY_ROLES)
@require_http_methods(["GET", "POST"])
def search_families(request):
    """Search by name, date of birth, NHS number or postcode. What was typed is
    posted and kept in the session, never put in a URL (browser history, server
    logs): the results page is addressed by a random key."""
    searches = request.session.get(SEARCHES, {})
    if request.method == "POST":
        form = SearchFamiliesForm(request.POST)
        if form.is_valid():
            key = secrets.token_urlsafe(6)
            kept = list(searches.items())[-(KEPT_SEARCHES - 1) :]
            request.session[SEARCHES] = dict([*kept, (key, request.POST.dict())])
            return redirect(f"{request.path}?results={key}")
        return _search_page(request, form)
    saved = searches.get(request.GET.get("results", ""))
    form = SearchFamiliesForm(saved)
    return _search_page(request, form if saved else SearchFamiliesForm())


def _search_page(request, form):
    page = None
    if form.is_bound and form.is_valid() and request.method == "GET":
        page = Paginator(
            queries.search_people(request.user, **form.cleaned_data), PAGE_SIZE
        ).get_page(request.GET.get("page"))
        # The families shown count toward the hour's bulk-read limit (R29).
        shown = sorted({str(person.family_id) for person in page})
        with transaction.atomic():  # the count and the event: one short write
            if refused := count_family_reads(request, shown):
                return refused
            audit.record(
                action=AuditAction.SEARCH_FAMILIES,
                by=request.user,
                detail={
                    "searched_fields": form.searched_fields,
                    "result_count": page.paginator.count,
                    "family_ids": shown,
                },
            )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "families/search_families.html",
        {"form": form, "page_obj": page, "query_string": query.urlencode()},
    )


@roles_required(*FAMILY_ROLES)
@require_http_methods(["GET", "POST"])
def add_family(request):
    form = AddFamilyForm(request.POST or None, teams=request.user.teams.all())
    done = act_on(request, form, lambda data: _add_family(data, by=request.user))
    if done and done.result.family:
        messages.success(request, "Family added. You are their lead practitioner.")
        return redirect("families:family_record", family_id=done.result.family.pk)
    duplicates = done.result.duplicates if done else None
    return render(
        request, "families/add_family.html", {"form": form, "duplicates": duplicates}
    )


class AddingTooOften(Refusal):
    message = (
        f"You have added or checked more than {ADDING_PER_HOUR} families in the "
        "last hour. Try again later, or ask your team manager"
    )


@dataclass(frozen=True)
class Adding:
    """A family added, or the people it may already hold, to check first."""

    family: Family | None = None
    duplicates: object = None


def _add_family(data, *, by) -> Adding:
    """Add the family unless someone in it may already be recorded (and the
    user has not said they are not); at most ADDING_PER_HOUR an hour."""
    details = _family_from(data)
    if not ratelimit.allow(
        f"add-family:{by.pk}", limit=ADDING_PER_HOUR, window_seconds=60 * 60
    ):
        raise AddingTooOften
    if not data["not_a_duplicate"]:
        duplicates = services.possible_duplicates(
            people=[p for p in (details["carer"], details["child"]) if p], by=by
        )
        if duplicates:
            return Adding(duplicates=duplicates)
    return Adding(family=services.add_family(**details, by=by))


def _family_from(data) -> dict:
    carer = services.PersonDetails(
        role=PersonRole.PARENT_CARER,
        given_name=data["carer_given_name"],
        family_name=data["carer_family_name"],
        date_of_birth=data["carer_date_of_birth"],
        nhs_number=data["carer_nhs_number"] or None,
        phone=data["carer_phone"],
        preferred_language=data["preferred_language"],
        interpreter_needed=data["interpreter_needed"] == "yes",
        parent_role=data["carer_parent_role"],
        ethnic_category=data["carer_ethnic_category"],
    )
    child = None
    if data["child"] in (PersonRole.BABY, PersonRole.UNBORN_BABY):
        child = services.PersonDetails(
            role=data["child"],
            given_name=data["baby_given_name"]
            if data["child"] == PersonRole.BABY
            else "",
            family_name=data["carer_family_name"],
            date_of_birth=data["baby_date_of_birth"]
            if data["child"] == PersonRole.BABY
            else None,
            expected_delivery_date=data["expected_delivery_date"]
            if data["child"] == PersonRole.UNBORN_BABY
            else None,
        )
    address = services.Address(
        line_1=data["address_line_1"],
        line_2=data["address_line_2"],
        town=data["town"],
        postcode=data["postcode"],
    )
    return {
        "address": address,
        "carer": carer,
        "child": child,
        "story": data["story"],
        "team": data["team"],
    }


@family_view("GET", "POST", record=queries.WHOLE_RECORD)
def edit_story(request, family):
    latest = family.story_versions.all()[0]
    form = EditStoryForm(
        request.POST or None, initial={"text": latest.text, "based_on": latest.number}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_story(family=family, by=request.user, **form.cleaned_data)
        except services.StoryConflict as conflict:
            services.record_story_conflict(family=family, by=request.user)
            return _story_conflict(request, family, form, conflict.latest)
        messages.success(request, "The family's story has been saved.")
        return redirect("families:family_story", family_id=family.pk)
    return render_family_page(
        request, family, "families/edit_story.html", form=form, latest=latest
    )


def _story_conflict(request, family, form, latest):
    # Keep what the user typed, and start their next save from the newest version.
    retry = EditStoryForm(
        initial={"text": form.cleaned_data["text"], "based_on": latest.number}
    )
    return render(
        request,
        "families/story_conflict.html",
        {**about(family), "form": retry, "latest": latest},
        status=409,
    )


@family_view("GET", "POST", record=queries.WHOLE_RECORD)
def record_consent(request, family):
    form = RecordConsentForm(
        request.POST or None,
        carers=family.members.filter(role=PersonRole.PARENT_CARER),
        organisations=Organisation.objects.in_area_of(request.user),
        # Linked from where consent is missing, with the organisation chosen.
        initial={"organisation": request.GET.get("organisation")},
    )
    if act_on(
        request,
        form,
        lambda data: services.record_consent(family=family, by=request.user, **data),
    ):
        messages.success(request, "Consent recorded.")
        return redirect("families:family_consent", family_id=family.pk)
    return render_family_page(
        request, family, "families/record_consent.html", form=form
    )


@family_view("GET", "POST", record=queries.WHOLE_RECORD)
def withdraw_consent(request, family, consent_id):
    consent = get_object_or_404(family.consents.standing(), pk=consent_id)
    form = WithdrawConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_consent(
                consent=consent, note=form.cleaned_data["note"], by=request.user
            )
        except services.ConsentAlreadyWithdrawn as refusal:
            messages.info(request, refusal.message)
        else:
            messages.success(request, f"Consent for {consent.organisation} withdrawn.")
        return redirect("families:family_consent", family_id=family.pk)
    return render_family_page(
        request, family, "families/withdraw_consent.html", form=form, consent=consent
    )


@family_view("GET", roles=(Role.TEAM_MANAGER,), record=queries.WHOLE_RECORD)
def family_access_log(request, family):
    events = AuditEvent.objects.filter(family_id=family.pk).select_related(
        "actor", "actor_organisation"
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    audit.record(action=AuditAction.VIEW_ACCESS_LOG, by=request.user, family=family)
    rows = presenters.access_rows(page, family.members.all())
    return render(
        request,
        "families/family_access_log.html",
        {**about(family), "page_obj": page, "rows": rows},
    )


@family_view("GET", "POST", record=queries.WHOLE_RECORD)
def add_member(request, family):
    form = AddMemberForm(request.POST or None, members=family.members.all())
    if done := act_on(
        request,
        form,
        lambda data: services.add_member(
            family=family,
            details=_person_from(data),
            related_to=data["related_to"],
            relationship=data["relationship"],
            by=request.user,
        ),
    ):
        messages.success(request, f"{done.result.full_name} added to the family.")
        return redirect("families:family_members", family_id=family.pk)
    return render_family_page(request, family, "families/add_member.html", form=form)


def _person_from(data) -> services.PersonDetails:
    unborn = data["role"] == PersonRole.UNBORN_BABY
    return services.PersonDetails(
        role=data["role"],
        given_name=data["given_name"],
        family_name=data["family_name"],
        date_of_birth=None if unborn else data["date_of_birth"],
        expected_delivery_date=data["expected_delivery_date"] if unborn else None,
        nhs_number=data["nhs_number"] or None,
        phone=data["phone"],
        preferred_language=data["preferred_language"],
        interpreter_needed=data["interpreter_needed"] == "yes",
        parent_role=data["parent_role"]
        if data["role"] == PersonRole.PARENT_CARER
        else "",
        ethnic_category=data["ethnic_category"],
    )
