"""The audit trail partitioned by month on PostgreSQL (core/audit_partitions.py,
docs/decisions); SQLite keeps its one table and Django's model is unchanged.

The table is rebuilt: renamed aside, a partitioned table made like it, a
partition for each month from the first event to three months ahead and a
default one, the rows copied in, the old table dropped, then its indexes,
foreign keys and grants made again on the new one (recreated from the old
table's own definitions, so nothing is forgotten). The id's and the position's
uniqueness take the partition key, occurred_at, as unique indexes; the chain's
trigger keeps positions unique across months (core/audit_chain.py)."""

from datetime import UTC, datetime

from django.db import migrations
from django.db.migrations.exceptions import IrreversibleError

from onestory.core import audit_chain, audit_partitions

TABLE = "core_auditevent"
ASIDE = "core_auditevent_unpartitioned"
SEQUENCE = "core_auditevent_id_seq"


def partition(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = %s AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            [TABLE, TABLE],
        )
        indexes = [definition for (definition,) in cursor.fetchall()]
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [TABLE],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT grantee, string_agg(privilege_type, ', ') "
            "FROM information_schema.role_table_grants "
            "WHERE table_name = %s AND grantee <> current_user GROUP BY grantee",
            [TABLE],
        )
        grants = cursor.fetchall()
        cursor.execute(f"SELECT min(occurred_at) FROM {TABLE}")  # noqa: S608
        first = cursor.fetchone()[0] or datetime.now(UTC)
        for statement in [
            f"ALTER TABLE {TABLE} RENAME TO {ASIDE}",
            f"ALTER SEQUENCE {SEQUENCE} RENAME TO {ASIDE}_id_seq",
            f"CREATE TABLE {TABLE} (LIKE {ASIDE} INCLUDING DEFAULTS "
            "INCLUDING CONSTRAINTS) PARTITION BY RANGE (occurred_at)",
            f"CREATE SEQUENCE {SEQUENCE} OWNED BY {TABLE}.id",
            f"ALTER TABLE {TABLE} ALTER id SET DEFAULT nextval('{SEQUENCE}')",
            f"CREATE TABLE {audit_partitions.DEFAULT} PARTITION OF {TABLE} DEFAULT",
        ]:
            cursor.execute(statement)
        months = audit_partitions.months_from(
            first.astimezone(UTC).date(), audit_partitions.coming_months()[-1]
        )
        audit_partitions.create(connection, months)
        for statement in [
            f"INSERT INTO {TABLE} SELECT * FROM {ASIDE}",  # noqa: S608
            f"SELECT setval('{SEQUENCE}', COALESCE(max(id), 0) + 1, false) "  # noqa: S608
            f"FROM {TABLE}",
            f"DROP TABLE {ASIDE}",
            # Unique indexes, not constraints: pg_restore --clean (core/backup.py)
            # cannot drop a partition's inherited constraint.
            f"CREATE UNIQUE INDEX {TABLE}_pkey ON {TABLE} (id, occurred_at)",
            f"CREATE UNIQUE INDEX {TABLE}_sequence_53be3629_uniq "
            f"ON {TABLE} (sequence, occurred_at)",
            *indexes,
            *(
                f"ALTER TABLE {TABLE} ADD CONSTRAINT {name} {definition}"
                for name, definition in foreign_keys
            ),
            *(
                f"GRANT {privileges} ON {TABLE} TO {connection.ops.quote_name(grantee)}"
                for grantee, privileges in grants
            ),
            # The id now comes from a sequence of its own, not an identity.
            *(
                f"GRANT USAGE, SELECT ON SEQUENCE {SEQUENCE} TO "
                f"{connection.ops.quote_name(grantee)}"
                for grantee, privileges in grants
                if "INSERT" in privileges
            ),
            f"ANALYZE {TABLE}",
        ]:
            cursor.execute(statement)
    audit_chain.protect(connection)


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        raise IrreversibleError(
            "The audit trail stays partitioned: restore a backup from before "
            "0029 to go back."
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0028_audit_plan_conflict")]

    operations = [migrations.RunPython(partition, unpartition)]
