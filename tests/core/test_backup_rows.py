"""`python -m onestory backup` reports the rows in the file it wrote, table by
table, counted from the file (SQLite) or from the very snapshot pg_dump wrote
(PostgreSQL), checked here against the file itself (R45)."""

import io
import re
import sqlite3
import subprocess
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


def _rows_in_file(path) -> dict[str, int]:
    if connection.vendor == "sqlite":
        with sqlite3.connect(path) as db:
            tables = [
                name
                for (name,) in db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                    " AND name NOT LIKE 'sqlite_%'"
                )
            ]
            return {
                table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608 (the file's own table names)
                for table in tables
            }
    # The file's data as SQL: one line per row between COPY and "\.".
    dump = subprocess.run(  # noqa: S603 (a fixed program, our arguments)
        ["pg_restore", "--data-only", "--file=-", str(path)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    counts, table = Counter(), None
    for line in dump.splitlines():
        if match := re.match(r"COPY (?:\w+\.)?\"?(\w+)\"? ", line):
            table = match.group(1)
            counts[table] += 0
        elif line == "\\.":
            table = None
        elif table:
            counts[table] += 1
    return dict(counts)


def test_backup_reports_each_tables_rows_as_the_file_holds_them(city, tmp_path):
    target = tmp_path / "rows.backup"
    out = io.StringIO()
    call_command("backup", "--output", str(target), stdout=out)
    report = out.getvalue()
    in_file = _rows_in_file(target)
    assert in_file["families_family"] == 1
    reported = {
        table: int(count)
        for table, count in re.findall(r"^  (\w+)\s+(\d+)$", report, re.MULTILINE)
    }
    assert {t: reported[t] for t in in_file} == in_file
    total = sum(in_file.values())
    assert f"Backed up {len(reported)} tables ({total} rows) to {target}." in report
