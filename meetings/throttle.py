"""A fixed-window rate limit in the cache, for the portal's one public write (the training-request form)."""

from __future__ import annotations

from toolkit.ratelimit import rate_allows


def allow(*, key: str, rate: str) -> bool:
    """Counts one attempt under `key`; False once the window's limit is passed."""
    return rate_allows(f"meetings:throttle:{key}", rate)
