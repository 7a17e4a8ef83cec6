"""Rate limits that hold across processes: Redis when configured, else the database on PostgreSQL,
in memory only for a single process (SQLite). Pairing failures always live in the database."""

from __future__ import annotations

import time

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


def recent_failures(engine: Engine, address: str, window_s: int) -> int:
    """How many failures this address (or "login:" key) had in the window."""
    with engine.begin() as conn:
        return conn.execute(select(func.count()).select_from(db.pair_failures).where(
            db.pair_failures.c.address == address, db.pair_failures.c.at > int(time.time()) - window_s)).scalar()


def pairing_wait(engine: Engine, address: str, failures: int, window_s: int) -> int | None:
    """Seconds until this address may try again, or None (sliding window over failed pairings)."""
    now = int(time.time())
    with engine.begin() as conn:
        rows = conn.execute(select(db.pair_failures.c.at).where(db.pair_failures.c.address == address,
                                                                db.pair_failures.c.at > now - window_s)
                            .order_by(db.pair_failures.c.at.desc()).limit(failures)).scalars().all()
    if len(rows) < failures:
        return None
    return max(1, rows[-1] + window_s - now)


def record_pairing_failure(engine: Engine, address: str, window_s: int) -> None:
    now = int(time.time())
    with engine.begin() as conn:
        conn.execute(delete(db.pair_failures).where(db.pair_failures.c.at <= now - window_s))
        conn.execute(insert(db.pair_failures).values(address=address, at=now))
