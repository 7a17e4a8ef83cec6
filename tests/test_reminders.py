"""Reminders without guilt: off until a time is picked, at most one a day, neutral when discreet, never a streak."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from app import reminders
from app.clock import FixedClock, zone_info
from app.i18n import set_language
from app.services import Services

DUBLIN = "Europe/Dublin"


def at(text: str, zone: str = DUBLIN) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=zone_info(zone))


def plan(now: str, time: str | None = "20:00", *, zone: str = DUBLIN, checked_in: bool = False,
         last: dt.date | None = None, discreet: bool = False):
    return reminders.next_reminder(at(now, zone), zone=zone, time=time, checked_in_today=checked_in,
                                   last_reminded=last, discreet=discreet)


def test_off_until_a_time_is_picked():
    assert plan("2026-11-26T09:00", time=None) is None


@pytest.mark.parametrize("now, checked_in, last, expected", [
    ("2026-11-26T09:00", False, None, "2026-11-26T20:00"),                    # later today
    ("2026-11-26T20:00", False, None, "2026-11-27T20:00"),                    # the moment passed: tomorrow
    ("2026-11-26T21:30", False, None, "2026-11-27T20:00"),
    ("2026-11-26T09:00", True, None, "2026-11-27T20:00"),                     # checked in: none today
    ("2026-11-26T09:00", False, dt.date(2026, 11, 26), "2026-11-27T20:00"),   # already reminded today
])
def test_at_most_one_a_day_and_none_after_a_check_in(now, checked_in, last, expected):
    assert plan(now, checked_in=checked_in, last=last).at == at(expected)


def test_a_clock_change_keeps_the_wall_time_and_a_skipped_time_comes_just_after():
    autumn = plan("2026-10-24T21:00", time="20:00")  # Dublin leaves summer time on 25 October
    assert autumn.at.isoformat() == "2026-10-25T20:00:00+00:00"
    spring = plan("2027-03-27T09:00", time="01:30", checked_in=True)  # 01:30 on 28 March does not exist
    assert spring.at.astimezone(dt.timezone.utc).isoformat() == "2027-03-28T01:30:00+00:00"
    assert (spring.at.hour, spring.at.minute) == (2, 30)


def test_the_words_invite_and_never_count_or_reproach():
    set_language("en")
    plain, discreet = plan("2026-11-26T09:00"), plan("2026-11-26T09:00", discreet=True)
    assert (discreet.title, discreet.body) == ("Notes", "Time for your notes")
    assert "Regroup" not in discreet.title + discreet.body and "check-in" not in discreet.body
    for text in (plain.title + " " + plain.body, discreet.body):
        assert not any(word in text.lower() for word in reminders.FORBIDDEN), text
        assert not any(ch.isdigit() for ch in text)  # no counts of days, no streaks


class FakeNotifier:
    def __init__(self):
        self.calls = []

    async def schedule(self, reminder):
        self.calls.append(("schedule", reminder.at.isoformat(), reminder.body))

    async def cancel(self):
        self.calls.append(("cancel",))


def test_the_phone_gets_the_plan_and_a_check_in_moves_it_to_tomorrow(data_dir):
    clock = FixedClock("2026-11-26T09:00:00Z", zone=DUBLIN)
    fake = FakeNotifier()

    async def go():
        services = Services(data_dir, clock=clock)
        await services.start()
        assert await services.reminders.replan() is None  # no notifier: the browser's Today card reminds
        services.reminders.notifier = fake
        await services.reminders.replan()  # no time picked: nothing pending
        await services.update_settings(checkin_time="20:00")
        await services.reminders.replan()
        await services.checkins.add(mood=3)
        await services.reminders.replan()
        await services.update_settings(discreet=True)
        await services.reminders.replan()
        await services.close()
    asyncio.run(go())
    assert fake.calls == [("cancel",),
                          ("schedule", "2026-11-26T20:00:00+00:00", "A moment for your check-in, whenever it suits you."),
                          ("schedule", "2026-11-27T20:00:00+00:00", "A moment for your check-in, whenever it suits you."),
                          ("schedule", "2026-11-27T20:00:00+00:00", "Time for your notes")]


def test_a_failing_scheduler_never_fails_the_app(data_dir):
    class Broken:
        async def schedule(self, reminder):
            raise RuntimeError("platform channel gone")

        async def cancel(self):
            raise RuntimeError("platform channel gone")

    async def go():
        services = Services(data_dir, clock=FixedClock("2026-11-26T09:00:00Z"))
        await services.start()
        services.reminders.notifier = Broken()
        result = await services.reminders.replan()
        await services.close()
        return result
    assert asyncio.run(go()) is None
