"""One debounce helper for autosave, search-as-you-type and sync triggers (DESIGN.md, example 11).

`poke()` (re)starts the wait; when the wait ends the action runs once, never two at a time:
a poke while it runs queues exactly one more run afterwards. `flush()` runs it now if due.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Awaitable, Callable

_LIVE: "weakref.WeakSet[Debouncer]" = weakref.WeakSet()


async def flush_all() -> None:
    """Run every waiting action now (before the lock forgets the key, so a draft being typed is kept)."""
    for debouncer in list(_LIVE):
        if debouncer.due or debouncer._timer:
            try:
                await debouncer.flush()
            except Exception:  # noqa: BLE001 - each action reports its own failure; the lock goes on
                pass


class Debouncer:
    def __init__(self, delay: float, action: Callable[[], Awaitable[object]]):
        self.delay, self._action = delay, action
        _LIVE.add(self)
        self._timer: asyncio.TimerHandle | None = None
        self._running: asyncio.Task | None = None
        self._again = False
        self.due = False  # poked, and the action has not run since

    def poke(self) -> None:
        """Something changed: run the action once things are quiet for `delay` seconds."""
        self.due = True
        self.cancel_wait()
        loop = asyncio.get_running_loop()
        self._timer = loop.call_later(self.delay, lambda: loop.create_task(self._fire()))

    def cancel_wait(self) -> None:
        if self._timer:
            self._timer.cancel()
            self._timer = None

    async def flush(self) -> None:
        """Run now if poked (waiting for a run already going); errors reach the caller."""
        self.cancel_wait()
        if self._running and not self._running.done():
            await asyncio.shield(self._running)
        if self.due:
            await self._run_once()

    async def _fire(self) -> None:
        self._timer = None
        if self._running and not self._running.done():
            self._again = True
            return
        try:
            await self._run_once()
        except Exception:  # noqa: BLE001 - a timed run reports through the action itself; flush() raises
            pass

    async def _run_once(self) -> None:
        self.due = False
        self._running = asyncio.current_task()
        try:
            await self._action()
        except BaseException:
            self.due = True  # still not done: the next poke or flush tries again
            raise
        finally:
            self._running = None
        if self._again:
            self._again = False
            self.poke()
