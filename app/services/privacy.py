"""The lock (unlock, lock on demand, when idle or in the background; set, change, remove) and erase everything.

Locking closes the store: the data key and the journal's search index leave memory, and any use-case
raises store_closed until the person unlocks. Other parts ask `unlocked` and `subscribe` to hear
"locked", "unlocked" and "erased"; sync wraps each request in `keep_unlocked()` so a lock lets it finish.
Before erasing, the sharing work's `unpairing` (when it sets one) unpairs and erases what was shared.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, AsyncIterator, Awaitable, Callable, Protocol

from app import lock as rules
from app.crypto import KeyStore
from app.debounce import flush_all
from app.domain import Settings
from app.errors import AppError
from app.i18n import _
from app.runtime import Runtime
from app.store.erase import erase_files

if TYPE_CHECKING:
    from app.services import StartResult

log = logging.getLogger("regroup.lock")
TICK_S = 5               # how often the idle lock looks at the clock
HOLD_TIMEOUT_S = 30      # how long a lock waits for a sync request to finish before closing anyway
LOCK_MINUTES = (1, 2, 5, 15)

Listener = Callable[[str], Awaitable[None] | None]


class Unpairing(Protocol):
    """What erase everything asks of the sharing work (it sets `services.privacy.unpairing`)."""

    async def is_paired(self) -> bool: ...

    async def unpair(self, *, erase_shared: bool) -> None:
        """Tell the specialist's server (SYNC.md: DELETE /api/v1/device[?erase=true]); raise if it did not hear."""


def erase_word() -> str:
    """What the person types to confirm erasing everything, in their language."""
    return _("ERASE")


@dataclass(frozen=True)
class LockState:
    has_secret: bool       # a PIN or passphrase wraps the key
    kind: str | None       # "pin" or "passphrase"
    unlocked: bool         # the store is open and readable
    wait_s: int = 0        # seconds before another try is allowed
    failures: int = 0      # wrong tries in a row


@dataclass(frozen=True)
class UnlockResult:
    ok: bool
    code: str | None = None            # pin_wrong, pin_wait, or a start status code
    wait_s: int = 0
    start: "StartResult | None" = None


