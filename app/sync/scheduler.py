"""When sync runs: at start, a little after a shared record is saved, every 15 minutes while the app is
open, at the retry time after a failure, and whenever the person taps Sync now."""

from __future__ import annotations

import asyncio
import logging
from typing import Callable

from app.clock import Clock, parse_utc
from app.debounce import Debouncer
from app.sync.engine import SyncEngine, SyncReport

log = logging.getLogger("regroup.sync")
EVERY_S = 15 * 60
AFTER_SAVE_S = 12.0  # longer than the journal's undo, so a deleted entry brought back is never sent as deleted


class SyncScheduler:
    def __init__(self, engine: SyncEngine, clock: Clock):
        self.engine, self._clock = engine, clock
        self._debounce = Debouncer(AFTER_SAVE_S, self.run_now)
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task | None = None
        self.last: SyncReport | None = None
        self._listeners: list[Callable[[SyncReport], None]] = []

    def start(self) -> None:
        """Run in the background on the current event loop (once per process)."""
        if self._task is None:
            self._wake = asyncio.Event()
            self._task = asyncio.get_running_loop().create_task(self._loop())

    def stop(self) -> None:
        if self._task:
            self._task.cancel()
            self._task = None
        self._debounce.cancel_wait()

    def poke(self) -> None:
        """A shared record changed: sync once things are quiet."""
        try:
            self._debounce.poke()
        except RuntimeError:  # no running loop (a script): the next run sends it
            pass

    def listen(self, callback: Callable[[SyncReport], None]) -> Callable[[], None]:
        """Be told after each run (a screen refreshes its status); returns the way to stop listening."""
        self._listeners.append(callback)
        return lambda: self._listeners.remove(callback) if callback in self._listeners else None

    async def run_now(self) -> SyncReport:
        report = await self.engine.sync()
        self.last = report
        for callback in list(self._listeners):
            try:
                callback(report)
            except Exception:  # noqa: BLE001 - a closed screen must not stop the sync
                log.debug("a sync listener failed")
        if self._wake:
            self._wake.set()  # the loop recomputes its next wait
        return report

    def _next_wait(self) -> float:
        report = self.last
        if report and report.retry_at:
            return max(1.0, min(EVERY_S, (parse_utc(report.retry_at) - self._clock.now()).total_seconds()))
        return EVERY_S

    async def _loop(self) -> None:
        await self._safe_run()
        while True:
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self._next_wait())
                continue  # a run just happened elsewhere: wait again from now
            except asyncio.TimeoutError:
                pass
            await self._safe_run()

    async def _safe_run(self) -> None:
        try:
            await self.run_now()
        except Exception as exc:  # noqa: BLE001 - never let the background loop die
            log.error("background sync failed: %s", exc.__class__.__name__)

