"""A fixed-window rate limit in the cache, for the portal's one public write (the training-request form)."""

from __future__ import annotations

from taskforce.ratelimit import window_hit

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "5/h" -> (5, 3600)."""
    count, _, unit = rate.partition("/")
    return int(count), _UNITS[unit.strip().lower()[:1]]


def allow(*, key: str, rate: str) -> bool:
    """Counts one attempt under `key`; False once the window's limit is passed."""
    limit, window = parse_rate(rate)
    count, _window_ends = window_hit(f"meetings:throttle:{key}", window)
    return count <= limit
