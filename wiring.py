"""Wiring: the services and the platform adapters each session needs, built in one place for the screens.

On a phone the data key lives in the platform's secure storage (flet-secure-storage): its async
calls are bridged here to the small synchronous surface the store's thread expects. Each session
is guarded: the person's own events count as activity for the idle lock, and a handler that
crashes shows a calm sentence, never its message (which might quote what was typed).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import flet as ft

from app import crypto
from app.clock import Clock, clock_from_env
from app.i18n import _
from app.logs import loop_exception_handler
from app.paths import data_dir
from app.services import Services
from screens.shell import Shell

PHONES = (ft.PagePlatform.ANDROID, ft.PagePlatform.IOS)
TIMEOUT_S = 15
# Events the client sends without the person doing anything: they do not count as activity.
PASSIVE_EVENTS = frozenset({"app_lifecycle_state_change", "platform_brightness_change", "locale_change", "connect",
                            "disconnect", "close", "dismiss", "media_change", "error", "animation_end"})


class SecureStorageValues:
    """get/set of text values through an async secure storage, called from a thread other than the loop's."""

    def __init__(self, storage, loop: asyncio.AbstractEventLoop):
        self._storage, self._loop = storage, loop

    def _run(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=TIMEOUT_S)

    def get(self, name: str) -> str | None:
        return self._run(self._storage.get(name))

    def set(self, name: str, value: str) -> None:
        self._run(self._storage.set(name, value))

    def delete(self, name: str) -> None:
        self._run(self._storage.remove(name))


def phone_secure_values(page: ft.Page) -> SecureStorageValues | None:
    """On a phone build, the platform's secure storage; elsewhere None (an owner-only key file is used,
    and the device token is kept encrypted in the store)."""
    if page.web or page.platform not in PHONES:
        return None
    import flet_secure_storage as fss  # only on phones; the web build does not need it
    return SecureStorageValues(fss.SecureStorage(), asyncio.get_running_loop())


def guard_session(page, on_activity) -> bool:
    """Count the person's events as activity; a crashed handler's message never reaches the page.

    Flet hands every client event to `session.dispatch_event` and shows a crashed handler's message
    and traceback with `session.error`; both are wrapped here (Flet is pinned: FLET-NOTES)."""
    session = getattr(page, "session", None)
    dispatch, crashed = getattr(session, "dispatch_event", None), getattr(session, "error", None)
    if dispatch is None or crashed is None:
        return False

    async def counted(control_id, name, data):
        if name not in PASSIVE_EVENTS:
            on_activity()
        return await dispatch(control_id, name, data)
    session.dispatch_event = counted
    session.error = lambda message: crashed(
        _("Something went wrong. Nothing you saved has been lost; please reload the page."))
    return True


class PhoneReminders:
    """The check-in reminder through flet-notifications (flutter_local_notifications) on a phone build.

    UNTESTED HERE: it needs a built app (docs/reminders.md); the planning it is handed is unit-tested."""

    ID = 1  # one pending reminder at a time

    def __init__(self):
        import flet_notifications as fn  # only on phones: the web build has no Dart side for it
        self._fn, self._service, self._asked = fn, fn.LocalNotifications(), False

    async def schedule(self, reminder) -> None:
        if not self._asked:  # asked when a time is first picked, never at start-up
            self._asked = True
            if not await self._service.request_permissions():
                return
        await self._service.cancel(self.ID)
        await self._service.schedule(self.ID, reminder.at.replace(tzinfo=None), title=reminder.title,
                                     body=reminder.body, time_zone=reminder.zone,
                                     schedule_mode=self._fn.AndroidScheduleMode.INEXACT_ALLOW_WHILE_IDLE)

    async def cancel(self) -> None:
        await self._service.cancel(self.ID)


def phone_reminders(page: ft.Page) -> PhoneReminders | None:
    """On a phone build, the system's scheduled notifications; elsewhere None (the Today card reminds)."""
    if getattr(page, "web", True) or getattr(page, "platform", None) not in PHONES:
        return None
    try:
        return PhoneReminders()
    except ImportError:  # a build without the package: the Today card stays the reminder
        return None


IN_BROWSER = sys.platform == "emscripten"  # the web build: Python runs in the page's worker (Pyodide)
WEB_DATA_DIR = Path("/regroup")            # mounted on IndexedDB (app/webfs.py)


def make_services() -> Services:
    """One per process: the person's data folder and the clock (REGROUP_CLOCK only in tests and demos)."""
    if IN_BROWSER:
        return make_web_services()
    return Services(data_dir(), clock=clock_from_env())


def make_web_services() -> Services:
    """The web build's adapters: WebCrypto's AES-GCM (or none: nothing is then stored), the store inline on
    the event loop (threads cannot start), and the data folder flushed to IndexedDB after each trip."""
    from app import webcrypto, webfs
    from app.worker import InlineStore
    crypto.use_aead(webcrypto.WebCryptoAESGCM if webcrypto.available() else None)
    services = Services(WEB_DATA_DIR, clock=Clock(), worker=InlineStore(after=webfs.flush), http=fetch_http)
    services.web_app = True  # screens say what only a browser install needs (discreet mode's look)
    return services


def fetch_http():
    """The sync client in the browser: httpx over fetch (no sockets in Pyodide). The device token stays in
    the encrypted store (StoreTokens), as on a desktop: docs/web-app.md."""
    import httpx

    from app.sync.fetch import FetchTransport
    return httpx.AsyncClient(transport=FetchTransport())


def make_session(services: Services):
    """The handler Flet calls for each new session (a browser tab, or the phone app)."""
    async def session(page: ft.Page) -> None:
        asyncio.get_running_loop().set_exception_handler(loop_exception_handler)
        if IN_BROWSER:
            from app import lock, webfs, webkdf
            await webfs.mount(services.data_dir)  # before the store opens: what earlier visits saved
            lock.use_kdf(await webkdf.load())  # scrypt for the PIN and exports; None: they say not_in_browser
            services.sharing.opened_in_browser_at(page.url)  # pairs with its own origin; hosted: address filled in
        guard_session(page, services.privacy.touch)
        if not services.started:  # the first session chooses where secrets live, before the store opens
            values = phone_secure_values(page)
            if values is not None:
                services.use_secure_storage(values)
        if services.reminders.notifier is None:
            services.reminders.notifier = phone_reminders(page)
        await Shell(page, services).start()
        services.start_background()  # once per process; later sessions find it running
    return session
