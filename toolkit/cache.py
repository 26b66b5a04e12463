"""Django's Redis cache, with one redis-py client per connection pool instead of one per call, and
a count in this process's memory while Redis cannot be reached.

Django's RedisCacheClient.get_client builds a new `redis.Redis` for every cache call. The
connections come from a shared pool, so that is correct, but redis-py's constructor fills a table of
about 170 reply handlers each time: on an API request, whose rate limit reads and writes the cache,
that came to 0.3 ms a call (benchmarks/README-http.md). A `redis.Redis` only holds the pool and
its settings and is safe to share between threads, so one per pool serves every call.

It also counts rate-limit hits in one round trip (`count_in_window`, used by toolkit.ratelimit).

When Redis is down every call raised, and every API request, sign-in and public form answered 500
(the rate limits count in the cache). Now a call that fails to reach Redis (refused, timed out,
read-only) is answered from a local-memory cache of this process instead, and Redis is left alone
for OUTAGE_RETRY_SECONDS, shared by every thread; then one call tries it again, and once it answers
every call goes back to it. One warning per outage and process, one line when it is back. What is
weaker meanwhile (each process counts on its own) is in the README; `probe()` bypasses all this,
for /healthz.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Redis unreachable, or unable to take writes: not a caller's mistake (incr of a missing key still raises).
OUTAGE_ERRORS = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    redis.exceptions.ReadOnlyError,
    OSError,
)
DEFAULT_OUTAGE_RETRY_SECONDS = 5.0
# Rate-limit counters of every client seen during an outage; LocMemCache's default 300 would cull them.
LOCAL_MAX_ENTRIES = 20_000


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}  # by id() of the pool; Django keeps its pools for good

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # _get_connection_pool, _client and RedisCache._cache are Django's internals, absent from django-stubs.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            # Two threads racing here build two clients over the same pool; either is fine to keep.
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


@dataclass
class _Outage:
    """Whether Redis at one location is being skipped, in this process. Django gives each thread a cache
    object of its own: this is shared by them all, so that one timeout tells every thread."""

    where: str
    lock: threading.Lock = field(default_factory=threading.Lock)
    down: bool = False
    retry_at: float = 0.0  # time.monotonic() after which one call tries Redis again

    def skip_redis(self, retry_seconds: float) -> bool:
        if not self.down:
            return False
        with self.lock:
            if not self.down:
                return False
            now = time.monotonic()
            if now < self.retry_at:
                return True
            # This call tries Redis; the others keep to memory until it knows.
            self.retry_at = now + retry_seconds
            return False

    def failed(self, error: BaseException, retry_seconds: float) -> None:
        with self.lock:
            self.retry_at = time.monotonic() + retry_seconds
            if self.down:
                return
            self.down = True
        logger.warning(
            "Redis at %s unreachable (%s: %s): the cache and rate limits count in this process's memory, "
            "trying Redis again every %g s",
            self.where,
            error.__class__.__name__,
            error,
            retry_seconds,
        )

    def succeeded(self) -> None:
        if not self.down:
            return
        with self.lock:
            if not self.down:
                return
            self.down = False
        logger.warning("Redis at %s answers again: the cache and rate limits are back in Redis", self.where)


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


def _outage_for(server: str) -> _Outage:
    with _outages_lock:
        if server not in _outages:
            # host:port/db only: LOCATION may hold a password.
            parts = urlsplit(server.split(",")[0])
            _outages[server] = _Outage(where=f"{parts.hostname}:{parts.port or 6379}{parts.path}")
        return _outages[server]


class SharedClientRedisCache(RedisCache):
    """settings.CACHES backend: `toolkit.cache.SharedClientRedisCache`, options as Django's RedisCache,
    plus OUTAGE_RETRY_SECONDS (how long Redis is skipped after a failure; 5 by default)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        self._retry_seconds = float(options.pop("OUTAGE_RETRY_SECONDS", DEFAULT_OUTAGE_RETRY_SECONDS))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = SharedClientRedisCacheClient
        self._outage = _outage_for(server)
        local = {name: params[name] for name in ("TIMEOUT", "KEY_PREFIX", "VERSION", "KEY_FUNCTION") if name in params}
        # Same name, same store: every thread's (and instance's) fallback shares one memory in the process.
        self._local = LocMemCache(
            f"toolkit.cache.fallback:{server}", {**local, "OPTIONS": {"MAX_ENTRIES": LOCAL_MAX_ENTRIES}}
        )

    def _redis_or_local(self, in_redis: Callable[[], T], in_memory: Callable[[], T]) -> T:
        if self._outage.skip_redis(self._retry_seconds):
            return in_memory()
        try:
            result = in_redis()
        except OUTAGE_ERRORS as error:
            self._outage.failed(error, self._retry_seconds)
            return in_memory()
        self._outage.succeeded()
        return result

    def count_in_window(self, key: str, seconds: int) -> int:
        """Add one to the counter `key`, made at 0 to last `seconds` if missing; the new count. One round
        trip (toolkit.ratelimit); Django's add() then incr() take three."""
        return self._redis_or_local(
            lambda: self._count_in_redis(key, seconds), lambda: self._count_in_memory(key, seconds)
        )

    def _count_in_redis(self, key: str, seconds: int) -> int:
        key = self.make_and_validate_key(key)
        # MULTI/EXEC, still one round trip: were the key to vanish between the two (evicted), INCR
        # would make it anew without an expiry, a counter for good.
        pipeline = self._cache.get_client(key, write=True).pipeline(transaction=True)  # type: ignore[attr-defined]
        pipeline.set(key, 0, ex=seconds, nx=True)
        pipeline.incr(key)
        _made, count = pipeline.execute()
        return count

    def _count_in_memory(self, key: str, seconds: int) -> int:
        self._local.add(key, 0, timeout=seconds)
        try:
            return self._local.incr(key)
        except ValueError:  # expired or culled between the two
            self._local.set(key, 1, timeout=seconds)
            return 1

    def probe(self) -> None:
        """Write and read a key in Redis itself, never in memory: raises when Redis does not answer.
        For /healthz, which must not be fooled by the fallback; success ends an outage at once."""
        key = "healthz-probe"
        try:
            super().set(key, "ok", timeout=10)
            answer = super().get(key)
        except OUTAGE_ERRORS as error:
            self._outage.failed(error, self._retry_seconds)
            raise
        self._outage.succeeded()
        if answer != "ok":
            raise RuntimeError("cache did not return what was written")

    def _either(self, name: str, *args: Any) -> Any:
        """Django's RedisCache method `name`, or LocMemCache's (same arguments) while Redis is out."""
        return self._redis_or_local(
            lambda: getattr(RedisCache, name)(self, *args), lambda: getattr(self._local, name)(*args)
        )

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._either("add", key, value, timeout, version)

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._either("get", key, default, version)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._either("set", key, value, timeout, version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._either("touch", key, timeout, version)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._either("delete", key, version)

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        return self._either("get_many", list(keys), version)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._either("has_key", key, version)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self._either("incr", key, delta, version)

    def set_many(self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list:
        return self._either("set_many", data, timeout, version)

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        self._either("delete_many", list(keys), version)

    def clear(self) -> None:
        self._either("clear")
