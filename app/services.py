"""The use-cases the screens call. Async at the edge; blocking work runs on the store thread."""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, field
from pathlib import Path

from app import crypto, store
from app.content import ContentError
from app.crisis import CRISIS_FILE, CrisisDirectory, load_directory, suggest_country
from app.domain import THEMES, Settings
from app.i18n import available_languages
from app.worker import StoreThread

log = logging.getLogger("regroup")


class StartStatus(enum.Enum):
    OK = "ok"
    CORRUPT = "corrupt"          # the database file is damaged
    KEY_MISSING = "key_missing"  # encrypted data, but no key
    KEY_WRONG = "key_wrong"      # a key that does not open this data, or an unreadable key
    FAILED = "failed"            # anything else (permissions, a full disk at creation)


@dataclass(frozen=True)
class StartResult:
    status: StartStatus
    detail: str = ""
    settings: Settings = field(default_factory=Settings)


class Services:
    """One per process: the person's store, their settings, and the crisis directory."""

    def __init__(self, data_dir: Path, *, keystore: crypto.KeyStore | None = None,
                 crisis_file: Path = CRISIS_FILE):
        self.data_dir = Path(data_dir)
        self._keystore = keystore
        self._crisis_file = crisis_file
        self._thread = StoreThread()
        self._store: store.Store | None = None
        self.crisis: CrisisDirectory | None = None
        self.crisis_error: str | None = None

    # --- start-up -----------------------------------------------------------

    async def start(self) -> StartResult:
        """Open the store; a damaged file or a lost key is reported, never papered over."""
        await self._thread.run(self._load_crisis)
        return await self._thread.run(self._open)

    def _load_crisis(self) -> None:
        try:
            self.crisis = load_directory(self._crisis_file)
        except ContentError as exc:
            self.crisis_error = str(exc)
            log.error("crisis lines not loaded: %s", exc)

    def _open(self) -> StartResult:
        if self._store is not None:
            return StartResult(StartStatus.OK, settings=store.get_settings(self._store))
        try:
            self._store = store.open_store(self.data_dir, keystore=self._keystore)
        except store.StoreCorruptError as exc:
            return StartResult(StartStatus.CORRUPT, str(exc))
        except crypto.KeyMissingError as exc:
            return StartResult(StartStatus.KEY_MISSING, str(exc))
        except (crypto.KeyMismatchError, crypto.KeyFileError) as exc:
            return StartResult(StartStatus.KEY_WRONG, str(exc))
        except (OSError, store.StoreError) as exc:
            log.error("store could not be opened: %s", exc.__class__.__name__)
            return StartResult(StartStatus.FAILED, str(exc))
        return StartResult(StartStatus.OK, settings=store.get_settings(self._store))

    async def start_fresh(self, status: StartStatus) -> tuple[list[Path], StartResult]:
        """Move the unreadable files aside (kept, with a timestamp), then open a new store."""
        def work():
            moved = store.quarantine_store(self.data_dir, include_key=status is StartStatus.KEY_WRONG)
            return moved, self._open()
        return await self._thread.run(work)

    # --- settings ---------------------------------------------------------

    async def settings(self) -> Settings:
        return await self._thread.run(lambda: store.get_settings(self._require()))

    async def update_settings(self, **changes) -> Settings:
        """Save settings; refuses values the app does not offer."""
        if "theme" in changes and changes["theme"] not in THEMES:
            raise ValueError("unknown theme")
        if "language" in changes and changes["language"] not in available_languages():
            raise ValueError("unknown language")
        if changes.get("country") and self.crisis and self.crisis.get(changes["country"]) is None:
            raise ValueError("unknown country")
        if "display_name" in changes:
            name = (changes["display_name"] or "").strip()[:80]
            changes["display_name"] = name or None
        return await self._thread.run(lambda: store.save_settings(self._require(), **changes))

    # --- help -------------------------------------------------------------

    def help_countries(self) -> list[str]:
        return self.crisis.codes if self.crisis else []

    def suggest_country(self, locales: list[str]) -> str | None:
        return suggest_country(locales, self.help_countries())

    def _require(self) -> store.Store:
        if self._store is None:
            raise store.StoreError("The store is not open.")
        return self._store

    async def close(self) -> None:
        if self._store is not None:
            await self._thread.run(self._store.close)
            self._store = None
