"""The one debounce helper: one run after a quiet spell, never two at once, flush runs what is due."""

from __future__ import annotations

import asyncio

import pytest

from app.debounce import Debouncer


def test_many_pokes_make_one_run_after_the_quiet_spell():
    async def go():
        runs = []

        async def action():
            runs.append(1)
        d = Debouncer(0.01, action)
        for _ in range(5):
            d.poke()
        await asyncio.sleep(0.05)
        return runs, d.due
    runs, due = asyncio.run(go())
    assert runs == [1] and due is False


def test_flush_runs_now_only_when_something_changed():
    async def go():
        runs = []

        async def action():
            runs.append(1)
        d = Debouncer(10, action)
        await d.flush()
        d.poke()
        await d.flush()
        await d.flush()
        return runs
    assert asyncio.run(go()) == [1]


def test_a_failed_run_stays_due_and_flush_reports_it():
    async def go():
        calls = []

        async def action():
            calls.append(1)
            if len(calls) == 1:
                raise OSError("disk")
        d = Debouncer(10, action)
        d.poke()
        with pytest.raises(OSError):
            await d.flush()
        assert d.due
        await d.flush()
        return calls, d.due
    calls, due = asyncio.run(go())
    assert calls == [1, 1] and not due


def test_a_poke_during_a_run_queues_exactly_one_more():
    async def go():
        started, release = [], asyncio.Event()

        async def action():
            started.append(1)
            if len(started) == 1:
                await release.wait()
        d = Debouncer(0.005, action)
        d.poke()
        await asyncio.sleep(0.02)  # the first run is going
        d.poke()
        d.poke()
        await asyncio.sleep(0.02)
        release.set()
        await asyncio.sleep(0.05)
        return started
    assert asyncio.run(go()) == [1, 1]
