"""The use-cases the screens call. Async at the edge; blocking work runs on the store thread."""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, field
from pathlib import Path

import datetime as dt

from app import checkins, crypto, journal, journeys, store, trends
from app import journeys_store as js
from app.content import ContentError, load_library, load_prompts
from app.crisis import CRISIS_FILE, CrisisDirectory, load_directory, suggest_country
from app.domain import THEMES, JourneyProgress, Library, LovedOne, Reflection, Settings, Step
from app.i18n import available_languages
from app.worker import StoreThread

log = logging.getLogger("regroup")


MAX_TEXT = 100_000  # SYNC.md: text fields hold at most 100,000 characters


class TextTooLongError(ValueError):
    """A person typed more than one field may hold; nothing is cut off silently."""


def _check_text(text: str) -> None:
    if len(text) > MAX_TEXT:
        raise TextTooLongError(f"text of {len(text)} characters; at most {MAX_TEXT}")


def _valid_time(value: str) -> bool:
    try:
        return dt.datetime.strptime(value, "%H:%M").strftime("%H:%M") == value
    except (TypeError, ValueError):
        return False


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
        self.library: Library | None = None
        self.library_error: str | None = None
        self.prompts: tuple[str, ...] = ()

    # --- start-up -----------------------------------------------------------

    def use_secure_values(self, values: crypto.SecureValues) -> None:
        """On a phone: keep the data key in the platform's secure storage (before start)."""
        if self._store is None:
            self._keystore = crypto.SecureStorageKeyStore(values)

    async def start(self) -> StartResult:
        """Open the store; a damaged file or a lost key is reported, never papered over."""
        await self._thread.run(self._load_content)
        return await self._thread.run(self._open)

    def _load_content(self) -> None:
        self._load_crisis()
        try:
            self.library = load_library()
            self.prompts = load_prompts()
        except ContentError as exc:
            self.library_error = str(exc)
            log.error("journeys not loaded: %s", exc)

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
        journal.warm_index(self._store)  # search works from the first keystroke; built off the UI thread
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
        if changes.get("checkin_time") and not _valid_time(changes["checkin_time"]):
            raise ValueError("unknown time")
        if "display_name" in changes:
            name = (changes["display_name"] or "").strip()[:80]
            changes["display_name"] = name or None
        return await self._thread.run(lambda: store.save_settings(self._require(), **changes))

    # --- help -------------------------------------------------------------

    def help_countries(self) -> list[str]:
        return self.crisis.codes if self.crisis else []

    def suggest_country(self, locales: list[str]) -> str | None:
        return suggest_country(locales, self.help_countries())

    # --- journeys -----------------------------------------------------------

    def _progress(self) -> tuple[dict, dict]:
        s = self._require()
        return js.list_step_progress(s), js.list_cursors(s)

    async def journeys_overview(self) -> list[JourneyProgress]:
        progress, cursors = await self._thread.run(self._progress)
        return journeys.all_progress(self.library, progress, cursors) if self.library else []

    async def journey_state(self, journey_id: str) -> JourneyProgress | None:
        journey = self.library.journey(journey_id) if self.library else None
        if journey is None:
            return None
        progress, cursors = await self._thread.run(self._progress)
        return journeys.journey_progress(journey, progress, cursors)

    async def suggested_step(self) -> tuple[JourneyProgress, Step] | None:
        if not self.library:
            return None
        progress, cursors = await self._thread.run(self._progress)
        return journeys.suggest_next(self.library, progress, cursors)

    async def open_step(self, step_id: str) -> dict:
        """Everything a step screen needs; opening it moves the journey's cursor there."""
        step = self.library.step(step_id)

        def work():
            s = self._require()
            js.start_step(s, step.journey_id, step.id)
            return {
                "progress": js.list_step_progress(s).get(step.id),
                "worksheet": js.get_worksheet(s, step.id) if step.type in ("worksheet", "scale") else None,
                "checked": js.get_checklist(s, step.id) if step.type == "checklist" else set(),
                "reflections": js.list_reflections(s, step.id) if step.type == "reflection" else {},
                "loved_one": js.get_loved_one(s),
            }
        return await self._thread.run(work)

    async def complete_step(self, step_id: str) -> Step | None:
        """Record the step as done; returns the journey's next step, if any."""
        step = self.library.step(step_id)
        await self._thread.run(lambda: js.complete_step(self._require(), step.journey_id, step.id))
        return journeys.next_step_after(self.library.journey(step.journey_id), step.id)

    def export_worksheet(self, step_id: str, values: dict) -> tuple[str, bytes]:
        """A worksheet (the re-approach plan) as a Markdown file: its name and bytes."""
        from app.i18n import _, format_date
        step, today = self.library.step(step_id), dt.date.today()
        text = journeys.worksheet_markdown(
            step, values, title=_("Our re-approach plan"), empty=_("Not filled in yet"),
            exported=_("Exported from Regroup on {date}").format(date=format_date(today)))
        return f"regroup-reapproach-plan-{today.isoformat()}.md", text.encode("utf-8")

    async def restart_journey(self, journey_id: str) -> None:
        journey = self.library.journey(journey_id)
        await self._thread.run(lambda: js.restart_journey(self._require(), journey.id, journey.steps[0].id))

    async def save_worksheet(self, step_id: str, values: dict) -> None:
        step = self.library.step(step_id)
        for value in values.values():
            if isinstance(value, str):
                _check_text(value)
        await self._thread.run(lambda: js.save_worksheet(self._require(), journey_id=step.journey_id,
                                                         step_id=step.id, kind=step.kind, fields=values))

    async def set_checklist_item(self, step_id: str, item_id: str, checked: bool) -> None:
        await self._thread.run(lambda: js.set_checklist_item(self._require(), step_id, item_id, checked))

    async def save_reflection(self, step_id: str, prompt_id: str, text: str) -> Reflection | None:
        _check_text(text)
        return await self._thread.run(lambda: js.save_reflection(self._require(), step_id, prompt_id, text))

    async def loved_one(self) -> LovedOne:
        return await self._thread.run(lambda: js.get_loved_one(self._require()))

    async def save_loved_one(self, loved_one: LovedOne) -> LovedOne:
        return await self._thread.run(lambda: js.save_loved_one(self._require(), loved_one))

    # --- journal --------------------------------------------------------------

    async def list_entries(self, **filters):
        return await self._thread.run(lambda: journal.list_entries(self._require(), **filters))

    async def get_entry(self, entry_id: str):
        return await self._thread.run(lambda: journal.get_entry(self._require(), entry_id))

    async def save_entry(self, **fields):
        _check_text(fields.get("body", ""))
        entry = await self._thread.run(lambda: journal.save_entry(self._require(), **fields))
        await self._thread.run(lambda: journal.clear_draft(self._require(), fields.get("entry_id")))
        return entry

    async def delete_entry(self, entry_id: str) -> None:
        await self._thread.run(lambda: journal.delete_entry(self._require(), entry_id))

    async def undo_delete(self, entry_id: str):
        return await self._thread.run(lambda: journal.undo_delete(self._require(), entry_id))

    async def save_draft(self, *, body: str, title: str = "", entry_id: str | None = None) -> None:
        await self._thread.run(lambda: journal.save_draft(self._require(), body=body, title=title,
                                                          entry_id=entry_id))

    async def get_draft(self, entry_id: str | None = None):
        return await self._thread.run(lambda: journal.get_draft(self._require(), entry_id))

    async def discard_draft(self, entry_id: str | None = None) -> None:
        await self._thread.run(lambda: journal.clear_draft(self._require(), entry_id))

    async def warm_journal_index(self) -> int:
        return await self._thread.run(lambda: journal.warm_index(self._require()))

    # --- check-ins and wellbeing -----------------------------------------------

    async def add_checkin(self, **fields):
        if fields.get("note"):
            _check_text(fields["note"])
        return await self._thread.run(lambda: checkins.add_checkin(self._require(), **fields))

    async def list_checkins(self, limit: int = 20):
        return await self._thread.run(lambda: checkins.list_checkins(self._require(), limit=limit))

    async def delete_checkin(self, checkin_id: str) -> None:
        await self._thread.run(lambda: checkins.delete_checkin(self._require(), checkin_id))

    async def add_wellbeing(self, items: list[int]):
        def work():
            s = self._require()
            before = checkins.list_wellbeing(s, limit=1)
            record = checkins.add_wellbeing(s, items)
            previous = before[0].score if before else None
            return record, checkins.who5_needs_care(record.score, previous)
        return await self._thread.run(work)

    async def today_status(self) -> dict:
        """What is due today: the check-in, the weekly WHO-5."""
        today = dt.date.today().isoformat()

        def work():
            s = self._require()
            return {"checked_in": checkins.checked_in_on(s, today), "who5_due": checkins.wellbeing_due(s, today)}
        return await self._thread.run(work)

    async def trends(self, days: int) -> dict:
        today = dt.date.today()

        def work():
            s = self._require()
            since = (today - dt.timedelta(days=days - 1)).isoformat()
            wellbeing = list(reversed(checkins.list_wellbeing(s)))
            return {
                "series": trends.daily_series(s, days=days, today=today.isoformat()),
                "use": trends.use_vs_non_use(s, since=since),
                "responses": trends.by_response(s, since=since),
                "response_counts": trends.response_counts(s, since=since),
                # one read, oldest first: the period's scores (else the latest), and the last two
                "who5": [w for w in wellbeing if w.local_day >= since] or wellbeing[-1:],
                "who5_recent": wellbeing[-2:],
                "month": trends.month_moods(s, today.year, today.month),
            }
        return await self._thread.run(work)

    def _require(self) -> store.Store:
        if self._store is None:
            raise store.StoreError("The store is not open.")
        return self._store

    async def close(self) -> None:
        if self._store is not None:
            await self._thread.run(self._store.close)
            self._store = None
