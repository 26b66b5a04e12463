"""DRF's rate throttles ("anon" and "user" rates of REST_FRAMEWORK), counted in fixed windows.

DRF's own keep each client's request times as a list in the cache: read, trimmed and written back on
every request (two round trips to Redis, and a list of up to 1,200 times at 1,200 a minute). Here
one counter per window, in one round trip (toolkit.ratelimit). The keys and rates stay DRF's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework import throttling

from agencies.lockout import client_ip
from toolkit.ratelimit import window_hit

if TYPE_CHECKING:  # rest_framework.views imports this module (DEFAULT_THROTTLE_CLASSES)
    from rest_framework.request import Request
    from rest_framework.views import APIView


class _FixedWindow(throttling.SimpleRateThrottle):
    window_ends = 0.0
    # Set by SimpleRateThrottle.__init__ from parse_rate (None without a rate); the stubs leave them out.
    num_requests: int | None
    duration: int | None

    def allow_request(self, request: Request, view: APIView) -> bool:
        if self.rate is None or self.num_requests is None or self.duration is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:  # not this throttle's kind of client (a person, for the "anon" rate)
            return True
        self.now = self.timer()
        count, self.window_ends = window_hit(self.key, self.duration, now=self.now, cache=self.cache)
        return count <= self.num_requests

    def get_ident(self, request: Request) -> str:
        """The client's address as axes and allauth see it. DRF's own read the whole X-Forwarded-For,
        which the client writes: a new header per request escaped the count."""
        return client_ip(request._request)

    def wait(self) -> float:
        """Seconds until the window ends (the Retry-After of a 429)."""
        return max(self.window_ends - self.now, 0.0)


class AnonRateThrottle(_FixedWindow, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_FixedWindow, throttling.UserRateThrottle):
    pass
