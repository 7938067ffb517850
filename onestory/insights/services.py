from django.db import transaction

from onestory.core import audit, tenancy
from onestory.core.models import AuditAction
from onestory.insights import stored
from onestory.insights.models import LearningEntry


@transaction.atomic
def record_learning(
    *,
    period: str,
    metric_codes: list[str],
    team,
    question: str,
    tried: str,
    noticed: str,
    next_steps: str,
    by,
) -> LearningEntry:
    entry = LearningEntry.objects.create(
        local_authority=by.organisation.local_authority,
        team=team,
        period=period,
        metric_codes=metric_codes,
        question=question,
        tried=tried,
        noticed=noticed,
        next_steps=next_steps,
        written_by=by,
    )
    audit.record(
        action=AuditAction.RECORD_LEARNING,
        by=by,
        obj=entry,
        detail={"period": period, "metrics": metric_codes},
    )
    return entry


class BadAreaLookup(Exception):
    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} bad rows")
        self.problems = problems


REQUIRED_COLUMNS = ("postcode", "lsoa", "imd_decile")


@transaction.atomic
def load_area_lookup(reader) -> int:
    """Replace the whole lookup with the rows of a CSV reader (DictReader), or
    nothing at all: every bad row is reported, with its line."""
    from onestory.insights.domain import read_area_row
    from onestory.insights.models import AreaDeprivation

    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise BadAreaLookup([f"The file has no column {', '.join(missing)}."])
    rows, problems = [], []
    seen: dict = {}
    for line, raw in enumerate(reader, start=2):
        try:
            row = read_area_row(raw)
        except ValueError as error:
            problems.append(f"Line {line}: {error}.")
            continue
        if row.postcode in seen:
            problems.append(
                f"Line {line}: {row.postcode} is already on line {seen[row.postcode]}."
            )
            continue
        seen[row.postcode] = line
        rows.append(
            AreaDeprivation(
                postcode=row.postcode,
                lsoa_code=row.lsoa_code,
                imd_decile=row.imd_decile,
            )
        )
    if problems:
        raise BadAreaLookup(problems)
    AreaDeprivation.objects.all().delete()
    AreaDeprivation.objects.bulk_create(rows, batch_size=1000)
    _every_area_changed()
    return len(rows)


def _every_area_changed() -> None:
    """The lookup is the whole deployment's, and every period's equity figures
    and deprivation filters read it as it is now: every area's stored figures
    stop being current, in this transaction. Each area's version is moved as
    that area's tenant (row-level security lets no other); the tenant is then
    cleared for the rest of the transaction, so it fails closed."""
    from onestory.accounts.models import LocalAuthority

    for area in LocalAuthority.objects.values_list("pk", flat=True):
        tenancy.set_tenant(area, local=True)
        stored.changed(local_authority=area)
    tenancy.set_tenant(None, local=True)
