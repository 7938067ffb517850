from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from onestory.config import env
from tests import factories


@pytest.mark.parametrize(
    ("raw", "value"),
    [("true", True), ("Yes", True), ("0", False), ("off", False), ("", None)],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, value):
    monkeypatch.setenv("ONESTORY_X", raw)
    assert env.env_bool("ONESTORY_X", default=None) is value


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("ONESTORY_X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="ONESTORY_X must be true or false"):
        env.env_bool("ONESTORY_X", default=False)


def test_env_int_refuses_words_and_small_numbers(monkeypatch):
    monkeypatch.setenv("ONESTORY_X", "soon")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env.env_int("ONESTORY_X", 30)
    monkeypatch.setenv("ONESTORY_X", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env.env_int("ONESTORY_X", 30, minimum=1)


def test_env_str_without_default_must_be_set(monkeypatch):
    monkeypatch.delenv("ONESTORY_X", raising=False)
    with pytest.raises(
        ImproperlyConfigured, match="Set the environment variable ONESTORY_X"
    ):
        env.env_str("ONESTORY_X")


def test_secrets_can_come_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "key"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("ONESTORY_KEY_FILE", str(secret))
    assert env.env_secret("ONESTORY_KEY") == "from-a-file"


def test_sqlite_url_gives_a_production_configured_database(tmp_path):
    database = env.database_from_url("sqlite:///var/x.sqlite3", base_dir=tmp_path)
    assert database["NAME"] == tmp_path / "var" / "x.sqlite3"
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    for pragma in ["journal_mode=WAL", "foreign_keys=ON", "busy_timeout=10000"]:
        assert pragma in database["OPTIONS"]["init_command"]
    assert env.database_from_url("sqlite:////abs/x.db", base_dir=tmp_path)[
        "NAME"
    ] == Path("/abs/x.db")


def test_postgres_url_is_split_into_its_parts(tmp_path):
    database = env.database_from_url(
        "postgres://app:p%40ss@db.internal:6543/onestory", base_dir=tmp_path
    )
    assert (
        database["USER"],
        database["PASSWORD"],
        database["HOST"],
        database["PORT"],
        database["NAME"],
    ) == (
        "app",
        "p@ss",
        "db.internal",
        "6543",
        "onestory",
    )
    assert database["ATOMIC_REQUESTS"] is True


def test_unknown_database_schemes_are_refused(tmp_path):
    with pytest.raises(ImproperlyConfigured):
        env.database_from_url("mysql://x/y", base_dir=tmp_path)


def test_production_settings_refuse_the_development_key():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import onestory.config.settings"],
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Set ONESTORY_SECRET_KEY" in result.stderr


def test_production_settings_refuse_the_development_audit_key():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import onestory.config.settings"],
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
            "ONESTORY_SECRET_KEY": "a-real-key-" + "x" * 40,
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Set ONESTORY_AUDIT_KEY" in result.stderr


def test_database_connections_carry_their_safety_settings(db):
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
        else:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == "30s"


def _production_settings(expression: str, **environment):
    """`expression` over the settings `s` of a production start, as JSON."""
    import json
    import subprocess
    import sys

    script = (
        "import json; from onestory.config import settings as s; "
        f"print(json.dumps({expression}))"
    )
    result = subprocess.run(  # noqa: S603 (our own fixed script)
        [sys.executable, "-c", script],
        env=factories.production_environment(**environment),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_production_settings_set_secure_cookies_and_hsts():
    assert _production_settings(
        "[s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.DEBUG]"
    ) == [
        "__Host-sessionid",
        "__Host-csrftoken",
        True,
        True,
        "Lax",
        31536000,
        True,
        False,
    ]


def test_production_settings_refuse_to_start_without_the_public_url():
    import subprocess
    import sys

    refused = subprocess.run(
        [sys.executable, "-c", "import onestory.config.settings"],
        env=factories.production_environment(ONESTORY_PUBLIC_URL=None),
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode != 0
    assert "Set ONESTORY_PUBLIC_URL" in refused.stderr
    started = subprocess.run(
        [sys.executable, "-c", "import onestory.config.settings"],
        env=factories.production_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert started.returncode == 0, started.stderr


@pytest.mark.parametrize(
    ("replica_url", "expected"),
    [
        (None, [["default"], []]),
        (
            "postgres://app@replica.internal:5432/onestory",
            [
                ["default", "replica"],
                ["onestory.core.replica.ReplicaRouter"],
                "replica.internal",
                False,
                "-c statement_timeout=30000 -c lock_timeout=10000 "
                "-c default_transaction_read_only=on",
            ],
        ),
    ],
)
def test_a_replica_url_adds_a_read_only_alias_and_the_router(replica_url, expected):
    replica = "s.DATABASES.get('replica')"
    assert (
        _production_settings(
            "[sorted(s.DATABASES), getattr(s, 'DATABASE_ROUTERS', [])] + ("
            f"[{replica}['HOST'], {replica}['ATOMIC_REQUESTS'], "
            f"{replica}['OPTIONS']['options']] if {replica} else [])",
            ONESTORY_REPLICA_URL=replica_url,
        )
        == expected
    )


def test_env_example_lists_every_variable_the_settings_read():
    """`.env.example` is the list of what can be set: a new setting read from
    the environment must be written there too (a secret may be listed as its
    `_FILE` form)."""
    import re

    root = Path(__file__).resolve().parents[2]
    read = set()
    for module in (root / "onestory" / "config").glob("*.py"):
        read |= set(re.findall(r"\"(ONESTORY_[A-Z0-9_]+)\"", module.read_text()))
    listed = set(
        re.findall(r"ONESTORY_[A-Z0-9_]+", (root / ".env.example").read_text())
    )
    missing = {
        name for name in read if name not in listed and f"{name}_FILE" not in listed
    }
    assert read, "no settings found: the test reads the wrong files"
    assert missing == set()
