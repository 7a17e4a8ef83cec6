"""Check-in, WHO-5 and Trends use-cases: save, list, what is due today, and a period's trends."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app import trends
from app.checkins import clean_checkin, who5_needs_care, who5_score
from app.domain import CheckIn, Wellbeing
from app.runtime import Runtime
from app.store import Store
from app.store import checkins as rows
from app.store import trends as series


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


def today_status(s: Store) -> TodayStatus:
    day = s.clock.today().isoformat()
    return TodayStatus(day=day, checked_in=rows.checked_in_on(s, day), who5_due=rows.wellbeing_due(s, s.clock.today()))


class CheckInService:
    def __init__(self, rt: Runtime):
        self._rt = rt

    async def add(self, *, mood, feelings=(), stress=None, sleep=None, note=None, loved_one_day=None,
                  my_response=()) -> CheckIn:
        checkin = clean_checkin(mood, feelings, stress, sleep, note, loved_one_day, my_response)
        return await self._rt.run(lambda s: rows.add_checkin(s, checkin))

    async def overview(self, *, limit: int = 7) -> CheckInOverview:
        """The check-in screen in one trip: what is due today and the latest check-ins."""
        return await self._rt.run(lambda s: CheckInOverview(today_status(s), rows.list_checkins(s, limit=limit)))

    async def delete(self, checkin_id: str) -> None:
        await self._rt.run(lambda s: rows.delete_checkin(s, checkin_id))

    async def add_wellbeing(self, items: list[int]) -> WellbeingResult:
        score = who5_score(items)

        def work(s: Store) -> WellbeingResult:
            before = rows.list_wellbeing(s, limit=1)
            record = rows.add_wellbeing(s, list(items), score)
            return WellbeingResult(record, who5_needs_care(score, before[0].score if before else None))
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
