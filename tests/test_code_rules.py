"""Static rules for the code (security.md R25, R53), beside ruff's bandit rules
(`S`): the Django escape hatches that let injection in are used nowhere, or only
where listed here with the reason; every silenced bandit rule says why."""

import re
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "onestory"

# pattern: {file relative to onestory/: why it is safe there}
ALLOWED = {
    r"mark_safe\(": {
        "accounts/views.py": "the QR code: segno's markup from our own address",
    },
    r"\.raw\(|\.extra\(|RawSQL\(": {},
    r"csrf_exempt": {},
    r"\|\s*safe\b|autoescape off": {},
    r"cursor\.execute\(\s*f[\"']|\.execute\([^)]*\.format\(|\.execute\([^)]*%\s": {
        "core/backup.py": "table names from the database's own catalogue, quoted",
        "core/tenancy.py": "the role name quoted by the database backend",
        "core/cache.py": "the cache table's column names quoted by the backend",
        "operations/management/commands/demo.py": "ANALYZE of onestory's own tables, named by Django and quoted by the backend",
        "core/audit_partitions.py": "partition names made from a date; the bounds are parameters",
        "insights/stored.py": "the report version's table name quoted by the backend and one of two fixed fragments; the value is a parameter",
    },
    r"subprocess\.|os\.system\(": {
        "core/backup.py": "pg_dump and pg_restore with a list of our arguments",
    },
}


def _files():
    for path in sorted(SOURCE.rglob("*")):
        if path.suffix in {".py", ".html"} and "migrations" not in path.parts:
            yield path, path.relative_to(SOURCE).as_posix(), path.read_text()


def test_risky_calls_appear_only_where_they_are_justified():
    found = {}
    for pattern in ALLOWED:
        for _, name, text in _files():
            if re.search(pattern, text):
                found.setdefault(pattern, set()).add(name)
    unexpected = {
        pattern: sorted(names - set(ALLOWED[pattern]))
        for pattern, names in found.items()
        if names - set(ALLOWED[pattern])
    }
    assert unexpected == {}


def test_every_silenced_bandit_rule_says_why():
    """`# noqa: S…` needs a reason: in brackets after it, or on the line above."""
    unexplained = []
    for path, name, text in _files():
        if path.suffix != ".py":
            continue
        lines = text.splitlines()
        for number, line in enumerate(lines):
            if re.search(r"noqa: S\d+", line) and not (
                re.search(r"noqa: S\d+[^#]*\(", line)
                or lines[number - 1].strip().startswith("#")
            ):
                unexplained.append(f"{name}:{number + 1}")
    assert unexplained == []


def test_the_rules_find_what_they_look_for():
    """The patterns are not dead: each matches a line it is meant to catch."""
    samples = {
        r"mark_safe\(": "return mark_safe(text)",
        r"\.raw\(|\.extra\(|RawSQL\(": "Person.objects.raw(sql)",
        r"csrf_exempt": "@csrf_exempt",
        r"\|\s*safe\b|autoescape off": "{{ note|safe }}",
        r"cursor\.execute\(\s*f[\"']|\.execute\([^)]*\.format\(|\.execute\([^)]*%\s": (
            'cursor.execute(f"SELECT {x}")'
        ),
        r"subprocess\.|os\.system\(": "subprocess.run(args)",
    }
    assert set(samples) == set(ALLOWED)
    for pattern, sample in samples.items():
        assert re.search(pattern, sample), pattern
