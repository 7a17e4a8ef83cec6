"""Gentle crisis help (issue 11): after a WHO-5 of 50 or lower or a "Very low" mood, once a local day."""

from __future__ import annotations

import asyncio

import pytest

from app.checkins import gentle_help_due, who5_needs_care
from app.clock import FixedClock
from app.services import Services


@pytest.mark.parametrize("who5, mood, due", [
    (50, None, True), (51, None, False), (28, None, True), (0, None, True), (None, 1, True), (None, 2, False),
    (None, None, False), (80, 1, True),
])
def test_gentle_help_after_a_who5_of_50_or_lower_or_a_very_low_mood(who5, mood, due):
    assert gentle_help_due(today="2026-11-26", last_shown=None, who5=who5, mood=mood) is due


def test_gentle_help_is_not_repeated_the_same_day():
    assert not gentle_help_due(today="2026-11-26", last_shown="2026-11-26", who5=20)
    assert gentle_help_due(today="2026-11-27", last_shown="2026-11-26", who5=20)


@pytest.mark.parametrize("score, care", [(50, True), (52, False)])
def test_who5_care_cut_off_is_50(score, care):
    assert who5_needs_care(score, None) is care


def test_the_services_offer_it_once_a_local_day_and_remember_the_day(data_dir):
    clock = FixedClock("2026-11-26T22:00:00.000Z", zone="UTC")

    async def go():
        services = Services(data_dir, clock=clock)
        await services.start()
        first = await services.checkins.add(mood=1)
        again = await services.checkins.add(mood=1)
        low_who5 = await services.checkins.add_wellbeing([2, 2, 2, 2, 2])  # 40
        assert (first.gentle_help, again.gentle_help, low_who5.gentle_help) == (True, False, False)
        assert low_who5.needs_care
        clock.set("2026-11-27T08:00:00.000Z")
        assert (await services.checkins.add_wellbeing([2, 2, 2, 2, 2])).gentle_help
        assert not (await services.checkins.add(mood=1)).gentle_help
        assert (await services.settings()).gentle_help_day == "2026-11-27"
        await services.close()
    asyncio.run(go())


def test_a_good_mood_never_uses_up_the_day(data_dir):
    async def go():
        services = Services(data_dir, clock=FixedClock("2026-11-26T10:00:00.000Z", zone="UTC"))
        await services.start()
        assert not (await services.checkins.add(mood=3)).gentle_help
        assert not (await services.checkins.add_wellbeing([4, 4, 4, 4, 4])).gentle_help
        assert (await services.checkins.add(mood=1)).gentle_help
        await services.close()
    asyncio.run(go())
