"""Strict readers for settings from the environment.

Each helper fails loudly with ImproperlyConfigured on a value it cannot read, so a
typo in a deployment is found at start-up, not in front of a user.
"""

import importlib.util
import ipaddress
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"Set the environment variable {name}.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if value == "":
        return default
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number.") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_networks(name: str) -> tuple:
    """Addresses or networks (CIDR), comma-separated: 10.0.0.5, 10.1.0.0/16."""
    networks = []
    for item in env_list(name, []):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not an address or network like 10.0.0.0/8."
            ) from None
    return tuple(networks)


def cache_from_url(url: str) -> dict:
    """The shared cache (rate limits, bulk-read counts): Django's database cache
    in the `onestory_cache` table by default, or redis://host:6379/0."""
    if url == "":
        return {
            "BACKEND": "onestory.core.cache.SharedDatabaseCache",
            "LOCATION": "onestory_cache",
            # Never culled: a culled entry would be a rate limit forgotten.
            "OPTIONS": {"MAX_ENTRIES": 10**9},
        }
    if urlsplit(url).scheme in {"redis", "rediss"}:
        if importlib.util.find_spec("redis") is None:
            raise ImproperlyConfigured(
                "ONESTORY_CACHE_URL names Redis: install the redis package "
                "(docs/operations.md)."
            )
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
        }
    raise ImproperlyConfigured(
        "ONESTORY_CACHE_URL must start with redis:// or be empty."
    )


def env_secret(name: str, default: str | None = None) -> str:
    """Read a secret from NAME, or from the file named by NAME_FILE."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ImproperlyConfigured(f"Cannot read {name}_FILE: {error}") from None
    return env_str(name, default)


def database_from_url(url: str, *, base_dir: Path) -> dict:
    """Django DATABASES entry for a sqlite:/// or postgres:// URL."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = Path(unquote(parts.path.removeprefix("/")))
        return sqlite_database(path if path.is_absolute() else base_dir / path)
    if parts.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.removeprefix("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "ATOMIC_REQUESTS": True,
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "options": "-c statement_timeout=30000 -c lock_timeout=10000",
            },
        }
    raise ImproperlyConfigured(
        "ONESTORY_DATABASE_URL must start with sqlite:/// or postgres://"
    )


def replica_database(database: dict) -> dict:
    """The same DATABASES entry made a read-only copy for the `replica` alias
    (core/replica.py): no transaction per request, and a write refused by the
    database itself should one ever be routed there."""
    options = dict(database.get("OPTIONS", {}))
    if database["ENGINE"].endswith("postgresql"):
        options["options"] = (
            options.get("options", "") + " -c default_transaction_read_only=on"
        ).strip()
    else:
        options["transaction_mode"] = "DEFERRED"
        options["init_command"] = options.get("init_command", "") + (
            "PRAGMA query_only=ON;"
        )
    return {**database, "ATOMIC_REQUESTS": False, "OPTIONS": options}


def sqlite_database(path: Path) -> dict:
    # WAL lets readers carry on during a write; IMMEDIATE takes the write lock at
    # BEGIN so a read-then-write transaction never fails half way with "locked".
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "ATOMIC_REQUESTS": True,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 10,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=10000;"
            ),
        },
    }
