"""Trends rules: statistics over per-day check-in figures and honest one-sentence summaries. Pure.

A comparison is claimed only with at least MIN_DAYS days in each group and a
difference of at least MIN_DIFF points; otherwise the summary says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain import Wellbeing
from app.i18n import _, format_number, ngettext

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


@dataclass(frozen=True)
class DayRecord:
    """One local day of check-ins: mean mood, the loved one's day (the last recorded), responses chosen."""

    day: str
    mood: float
    loved_one_day: str | None
    responses: frozenset[str]


def compare(days: list[DayRecord], in_a, in_b) -> Comparison:
    a = [d.mood for d in days if in_a(d.loved_one_day, d.responses)]
    b = [d.mood for d in days if in_b(d.loved_one_day, d.responses)]
    return Comparison(a_days=len(a), b_days=len(b), a_mood=round(sum(a) / len(a), 2) if a else None,
                      b_mood=round(sum(b) / len(b), 2) if b else None)


def use_vs_non_use(days: list[DayRecord]) -> Comparison:
    """A = the loved one's non-use days, B = use days."""
    return compare(days, lambda lod, r: lod == "non_use", lambda lod, r: lod == "use")


def by_response(days: list[DayRecord]) -> dict[str, Comparison]:
    """For each response: A = days I chose it, B = days I logged a response but not that one."""
    days = [d for d in days if d.responses]
    chosen = sorted({r for d in days for r in d.responses})
    return {r: compare(days, lambda lod, resp, r=r: r in resp, lambda lod, resp, r=r: r not in resp)
            for r in chosen}


def response_counts(days: list[DayRecord]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for d in days:
        for r in d.responses:
            counts[r] = counts.get(r, 0) + 1
    return counts


def trend_direction(points: list[DayPoint]) -> float | None:
    """Mean mood of the later half minus the earlier half (None with fewer than 2 x MIN_DAYS days)."""
    if len(points) < 2 * MIN_DAYS:
        return None
    half = len(points) // 2
    early, late = points[:half], points[half:]
    return round(sum(p.mood for p in late) / len(late) - sum(p.mood for p in early) / len(early), 2)


# --- one-sentence summaries (translated) -------------------------------------------------

def _fmt(value: float) -> str:
    return format_number(round(value, 1))


def mean_and_trend(points: list[DayPoint]) -> tuple[str, str]:
    """The mean mood, formatted, and the words for its direction (a change only when it is clear)."""
    mean = sum(p.mood for p in points) / len(points)
    direction = trend_direction(points)
    if direction is None or abs(direction) < MIN_DIFF:
        trend = _("with no clear change over the period")
    elif direction > 0:
        trend = _("and it has been rising")
    else:
        trend = _("and it has been falling")
    return _fmt(mean), trend


def summarize_series(points: list[DayPoint], days: int) -> str:
    if len(points) < 3:
        return _("Check in a few times to see your trends.")
    mean, trend = mean_and_trend(points)
    return ngettext("Over the last {days} day your mood averaged {mean} out of 5, {trend}.",
                    "Over the last {days} days your mood averaged {mean} out of 5, {trend}.", days).format(
        days=days, mean=mean, trend=trend)


def summarize_use(c: Comparison) -> str:
    if not c.enough:
        return ngettext("Log your loved one's day on at least {n} use day and {n} non-use day to compare them.",
                        "Log your loved one's day on at least {n} use days and {n} non-use days to compare them.",
                        MIN_DAYS).format(
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
    if not c.clear:
        return None
    if c.a_mood > c.b_mood:
        return _("Your mood was higher on days you chose: {response}.").format(response=response_label)
    return _("Your mood was lower on days you chose: {response}.").format(response=response_label)


def summarize_who5(scores: list[int]) -> str:
    """Scores oldest first."""
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


@dataclass(frozen=True)
class TrendsView:
    """Everything the Trends screen shows for one period, with its sentences already written."""

    days: int
    today: str
    series: list[DayPoint]
    series_summary: str
    use: Comparison
    use_summary: str
    responses: dict[str, Comparison]
    response_counts: dict[str, int]
    who5: list[Wellbeing]          # the period's scores, oldest first (else the latest one)
    who5_summary: str
    month: dict[int, float]        # day of this month -> mean mood

    def response_sentences(self, label) -> list[str]:
        """One sentence per response with a clear difference; `label` gives a response key its words."""
        lines = (summarize_response(label(r), c) for r, c in self.responses.items())
        return [line for line in lines if line]


def trends_view(*, days: int, today: str, series: list[DayPoint], records: list[DayRecord],
                wellbeing: list[Wellbeing], since: str, month: dict[int, float]) -> TrendsView:
    """Put a period's figures together; wellbeing comes newest first, as the store lists it."""
    oldest_first = list(reversed(wellbeing))
    use = use_vs_non_use(records)
    return TrendsView(days=days, today=today, series=series, series_summary=summarize_series(series, days),
                      use=use, use_summary=summarize_use(use), responses=by_response(records),
                      response_counts=response_counts(records),
                      who5=[w for w in oldest_first if w.local_day >= since] or oldest_first[-1:],
                      who5_summary=summarize_who5([w.score for w in oldest_first[-2:]]), month=month)

