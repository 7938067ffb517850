"""What a welfare check shows: only the fields a check needs (docs/incidents.md,
"Only what a check needs"), the same on the page, in print and in the
multi-agency cell's CSV."""

from dataclasses import dataclass

from django.utils import timezone

from onestory.core.presenters import Tag, status_tag
from onestory.families.domain import age_in_years
from onestory.families.models import PersonRole
from onestory.incidents import domain
from onestory.incidents.models import NEEDS, WelfareCheck

CSV_COLUMNS = [
    "Order",
    "Family",
    "Address",
    "Postcode",
    "People",
    "Phone",
    "Language",
    "Why first",
    "Checked by",
    "Status",
]


@dataclass(frozen=True)
class CheckRow:
    check: WelfareCheck
    name: str
    address: str
    people: list[str]
    phones: list[str]
    language: str
    why: list[str]
    checker: str


def _person_words(person, today) -> str:
    name = person.full_name or person.get_role_display()
    if person.role == PersonRole.UNBORN_BABY and person.expected_delivery_date:
        return f"{name} (due {person.expected_delivery_date:%-d %B})"
    if person.role in (PersonRole.BABY, PersonRole.CHILD) and person.date_of_birth:
        weeks = (today - person.date_of_birth).days // 7
        age = (
            f"{weeks} weeks"
            if weeks < 104
            else f"{age_in_years(person.date_of_birth, today)} years"
        )
        return f"{name} ({age})"
    return name


def check_rows(checks, members_of: dict, today=None) -> list[CheckRow]:
    """`members_of`: {family id: [Person, ...]} for these checks' families."""
    today = today or timezone.localdate()
    rows = []
    for check in checks:
        people = members_of.get(check.family_id, [])
        adults = [p for p in people if p.role == PersonRole.PARENT_CARER]
        languages = {
            p.preferred_language for p in people if p.preferred_language != "English"
        }
        language = ", ".join(sorted(languages)) or "English"
        if any(p.interpreter_needed for p in people):
            language += " (needs an interpreter)"
        rows.append(
            CheckRow(
                check=check,
                name=(f"{adults[0].full_name}'s family" if adults else "Family"),
                address=check.family.address_line_1,
                people=[_person_words(p, today) for p in people],
                phones=[p.formatted_phone for p in adults if p.phone],
                language=language,
                why=[domain.WORDS[code] for code in check.reasons],
                checker=(
                    check.assigned_to.full_name
                    if check.assigned_to
                    else "Incident staff"
                ),
            )
        )
    return rows


def status(check) -> Tag:
    if check.reached_at is not None:
        if check.outcome in NEEDS:
            return Tag(f"Reached: {check.get_outcome_display().lower()}", "orange")
        return Tag(check.get_outcome_display(), "green")
    if check.escalated_at is not None:
        return Tag("Escalated: no answer", "red")
    if check.attempts:
        return Tag(f"No answer ({check.attempts})", "yellow")
    return Tag("Not yet checked", "grey")


@status_tag("welfare_check")
def welfare_check_tag(check) -> Tag:
    return status(check)


def csv_row(row: CheckRow) -> list:
    check = row.check
    return [
        check.rank,
        row.name,
        row.address,
        check.family.postcode,
        "; ".join(row.people),
        "; ".join(row.phones),
        row.language,
        "; ".join(row.why),
        row.checker,
        status(check).text,
    ]
