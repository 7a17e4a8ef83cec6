"""Check-ins, the WHO-5 and trends: validation, scoring at the boundaries, honest comparisons."""

from __future__ import annotations

import datetime as dt

import pytest

from app import trends
from app.checkins import clean_checkin, who5_needs_care, who5_score
from app.errors import AppError
from app.store import checkins
from app.store import trends as series


def day(n: int) -> str:
    return (dt.datetime(2026, 11, 26, 12, tzinfo=dt.timezone.utc) - dt.timedelta(days=n)).isoformat().replace(
        "+00:00", "Z")


def add(opened, **fields):
    return checkins.add_checkin(opened, clean_checkin(**fields))


def test_checkin_round_trip_with_encrypted_note(opened):
    c = add(opened, mood=4, feelings=["hope", "calm"], stress=3, sleep=4, note="Quiet day 5e1f",
            loved_one_day="non_use", my_response=["spent_time_together"])
    assert (c.mood, c.feelings, c.stress, c.note, c.loved_one_day) == (4, ("hope", "calm"), 3, "Quiet day 5e1f",
                                                                        "non_use")
    assert b"Quiet day 5e1f" not in opened.db.execute("SELECT note_enc FROM checkins").fetchone()[0]
    assert c == checkins.get_checkin(opened, c.id)  # what the screen is handed is what was stored


@pytest.mark.parametrize("fields", [
    {"mood": 0}, {"mood": 6}, {"mood": 3, "stress": 11}, {"mood": 3, "stress": -1}, {"mood": 3, "sleep": 0},
    {"mood": 3, "feelings": ["joy!"]}, {"mood": 3, "loved_one_day": "maybe"}, {"mood": 3, "my_response": ["x"]},
])
def test_invalid_checkins_are_refused_with_their_code(fields):
    with pytest.raises(AppError) as err:
        clean_checkin(**fields)
    assert err.value.code == "invalid_checkin"


@pytest.mark.parametrize("mood", [1, 5])
def test_mood_at_the_edges_is_accepted(opened, mood):
    assert add(opened, mood=mood).mood == mood


def test_a_note_over_the_limit_is_refused_and_one_at_it_kept(opened):
    with pytest.raises(AppError) as err:
        clean_checkin(3, note="n" * 100_001)
    assert err.value.code == "text_too_long"
    assert checkins.get_checkin(opened, add(opened, mood=3, note="n" * 100_000).id).note == "n" * 100_000


def test_checkins_are_append_only_and_deletable(opened):
    first = add(opened, mood=2, note="oops")
    add(opened, mood=4)
    checkins.delete_checkin(opened, first.id)
    assert [c.mood for c in checkins.list_checkins(opened)] == [4]
    row = opened.db.execute("SELECT deleted_at, note_enc FROM checkins WHERE id = ?", [first.id]).fetchone()
    assert row[0] and row[1] is None


@pytest.mark.parametrize("items, score", [([0] * 5, 0), ([5] * 5, 100), ([1, 2, 1, 2, 1], 28),
                                          ([2, 2, 1, 1, 1], 28), ([2, 2, 2, 1, 1], 32), ([3, 3, 3, 3, 3], 60)])
def test_who5_score_is_raw_times_four(items, score):
    assert who5_score(items) == score


@pytest.mark.parametrize("items", [[1, 2, 3, 4], [1, 2, 3, 4, 6], [1, 2, 3, 4, -1], [1, 2, 3, 4, 5, 1]])
def test_who5_needs_five_answers_from_0_to_5(items):
    with pytest.raises(AppError) as err:
        who5_score(items)
    assert err.value.code == "invalid_wellbeing"


@pytest.mark.parametrize("score, previous, care", [
    (28, None, True), (50, None, True), (51, None, False), (60, 70, True), (61, 70, False),
    (40, 50, True), (80, 60, False), (0, None, True),
])
def test_who5_gentle_suggestion_when_low_or_dropping(score, previous, care):
    assert who5_needs_care(score, previous) is care


def test_wellbeing_is_offered_weekly(opened):
    assert checkins.wellbeing_due(opened, dt.date(2026, 11, 26))
    checkins.add_wellbeing(opened, [3, 3, 3, 3, 3], 60, created_at="2026-11-20T10:00:00.000Z", tz="UTC")
    assert not checkins.wellbeing_due(opened, dt.date(2026, 11, 26))
    assert checkins.wellbeing_due(opened, dt.date(2026, 11, 27))


def test_a_who5_result_comes_back_as_it_was_stored(opened, clock):
    saved = checkins.add_wellbeing(opened, [1, 2, 3, 4, 5], 60, tz="America/New_York")
    assert saved == checkins.list_wellbeing(opened)[0]
    assert (saved.items, saved.score, saved.created_at, saved.tz) == ((1, 2, 3, 4, 5), 60, clock.stamp(),
                                                                      "America/New_York")
    assert saved.local_day == "2026-11-26"


