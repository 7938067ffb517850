"""What the apps above families contribute to a family: the one registry.

families sits low in the layers (core < accounts < families < support <
workforce < programmes < measures < ...: the import-linter contracts in
pyproject.toml), so it imports none of the apps about a family's support.
Where a family's access scope, its record, its caseload or its subject access
export needs what one of those apps holds, that app contributes it here, from
its `AppConfig.ready()` (its `family_parts.py` says what it contributes):

- `access_paths(paths)`: more ways into the access scope
  (`Family.objects.visible_to`), as `paths(user, correlated)` ->
  [(rows, the field naming their family)].
- `record_parts(load)`: `load(queryset, parts)` -> the queryset loading those
  of the named parts of the record (`queries.get_family_record`) the app holds.
- `caseload(families)`: `families(user)` -> the ids of the families in the
  user's caseload (`queries.list_caseload`); one app gives it.
- `caseload_details(details)`: `details(user, of_family, today)` -> more
  annotations of a page of the caseload (`queries.caseload_details`).
- `family_added(then)`: `then(family=, team=, by=)`, in the transaction that
  adds a family (`services.add_family`); it may refuse with a `Refusal`.
- `subject_access(section, items)`: `items(person)` -> the items the app holds
  for one of the sections (`SUBJECT_ACCESS_SECTIONS`) of a person's subject
  access export (`rights.subject_access`).
- `presenter(name, present)`: what the record's pages show from the app, by
  name (`PRESENTERS`); `present(name)` finds it.

Each kind is called in the order the apps start (INSTALLED_APPS, lowest
first). Nothing here queries or imports another app: it only holds what they
gave.
"""

from collections.abc import Callable
from typing import Any

AccessPaths = Callable[..., list]
RecordParts = Callable[..., Any]
Caseload = Callable[..., Any]
CaseloadDetails = Callable[..., dict]
FamilyAdded = Callable[..., None]
SubjectAccessItems = Callable[..., list]

# The sections of a subject access export other apps add items to.
SUBJECT_ACCESS_SECTIONS = ("questionnaires", "support", "shared_with")
# The presenters and loaders the family record's pages show, by name:
# "at_a_glance"(episode) and "episode_summary"(episode, user) from support,
# "family_measures"(family) from measures, "family_courses"(family) from
# programmes, "family_view"(family) from parents (who has the family's own view
# and its suggestions waiting, on the story page).
PRESENTERS = (
    "at_a_glance",
    "episode_summary",
    "family_measures",
    "family_courses",
    "family_view",
)

_access_paths: list[AccessPaths] = []
_record_parts: list[RecordParts] = []
_caseload: Caseload | None = None
_caseload_details: list[CaseloadDetails] = []
_family_added: list[FamilyAdded] = []
_subject_access: dict[str, list[SubjectAccessItems]] = {
    section: [] for section in SUBJECT_ACCESS_SECTIONS
}
_presenters: dict[str, Callable] = {}


def _add(registry: list, contribution) -> None:
    if contribution not in registry:  # ready() may run more than once
        registry.append(contribution)


def access_paths(paths: AccessPaths) -> None:
    _add(_access_paths, paths)


def record_parts(load: RecordParts) -> None:
    _add(_record_parts, load)


def caseload(families: Caseload) -> None:
    global _caseload
    _caseload = families


def caseload_details(details: CaseloadDetails) -> None:
    _add(_caseload_details, details)


def family_added(then: FamilyAdded) -> None:
    _add(_family_added, then)


def subject_access(section: str, items: SubjectAccessItems) -> None:
    _add(_subject_access[section], items)


def presenter(name: str, present: Callable) -> None:
    if name not in PRESENTERS:
        raise ValueError(f"No page of the family record shows {name!r}")
    _presenters[name] = present


def present(name: str) -> Callable:
    return _presenters[name]


def contributed_access_paths() -> list[AccessPaths]:
    return list(_access_paths)


def contributed_record_parts() -> list[RecordParts]:
    return list(_record_parts)


def contributed_caseload() -> Caseload | None:
    return _caseload


def contributed_caseload_details() -> list[CaseloadDetails]:
    return list(_caseload_details)


def contributed_family_added() -> list[FamilyAdded]:
    return list(_family_added)


def contributed_subject_access(section: str) -> list[SubjectAccessItems]:
    return list(_subject_access[section])
