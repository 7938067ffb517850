"""The audit trail by month on PostgreSQL (core/audit_partitions.py): `audit
verify` walks the chain through every partition, the chain's trigger keeps
positions unique across months, and the runtime role reaches the partitions
only through the table. SQLite keeps one table."""

import io
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from onestory.core import audit, audit_chain, audit_partitions
from onestory.core.models import AuditAction, AuditEvent
from tests import factories

POSTGRES = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="partitions are PostgreSQL's"
)
MONTHS = [date(2026, 6, 1), date(2026, 8, 1), date(2026, 9, 1), date(2026, 11, 1)]


def _sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else cursor.rowcount


def _verify():
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except CommandError as error:
        return False, err.getvalue() + str(error)
    return True, out.getvalue()


@pytest.fixture
def months_of_events(city, lead):
    """Two record views in each of four past months, each month in its own
    partition, and two now."""
    factories.clear_audit_trail()
    audit_partitions.create(
        connection, audit_partitions.months_from(MONTHS[0], MONTHS[-1])
    )
    for month in [*MONTHS, None]:
        when = datetime(month.year, month.month, 14, tzinfo=UTC) if month else None
        with time_machine.travel(when or datetime.now(UTC), tick=False):
            for _ in range(2):
                with transaction.atomic():
                    audit.record(
                        action=AuditAction.VIEW_FAMILY, by=lead, family=city.family
                    )
    return lead


@POSTGRES
def test_the_table_is_partitioned_by_month_with_a_default_one(db):
    assert audit_partitions.partitioned(connection)
    names = audit_partitions.partitions(connection)
    coming = [
        audit_partitions.partition_name(m) for m in audit_partitions.coming_months()
    ]
    assert set(coming) <= set(names)
    assert names[-1] == audit_partitions.DEFAULT


@POSTGRES
def test_a_chain_over_several_months_verifies_in_order(months_of_events):
    where = _sql(
        "SELECT sequence, tableoid::regclass::text FROM core_auditevent ORDER BY sequence"
    )
    assert [sequence for sequence, _ in where] == list(range(1, 11))
    assert {name for _, name in where[:8]} == {
        audit_partitions.partition_name(month) for month in MONTHS
    }
    assert _verify() == (True, "The audit trail is intact: 10 events.\n")


@POSTGRES
def test_a_changed_event_in_an_old_partition_is_found(months_of_events):
    audit_chain.unprotect(connection)
    _sql(
        f"UPDATE {audit_partitions.partition_name(MONTHS[0])} "  # noqa: S608
        "SET action = 'sign_in' WHERE sequence = 2"
    )
    audit_chain.protect(connection)
    succeeded, said = _verify()
    assert not succeeded
    assert "Position 2: its content does not match its hash (changed)" in said


@POSTGRES
def test_a_position_is_unique_across_months(months_of_events):
    """The unique constraint is per month; the chain's trigger refuses a copy of
    an old position in another month, and a position out of turn."""
    old = AuditEvent.objects.get(sequence=3)
    last = AuditEvent.objects.get(sequence=10)
    for sequence, previous in ((3, old.previous_hash), (12, last.hash), (11, old.hash)):
        copy = AuditEvent(
            **{
                name: getattr(old, name)
                for name in (*audit_chain.FIELDS, "hash")
                if name not in ("sequence", "previous_hash", "occurred_at")
            },
            sequence=sequence,
            previous_hash=previous,
        )
        with (
            pytest.raises(DatabaseError, match="not the next in the chain"),
            transaction.atomic(),
        ):
            copy.save(force_insert=True)
    assert AuditEvent.objects.count() == 10


@POSTGRES
def test_an_event_beyond_the_partitions_goes_to_the_default_one(months_of_events):
    later = date(2031, 3, 1)
    with time_machine.travel(datetime(2031, 3, 5, tzinfo=UTC), tick=False):
        with transaction.atomic():
            audit.record(action=AuditAction.VIEW_FAMILY, by=months_of_events)
        out, err = io.StringIO(), io.StringIO()
        call_command(
            "audit", "partitions", "--months-ahead", "1", stdout=out, stderr=err
        )
    assert _sql(
        "SELECT tableoid::regclass::text FROM core_auditevent WHERE sequence = 11"
    ) == [(audit_partitions.DEFAULT,)]
    assert (
        f"{later:%Y-%m}: its events are already in the default partition"
        in err.getvalue()
    )
    assert out.getvalue() == "Made 1 partition: 2031-04.\n"
    assert audit_partitions.partition_name(later) not in audit_partitions.partitions(
        connection
    )
    assert _verify() == (True, "The audit trail is intact: 11 events.\n")


@POSTGRES
def test_verify_reads_the_partitions_in_order_through_their_indexes(months_of_events):
    """A cursor over the chain in position order merges the partitions' own
    position indexes: no sort of the whole trail, rows streamed as read."""
    sql, params = (
        AuditEvent.objects.order_by("sequence")
        .values("sequence")
        .query.sql_with_params()
    )
    with transaction.atomic():
        plan = "\n".join(
            line for (line,) in _sql(f"EXPLAIN DECLARE chain CURSOR FOR {sql}", params)
        )
    assert "Merge Append" in plan
    assert "Sort" not in plan.replace("Sort Key", "")


@POSTGRES
def test_the_family_search_uses_each_partitions_family_index(months_of_events, city):
    with transaction.atomic():
        _sql("SET LOCAL enable_seqscan = off")
        plan = "\n".join(
            line
            for (line,) in _sql(
                "EXPLAIN SELECT * FROM core_auditevent WHERE family_id = %s "
                "ORDER BY sequence DESC LIMIT 50",
                [city.family.pk],
            )
        )
    for month in MONTHS:
        assert (
            f"{audit_partitions.partition_name(month)}_family_id_occurred_at_idx"
            in plan
        )


@POSTGRES
def test_the_runtime_role_reaches_the_partitions_only_through_the_table(
    months_of_events, app_role, city, lead, client
):
    oldest = audit_partitions.partition_name(MONTHS[0])
    with app_role:
        for statement in [
            f"SELECT count(*) FROM {oldest}",  # noqa: S608
            f"UPDATE {oldest} SET actor_id = NULL",  # noqa: S608
            f"DELETE FROM {oldest}",  # noqa: S608
            f"TRUNCATE {oldest}",
        ]:
            with (
                pytest.raises(DatabaseError, match="permission denied"),
                transaction.atomic(),
            ):
                _sql(statement)
        client.force_login(lead)
        page = client.get(reverse("families:family_record", args=[city.family.pk]))
        assert page.status_code == 200
        assert _sql("SELECT count(*) FROM core_auditevent")[0][0] == 11


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's one table")
def test_sqlite_keeps_one_table_and_says_so(db):
    assert not audit_partitions.partitioned(connection)
    with pytest.raises(CommandError, match="partitioned on PostgreSQL only"):
        call_command("audit", "partitions")
