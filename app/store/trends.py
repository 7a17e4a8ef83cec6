"""Query-only series for Trends: per-day check-in figures, read straight from SQLite (no text, no writes)."""

from __future__ import annotations

import datetime as dt
import json

from app.trends import DayPoint, DayRecord
from app.store.core import Store


def daily_series(store: Store, *, since: str, until: str) -> list[DayPoint]:
    """Average mood and stress per local day from since to until (days without check-ins are absent)."""
    rows = store.db.execute(
        "SELECT local_day, AVG(mood), AVG(stress), COUNT(*) FROM checkins WHERE deleted_at IS NULL "
        "AND local_day >= ? AND local_day <= ? GROUP BY local_day ORDER BY local_day", [since, until]).fetchall()
    return [DayPoint(day=r[0], mood=round(r[1], 2), stress=None if r[2] is None else round(r[2], 2), count=r[3])
            for r in rows]


def day_records(store: Store, *, since: str | None = None, until: str | None = None) -> list[DayRecord]:
    """Per day: mean mood, the loved one's day (the last one recorded), and every response chosen."""
    sql = "SELECT local_day, mood, loved_one_day, my_response FROM checkins WHERE deleted_at IS NULL"
    args: list = []
    if since:
        sql, args = sql + " AND local_day >= ?", args + [since]
    if until:
        sql, args = sql + " AND local_day <= ?", args + [until]
    by_day: dict[str, list] = {}
    for day, mood, lod, resp in store.db.execute(sql + " ORDER BY local_day, rowid", args):
        entry = by_day.setdefault(day, [[], None, set()])
        entry[0].append(mood)
        if lod:
            entry[1] = lod
        entry[2].update(json.loads(resp))
    return [DayRecord(day=d, mood=sum(v[0]) / len(v[0]), loved_one_day=v[1], responses=frozenset(v[2]))
            for d, v in by_day.items()]


def month_moods(store: Store, year: int, month: int) -> dict[int, float]:
    """Day of month -> mean mood, for the calendar."""
    first = dt.date(year, month, 1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    rows = store.db.execute("SELECT local_day, AVG(mood) FROM checkins WHERE deleted_at IS NULL AND "
                            "local_day BETWEEN ? AND ? GROUP BY local_day", [first.isoformat(), last.isoformat()])
    return {int(r[0][8:10]): round(r[1], 2) for r in rows}
