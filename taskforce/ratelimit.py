"""Fixed-window counting in the cache, for the portal's rate limits (the API's and the public form's).

A window is a whole multiple of its length in seconds since the epoch; each key counts its hits in
the current window, and the count vanishes with the window. A burst can pass up to twice the limit
across a window's end: fine for limits that stop abuse, not for quotas.

While Redis is unreachable the portal's cache counts in each process's memory (taskforce.cache):
the limits still hold, but per process, so a client may pass up to (processes x limit) meanwhile.
"""

from __future__ import annotations

import time

from django.core.cache import cache as default_cache
from django.core.cache.backends.base import BaseCache


def window_hit(
    key: str, seconds: int, *, now: float | None = None, cache: BaseCache = default_cache
) -> tuple[int, float]:
    """Count one hit for `key` in the current window of `seconds`: the window's count with this hit, and
    the time (as time.time()) at which the window ends."""
    now = time.time() if now is None else now
    window = int(now // seconds)
    slot = f"{key}:{window}"
    # The portal's Redis backend adds and counts in one round trip (taskforce.cache); others in two calls.
    count_in_window = getattr(cache, "count_in_window", None)
    if count_in_window is not None:
        count = count_in_window(slot, seconds)
    else:
        cache.add(slot, 0, timeout=seconds)
        try:
            count = cache.incr(slot)
        except ValueError:  # evicted between add and incr
            cache.set(slot, 1, timeout=seconds)
            count = 1
    return count, (window + 1) * seconds
