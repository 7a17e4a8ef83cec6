"""Trends from check-ins: daily series, two-track comparisons, and honest one-sentence summaries.

A comparison is claimed only with at least MIN_DAYS days in each group and a
difference of at least MIN_DIFF points; otherwise the summary says so.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from app.store import Store

MIN_DAYS = 5
MIN_DIFF = 0.5


@dataclass(frozen=True)
class DayPoint:
    day: str
    mood: float
    stress: float | None
    count: int


@dataclass(frozen=True)
class Comparison:
    """Mood on days in group A against days in group B."""

    a_days: int
    b_days: int
    a_mood: float | None
    b_mood: float | None

    @property
    def enough(self) -> bool:
        return self.a_days >= MIN_DAYS and self.b_days >= MIN_DAYS

    @property
    def difference(self) -> float | None:
        return None if not self.enough else round(self.a_mood - self.b_mood, 2)

    @property
    def clear(self) -> bool:
        return self.enough and abs(self.a_mood - self.b_mood) >= MIN_DIFF


def daily_series(store: Store, *, days: int, today: str) -> list[DayPoint]:
    """Average mood and stress per local day over the last `days` days (days without check-ins are absent)."""
    since = (dt.date.fromisoformat(today) - dt.timedelta(days=days - 1)).isoformat()
    rows = store.db.execute(
        "SELECT local_day, AVG(mood), AVG(stress), COUNT(*) FROM checkins WHERE deleted_at IS NULL "
        "AND local_day >= ? AND local_day <= ? GROUP BY local_day ORDER BY local_day", [since, today]).fetchall()
    return [DayPoint(day=r[0], mood=round(r[1], 2), stress=None if r[2] is None else round(r[2], 2), count=r[3])
            for r in rows]


def _days(store: Store, since: str | None) -> list[tuple[str, float, str | None, set[str]]]:
    """Per day: mean mood, the loved one's day (the last one recorded), and every response chosen."""
    sql = ("SELECT local_day, mood, loved_one_day, my_response FROM checkins WHERE deleted_at IS NULL"
           + (" AND local_day >= ?" if since else "") + " ORDER BY local_day, rowid")
    by_day: dict[str, list] = {}
    for day, mood, lod, resp in store.db.execute(sql, [since] if since else []):
        entry = by_day.setdefault(day, [[], None, set()])
        entry[0].append(mood)
        if lod:
            entry[1] = lod
        entry[2].update(json.loads(resp))
    return [(d, sum(v[0]) / len(v[0]), v[1], v[2]) for d, v in by_day.items()]


def compare(days: list[tuple[str, float, str | None, set[str]]], in_a, in_b) -> Comparison:
    a = [m for d, m, lod, resp in days if in_a(lod, resp)]
    b = [m for d, m, lod, resp in days if in_b(lod, resp)]
    return Comparison(a_days=len(a), b_days=len(b), a_mood=round(sum(a) / len(a), 2) if a else None,
                      b_mood=round(sum(b) / len(b), 2) if b else None)


def use_vs_non_use(store: Store, *, since: str | None = None) -> Comparison:
    """A = the loved one's non-use days, B = use days."""
    return compare(_days(store, since), lambda lod, r: lod == "non_use", lambda lod, r: lod == "use")


def by_response(store: Store, *, since: str | None = None) -> dict[str, Comparison]:
    """For each response: A = days I chose it, B = days I logged a response but not that one."""
    days = [d for d in _days(store, since) if d[3]]
    chosen = sorted({r for d in days for r in d[3]})
    return {r: compare(days, lambda lod, resp, r=r: r in resp, lambda lod, resp, r=r: r not in resp)
            for r in chosen}


def response_counts(store: Store, *, since: str | None = None) -> dict[str, int]:
    counts: dict[str, int] = {}
    for d in _days(store, since):
        for r in d[3]:
            counts[r] = counts.get(r, 0) + 1
    return counts


def month_moods(store: Store, year: int, month: int) -> dict[int, float]:
    """Day of month -> mean mood, for the calendar."""
    first = dt.date(year, month, 1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    rows = store.db.execute("SELECT local_day, AVG(mood) FROM checkins WHERE deleted_at IS NULL AND "
                            "local_day BETWEEN ? AND ? GROUP BY local_day", [first.isoformat(), last.isoformat()])
    return {int(r[0][8:10]): round(r[1], 2) for r in rows}


def trend_direction(points: list[DayPoint]) -> float | None:
    """Mean mood of the later half minus the earlier half (None with fewer than 2 x MIN_DAYS days)."""
    if len(points) < 2 * MIN_DAYS:
        return None
    half = len(points) // 2
    early, late = points[:half], points[half:]
    return round(sum(p.mood for p in late) / len(late) - sum(p.mood for p in early) / len(early), 2)


# --- one-sentence summaries (translated) -------------------------------------------------

def _fmt(value: float) -> str:
    from app.i18n import format_number
    return format_number(round(value, 1))


def summarize_series(points: list[DayPoint], days: int) -> str:
    from app.i18n import _
    if len(points) < 3:
        return _("Check in a few times to see your trends.")
    mean = sum(p.mood for p in points) / len(points)
    direction = trend_direction(points)
    if direction is None or abs(direction) < MIN_DIFF:
        trend = _("with no clear change over the period")
    elif direction > 0:
        trend = _("and it has been rising")
    else:
        trend = _("and it has been falling")
    return _("Over the last {days} days your mood averaged {mean} out of 5, {trend}.").format(
        days=days, mean=_fmt(mean), trend=trend)


def summarize_use(c: Comparison) -> str:
    from app.i18n import _
    if not c.enough:
        return _("Log your loved one's day on at least {n} use days and {n} non-use days to compare them.").format(
            n=MIN_DAYS)
    if not c.clear:
        return _("There is no clear difference yet between your mood on use days and on non-use days.")
    if c.a_mood > c.b_mood:
        return _("Your mood was higher on your loved one's non-use days ({a} against {b}).").format(
            a=_fmt(c.a_mood), b=_fmt(c.b_mood))
    return _("Your mood was higher on your loved one's use days ({b} against {a}).").format(
        a=_fmt(c.a_mood), b=_fmt(c.b_mood))


def summarize_response(response_label: str, c: Comparison) -> str | None:
    """A sentence only when the difference is clear; else None (say nothing rather than guess)."""
    from app.i18n import _
    if not c.clear:
        return None
    if c.a_mood > c.b_mood:
        return _("Your mood was higher on days you chose: {response}.").format(response=response_label)
    return _("Your mood was lower on days you chose: {response}.").format(response=response_label)


def summarize_who5(scores: list[int]) -> str:
    """Scores oldest first."""
    from app.i18n import _
    if not scores:
        return _("Fill in the weekly wellbeing check to see it here.")
    latest = scores[-1]
    if len(scores) == 1:
        return _("Your wellbeing score is {score} out of 100.").format(score=latest)
    previous = scores[-2]
    if latest - previous >= 10:
        change = _("up from {previous}").format(previous=previous)
    elif previous - latest >= 10:
        change = _("down from {previous}").format(previous=previous)
    else:
        change = _("about the same as last time")
    return _("Your latest wellbeing score is {score} out of 100, {change}.").format(score=latest, change=change)
