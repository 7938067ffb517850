"""The family record: a summary first, then one page per section.

Each section is its own page (MOJ sub navigation between them), so each loads
only what it shows. Every page is a read of the record: fetched through the
access scope and audited by `render_family_page`, like any page about a family.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from onestory.accounts.models import FAMILY_ROLES, Role
from onestory.core.permissions import roles_required
from onestory.families import presenters, queries
from onestory.families.pages import render_family_page
from onestory.measures import queries as measures_queries
from onestory.programmes import queries as programme_queries
from onestory.support import presenters as support_presenters


@dataclass(frozen=True)
class Section:
    """A page of the record: its URL name in `families:` is also its template's."""

    name: str
    label: str
    # The summary's link to it carries the id the section had on the one-page
    # record, so an old link such as ".../#consent" still leads to it.
    anchor: str
    # Outcome measures and risk: not shown to peer support workers.
    clinical: bool = False


SECTIONS = (
    Section("family_record", "Summary", "summary"),
    Section("family_members", "Members", "members"),
    Section("family_story", "Story", "story"),
    Section("family_consent", "Consent", "consent"),
    Section("family_support", "Support", "team"),
    Section("family_questionnaires", "Questionnaires", "questionnaires", clinical=True),
    Section("family_courses", "Courses", "courses"),
    Section("family_timeline", "Timeline", "timeline"),
)


def _render_section(request, family, name, **context):
    clinical = request.user.sees_clinical_information
    sections = [
        {
            "label": section.label,
            "url": reverse(f"families:{section.name}", args=[family.pk]),
            "anchor": section.anchor,
            "current": section.name == name,
        }
        for section in SECTIONS
        if clinical or not section.clinical
    ]
    return render_family_page(
        request,
        family,
        f"families/{name}.html",
        sections=sections,
        on_summary=name == "family_record",
        **context,
    )


def _measures(request, family):
    # Peer support workers see the record without outcome measures or risk.
    if request.user.sees_clinical_information:
        return measures_queries.family_measures(family)
    return None


@roles_required(*FAMILY_ROLES)
@require_GET
def family_record(request, family_id):
    """The summary: level, lead, team, what needs doing next, and risk."""
    family = queries.get_family_record(
        request.user, family_id, {queries.TEAM, queries.REQUESTS, queries.PLAN}
    )
    measures = _measures(request, family)
    glances = [support_presenters.at_a_glance(e) for e in family.open_episodes]
    return _render_section(
        request,
        family,
        "family_record",
        measures=measures,
        glances=glances,
        next_steps=presenters.next_steps(
            family, glances, measures, timezone.localdate()
        ),
        can_see_access_log=request.user.has_role(Role.TEAM_MANAGER),
    )


@roles_required(*FAMILY_ROLES)
@require_GET
def family_members(request, family_id):
    family = queries.get_family_record(request.user, family_id, {queries.MEMBERS})
    return _render_section(request, family, "family_members")


@roles_required(*FAMILY_ROLES)
@require_GET
def family_story(request, family_id):
    family = queries.get_family_record(request.user, family_id, {queries.STORY})
    return _render_section(request, family, "family_story")


@roles_required(*FAMILY_ROLES)
@require_GET
def family_consent(request, family_id):
    family = queries.get_family_record(request.user, family_id, {queries.CONSENTS})
    return _render_section(request, family, "family_consent")


@roles_required(*FAMILY_ROLES)
@require_GET
def family_support(request, family_id):
    family = queries.get_family_record(
        request.user, family_id, {queries.CONTACTS, queries.REQUESTS}
    )
    return _render_section(
        request,
        family,
        "family_support",
        support=[
            support_presenters.summarise(episode, request.user)
            for episode in family.open_episodes
        ],
    )


@roles_required(*FAMILY_ROLES)
@require_GET
def family_questionnaires(request, family_id):
    family = queries.get_family_record(request.user, family_id, ())
    return _render_section(
        request, family, "family_questionnaires", measures=_measures(request, family)
    )


@roles_required(*FAMILY_ROLES)
@require_GET
def family_courses(request, family_id):
    family = queries.get_family_record(request.user, family_id, ())
    return _render_section(
        request,
        family,
        "family_courses",
        courses=programme_queries.family_courses(family),
    )


@roles_required(*FAMILY_ROLES)
@require_GET
def family_timeline(request, family_id):
    """Everything that has happened in the record, newest first."""
    family = queries.get_family_record(request.user, family_id)
    measures = _measures(request, family)
    courses = programme_queries.family_courses(family)
    return _render_section(
        request,
        family,
        "family_timeline",
        timeline=presenters.timeline(
            family,
            measures["responses"] if measures else (),
            attendance=courses["marks"],
        ),
        can_see_access_log=request.user.has_role(Role.TEAM_MANAGER),
    )
