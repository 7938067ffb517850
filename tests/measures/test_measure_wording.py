"""Instruments are written as people write them (PHQ-9, never PHQ9), and the
timeline says who completed a questionnaire and how."""

import html
import re
from datetime import date
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from onestory.families import timeline as family_timeline
from onestory.measures import instruments, queries, services
from tests import factories

ONESTORY = Path(__file__).resolve().parents[2] / "onestory"
DOCS = Path(__file__).resolve().parents[2] / "docs"

# A stored code written where a person reads it: PHQ9, GAD7, CORE10, MORS_SF,
# SDQ_P4_17 (EPDS, ORS, SRS, SWEMWBS, WEMWBS, GBO are written the same either way).
STORED_CODES = re.compile(
    "|".join(
        rf"(?<![-\w]){re.escape(code)}\b"
        for code in instruments.CODES
        if code != instruments.short_name(code)
    )
)
MISSPELT = re.compile(rf"{STORED_CODES.pattern}|\b(PHQ|GAD|CORE) (9|7|10)\b")


def _text(body: str) -> str:
    """What a person reads: no tags (addresses carry the code), no scripts."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_the_pattern_finds_what_it_looks_for():
    for wrong in ("PHQ9", "GAD7", "CORE10", "MORS_SF", "SDQ_P4_17", "PHQ 9"):
        assert MISSPELT.search(f"Your {wrong} score"), wrong
    for right in ("PHQ-9", "GAD-7", "CORE-10", "MORS-SF", "EPDS", "SDQ parent 4 to 17"):
        assert not MISSPELT.search(f"Your {right} score"), right


def test_no_template_writes_an_instrument_by_its_stored_code():
    """Template text (not its tags: {% url ... 'PHQ9' %} is an address)."""
    found = []
    for path in ONESTORY.rglob("templates/**/*"):
        if path.suffix not in (".html", ".txt"):
            continue
        text = re.sub(r"{%.*?%}|{#.*?#}", " ", path.read_text(), flags=re.S)
        found += [
            f"{path.relative_to(ONESTORY)}: {m.group(0)}"
            for m in MISSPELT.finditer(text)
        ]
    assert found == []


def test_the_docs_write_instruments_as_people_do():
    """Prose only: a code in backticks (`PHQ9`) or a code block names the stored code."""
    found = []
    for path in [*DOCS.rglob("*.md"), DOCS.parent / "README.md"]:
        text = re.sub(r"```.*?```", " ", path.read_text(), flags=re.S)
        text = re.sub(r"`[^`\n]*`", " ", text)
        found += [f"{path.name}: {m.group(0)}" for m in MISSPELT.finditer(text)]
    assert found == []


@pytest.fixture
def carer(city):
    return city.family.members.get(role="parent_carer")


def _record(person, lead, code, when=date(2026, 11, 1)):
    instrument = instruments.get(code)
    answers = {
        item.key: 0 if item.kind == "choice" else item.minimum
        for item in instrument.items
    }
    return services.record_response(
        person=person,
        instrument=instrument,
        answers=answers,
        completed_on=when,
        by=lead,
    )


def _family_pages(family) -> list[str]:
    """The record, and its section pages where it has them."""
    pages = []
    for name in ("family_record", "family_questionnaires", "family_timeline"):
        try:
            pages.append(reverse(f"families:{name}", args=[family]))
        except NoReverseMatch:
            continue
    return pages


@pytest.mark.parametrize("code", sorted(instruments.CODES))
def test_the_pages_about_a_questionnaire_write_its_name(
    code, city, client, lead, carer
):
    """Every page a practitioner opens about one, with a review point due."""
    response = _record(carer, lead, code, date(2026, 9, 1))
    _record(carer, lead, code)
    services.start_intervention(
        person=carer,
        programme=factories.programme("Listening visits test"),
        deliverer=lead,
        started_on=timezone.localdate(),
        planned_weeks=12,
        instrument_codes=[code],
        by=lead,
    )
    client.force_login(lead)
    family = city.family.pk
    pages = [
        *_family_pages(family),
        reverse("measures:record_questionnaire", args=[family, carer.pk, code]),
        reverse("measures:show_questionnaire", args=[family, response.pk]),
        reverse("measures:amend_questionnaire", args=[family, response.pk]),
        reverse("measures:show_progress", args=[family, carer.pk, code]),
        reverse("measures:print_progress_sheet", args=[family]),
        reverse("families:my_caseload"),
    ]
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        assert MISSPELT.findall(_text(page.content.decode())) == [], url
    # The review point is offered on the form in words, not as "End PHQ9".
    form = _text(client.get(pages[-6]).content.decode())
    assert "Baseline of Listening visits test, due " in form


def test_the_timeline_says_who_completed_it_and_that_a_practitioner_entered_it(
    city, lead, carer
):
    baby = city.family.members.get(role="baby")
    _record(carer, lead, "PHQ9")
    _record(baby, lead, "SDQ_P2_4", date(2026, 10, 1))
    events = family_timeline.timeline(
        city.family, queries.family_measures(city.family)["responses"]
    )
    titles = {event.title: event.by for event in events}
    assert titles[
        f"PHQ-9 completed by {carer.full_name}, entered by a practitioner"
    ] == (lead.full_name)
    # A parent answers a child's questionnaire: it is about the child.
    assert titles[
        f"SDQ parent 2 to 4 about {baby.full_name}, entered by a practitioner"
    ] == (lead.full_name)
