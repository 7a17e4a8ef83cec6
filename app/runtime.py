"""What every use-case shares: the one thread that owns the store, the open store, the clock and the content."""

from __future__ import annotations

from typing import Callable, TypeVar

from app.clock import Clock
from app.domain import Library
from app.errors import StoreError
from app.store import Store
from app.worker import StoreThread, StoreWorker

T = TypeVar("T")


class Runtime:
    """One per process: a use-case hands its work to `run`, which runs it on the store's thread."""

    def __init__(self, clock: Clock, worker: StoreWorker | None = None):
        self.clock = clock
        self.thread: StoreWorker = worker or StoreThread()  # InlineStore in the web build (app.worker)
        self.store: Store | None = None
        self.library: Library | None = None
        self.library_error: str | None = None
        self.on_outbox: Callable[[], None] | None = None  # told when a use-case queued an op for the server

    async def run(self, work: Callable[[Store], T]) -> T:
        """Run work(store) on the store thread: one trip; a writing use-case makes it one transaction."""
        result = await self.thread.run(self._with_store, work)
        store = self.store
        if store is not None and store.outbox_dirty:
            store.outbox_dirty = False
            if self.on_outbox:
                self.on_outbox()
        return result

    def _with_store(self, work: Callable[[Store], T]) -> T:
        if self.store is None:
            raise StoreError("store_closed", "the store is not open")
        return work(self.store)