class PrivacyService:
    def __init__(self, rt: Runtime, data_dir: Path, *, keystore: Callable[[], KeyStore],
                 reopen: Callable[[KeyStore], "StartResult"]):
        self._rt, self._keystore, self._reopen = rt, keystore, reopen
        self._data_dir = Path(data_dir)
        self.unpairing: Unpairing | None = None  # set by the sharing work
        self._attempts = rules.AttemptLog(data_dir)
        self._wrapped: rules.Wrapped | None = None
        self._listeners: list[Listener] = []
        self._locking = False
        self._holds = 0
        self._released = asyncio.Event()
        self._unlocking = asyncio.Lock()
        self._away = 0
        self._last_activity: dt.datetime | None = None
        self._ticker: asyncio.Task | None = None
        self.idle_minutes = Settings().lock_minutes

    # --- what others ask --------------------------------------------------------

    @property
    def has_secret(self) -> bool:
        return self._wrapped is not None

    @property
    def kind(self) -> str | None:
        return self._wrapped.kind if self._wrapped else None

    @property
    def unlocked(self) -> bool:
        """True while the store is open and not locking: sync runs only then."""
        return self._rt.store is not None and not self._locking

    @property
    def away_expected(self) -> bool:
        """A file picker or share sheet is open: going to the background now is not leaving."""
        return self._away > 0

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Hear "locked" and "unlocked"; returns the function that stops listening."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def state(self) -> LockState:
        attempts = self._attempts.read()
        return LockState(self.has_secret, self.kind, self.unlocked,
                         attempts.wait_left(self._rt.clock.now()), attempts.failures)

    # --- called by Services on the store thread ------------------------------------

    def refresh_key(self) -> None:
        """Read whether a PIN wraps the key (store thread: secure storage is reached from there)."""
        try:
            self._wrapped = rules.read_wrapped(self._keystore().read_text())
        except AppError:
            self._wrapped = None  # a damaged key record: the start status says so

    def settings_changed(self, settings: Settings) -> None:
        self.idle_minutes = settings.lock_minutes

    # --- unlock and lock ------------------------------------------------------------

    async def unlock(self, secret: str) -> UnlockResult:
        """Open the store with the PIN or passphrase; wrong tries wait longer and longer, data is never touched."""
        async with self._unlocking:  # one try at a time, even from two tabs
            if self.unlocked:
                return UnlockResult(True)
            now = self._rt.clock.now()
            wait = self._attempts.read().wait_left(now)
            if wait:
                return UnlockResult(False, "pin_wait", wait)
            await self._rt.thread.run(self.refresh_key)
            wrapped = self._wrapped
            if wrapped is None:
                start = await self._rt.thread.run(self._reopen, None)
                return await self._opened(start)
            try:
                key = await self._rt.thread.offload(rules.unwrap_key, wrapped, secret)
            except AppError as exc:
                attempts = self._attempts.failed(now)
                log.info("unlock refused: %s (%d in a row)", exc.code, attempts.failures)
                return UnlockResult(False, exc.code, attempts.wait_left(now))
            self._attempts.clear()
            start = await self._rt.thread.run(self._reopen, rules.UnlockedKey(key, self._keystore()))
            return await self._opened(start)

    async def _opened(self, start: "StartResult") -> UnlockResult:
        if self._rt.store is None:
            return UnlockResult(False, start.status.value, start=start)
        self._locking = False
        self.touch()
        await self._notify("unlocked")
        return UnlockResult(True, start=start)

    async def lock(self, reason: str = "asked") -> bool:
        """Hide everything now, save what is being typed, let a sync request finish, then forget the key."""
        if not self.has_secret or self._rt.store is None or self._locking:
            return False
        self._locking = True
        log.info("locking (%s)", reason)
        try:
            await self._notify("locked")
            await flush_all()
            await self._wait_for_holds()
            await self._rt.thread.run(self._close)
        finally:
            self._locking = False
        return True

    def _close(self) -> None:
        if self._rt.store is not None:
            self._rt.store.close()
            self._rt.store = None

    async def _notify(self, event: str) -> None:
        for listener in list(self._listeners):
            try:
                result = listener(event)
                if asyncio.iscoroutine(result):
                    await result
            except Exception as exc:  # noqa: BLE001 - one broken session must not keep the others unlocked
                log.error("lock listener failed: %s", exc.__class__.__name__)

    # --- sync and file pickers ------------------------------------------------------

    @contextlib.asynccontextmanager
    async def keep_unlocked(self) -> AsyncIterator[None]:
        """Around one sync request: refused (AppError locked) while locked; a lock waits for it to end."""
        if not self.unlocked:
            raise AppError("locked")
        self._holds += 1
        try:
            yield
        finally:
            self._holds -= 1
            self._released.set()

    async def _wait_for_holds(self) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + HOLD_TIMEOUT_S
        while self._holds and loop.time() < deadline:
            self._released.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._released.wait(), timeout=max(0.0, deadline - loop.time()))

    @contextlib.asynccontextmanager
    async def away(self) -> AsyncIterator[None]:
        """Around a file picker: the app goes to the background on a phone, and that is not leaving."""
        self._away += 1
        try:
            yield
        finally:
            self._away -= 1
            self.touch()

    # --- idle ---------------------------------------------------------------------

    def touch(self) -> None:
        """The person did something: the idle time starts again."""
        self._last_activity = self._rt.clock.now()

    def idle_expired(self) -> bool:
        if not (self.has_secret and self.unlocked) or self._away or self._last_activity is None:
            return False
        idle = (self._rt.clock.now() - self._last_activity).total_seconds()
        return idle >= self.idle_minutes * 60

    def start_ticker(self) -> None:
        """One task per process looks every few seconds whether the idle time has passed."""
        if self._ticker is None or self._ticker.done():
            self._ticker = asyncio.get_running_loop().create_task(self._tick())

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(TICK_S)
            if self.idle_expired():
                await self.lock("idle")

    async def stop_ticker(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._ticker
            self._ticker = None

    # --- set, change, remove ---------------------------------------------------------

    async def set_secret(self, new: str, kind: str, *, current: str | None = None) -> LockState:
        """Wrap the data key with a new PIN or passphrase (the current one is asked when one is set).

        One write of the key record; no record is re-encrypted."""
        rules.check_new_secret(new, kind)
        key = await self._rt.run(lambda s: s.cipher.key)
        if self.has_secret:
            await self._rt.thread.offload(rules.unwrap_key, self._wrapped, current or "")
        record = await self._rt.thread.offload(rules.wrap_key, key, new, kind)
        await self._rt.thread.run(self._replace, record)
        self.touch()
        return self.state()

    async def remove_secret(self, current: str) -> LockState:
        """Keep the key unwrapped again (in secure storage on a phone, the key file elsewhere)."""
        if not self.has_secret:
            return self.state()
        key = await self._rt.thread.offload(rules.unwrap_key, self._wrapped, current)
        await self._rt.thread.run(self._replace, key.to_json())
        return self.state()

    def set_key_aside(self, stamp: str) -> list[Path]:
        """Forgotten PIN (store thread): keep the wrapped key as a file beside the old data, then clear it."""
        keystore, moved = self._keystore(), []
        text = keystore.read_text()
        if text is not None:
            path = self._attempts.path.with_name(f"regroup.key.unreadable-{stamp}")
            path.write_text(text, encoding="utf-8")
            path.chmod(0o600)
            keystore.erase()
            moved.append(path)
        self._attempts.clear()
        self._wrapped = None
        return moved

    # --- erase everything ------------------------------------------------------------

    async def is_paired(self) -> bool:
        return self.unpairing is not None and await self.unpairing.is_paired()

    async def erase_everything(self, confirmation: str, *, unpair: bool = True,
                               erase_shared: bool = True) -> "StartResult":
        """Unpair first when paired (and asked), then remove every file and the key; the next start is a first run.

        If the specialist's server does not hear the unpairing, nothing is erased here (unpair_failed): the
        person may then choose to erase this device only (unpair=False)."""
        if confirmation.strip().casefold() != erase_word().casefold():
            raise AppError("erase_confirm")
        if unpair and await self.is_paired():
            try:
                await self.unpairing.unpair(erase_shared=erase_shared)
            except AppError:
                raise
            except Exception as exc:  # noqa: BLE001 - the server did not hear: erase nothing yet
                raise AppError("unpair_failed", exc.__class__.__name__) from None
        self._locking = True
        try:
            await flush_all()  # a draft waiting to be saved must not land in the new, empty store
            await self._wait_for_holds()
            start = await self._rt.thread.run(self._erase)
        finally:
            self._locking = False
        log.info("erased everything")
        await self._notify("erased")
        return start

    def _erase(self) -> "StartResult":
        self._close()
        self._keystore().erase()
        erase_files(self._data_dir)
        self._wrapped = None
        return self._reopen(None)

    def _replace(self, record: str) -> None:
        self._keystore().replace_text(record)
        self._attempts.clear()
        self.refresh_key()

    async def check_secret(self, current: str) -> bool:
        """Is this the current PIN or passphrase (before showing what a change would do)?"""
        if not self.has_secret:
            return True
        try:
            await self._rt.thread.offload(rules.unwrap_key, self._wrapped, current)
        except AppError:
            return False
        return True

