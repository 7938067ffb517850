"""A small fixed-window rate limit on Django's cache.

The default cache is per process; with several application servers, configure a
shared cache (see docs/operations.md) so that limits hold across them.
"""

from django.core.cache import cache


def allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt under `key`; False once `limit` is passed in the window."""
    full_key = f"ratelimit:{key}"
    cache.add(full_key, 0, timeout=window_seconds)
    try:
        count = cache.incr(full_key)
    except ValueError:  # expired between add and incr
        cache.set(full_key, 1, timeout=window_seconds)
        count = 1
    return count <= limit


def count(key: str) -> int:
    """How many attempts `hit` has counted under `key` in its current window."""
    return cache.get(f"ratelimit:{key}", 0)


def hit(key: str, *, window_seconds: int) -> int:
    """Count one attempt (a failure, say) under `key`; returns the count."""
    full_key = f"ratelimit:{key}"
    cache.add(full_key, 0, timeout=window_seconds)
    try:
        return cache.incr(full_key)
    except ValueError:  # expired between add and incr
        cache.set(full_key, 1, timeout=window_seconds)
        return 1


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
    cache.add(member_key, 1, timeout=window_seconds)
    return hit(key, window_seconds=window_seconds), True, True


def client_ip(request) -> str:
    """The address the request came from (set REMOTE_ADDR from your TLS proxy)."""
    return request.META.get("REMOTE_ADDR", "")
