"""Check-in, WHO-5 and Trends use-cases: save, list, what is due today, and a period's trends."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app import trends
from app.checkins import clean_checkin, gentle_help_due, who5_needs_care, who5_score
from app.domain import CheckIn, Wellbeing
from app.runtime import Runtime
from app.store import Store, transaction
from app.store import checkins as rows
from app.store import trends as series
from app.store.settings import get_settings, save_settings


@dataclass(frozen=True)
class TodayStatus:
    day: str
    checked_in: bool
    who5_due: bool


@dataclass(frozen=True)
class CheckInOverview:
    status: TodayStatus
    recent: list[CheckIn]


@dataclass(frozen=True)
class WellbeingResult:
    record: Wellbeing
    needs_care: bool  # low, or dropped by 10 or more since the last one: offer someone to talk to
    gentle_help: bool = False  # 50 or lower, first time today: offer the crisis lines, without alarm


@dataclass(frozen=True)
class CheckInSaved:
    checkin: CheckIn
    gentle_help: bool  # a "Very low" mood, first time today: offer the crisis lines, without alarm


def _gentle_help(s: Store, **score) -> bool:
    """Whether to offer the crisis lines now; remembers the day, in the caller's transaction, so once a day."""
    today = s.clock.today().isoformat()
    if not gentle_help_due(today=today, last_shown=get_settings(s).gentle_help_day, **score):
        return False
    save_settings(s, gentle_help_day=today)
    return True


def today_status(s: Store) -> TodayStatus:
    day = s.clock.today().isoformat()
    return TodayStatus(day=day, checked_in=rows.checked_in_on(s, day), who5_due=rows.wellbeing_due(s, s.clock.today()))


class CheckInService:
    def __init__(self, rt: Runtime):
        self._rt = rt

    async def add(self, *, mood, feelings=(), stress=None, sleep=None, note=None, loved_one_day=None,
                  my_response=()) -> CheckInSaved:
        checkin = clean_checkin(mood, feelings, stress, sleep, note, loved_one_day, my_response)

        def work(s: Store) -> CheckInSaved:
            with transaction(s):
                saved = rows.add_checkin(s, checkin)
                return CheckInSaved(saved, _gentle_help(s, mood=saved.mood))
        return await self._rt.run(work)

    async def get(self, checkin_id: str) -> CheckIn | None:
        """One check-in, whole (note, feelings, sleep and the loved one's day), or None once deleted."""
        return await self._rt.run(lambda s: rows.get_checkin(s, checkin_id))

    async def overview(self, *, limit: int = 7) -> CheckInOverview:
        """The check-in screen in one trip: what is due today and the latest check-ins."""
        return await self._rt.run(lambda s: CheckInOverview(today_status(s), rows.list_checkins(s, limit=limit)))

    async def delete(self, checkin_id: str) -> None:
        await self._rt.run(lambda s: rows.delete_checkin(s, checkin_id))

    async def add_wellbeing(self, items: list[int]) -> WellbeingResult:
        score = who5_score(items)

        def work(s: Store) -> WellbeingResult:
            with transaction(s):
                before = rows.list_wellbeing(s, limit=1)
                record = rows.add_wellbeing(s, list(items), score)
                return WellbeingResult(record, who5_needs_care(score, before[0].score if before else None),
                                       _gentle_help(s, who5=score))
        return await self._rt.run(work)

    async def trends(self, days: int) -> trends.TrendsView:
        """One period's trends, with every sentence written; the month is the current one."""
        def work(s: Store) -> trends.TrendsView:
            today = s.clock.today()
            since, until = (today - dt.timedelta(days=days - 1)).isoformat(), today.isoformat()
            return trends.trends_view(
                days=days, today=until, series=series.daily_series(s, since=since, until=until),
                records=series.day_records(s, since=since, until=until), wellbeing=rows.list_wellbeing(s),
                since=since, month=series.month_moods(s, today.year, today.month))
        return await self._rt.run(work)
