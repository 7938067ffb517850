"""The family record: a summary first, then one page per section.

Each section is its own page (MOJ sub navigation between them), so each loads
only what it shows. Every page is a read of the record: fetched through the
access scope and audited by `render_family_page`, like any page about a family.
What the pages show of the family's support, measures and courses, those apps
present (families/parts.py).
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from onestory.accounts.models import Role
from onestory.families import presenters, queries, timeline
from onestory.families.pages import family_view, render_family_page
from onestory.families.parts import present


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
        return present("family_measures")(family)
    return None


@family_view("GET", record={queries.TEAM, queries.REQUESTS, queries.PLAN})
def family_record(request, family):
    """The summary: level, lead, team, what needs doing next, and risk."""
    measures = _measures(request, family)
    glances = [present("at_a_glance")(e) for e in family.open_episodes]
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


@family_view("GET", record={queries.MEMBERS})
def family_members(request, family):
    return _render_section(request, family, "family_members")


@family_view("GET", record={queries.STORY})
def family_story(request, family):
    return _render_section(
        request, family, "family_story", family_view=present("family_view")(family)
    )


@family_view("GET", record={queries.CONSENTS})
def family_consent(request, family):
    return _render_section(request, family, "family_consent")


@family_view("GET", record={queries.CONTACTS, queries.REQUESTS})
def family_support(request, family):
    return _render_section(
        request,
        family,
        "family_support",
        support=[
            present("episode_summary")(episode, request.user)
            for episode in family.open_episodes
        ],
    )


@family_view("GET", record=())
def family_questionnaires(request, family):
    return _render_section(
        request, family, "family_questionnaires", measures=_measures(request, family)
    )


@family_view("GET", record=())
def family_courses(request, family):
    return _render_section(
        request,
        family,
        "family_courses",
        courses=present("family_courses")(family),
    )


@family_view("GET", record=queries.WHOLE_RECORD)
def family_timeline(request, family):
    """Everything that has happened in the record, newest first."""
    measures = _measures(request, family)
    courses = present("family_courses")(family)
    return _render_section(
        request,
        family,
        "family_timeline",
        timeline=timeline.timeline(
            family,
            measures["responses"] if measures else (),
            attendance=courses["marks"],
        ),
        can_see_access_log=request.user.has_role(Role.TEAM_MANAGER),
    )
