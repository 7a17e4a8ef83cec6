"""Rate limits that hold across processes. Device limits: Redis when configured, else the database on
PostgreSQL, in memory only for a single process (SQLite). Pairing attempts: Redis when configured,
else the database (SQLite or PostgreSQL)."""

from __future__ import annotations

import math
import time
import uuid

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Engine

from server import db


class DeviceLimiter:
    """Per-device limit on push and pull (at least 120 requests a minute are always served)."""

    def __init__(self, engine: Engine, limit: str, redis_url: str | None, use_database: bool):
        self.item = parse(limit)
        self.engine = engine
        self.use_database = use_database and not redis_url
        self.limiter = None if self.use_database else MovingWindowRateLimiter(
            storage_from_string(redis_url if redis_url else "memory://"))

    def hit(self, key: str) -> int | None:
        """Count one request; None when allowed, else seconds to wait."""
        if self.limiter is not None:
            if self.limiter.hit(self.item, "device", key):
                return None
            reset = self.limiter.get_window_stats(self.item, "device", key).reset_time
            return max(1, int(reset - time.time()) + 1)
        return self._hit_db(key)

    def _hit_db(self, key: str) -> int | None:
        now, window, amount = int(time.time()), self.item.get_expiry(), self.item.amount
        with self.engine.begin() as conn:
            conn.execute(delete(db.rate_hits).where(db.rate_hits.c.key == key, db.rate_hits.c.at <= now - window))
            count, oldest = conn.execute(select(func.count(), func.min(db.rate_hits.c.at))
                                         .where(db.rate_hits.c.key == key)).one()
            if count >= amount:
                return max(1, oldest + window - now)
            conn.execute(insert(db.rate_hits).values(key=key, at=now))
        return None


class PairingLimit:
    """At most `failures` failed pairings per address in a sliding window (SYNC.md). Each attempt is
    counted before its code is checked, in one atomic step, so parallel guesses cannot slip past the
    count; a good pairing takes its attempt back. Redis when configured, else the database (a row
    of pair_failures per attempt, under an advisory lock per address on PostgreSQL)."""

    def __init__(self, engine: Engine, failures: int, window_s: int, redis_url: str | None = None):
        self.engine, self.failures, self.window = engine, failures, window_s
        self.redis = None
        if redis_url:
            import redis
            self.redis = redis.Redis.from_url(redis_url)
            self._reserve_script = self.redis.register_script(_RESERVE_LUA)

    def reserve(self, address: str) -> tuple[str | None, int | None]:
        """(attempt id, None) when this address may try a code now, else (None, seconds to wait)."""
        return self._reserve_redis(address) if self.redis is not None else self._reserve_db(address)

    def succeeded(self, attempt: str) -> None:
        """A good code: this attempt was no failure."""
        if self.redis is not None:
            key, _, member = attempt.rpartition("|")
            self.redis.zrem(key, member)
            return
        with self.engine.begin() as conn:
            conn.execute(delete(db.pair_failures).where(db.pair_failures.c.id == int(attempt)))

    def _reserve_db(self, address: str) -> tuple[str | None, int | None]:
        now, f = int(time.time()), db.pair_failures.c
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":  # SQLite's BEGIN IMMEDIATE already lets one writer in
                conn.execute(select(func.pg_advisory_xact_lock(func.hashtext("pair:" + address))))
            conn.execute(delete(db.pair_failures).where(f.address == address, f.at <= now - self.window))
            count, oldest = conn.execute(select(func.count(), func.min(f.at)).where(f.address == address)).one()
            if count >= self.failures:
                return None, max(1, oldest + self.window - now)
            attempt = conn.execute(insert(db.pair_failures).values(address=address, at=now)
                                   .returning(f.id)).scalar_one()
        return str(attempt), None

    def _reserve_redis(self, address: str) -> tuple[str | None, int | None]:
        now, key, member = time.time(), f"regroup:pair:{address}", uuid.uuid4().hex
        oldest = self._reserve_script(keys=[key], args=[member, repr(now), repr(now - self.window),
                                                        self.window, self.failures])
        if oldest is not None:  # let in again once the oldest attempt leaves the window
            return None, max(1, math.ceil(float(oldest) + self.window - now))
        return f"{key}|{member}", None


# One script, so Redis runs it whole with no other client's command inside (a MULTI pipeline is atomic only
# while its flag stays set, and refusing took a second step after it). Scores are the caller's times, as text.
# Returns nothing when the attempt may go ahead, else the oldest attempt's time (the caller's is taken back).
_RESERVE_LUA = """
local key, member = KEYS[1], ARGV[1]
redis.call('ZREMRANGEBYSCORE', key, '-inf', ARGV[3])
redis.call('ZADD', key, ARGV[2], member)
redis.call('EXPIRE', key, ARGV[4])
if redis.call('ZCARD', key) > tonumber(ARGV[5]) then
  redis.call('ZREM', key, member)
  return redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2]
end
return false
"""


def redis_reachable(url: str) -> bool:
    try:
        import redis
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except Exception:  # noqa: BLE001 - any failure means: not serving
        return False