def _log(opened, days):
    checkins.add_checkins(opened, [clean_checkin(m, loved_one_day=lod, my_response=resp, created_at=day(n), tz="UTC")
                                   for n, m, lod, resp in days])


def _days(opened):
    return series.day_records(opened)


def test_use_and_non_use_days_compared_only_with_enough_days(opened):
    _log(opened, [(n, 4, "non_use", []) for n in range(5)] + [(n, 2, "use", []) for n in range(5, 9)])
    c = trends.use_vs_non_use(_days(opened))
    assert (c.a_days, c.b_days, c.enough, c.clear) == (5, 4, False, False)
    assert "at least 5" in trends.summarize_use(c)
    _log(opened, [(9, 3, "use", [])])
    c = trends.use_vs_non_use(_days(opened))
    assert c.enough and c.clear and c.a_mood == 4 and c.b_mood == 2.2
    assert trends.summarize_use(c).startswith("Your mood was higher on your loved one's non-use days")


def test_small_differences_are_not_claimed(opened):
    _log(opened, [(n, 3, "non_use", []) for n in range(5)] + [(n, 3, "use", []) for n in range(5, 9)] +
         [(9, 1, "use", [])])
    c = trends.use_vs_non_use(_days(opened))
    assert c.enough and abs(c.a_mood - c.b_mood) == pytest.approx(0.4) and not c.clear
    assert "no clear difference" in trends.summarize_use(c)


def test_responses_are_compared_by_day(opened):
    _log(opened, [(n, 4, "use", ["set_boundary"]) for n in range(6)] + [(n, 2, "use", ["argued"])
                                                                       for n in range(6, 12)])
    result = trends.by_response(_days(opened))
    assert result["set_boundary"].clear and result["set_boundary"].a_mood == 4
    assert trends.summarize_response("Set a boundary", result["set_boundary"]) == \
        "Your mood was higher on days you chose: Set a boundary."
    assert trends.response_counts(_days(opened)) == {"set_boundary": 6, "argued": 6}


def test_daily_series_averages_each_day_and_skips_empty_days(opened):
    checkins.add_checkins(opened, [clean_checkin(m, stress=s, created_at=day(n), tz="UTC")
                                   for n, m, s in [(0, 2, 8), (0, 4, 4), (2, 5, None)]])
    points = series.daily_series(opened, since="2026-11-20", until="2026-11-26")
    assert [(p.day, p.mood, p.stress) for p in points] == [("2026-11-24", 5, None), ("2026-11-26", 3, 6)]
    assert trends.summarize_series(points, 7) == "Check in a few times to see your trends."


def test_month_calendar_by_day(opened):
    checkins.add_checkins(opened, [clean_checkin(5, created_at="2026-11-03T09:00:00.000Z", tz="UTC"),
                                   clean_checkin(1, created_at="2026-11-03T20:00:00.000Z", tz="UTC")])
    assert series.month_moods(opened, 2026, 11) == {3: 3}


def test_who5_summary_reads_the_change():
    assert trends.summarize_who5([]) .startswith("Fill in")
    assert trends.summarize_who5([40, 56]) == "Your latest wellbeing score is 56 out of 100, up from 40."
    assert "about the same" in trends.summarize_who5([50, 52])


# Days where "today" or "this month" computed from the real clock, or in UTC instead of the device's
# zone, goes wrong: the first of a month, a leap day, and new year's eve where UTC is already in January.
DATES = [("2027-03-01T08:00:00", "Australia/Sydney", "2027-03-01"),
         ("2028-02-29T21:00:00", "Europe/Dublin", "2028-02-29"),
         ("2026-12-31T23:59:00", "Pacific/Pago_Pago", "2026-12-31")]


@pytest.mark.parametrize("wall, zone, day", DATES, ids=["first-of-month", "leap-day", "new-years-eve-utc-11"])
def test_trends_follow_the_clock_and_the_devices_zone(data_dir, wall, zone, day):
    import asyncio

    from app.clock import FixedClock, zone_info
    from app.services import Services

    clock = FixedClock(dt.datetime.fromisoformat(wall).replace(tzinfo=zone_info(zone)), zone=zone)

    async def go():
        services = Services(data_dir, clock=clock)
        await services.start()
        for _ in range(3):
            await services.checkins.add(mood=4, stress=2)
            clock.advance(seconds=5)
        view = await services.checkins.trends(7)
        status = (await services.checkins.overview()).status
        await services.close()
        return view, status
    view, status = asyncio.run(go())
    assert view.today == day and status.day == day and status.checked_in
    assert view.series[-1].day == day and view.series[-1].count == 3
    assert view.month == {int(day[8:]): 4}
