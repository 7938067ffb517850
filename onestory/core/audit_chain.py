"""The audit trail's tamper evidence: an append-only table and a keyed hash chain.

Every event carries its position (`sequence`, 1, 2, 3, ... with no gaps), the
hash of the event before it, and its own hash: HMAC-SHA256, under a key kept
outside the database (ONESTORY_AUDIT_KEY), of its canonical content and the
previous hash. Changing a byte of an event, deleting or swapping events, or
re-chaining them without the key, shows up in `verify` at the position where it
happened. Cutting events off the end shows up against an anchor: the last
position and hash, exported off the machine (`onestory audit anchor`).

Database triggers refuse UPDATE, DELETE and (on PostgreSQL) TRUNCATE of the
table, so the application cannot change the trail even by mistake. On
PostgreSQL, where the table is partitioned by month and a position is only
unique within its month (core/audit_partitions.py), a trigger also refuses an
insert that is not the next position after the last event, chained to its hash;
it takes the chain's lock itself, so writers take turns even outside
`core.audit.record`. On SQLite the unique index on the position does that part.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC

GENESIS = "0" * 64
TABLE = "core_auditevent"
REFUSAL = "audit events are append-only"
# Any fixed number: the advisory lock that serialises the chain on PostgreSQL.
CHAIN_LOCK = 27789

_SQLITE_INSTALL = [
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
]
_SQLITE_REMOVE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete",
]
_POSTGRES_INSTALL = [
    f"CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger "
    f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{REFUSAL}' "
    f"USING ERRCODE = 'insufficient_privilege'; END $$",
    f"CREATE OR REPLACE TRIGGER {TABLE}_no_change BEFORE UPDATE OR DELETE ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only()",
    f"CREATE OR REPLACE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_append_only()",
    f"CREATE OR REPLACE FUNCTION {TABLE}_next_in_chain() RETURNS trigger "  # noqa: S608 (our names)
    "LANGUAGE plpgsql AS $$ DECLARE last record; BEGIN "
    f"PERFORM pg_advisory_xact_lock({CHAIN_LOCK}); "
    f"SELECT sequence, hash INTO last FROM {TABLE} "
    "ORDER BY sequence DESC LIMIT 1; "
    "IF NEW.sequence IS DISTINCT FROM COALESCE(last.sequence, 0) + 1 "
    f"OR NEW.previous_hash IS DISTINCT FROM COALESCE(last.hash, '{GENESIS}') THEN "
    "RAISE EXCEPTION 'audit event % is not the next in the chain', NEW.sequence "
    "USING ERRCODE = 'unique_violation'; END IF; RETURN NEW; END $$",
    f"CREATE OR REPLACE TRIGGER {TABLE}_next_in_chain BEFORE INSERT ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_next_in_chain()",
]
_POSTGRES_REMOVE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_change ON {TABLE}",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}",
    f"DROP TRIGGER IF EXISTS {TABLE}_next_in_chain ON {TABLE}",
]


def protect(connection) -> None:
    """Install the triggers that make the audit table append-only (idempotent)."""
    _run(connection, _SQLITE_INSTALL, _POSTGRES_INSTALL)


def unprotect(connection) -> None:
    """Remove them: for the test suite's database flush only."""
    _run(connection, _SQLITE_REMOVE, _POSTGRES_REMOVE)


def _run(connection, sqlite, postgres) -> None:
    statements = {"sqlite": sqlite, "postgresql": postgres}.get(connection.vendor)
    if statements is None:
        return
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


# The fields that make up an event's content, in the order they are hashed.
CONTENT = (
    "sequence",
    "occurred_at",
    "actor_id",
    "actor_roles",
    "actor_organisation_id",
    "action",
    "outcome",
    "family_id",
    "person_id",
    "object_type",
    "object_id",
    "changed_fields",
    "detail",
    "request_id",
    "previous_hash",
)
# Added after the first release: part of the hash when set, so that events from
# before them still verify.
LATER_CONTENT = ("source_ip",)
FIELDS = CONTENT + LATER_CONTENT


def _plain(value):
    if hasattr(value, "astimezone"):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if value is None or isinstance(value, (str, int, list, dict, bool)):
        return value
    return str(value)  # UUIDs


def canonical(row: dict) -> bytes:
    """The event's content as bytes: one JSON object, keys in a fixed order."""
    return json.dumps(
        {name: _plain(row[name]) for name in CONTENT}
        | {name: row[name] for name in LATER_CONTENT if row.get(name)},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    ).encode()


def digest(key: bytes, row: dict) -> str:
    return hmac.new(key, canonical(row), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Problem:
    sequence: int
    what: str

    def __str__(self) -> str:
        return f"Position {self.sequence}: {self.what}"


@dataclass(frozen=True)
class Anchor:
    sequence: int
    hash: str


def verify(rows, key: bytes, anchor: Anchor | None = None) -> list[Problem]:
    """Check the chain, given rows (dicts with CONTENT and `hash`) in sequence
    order. Returns every problem found, first one first; empty when intact."""
    problems = []
    expected_sequence, previous = 1, GENESIS
    anchored = None  # the hash at the anchor's position: nothing else is kept
    for row in rows:
        sequence = row["sequence"]
        if sequence != expected_sequence:
            first, last = expected_sequence, sequence - 1
            missing = str(first) if first == last else f"{first} to {last}"
            problems.append(
                Problem(
                    expected_sequence,
                    f"event{'s' if first != last else ''} {missing} missing "
                    "(deleted, or positions changed)",
                )
            )
        elif row["previous_hash"] != previous:
            problems.append(
                Problem(
                    sequence,
                    "does not follow the event before it (events swapped, "
                    "deleted or inserted)",
                )
            )
        if not hmac.compare_digest(digest(key, row), row["hash"]):
            problems.append(
                Problem(sequence, "its content does not match its hash (changed)")
            )
        if anchor is not None and sequence == anchor.sequence:
            anchored = row["hash"]
        expected_sequence, previous = sequence + 1, row["hash"]
    if anchor is not None:
        if anchored is None:
            problems.append(
                Problem(
                    anchor.sequence,
                    f"the trail ends at {expected_sequence - 1}, but the anchor "
                    f"records event {anchor.sequence} (events cut off the end)",
                )
            )
        elif not hmac.compare_digest(anchored, anchor.hash):
            problems.append(
                Problem(anchor.sequence, "does not match the anchor (re-chained)")
            )
    return problems
