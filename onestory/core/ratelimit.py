"""Fixed-window rate limits, counted in the shared cache.

The cache is Django's database cache by default, or Redis (docs/operations.md),
so every worker and server counts into the same windows: `cache.add` creates a
window once, and `cache.incr` is atomic across processes (core/cache.py for the
database; Redis's INCR).
"""

import time

from django.core.cache import cache

from onestory.core.addresses import client_address


def allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt under `key`; False once `limit` is passed in the window."""
    return hit(key, window_seconds=window_seconds) <= limit


def count(key: str) -> int:
    """How many attempts `hit` has counted under `key` in its current window."""
    return cache.get(f"ratelimit:{key}", 0)


def hit(key: str, *, window_seconds: int, delta: int = 1) -> int:
    """Count one attempt (a failure, say), or `delta`, under `key`; returns the
    count."""
    full_key = f"ratelimit:{key}"
    for _ in range(3):
        cache.add(full_key, 0, timeout=window_seconds)
        try:
            return cache.incr(full_key, delta)
        except ValueError:  # the window ended between add and incr: a new one
            continue
    raise CacheUnavailable(full_key)


class CacheUnavailable(RuntimeError):
    """The shared cache takes no counts: fail closed, with an error."""


def clear(key: str) -> None:
    """Forget the attempts counted under `key` (an administrator's unlock)."""
    cache.delete(f"ratelimit:{key}")


def distinct(
    key: str, members, *, limit: int, window_seconds: int
) -> tuple[int, int, bool]:
    """Count each of `members` once under `key` in the window, up to `limit`
    different ones, in a constant number of cache calls however many there are.

    Returns the count before and after, and whether every member is allowed
    (counted already, or room for it). The members seen are one entry beside
    the atomic count: two requests at once may both count a member (the count
    errs high, never low)."""
    seen_key = f"ratelimit:{key}:seen"
    now = time.time()
    state = cache.get(seen_key)
    if state is None:  # a new window
        fresh = {"start": now, "seen": frozenset()}
        cache.add(seen_key, fresh, timeout=window_seconds)
        state = cache.get(seen_key) or fresh
    counter = f"{key}:{int(state['start'] * 1000)}"
    remaining = max(1, int(state["start"] + window_seconds - now))
    new = [m for m in dict.fromkeys(members) if m not in state["seen"]]
    before = count(counter)
    accepted = new[: max(limit - before, 0)]
    if not accepted:
        return before, before, not new
    after = hit(counter, window_seconds=remaining, delta=len(accepted))
    seen = state["seen"] | frozenset(accepted)
    cache.set(seen_key, {**state, "seen": seen}, timeout=remaining)
    return before, after, len(accepted) == len(new) and after <= limit


def client_ip(request) -> str:
    """The client's address (core/addresses.py: trusted proxies only)."""
    return client_address(request)
