"""Fixed-window counting in the cache, for the portal's rate limits (the API's and the public form's),
and the one reading of a rate ("10/h") that the portal's own limits use.

A window is a whole multiple of its length in seconds since the epoch; each key counts its hits in
the current window, and the count vanishes with the window. A burst can pass up to twice the limit
across a window's end: fine for limits that stop abuse, not for quotas.

While Redis is unreachable the portal's cache counts in each process's memory (toolkit.cache):
the limits still hold, but per process, so a client may pass up to (processes x limit) meanwhile.
"""

from __future__ import annotations

import time

from django.core.cache import cache as default_cache
from django.core.cache.backends.base import BaseCache

# DRF's periods: a rate's period is read by its first letter ("60/hour" is "60/h").
_PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "10/h" -> (10, 3600): the limit and the window in seconds, read as DRF reads the API's rates,
    spaces and capitals allowed (the public form's rates come from environment variables). A rate
    that cannot be read raises ValueError naming it, rather than a KeyError deep in a request."""
    count, _, period = rate.partition("/")
    seconds = _PERIOD_SECONDS.get(period.strip().lower()[:1])
    if not (count.strip().isascii() and count.strip().isdigit()) or seconds is None:
        raise ValueError(f'Cannot read the rate {rate!r}: write a count, a slash and s, m, h or d ("10/h").')
    return int(count), seconds


def window_hit(
    key: str, seconds: int, *, now: float | None = None, cache: BaseCache = default_cache
) -> tuple[int, float]:
    """Count one hit for `key` in the current window of `seconds`: the window's count with this hit, and
    the time (as time.time()) at which the window ends."""
    now = time.time() if now is None else now
    window = int(now // seconds)
    slot = f"{key}:{window}"
    # The portal's Redis backend adds and counts in one round trip (toolkit.cache); others in two calls.
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


def rate_allows(key: str, rate: str, *, cache: BaseCache = default_cache) -> bool:
    """Count one hit for `key` under `rate`; False once the current window's limit is passed."""
    limit, seconds = parse_rate(rate)
    count, _window_ends = window_hit(key, seconds, cache=cache)
    return count <= limit
