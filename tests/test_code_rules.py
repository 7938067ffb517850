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
    r"csrf_exempt": {
        "notify/views.py": "Notify's delivery receipts: no cookie or session to "
        "ride on; the bearer token, compared in constant time, is the check",
    },
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


# Views read through queries.py and the models' scoped querysets (`visible_to`,
# `in_area_of`, `in_organisation_of`), not `<Model>.objects` or
# `get_object_or_404(<Model>, ...)` of their own, except where listed here with
# the reason. {view module: {model: why}}
MODEL_READS_IN_VIEWS = {
    "accounts/area_views.py": {"LocalAuthority": "the administrator's own area"},
    "accounts/link_views.py": {"Authenticator": "the account being set up"},
    "accounts/views.py": {
        "Authenticator": "the account signing in",
        "User": "the accounts signing in with this email, for the rate limit",
    },
    "families/rights_views.py": {"Person": "a person of a family read in scope"},
    "families/views.py": {"AuditEvent": "events of a family read in scope"},
    "measures/link_views.py": {
        "LocalAuthority": "the area named by a family's public link",
    },
    "programmes/views.py": {
        "LocalAuthority": "the area named by a public feedback link",
    },
}
MODEL_READ = re.compile(
    r"\b([A-Z]\w*)\.objects\b(?!\.(?:in_area_of|in_organisation_of|visible_to)\()"
    r"|get_object_or_404\(\s*([A-Z]\w*)"
)


def test_views_read_models_only_through_scoped_querysets_or_with_a_reason():
    found = {}
    for path, name, text in _files():
        if path.name.endswith("views.py"):
            for match in MODEL_READ.finditer(text):
                found.setdefault(name, set()).add(match[1] or match[2])
    unexpected = {
        name: sorted(models - set(MODEL_READS_IN_VIEWS.get(name, {})))
        for name, models in found.items()
        if models - set(MODEL_READS_IN_VIEWS.get(name, {}))
    }
    stale = {
        name: sorted(set(allowed) - found.get(name, set()))
        for name, allowed in MODEL_READS_IN_VIEWS.items()
        if set(allowed) - found.get(name, set())
    }
    assert unexpected == {}, "read through queries.py or a scoped queryset"
    assert stale == {}, "listed but no longer read: take it off the list"


def test_the_view_rule_finds_unscoped_reads_and_lets_scoped_ones_through():
    assert MODEL_READ.search("Family.objects.filter(pk=pk)")[1] == "Family"
    assert MODEL_READ.search("get_object_or_404(Person, pk=x)")[2] == "Person"
    assert MODEL_READ.search("Organisation.objects.in_area_of(user)") is None
    assert MODEL_READ.search("User.objects.in_organisation_of(user)") is None
