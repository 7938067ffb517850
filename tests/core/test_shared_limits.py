"""Client addresses behind trusted proxies, and limits that hold across
processes (the shared cache: core/cache.py, core/ratelimit.py)."""

import io
import threading
from ipaddress import ip_network

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from onestory.config.env import cache_from_url, env_networks
from onestory.core import ratelimit
from onestory.core.addresses import client_address


def _request(peer, forwarded=None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("10.0.0.5", "203.0.113.7", "203.0.113.7"),
        ("10.0.0.5", "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # forged hop on the left
        ("10.0.0.5", "203.0.113.7, 10.0.0.9", "203.0.113.7"),  # two proxies
        ("10.0.0.5", "203.0.113.7:51234", "203.0.113.7"),
        ("10.0.0.5", "[2001:db8::7]:443", "2001:db8::7"),
        ("10.0.0.5", "not-an-address", "10.0.0.5"),  # garbage: the proxy it came from
        ("10.0.0.5", "", "10.0.0.5"),
        ("10.0.0.5", None, "10.0.0.5"),
        ("10.0.0.5", "10.0.0.9", "10.0.0.9"),  # only proxies: the furthest one
        ("192.0.2.9", "203.0.113.7", "192.0.2.9"),  # not our proxy: header ignored
        ("::ffff:10.0.0.5", "203.0.113.7", "203.0.113.7"),
    ],
)
def test_the_client_address_believes_only_trusted_proxies(
    settings, peer, forwarded, client
):
    settings.TRUSTED_PROXIES = (ip_network("10.0.0.0/24"),)
    assert client_address(_request(peer, forwarded)) == client


def test_without_trusted_proxies_the_header_is_never_read(settings):
    settings.TRUSTED_PROXIES = ()
    assert client_address(_request("10.0.0.5", "203.0.113.7")) == "10.0.0.5"


def test_trusted_proxies_are_read_strictly(monkeypatch):
    monkeypatch.setenv("ONESTORY_TRUSTED_PROXIES", "10.0.0.5, 172.16.0.0/12")
    assert env_networks("ONESTORY_TRUSTED_PROXIES") == (
        ip_network("10.0.0.5/32"),
        ip_network("172.16.0.0/12"),
    )
    monkeypatch.setenv("ONESTORY_TRUSTED_PROXIES", "10.0.0.5, the-proxy")
    with pytest.raises(ImproperlyConfigured, match="'the-proxy' is not an address"):
        env_networks("ONESTORY_TRUSTED_PROXIES")


def test_the_cache_is_the_database_unless_redis_is_named():
    assert cache_from_url("")["BACKEND"] == "onestory.core.cache.SharedDatabaseCache"
    with pytest.raises(ImproperlyConfigured):
        cache_from_url("memcached://127.0.0.1")


def test_redis_is_used_only_when_its_client_is_installed():
    import importlib.util

    if importlib.util.find_spec("redis") is None:
        with pytest.raises(ImproperlyConfigured, match="install the redis package"):
            cache_from_url("redis://127.0.0.1:6379/0")
    else:
        assert cache_from_url("redis://127.0.0.1:6379/0") == {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
        }


def test_a_cache_that_takes_no_counts_fails_closed(db, monkeypatch):
    from django.core.cache import cache

    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: False)
    with pytest.raises(ratelimit.CacheUnavailable):
        ratelimit.hit("nowhere", window_seconds=60)


def test_the_cache_table_is_made_by_migrate(db):
    assert "onestory_cache" in connection.introspection.table_names()


THREADS, HITS = 4, 15


@pytest.mark.django_db(transaction=True)
def test_counts_from_separate_connections_add_up_and_one_limit_holds():
    """Each thread is a worker of its own, with its own database connection and
    cache object: no count is lost, and a limit of 25 admits exactly 25."""
    allowed, errors = [], []

    def worker():
        cache = caches.create_connection("default")
        try:
            for _ in range(HITS):
                cache.add("ratelimit:race", 0, timeout=60)
                cache.incr("ratelimit:race")
                if ratelimit.allow("race-limit", limit=25, window_seconds=60):
                    allowed.append(1)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert ratelimit.count("race") == THREADS * HITS
    assert len(allowed) == 25


@pytest.mark.django_db(transaction=True)
def test_an_expired_window_starts_again():
    cache = caches["default"]
    cache.set("ratelimit:old", 7, timeout=-1)  # already expired
    assert ratelimit.hit("old", window_seconds=60) == 1


def test_distinct_counts_each_member_once_and_stops_at_the_limit(db):
    assert ratelimit.distinct("seen", ["a", "b", "a"], limit=3, window_seconds=60) == (
        0,
        2,
        True,
    )
    assert ratelimit.distinct("seen", ["b"], limit=3, window_seconds=60) == (2, 2, True)
    # Two new ones with room for one: the first is counted, the call refused.
    assert ratelimit.distinct("seen", ["c", "d"], limit=3, window_seconds=60) == (
        2,
        3,
        False,
    )
    assert ratelimit.distinct("seen", ["c"], limit=3, window_seconds=60)[2] is True
    assert ratelimit.distinct("seen", ["d"], limit=3, window_seconds=60) == (
        3,
        3,
        False,
    )


def test_distinct_starts_again_when_the_window_is_over(db):
    import time_machine

    with time_machine.travel(1_800_000_000, tick=False):
        ratelimit.distinct("hour", ["a", "b"], limit=2, window_seconds=3600)
        assert not ratelimit.distinct("hour", ["c"], limit=2, window_seconds=3600)[2]
    with time_machine.travel(1_800_000_000 + 3601, tick=False):
        assert ratelimit.distinct("hour", ["c"], limit=2, window_seconds=3600) == (
            0,
            1,
            True,
        )


def test_setting_an_entry_is_one_upsert_that_never_counts_the_table(db):
    """Django's own `set` counts the whole table on every call (to cull it,
    which this cache never does)."""
    cache = caches["default"]
    with CaptureQueriesContext(connection) as captured:
        cache.set("ratelimit:seen", {"a"}, timeout=60)
        cache.set("ratelimit:seen", {"a", "b"}, timeout=60)
    assert len(captured) == 2
    assert not any("COUNT(" in query["sql"].upper() for query in captured)
    assert cache.get("ratelimit:seen") == {"a", "b"}
    cache.set("ratelimit:seen", {"c"}, timeout=-1)  # already expired
    assert cache.get("ratelimit:seen") is None


def test_retention_deletes_expired_cache_rows_and_keeps_live_ones(db):
    from django.core.management import call_command

    from onestory.core.models import CacheEntry

    shared = caches["default"]
    shared.set("still-counting", 3, timeout=600)
    shared.set("time-is-up", 5, timeout=600)
    CacheEntry.objects.filter(cache_key__endswith="time-is-up").update(
        expires="2000-01-01T00:00:00Z"
    )
    assert CacheEntry.objects.count() == 2
    call_command("retention", "--apply", stdout=io.StringIO())
    assert [entry.cache_key.split(":")[-1] for entry in CacheEntry.objects.all()] == [
        "still-counting"
    ]
    assert shared.get("still-counting") == 3
