"""Fixed-window rate limits, counted in the shared cache.

The cache is Django's database cache by default, or Redis (docs/operations.md),
so every worker and server counts into the same windows: `cache.add` creates a
window once, and `cache.incr` is atomic across processes (core/cache.py for the
database; Redis's INCR).
"""

from django.core.cache import cache

from onestory.core.addresses import client_address


def allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt under `key`; False once `limit` is passed in the window."""
    return hit(key, window_seconds=window_seconds) <= limit


def count(key: str) -> int:
    """How many attempts `hit` has counted under `key` in its current window."""
    return cache.get(f"ratelimit:{key}", 0)


def hit(key: str, *, window_seconds: int) -> int:
    """Count one attempt (a failure, say) under `key`; returns the count."""
    full_key = f"ratelimit:{key}"
    while True:
        cache.add(full_key, 0, timeout=window_seconds)
        try:
            return cache.incr(full_key)
        except ValueError:  # the window ended between add and incr: a new one
            continue


def clear(key: str) -> None:
    """Forget the attempts counted under `key` (an administrator's unlock)."""
    cache.delete(f"ratelimit:{key}")


def distinct(
    key: str, member: str, *, limit: int, window_seconds: int
) -> tuple[int, bool, bool]:
    """Count `member` once under `key` in the window, up to `limit` members.
    Returns how many different members are counted, whether this one was just
    added, and whether it is allowed (counted already, or room for it)."""
    member_key = f"ratelimit:{key}:{member}"
    if cache.get(member_key):
        return count(key), False, True
    if count(key) >= limit:
        return count(key), False, False
    if not cache.add(member_key, 1, timeout=window_seconds):
        return count(key), False, True  # counted at the same moment elsewhere
    return hit(key, window_seconds=window_seconds), True, True


def client_ip(request) -> str:
    """The client's address (core/addresses.py: trusted proxies only)."""
    return client_address(request)
