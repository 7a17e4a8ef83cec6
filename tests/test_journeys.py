"""Journey progress rules and storage: resume exactly, restart keeps words, answers encrypted."""

from __future__ import annotations

import asyncio
import json

import pytest

from app import journeys
from app.content import load_library
from app.domain import LovedOne, StepProgress
from app.errors import AppError
from app.services import Services
from app.store import journeys as js
from app.store import open_store
from app.store.settings import get_settings, save_settings

CANARY = "Canary plan: ask Aunt Rosa to come on Saturday 51d0"


@pytest.fixture(scope="module")
def library():
    return load_library("en")


def progress(**statuses):
    return {sid: StepProgress(sid, sid.split(".")[0], st, int(st == "completed"), None, "t") for sid, st in
            statuses.items()}


def test_a_new_journey_starts_at_its_first_step(library):
    state = journeys.journey_progress(library.journey("after"), {}, {})
    assert not state.started and state.done_count == 0 and state.next_step.id == "after.not-the-end"


def test_resume_goes_back_to_the_step_that_was_left(library):
    state = journeys.journey_progress(library.journey("after"), progress(**{"after.not-the-end": "completed"}),
                                      {"after": ("after.debrief", "2026-11-26T10:00:00Z")})
    assert state.started and state.next_step.id == "after.debrief"


def test_a_finished_cursor_step_moves_on_to_the_first_not_done(library):
    done = {s.id: "completed" for s in library.journey("after").steps[:4]}
    state = journeys.journey_progress(library.journey("after"), progress(**done),
                                      {"after": ("after.feelings", "t")})
    assert state.next_step.id == "after.feelings-reflect"
    assert state.fraction == pytest.approx(4 / len(library.journey("after").steps))


def test_suggestion_is_the_journey_touched_last(library):
    cursors = {"after": ("after.feelings", "2026-11-26T09:00:00Z"),
               "coping": ("coping.boundaries", "2026-11-26T11:00:00Z")}
    state, step = journeys.suggest_next(library, {}, cursors)
    assert (state.journey.id, step.id) == ("coping", "coping.boundaries")


def test_suggestion_without_progress_is_the_first_journey(library):
    state, step = journeys.suggest_next(library, {}, {})
    assert step.id == "after.not-the-end" and not state.started


def test_completing_records_time_and_counts_repeats(opened):
    js.complete_step(opened, "coping", "coping.breathe")
    again = js.complete_step(opened, "coping", "coping.breathe")
    assert again.status == "completed" and again.completed_count == 2 and again.completed_at.endswith("Z")
    row = opened.db.execute("SELECT id, created_at, tz, revision, sync_state FROM journey_progress").fetchone()
    assert len(row[0]) == 36 and row[1].endswith("Z") and row[2] and row[3] == 3 and row[4] == "private"


def test_restart_clears_done_but_keeps_answers(opened, library):
    js.complete_step(opened, "after", "after.not-the-end")
    js.save_worksheet(opened, journey_id="after", step_id="after.debrief", kind="debrief", fields={"who": "us"})
    before = journeys.journey_progress(library.journey("after"), js.list_step_progress(opened),
                                       js.list_cursors(opened))
    assert before.done_count == 1  # else "0 after the restart" below would prove nothing
    js.restart_journey(opened, "after", "after.not-the-end")
    state = journeys.journey_progress(library.journey("after"), js.list_step_progress(opened),
                                      js.list_cursors(opened))
    assert state.done_count == 0 and state.next_step.id == "after.not-the-end"
    assert js.get_worksheet(opened, "after.debrief") == {"who": "us"}


def test_worksheet_answers_are_encrypted_and_resumable(opened, data_dir):
    js.save_worksheet(opened, journey_id="reapproach", step_id="reapproach.plan", kind="reapproach_plan",
                      fields={"who": CANARY})
    js.save_worksheet(opened, journey_id="reapproach", step_id="reapproach.plan", kind="reapproach_plan",
                      fields={"who": CANARY, "format": "one_to_one", "when_where": None})
    assert js.get_worksheet(opened, "reapproach.plan") == {"who": CANARY, "format": "one_to_one",
                                                           "when_where": None}
    assert opened.db["worksheets"].count == 1
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes()


def test_reflections_become_journal_entries_linked_to_the_step(opened):
    first = js.save_reflection(opened, "after.feelings-reflect", "strongest", "Anger, mostly at night.")
    second = js.save_reflection(opened, "after.feelings-reflect", "strongest", "Anger, and some relief.")
    assert first.id == second.id
    saved = js.list_reflections(opened, "after.feelings-reflect")
    assert saved["strongest"].body == "Anger, and some relief."
    row = opened.db.execute("SELECT step_id, tags, tz FROM journal_entries").fetchone()
    assert row[0] == "after.feelings-reflect" and json.loads(row[1]) == ["reflection"] and row[2]


def test_emptying_a_reflection_leaves_a_tombstone_not_a_hole(opened):
    js.save_reflection(opened, "after.feelings-reflect", "kind-words", "Be gentle.")
    assert js.save_reflection(opened, "after.feelings-reflect", "kind-words", "   ") is None
    assert js.list_reflections(opened, "after.feelings-reflect") == {}
    assert opened.db.execute("SELECT deleted_at IS NOT NULL, body_enc FROM journal_entries").fetchone() == (1, b"")


def test_checklist_state_is_remembered(opened):
    js.set_checklist_item(opened, "after.this-week", "sleep", True)
    js.set_checklist_item(opened, "after.this-week", "meal", True)
    js.set_checklist_item(opened, "after.this-week", "meal", False)
    assert js.get_checklist(opened, "after.this-week") == {"sleep"}


def test_loved_one_is_encrypted_and_drives_safety_notes(opened):
    saved = js.save_loved_one(opened, LovedOne(relationship="child", substances=("opioids", "alcohol"),
                                               violence="yes"))
    assert saved.safety_kinds() == {"opioids", "alcohol_benzos", "violence"}
    assert b"opioids" not in opened.db.execute("SELECT data_enc FROM loved_one").fetchone()[0]
    assert LovedOne(substances=("cannabis",), violence="prefer_not").safety_kinds() == set()


def test_services_refuse_text_over_the_limit_and_keep_the_old_answer(data_dir, clock):
    async def go():
        services = Services(data_dir, clock=clock)
        await services.start()
        await services.journeys.save_worksheet("reapproach.plan", {"who": "short"})
        with pytest.raises(AppError) as err:
            await services.journeys.save_worksheet("reapproach.plan", {"who": "x" * 100_001})
        assert err.value.code == "text_too_long"
        assert (await services.journeys.open_step("reapproach.plan")).worksheet == {"who": "short"}
        await services.journeys.save_worksheet("reapproach.plan", {"who": "y" * 100_000})
        assert len((await services.journeys.open_step("reapproach.plan")).worksheet["who"]) == 100_000
        with pytest.raises(AppError):
            await services.journeys.save_reflection("after.feelings-reflect", "strongest", "z" * 100_001)
        await services.close()
    asyncio.run(go())


def test_migration_3_upgrades_an_old_store_without_losing_settings(data_dir):
    old = open_store(data_dir, target=2)
    save_settings(old, country="IE", display_name="Aoife")
    old.close()
    new = open_store(data_dir)
    assert get_settings(new).display_name == "Aoife"
    assert new.db.execute("SELECT number FROM schema_migrations ORDER BY number").fetchall() == [(1,), (2,), (3,), (4,), (5,)]
    js.complete_step(new, "after", "after.not-the-end")
    assert js.list_step_progress(new)["after.not-the-end"].status == "completed"
    new.close()
