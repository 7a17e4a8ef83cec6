"""What a new user tripped over (issue 12), at the level of rules and use-cases."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from app import demo_data, i18n
from app.clock import FixedClock
from app.content import load_library
from app.errors import AppError
from app.journeys import reflection_question, steps_citing
from app.services import Services
from screens.today import greeting


def run(coro):
    return asyncio.run(coro)


async def _services(data_dir, now="2026-11-26T10:00:00.000Z"):
    services = Services(data_dir, clock=FixedClock(now, zone="UTC"))
    await services.start()
    return services


def test_custom_tags_are_listed_for_the_tag_filter_and_filter_entries(data_dir):
    async def go():
        s = await _services(data_dir)
        await s.journal.save_entry(body="Called her.", custom_tags=["sister"])
        await s.journal.save_entry(body="Again.", custom_tags=["Sister", "work"], tags=["hope"])
        gone = await s.journal.save_entry(body="Gone.", custom_tags=["old tag"])
        await s.journal.delete_entry(gone.entry.id)
        assert await s.journal.list_custom_tags() == ["Sister", "work"]
        found = await s.journal.list_entries(tag="Sister")
        assert len(found.entries) == 2
        await s.close()
    run(go())


def test_a_saved_checkin_can_be_reopened_whole(data_dir):
    async def go():
        s = await _services(data_dir)
        saved = await s.checkins.add(mood=2, feelings=["fear"], stress=7, sleep=2, note="Long night 41b",
                                     loved_one_day="use", my_response=["looked_after_myself"])
        again = await s.checkins.get(saved.checkin.id)
        assert (again.note, again.feelings, again.sleep, again.loved_one_day, again.my_response) == (
            "Long night 41b", ("fear",), 2, "use", ("looked_after_myself",))
        await s.checkins.delete(saved.checkin.id)
        assert await s.checkins.get(saved.checkin.id) is None
        await s.close()
    run(go())


def test_the_quick_note_is_saved_as_a_journal_entry_with_its_questions(data_dir):
    async def go():
        s = await _services(data_dir)
        entry = await s.journal.save_quick_note(title="A quick note", answers=[
            ("What just happened?", "We argued."), ("How do I feel right now?", ""),
            ("One small thing I can do next", "Tea.")])
        assert entry.title == "A quick note"
        assert entry.body == "What just happened?\nWe argued.\n\nOne small thing I can do next\nTea."
        with pytest.raises(AppError) as err:
            await s.journal.save_quick_note(title="A quick note", answers=[("What just happened?", "  ")])
        assert err.value.code == "empty_entry"
        await s.close()
    run(go())


def test_a_reflection_finds_its_question_and_step():
    library = load_library()
    step = next(s for j in library.journeys for s in j.steps if s.type == "reflection")
    found_step, prompt = reflection_question(library, step.id, step.prompts[0].id)
    assert found_step is step and prompt.text == step.prompts[0].text
    assert reflection_question(library, "gone.step", "p") is None
    assert reflection_question(library, None, None) is None


def test_every_source_is_listed_with_the_steps_that_cite_it():
    library = load_library()
    cited = steps_citing(library)
    assert cited and set(cited) <= {s["id"] for s in library.sources}
    step = next(s for j in library.journeys for s in j.steps if s.sources)
    assert step in cited[step.sources[0]]


@pytest.mark.parametrize("hour, words", [(3, "Hello"), (0, "Hello"), (5, "Good morning"), (11, "Good morning"),
                                         (14, "Good afternoon"), (20, "Good evening"), (23, "Hello")])
def test_the_greeting_says_hello_at_night(hour, words):
    assert greeting(dt.datetime(2026, 11, 26, hour, 14), None) == words


@pytest.mark.parametrize("locales, shown", [([], "7:00\u202fPM"), (["en-US"], "7:00\u202fPM"), (["en-GB"], "19:00"),
                                            (["en-IE", "en-US"], "19:00"), (["de-DE"], "7:00\u202fPM")])
def test_times_follow_the_device_region(locales, shown):
    i18n.set_device_locales(locales)
    try:
        assert i18n.format_hhmm("19:00") == shown
    finally:
        i18n.set_device_locales([])


def test_demo_data_scales_with_the_years(monkeypatch):
    asked = {}
    monkeypatch.setattr(demo_data, "generate", lambda into, **kw: asked.update(kw) or
                        {"entries": 0, "checkins": 0, "seconds": 0})
    demo_data.main(["--years", "1", "--into", "/nonexistent"])
    assert asked["years"] == 1
    assert demo_data.counts(years=1) == (2_000, 4_000)
    assert demo_data.counts(years=10) == (20_000, 40_000)
    assert demo_data.counts(years=1, entries=5, checkin_count=7) == (5, 7)
