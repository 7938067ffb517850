"""Back up and restore the database, and fingerprint it to prove a restore.

SQLite: the online backup API copies a consistent snapshot while the service
runs, and a restore copies it back page by page. PostgreSQL: pg_dump's custom
format and pg_restore. Either way the result is checked: `PRAGMA
integrity_check` on SQLite, and per-table row counts and checksums that must
match the ones taken at backup time (`fingerprint`).
"""

import hashlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection, transaction


class BackupError(Exception):
    """A backup or restore could not be made; the message says why."""


def backup(target: Path) -> dict[str, int]:
    """Write a new backup file; return the rows of each table in that file.

    SQLite: counted in the file written. PostgreSQL: pg_dump reads a snapshot
    exported from a transaction that counts the rows of the same snapshot, so
    the counts are the file's, whatever is written meanwhile."""
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} already exists: choose a new file name.")
    target.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        _check_sqlite(target)
        return _sqlite_rows(target)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        _run(
            [
                "pg_dump",
                "--format=custom",
                f"--snapshot={snapshot}",
                "--file",
                str(target),
            ],
            _pg_env(),
        )
        # The tables pg_dump copies rows from: the audit trail's monthly
        # partitions (core/audit_partitions.py), not the table they make up.
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' "
            "AND relnamespace = current_schema()::regnamespace"
        )
        return _rows(cursor, [name for (name,) in cursor.fetchall()])


def _sqlite_rows(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return _rows(db, tables, quote=lambda name: '"' + name.replace('"', '""') + '"')


def _rows(cursor, tables, quote=None) -> dict[str, int]:
    quote = quote or connection.ops.quote_name
    counts = {}
    for table in sorted(tables):
        result = cursor.execute(f"SELECT count(*) FROM {quote(table)}")  # noqa: S608 (a table name, quoted)
        (counts[table],) = (result or cursor).fetchone()
    return counts


def restore(source: Path) -> None:
    """Replace the database's contents with the backup's."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"There is no backup at {source}.")
    if connection.vendor == "sqlite":
        _check_sqlite(source)
        connection.ensure_connection()
        origin = sqlite3.connect(source)
        try:
            origin.backup(connection.connection)
        finally:
            origin.close()
        _check_sqlite(Path(connection.settings_dict["NAME"]))
    else:
        connection.close()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                connection.settings_dict["NAME"],
                str(source),
            ],
            _pg_env(),
        )


def fingerprint() -> dict[str, tuple[int, str]]:
    """Every table's row count and a SHA-256 of its rows in primary-key order."""
    result = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table.startswith("sqlite_"):
                continue
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY 1")  # noqa: S608 (a table name, quoted)
            digest, count = hashlib.sha256(), 0
            for row in cursor.fetchall():
                digest.update(repr(tuple(_plain(v) for v in row)).encode())
                count += 1
            result[table] = (count, digest.hexdigest())
    return result


def _plain(value):
    return bytes(value) if isinstance(value, memoryview) else value


def _check_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as db:
        (result,) = db.execute("PRAGMA integrity_check").fetchone()
    if result != "ok":
        raise BackupError(f"{path} failed SQLite's integrity check: {result}")


def _pg_env() -> dict:
    settings = connection.settings_dict
    env = dict(os.environ)
    for key, name in [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ]:
        if settings.get(name):
            env[key] = str(settings[name])
    return env


def _run(command: list[str], env: dict) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed on this machine.")
    result = subprocess.run(  # noqa: S603 (a fixed program, our arguments)
        command, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")
