import secrets

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from onestory.accounts.models import FAMILY_ROLES, Organisation, Role
from onestory.core import audit, downloads, ratelimit
from onestory.core.models import AuditAction, AuditEvent
from onestory.core.permissions import roles_required
from onestory.core.replica import reads_from_replica
from onestory.families import presenters, queries, rights, services
from onestory.families.forms import (
    AddFamilyForm,
    AddMemberForm,
    CorrectPersonForm,
    EditStoryForm,
    EmergencyAccessForm,
    RecordConsentForm,
    ReviewEmergencyAccessForm,
    SearchFamiliesForm,
    SubjectAccessForm,
    WithdrawConsentForm,
)
from onestory.families.models import CORRECTABLE, BreakGlass, Person, PersonRole
from onestory.families.pages import about, count_family_reads, render_family_page
from onestory.support.services import CannotLead

PAGE_SIZE = 25
# Says no more than that the number is known: the record may be outside the
# user's scope, so it is neither shown nor linked.
ALREADY_RECORDED = (
    "This NHS number is already recorded in onestory. Search for the family, or ask "
    "your team manager if you cannot find them"
)


@roles_required(*FAMILY_ROLES)
@require_GET
def my_caseload(request):
    page = Paginator(queries.list_caseload(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    queries.caseload_details(request.user, page.object_list)
    for family in page:
        family.display_name = presenters.family_name(family)
        family.quiet_for = presenters.quiet_for(family)
    audit.record(
        action=AuditAction.LIST_CASELOAD,
        by=request.user,
        detail={"family_ids": [str(family.pk) for family in page]},
    )
    return render(
        request,
        "families/my_caseload.html",
        {"page_obj": page, "no_contact_days": settings.NO_CONTACT_DAYS},
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
    teams = request.user.teams.all()
    form = AddFamilyForm(request.POST or None, teams=teams)
    duplicates = None
    if request.method == "POST" and form.is_valid():
        details = _family_from(form.cleaned_data)
        if not ratelimit.allow(
            f"add-family:{request.user.pk}",
            limit=ADDING_PER_HOUR,
            window_seconds=60 * 60,
        ):
            form.add_error(
                None,
                f"You have added or checked more than {ADDING_PER_HOUR} families in "
                "the last hour. Try again later, or ask your team manager",
            )
        elif not form.cleaned_data["not_a_duplicate"]:
            duplicates = services.possible_duplicates(
                people=[p for p in (details["carer"], details["child"]) if p],
                by=request.user,
            )
        if not duplicates and not form.non_field_errors():
            try:
                family = services.add_family(**details, by=request.user)
            except services.NhsNumberAlreadyRecorded:
                form.add_error("carer_nhs_number", ALREADY_RECORDED)
            except CannotLead as refusal:
                form.add_error(
                    None, f"{refusal}. Ask a practitioner in your team to add them"
                )
            else:
                messages.success(
                    request, "Family added. You are their lead practitioner."
                )
                return redirect("families:family_record", family_id=family.pk)
    return render(
        request, "families/add_family.html", {"form": form, "duplicates": duplicates}
    )


def _family_from(data) -> dict:
    carer = services.PersonDetails(
        role=PersonRole.PARENT_CARER,
        given_name=data["carer_given_name"],
        family_name=data["carer_family_name"],
        date_of_birth=data["carer_date_of_birth"],
        nhs_number=data["carer_nhs_number"] or None,
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


@roles_required(*FAMILY_ROLES)
@require_http_methods(["GET", "POST"])
def edit_story(request, family_id):
    family = queries.get_family_record(request.user, family_id)
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


@roles_required(*FAMILY_ROLES)
@require_http_methods(["GET", "POST"])
def record_consent(request, family_id):
    family = queries.get_family_record(request.user, family_id)
    carers = family.members.filter(role=PersonRole.PARENT_CARER)
    form = RecordConsentForm(
        request.POST or None,
        carers=carers,
        organisations=Organisation.objects.in_area_of(request.user),
        # Linked from where consent is missing, with the organisation chosen.
        initial={"organisation": request.GET.get("organisation")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_consent(family=family, by=request.user, **form.cleaned_data)
        except services.ConsentAlreadyStanding:
            form.add_error(
                "organisation",
                "Consent for this organisation and purpose is already recorded",
            )
        else:
            messages.success(request, "Consent recorded.")
            return redirect("families:family_consent", family_id=family.pk)
    return render_family_page(
        request, family, "families/record_consent.html", form=form
    )


@roles_required(*FAMILY_ROLES)
@require_http_methods(["GET", "POST"])
def withdraw_consent(request, family_id, consent_id):
    family = queries.get_family_record(request.user, family_id)
    consent = get_object_or_404(family.consents.standing(), pk=consent_id)
    form = WithdrawConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_consent(
                consent=consent, note=form.cleaned_data["note"], by=request.user
            )
        except services.ConsentAlreadyWithdrawn:
            messages.info(request, "That consent had already been withdrawn.")
        else:
            messages.success(request, f"Consent for {consent.organisation} withdrawn.")
        return redirect("families:family_consent", family_id=family.pk)
    return render_family_page(
        request, family, "families/withdraw_consent.html", form=form, consent=consent
    )


@roles_required(Role.TEAM_MANAGER)
@require_GET
def family_access_log(request, family_id):
    family = queries.get_family_record(request.user, family_id)
    events = AuditEvent.objects.filter(family_id=family.pk).select_related(
        "actor", "actor_organisation"
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    audit.record(action=AuditAction.VIEW_ACCESS_LOG, by=request.user, family=family)
    return render(
        request,
        "families/family_access_log.html",
        {
            **about(family),
            "page_obj": page,
        },
    )


@roles_required(*FAMILY_ROLES)
@require_http_methods(["GET", "POST"])
def add_member(request, family_id):
    family = queries.get_family_record(request.user, family_id)
    form = AddMemberForm(request.POST or None, members=family.members.all())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.add_member(
                family=family,
                details=_person_from(data),
                related_to=data["related_to"],
                relationship=data["relationship"],
                by=request.user,
            )
        except services.NhsNumberAlreadyRecorded:
            form.add_error("nhs_number", ALREADY_RECORDED)
        else:
            messages.success(request, f"{person.full_name} added to the family.")
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
        preferred_language=data["preferred_language"],
        interpreter_needed=data["interpreter_needed"] == "yes",
        parent_role=data["parent_role"]
        if data["role"] == PersonRole.PARENT_CARER
        else "",
        ethnic_category=data["ethnic_category"],
    )


@roles_required(*FAMILY_ROLES)
@require_http_methods(["GET", "POST"])
def emergency_access(request):
    form = EmergencyAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.break_glass(
                nhs_number=form.cleaned_data["nhs_number"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except services.TooManyEmergencyAccesses:
            form.add_error(
                None,
                f"You have asked for emergency access {settings.BREAK_GLASS_PER_DAY} "
                "times in the last 24 hours, which is the most allowed. Ask your "
                "information governance lead or team manager",
            )
            return render(
                request, "families/emergency_access.html", {"form": form}, status=429
            )
        if grant is None:
            form.add_error("nhs_number", "No one in onestory has this NHS number")
        else:
            until = timezone.localtime(grant.expires_at)
            messages.warning(
                request,
                f"Emergency access until {until:%H:%M}. Everything you do in this "
                "record is flagged and reviewed by your information governance lead.",
            )
            return redirect("families:family_record", family_id=grant.family_id)
    return render(request, "families/emergency_access.html", {"form": form})


@roles_required(Role.INFORMATION_GOVERNANCE)
@require_GET
def emergency_access_reviews(request):
    grants = (
        BreakGlass.objects.filter(
            family__local_authority_id=request.user.organisation.local_authority_id
        )
        .select_related("user__organisation", "reviewed_by")
        .order_by(F("reviewed_at").asc(nulls_first=True), "-started_at")
    )
    page = Paginator(grants, PAGE_SIZE).get_page(request.GET.get("page"))
    audit.record(action=AuditAction.VIEW_BREAK_GLASS, by=request.user)
    return render(request, "families/emergency_access_reviews.html", {"page_obj": page})


@roles_required(Role.INFORMATION_GOVERNANCE)
@require_http_methods(["GET", "POST"])
def review_emergency_access(request, grant_id):
    grant = get_object_or_404(
        BreakGlass.objects.select_related("user__organisation", "reviewed_by"),
        pk=grant_id,
        family__local_authority_id=request.user.organisation.local_authority_id,
    )
    events = AuditEvent.objects.filter(detail__break_glass=str(grant.pk)).order_by(
        "sequence"
    )
    form = (
        None if grant.reviewed_at else ReviewEmergencyAccessForm(request.POST or None)
    )
    if request.method == "POST" and form is not None and form.is_valid():
        services.review_break_glass(
            grant=grant, note=form.cleaned_data["note"], by=request.user
        )
        messages.success(request, "Review recorded.")
        return redirect("families:emergency_access_reviews")
    audit.record(action=AuditAction.VIEW_BREAK_GLASS, by=request.user, obj=grant)
    return render(
        request,
        "families/review_emergency_access.html",
        {"grant": grant, "events": events, "form": form},
    )


@roles_required(Role.INFORMATION_GOVERNANCE)
@require_http_methods(["GET", "POST"])
def subject_access(request):
    """Everything held about one person, for a subject access request. Posted,
    so that the NHS number never appears in a URL."""
    form = SubjectAccessForm(request.POST or None)
    export = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = (
            Person.objects.select_related(
                "family", "recorded_by", "recorded_by_organisation"
            )
            .filter(
                family__local_authority_id=request.user.organisation.local_authority_id,
                **(
                    {"nhs_number": data["nhs_number"]}
                    if data["nhs_number"]
                    else {"pk": data["person"]}
                ),
            )
            .first()
        )
        if person is None:
            form.add_error("nhs_number", "No one in onestory matches")
        else:
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
                response = JsonResponse(export, json_dumps_params={"indent": 1})
                response["Content-Disposition"] = (
                    f'attachment; filename="subject-access-{person.pk}.json"'
                )
                return response
    return render(
        request, "families/subject_access.html", {"form": form, "export": export}
    )


@roles_required(*FAMILY_ROLES)
@require_http_methods(["GET", "POST"])
def correct_person(request, family_id, person_id):
    """Correct a family member's details, keeping the history; a correction made
    from details someone else has since corrected is refused (409) and what was
    typed is kept."""
    family = queries.get_visible_family(request.user, family_id)
    person = get_object_or_404(Person, pk=person_id, family=family)
    form = CorrectPersonForm(
        request.POST or None,
        initial={
            "given_name": person.given_name,
            "family_name": person.family_name,
            "date_of_birth": person.date_of_birth,
            "nhs_number": person.nhs_number or "",
            "preferred_language": person.preferred_language,
            "interpreter_needed": "yes" if person.interpreter_needed else "no",
            "parent_role": person.parent_role,
            "ethnic_category": person.ethnic_category,
            "based_on": person.version,
        },
    )
    status, latest = 200, None
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_person(
                person=person,
                details=form.details(),
                based_on=form.cleaned_data["based_on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except services.NothingToCorrect:
            form.add_error(None, "Change at least one detail, or go back")
        except services.NhsNumberAlreadyRecorded:
            form.add_error("nhs_number", ALREADY_RECORDED)
        except services.PersonChangedMeanwhile as conflict:
            services.record_correction_conflict(person=person, by=request.user)
            status, latest = 409, conflict.person
            data = request.POST.copy()
            data["based_on"] = latest.version
            form = CorrectPersonForm(data)
            form.is_valid()
        else:
            messages.success(request, "Details corrected. The previous ones are kept.")
            return redirect("families:family_members", family_id=family.pk)
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
