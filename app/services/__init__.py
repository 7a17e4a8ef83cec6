"""The use-cases the screens call: async at the edge, one store-thread trip each, typed results.

`Services` starts the app (content, crisis lines, the store) and holds settings and help;
`journal`, `checkins` and `journeys` hold the use-cases of each part of the app.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import httpx

from app import crypto
from app import journeys as rules
from app.clock import Clock
from app.content import load_library, load_prompts
from app.crisis import CRISIS_FILE, CrisisDirectory, load_directory, suggest_country
from app.domain import TEXT_SCALES, THEMES, JourneyProgress, Settings, Step
from app.errors import AppError, ContentError, StoreError
from app.i18n import available_languages
from app.services.checkins import CheckInService, TodayStatus, today_status
from app.services.exchange import ExchangeService
from app.services.journal import JournalService
from app.services.journeys import JourneyService
from app.services.privacy import LOCK_MINUTES, PrivacyService
from app.services.reminders import ReminderService
from app.services.sharing import SharingService
from app.services.summary import SummaryService
from app.runtime import Runtime
from app.worker import StoreWorker
from app.store import journal as journal_store
from app.store import journeys as journey_rows
from app.store import default_keystore, open_store, outbox, quarantine_store
from app.store.peek import peek_settings
from app.store.settings import get_settings, save_settings
from app.sync.engine import SyncEngine
from app.sync.scheduler import SyncScheduler
from app.sync.tokens import SecureTokens, StoreTokens, TokenKeeper

log = logging.getLogger("regroup")
MAX_NAME = 80


class StartStatus(enum.Enum):
    """How opening the store went; every value but OK is an error code (app.errors.CODES)."""

    OK = "ok"
    CORRUPT = "store_corrupt"    # the database file is damaged
    KEY_MISSING = "key_missing"  # encrypted data, but no key
    KEY_WRONG = "key_wrong"      # a key that does not open this data, or an unreadable key
    LOCKED = "locked"            # a PIN or passphrase wraps the key: the lock screen asks for it
    NO_CRYPTO = "crypto_unavailable"  # no AES-GCM (a browser without WebCrypto): nothing is stored in the clear
    FAILED = "store_failed"      # anything else (permissions, a full disk at creation)


@dataclass(frozen=True)
class StartResult:
    status: StartStatus
    detail: str = ""
    settings: Settings = field(default_factory=Settings)


@dataclass(frozen=True)
class TodayView:
    status: TodayStatus
    suggestion: tuple[JourneyProgress, Step] | None


def _valid_time(value: str) -> bool:
    try:
        return dt.datetime.strptime(value, "%H:%M").strftime("%H:%M") == value
    except (TypeError, ValueError):
        return False


def clean_settings(changes: dict, *, languages: list[str], countries: CrisisDirectory | None) -> dict:
    """Refuse values the app does not offer (each with its code); tidy the typed name."""
    if "theme" in changes and changes["theme"] not in THEMES:
        raise AppError("unknown_theme")
    if "language" in changes and changes["language"] not in languages:
        raise AppError("unknown_language")
    if changes.get("country") and countries and countries.get(changes["country"]) is None:
        raise AppError("unknown_country")
    if changes.get("checkin_time") and not _valid_time(changes["checkin_time"]):
        raise AppError("invalid_time")
    if "lock_minutes" in changes and changes["lock_minutes"] not in LOCK_MINUTES:
        raise AppError("invalid_lock_time")
    if "text_scale" in changes and changes["text_scale"] not in TEXT_SCALES:
        raise AppError("invalid_text_scale")
    if "reduce_motion" in changes and not isinstance(changes["reduce_motion"], bool):
        raise AppError("invalid_reduce_motion")
    if "display_name" in changes:
        changes = {**changes, "display_name": (changes["display_name"] or "").strip()[:MAX_NAME] or None}
    return changes


class Services:
    """One per process: the person's store, their settings, the content and the crisis directory."""

    web_app = False  # the offline web app (wiring.make_web_services): installed from a browser

    def __init__(self, data_dir: Path, *, clock: Clock | None = None, keystore: crypto.KeyStore | None = None,
                 crisis_file: Path = CRISIS_FILE, http: Callable[[], httpx.AsyncClient] = httpx.AsyncClient,
                 tokens: TokenKeeper | None = None, worker: StoreWorker | None = None):
        self.data_dir = Path(data_dir)
        self._rt = Runtime(clock or Clock(), worker)
        self._keystore = keystore
        self._tokens = tokens or StoreTokens()
        self._crisis_file = crisis_file
        self.crisis: CrisisDirectory | None = None
        self.crisis_error: str | None = None
        self.prompts: tuple[str, ...] = ()
        self.content_language = "en"
        self._libraries: dict[str, tuple] = {}  # language -> (library, prompts), each loaded once
        self.journal = JournalService(self._rt)
        self.checkins = CheckInService(self._rt)
        self.journeys = JourneyService(self._rt)
        self.exchange = ExchangeService(self._rt)
        self.summary = SummaryService(self._rt, lambda: self.crisis)
        self.reminders = ReminderService(self._rt)
        self.privacy = PrivacyService(self._rt, self.data_dir, keystore=self._current_keystore, reopen=self._open)
        self._engine = SyncEngine(self._rt, http=http, tokens=_TokensOf(self), unlocked=self.privacy.keep_unlocked)
        self.sharing = SharingService(self._rt, self._engine, SyncScheduler(self._engine, self._rt.clock))
        self.privacy.unpairing = self.sharing.before_erasing()  # erase everything unpairs first when paired
        self.exchange.on_records_changed = outbox.imported  # a shared record given newer words is sent again

    @property
    def started(self) -> bool:
        """True once the store is open (the key store can no longer be chosen)."""
        return self._rt.store is not None

    @property
    def clock(self) -> Clock:
        return self._rt.clock

    @property
    def library(self):
        return self._rt.library

    @property
    def library_error(self) -> str | None:
        return self._rt.library_error

    # --- start-up -----------------------------------------------------------

    def _current_keystore(self) -> crypto.KeyStore:
        return self._keystore or default_keystore(self.data_dir)

    def use_secure_storage(self, values: crypto.SecureValues) -> None:
        """On a phone: the data key and the device token live in the platform's secure storage.

        Only before the store opens: choosing later would be ignored, so it is an error."""
        if self._rt.store is not None:
            raise StoreError("store_failed", "secure storage can only be chosen before the store is opened")
        self._keystore = crypto.SecureStorageKeyStore(values)
        self._tokens = SecureTokens(values)

    def start_background(self) -> None:
        """Sync on its own from now on (start, after saves, every 15 minutes); call from the event loop."""
        if self.started:
            self.sharing.scheduler.start()

    async def start(self) -> StartResult:
        """Load content and open the store; a damaged file or a lost key is reported, never papered over."""
        await self._rt.thread.run(self._load_content)
        return await self._rt.thread.run(self._open)

    def _load_content(self) -> None:
        try:
            self.crisis = load_directory(self._crisis_file)
        except ContentError as exc:
            self.crisis_error = exc.detail
            log.error("crisis lines not loaded: %s", exc.detail)
        self._load_library(self.content_language)

    def _load_library(self, language: str) -> None:
        try:
            if language not in self._libraries:
                self._libraries[language] = (load_library(language), load_prompts(language))
            (self._rt.library, self.prompts), self.content_language = self._libraries[language], language
            self._rt.library_error = None
        except ContentError as exc:
            self._rt.library_error = exc.detail
            log.error("journeys not loaded: %s", exc.detail)

    async def use_language(self, language: str) -> None:
        """Journeys, prompts and safety notes in the person's language (English for a file not translated)."""
        if language != self.content_language or self._rt.library is None:
            await self._rt.thread.run(self._load_library, language)

    def _open(self, keystore: crypto.KeyStore | None = None) -> StartResult:
        """Open the store (with the key unwrapped in memory, after unlocking with a PIN)."""
        if self._rt.store is not None:
            return StartResult(StartStatus.OK, settings=get_settings(self._rt.store))
        self.privacy.refresh_key()
        try:
            self._rt.store = open_store(self.data_dir, clock=self.clock, keystore=keystore or self._keystore)
        except AppError as exc:
            status = StartStatus(exc.code) if exc.code in {s.value for s in StartStatus} else StartStatus.FAILED
            if status is StartStatus.LOCKED:  # the plain settings (theme, discreet mode) still apply
                log.info("store locked: waiting for the PIN or passphrase")
                return StartResult(status, exc.detail, settings=peek_settings(self.data_dir))
            log.error("store could not be opened: %s", exc.code)
            return StartResult(status, exc.detail)
        except OSError as exc:
            log.error("store could not be opened: %s", exc.__class__.__name__)
            return StartResult(StartStatus.FAILED, exc.strerror or exc.__class__.__name__)
        journal_store.build_index(self._rt.store)  # search works from the first keystroke; off the UI thread
        settings = get_settings(self._rt.store)
        self.privacy.settings_changed(settings)
        return StartResult(StartStatus.OK, settings=settings)

    async def start_fresh(self, status: StartStatus) -> tuple[list[Path], StartResult]:
        """Move the unreadable files aside (kept, named with the time), then open a new store."""
        def work():
            stamp = self.clock.now().strftime("%Y%m%dT%H%M%SZ")
            include_key = status in (StartStatus.KEY_WRONG, StartStatus.LOCKED)
            moved = quarantine_store(self.data_dir, stamp=stamp, include_key=include_key)
            if status is StartStatus.LOCKED:  # a forgotten PIN: its wrapped key is kept beside the old data
                moved += self.privacy.set_key_aside(stamp)
            return moved, self._open()
        return await self._rt.thread.run(work)

    async def close(self) -> None:
        self.sharing.scheduler.stop()
        await self.privacy.stop_ticker()
        if self._rt.store is not None:
            await self._rt.thread.run(self._rt.store.close)
            self._rt.store = None

    # --- settings and Today ------------------------------------------------------

    async def settings(self) -> Settings:
        return await self._rt.run(get_settings)

    async def update_settings(self, **changes) -> Settings:
        """Save settings; values the app does not offer are refused with their code."""
        changes = clean_settings(changes, languages=available_languages(), countries=self.crisis)
        settings = await self._rt.run(lambda s: save_settings(s, **changes))
        self.privacy.settings_changed(settings)
        return settings

    async def today(self) -> TodayView:
        """The Today screen in one trip: what is due, and the suggested next step."""
        def work(s):
            progress, cursors = journey_rows.list_step_progress(s), journey_rows.list_cursors(s)
            suggestion = rules.suggest_next(self.library, progress, cursors) if self.library else None
            return TodayView(today_status(s), suggestion)
        return await self._rt.run(work)

    # --- help -------------------------------------------------------------

    def help_countries(self) -> list[str]:
        return self.crisis.codes if self.crisis else []

    def suggest_country(self, locales: list[str]) -> str | None:
        return suggest_country(locales, self.help_countries())


class _TokensOf:
    """The token keeper Services holds now (secure storage may be chosen after the engine is built)."""

    def __init__(self, services: Services):
        self._services = services

    @property
    def store_token(self) -> bool:
        return self._services._tokens.store_token

    def load(self, store):
        return self._services._tokens.load(store)

    def save(self, store, token: str) -> None:
        self._services._tokens.save(store, token)

    def clear(self, store) -> None:
        self._services._tokens.clear(store)
