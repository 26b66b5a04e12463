"""Django's Redis cache, with one redis-py client per connection pool instead of one per call.

Django's RedisCacheClient.get_client builds a new `redis.Redis` for every cache call. The
connections come from a shared pool, so that is correct, but redis-py's constructor fills a table of
about 170 reply handlers each time: on an API request, whose rate limit reads and writes the cache,
that came to 0.3 ms a call (benchmarks/README-http.md). A `redis.Redis` only holds the pool and
its settings and is safe to share between threads, so one per pool serves every call.

It also counts rate-limit hits in one round trip (`count_in_window`, used by taskforce.ratelimit).
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}  # by id() of the pool; Django keeps its pools for good

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            # Two threads racing here build two clients over the same pool; either is fine to keep.
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class SharedClientRedisCache(RedisCache):
    """settings.CACHES backend: `taskforce.cache.SharedClientRedisCache`, options as Django's RedisCache."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient

    def count_in_window(self, key: str, seconds: int) -> int:
        """Add one to the counter `key`, made at 0 to last `seconds` if missing; the new count. One round
        trip (taskforce.ratelimit); Django's add() then incr() take three."""
        key = self.make_and_validate_key(key)
        # MULTI/EXEC, still one round trip: were the key to vanish between the two (evicted), INCR
        # would make it anew without an expiry, a counter for good.
        pipeline = self._cache.get_client(key, write=True).pipeline(transaction=True)
        pipeline.set(key, 0, ex=seconds, nx=True)
        pipeline.incr(key)
        _made, count = pipeline.execute()
        return count
