"""The audit trail by month on PostgreSQL: one partition per calendar month (UTC)
of `occurred_at`, and a default partition so that an insert never fails when
next month's partition was not made in time. SQLite keeps one table.

`python -m onestory audit partitions` makes the coming months' partitions
(migrate made those up to three months ahead); run it monthly. A month whose
events already went to the default partition keeps them there: the trail is
append-only, so nothing moves them, and that month gets no partition of its own
(the default partition has the same indexes; searches and `audit verify` read
it like any other).

PostgreSQL wants the partition key in every unique index, so the id is unique
with its time, (id, occurred_at), and so is the position, (sequence,
occurred_at); both are unique indexes rather than constraints, because
pg_restore --clean cannot drop a partition's inherited constraint (there is no
PRIMARY KEY constraint; nothing needs one). What keeps each position unique
across months is the chain's single writer: `core.audit.record` takes the
chain's advisory lock, and the `next_in_chain` trigger (core/audit_chain.py)
refuses any insert that is not the next position after the last event,
chained to its hash.
"""

from datetime import UTC, date, datetime

from onestory.core.audit_chain import TABLE

DEFAULT = f"{TABLE}_default"
MONTHS_AHEAD = 3


def partition_name(month: date) -> str:
    return f"{TABLE}_y{month:%Y}m{month:%m}"


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def months_from(first: date, last: date) -> list[date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def coming_months(today: date | None = None, ahead: int = MONTHS_AHEAD) -> list[date]:
    """This month and the `ahead` after it."""
    month = (today or datetime.now(UTC).date()).replace(day=1)
    months = [month]
    for _ in range(ahead):
        months.append(next_month(months[-1]))
    return months


def _start(month: date) -> datetime:
    return datetime(month.year, month.month, 1, tzinfo=UTC)


def create(connection, months) -> tuple[list[date], list[date]]:
    """Make the months' partitions that do not exist yet. Returns the months
    made, and those skipped because the default partition holds their events."""
    made, skipped = [], []
    with connection.cursor() as cursor:
        for month in months:
            name = partition_name(month)
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
            if cursor.fetchone()[0]:
                continue
            bounds = [_start(month), _start(next_month(month))]
            cursor.execute(
                f"SELECT EXISTS (SELECT 1 FROM {DEFAULT} "  # noqa: S608 (our names)
                "WHERE occurred_at >= %s AND occurred_at < %s)",
                bounds,
            )
            if cursor.fetchone()[0]:
                skipped.append(month)
                continue
            cursor.execute(
                f"CREATE TABLE {name} PARTITION OF {TABLE} "
                "FOR VALUES FROM (%s) TO (%s)",
                bounds,
            )
            made.append(month)
    return made, skipped


def partitions(connection) -> list[str]:
    """The audit table's partitions, oldest first (the default one last)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT inhrelid::regclass::text FROM pg_inherits "
            "WHERE inhparent = %s::regclass ORDER BY 1",
            [TABLE],
        )
        names = [name for (name,) in cursor.fetchall()]
    return sorted(names, key=lambda name: name == DEFAULT)


def partitioned(connection) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relkind = 'p' FROM pg_class WHERE oid = %s::regclass", [TABLE]
        )
        return cursor.fetchone()[0]
