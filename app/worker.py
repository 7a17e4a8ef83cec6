"""Who runs the store's work: one dedicated thread (the Python app), or the event loop itself (the browser).

The UI's event loop awaits either the same way. In the web build threads cannot start (Pyodide), so the
store runs inline: there is only one tab's worker and its one loop, and each use-case is one short trip.
"""

from __future__ import annotations

import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Protocol, TypeVar

T = TypeVar("T")


class StoreWorker(Protocol):
    async def run(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T: ...

    async def offload(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T: ...  # slow work, no store

    def shutdown(self) -> None: ...


class StoreThread:
    """Runs blocking store work, in order, on a single dedicated thread."""

    def __init__(self, name: str = "regroup-store"):
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)

    async def run(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    async def offload(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Slow work that needs no store (scrypt, sealing an export) off the loop, beside the store's thread."""
        return await asyncio.to_thread(fn, *args, **kwargs)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)


class InlineStore:
    """Runs store work on the caller's event loop, one piece at a time, in order (the web build)."""

    def __init__(self, after: Callable[[], None] | None = None):
        self._lock: asyncio.Lock | None = None
        self._after = after  # the web build flushes the data folder to IndexedDB after each trip

    async def run(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:  # no await inside fn: this only keeps a queued trip behind a running one
            try:
                return fn(*args, **kwargs)
            finally:
                if self._after is not None:
                    self._after()

    async def offload(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        return fn(*args, **kwargs)  # no threads in the browser: it runs here

    def shutdown(self) -> None:
        pass
