"""Journal use-cases: list and search, open for editing, save (with its draft cleared), delete and undo."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain import JournalEntry
from app.errors import AppError
from app.journal import clean_entry, quick_note_body
from app.runtime import Runtime
from app.store import Store, transaction
from app.store import journal as entries


@dataclass(frozen=True)
class JournalPage:
    entries: list[JournalEntry]
    cursor: int | None  # pass back as `before` for the next (older) page; None at the end


@dataclass(frozen=True)
class EntryEditor:
    """What the entry screen opens with: the entry (None for a new one) and any unsaved draft."""

    entry: JournalEntry | None
    draft: dict | None


@dataclass(frozen=True)
class SavedEntry:
    entry: JournalEntry
    as_new: bool = False  # the entry had been deleted meanwhile, so the words were kept as a new entry


class JournalService:
    def __init__(self, rt: Runtime):
        self._rt = rt

    async def list_entries(self, *, query: str = "", tag: str | None = None, day_from: str | None = None,
                           day_to: str | None = None, before: int | None = None) -> JournalPage:
        def work(s: Store) -> JournalPage:
            page, cursor = entries.list_entries(s, query=query, tag=tag, day_from=day_from, day_to=day_to,
                                                before=before)
            return JournalPage(page, cursor)
        return await self._rt.run(work)

    async def open_entry(self, entry_id: str | None) -> EntryEditor | None:
        """None when the entry no longer exists."""
        def work(s: Store) -> EntryEditor | None:
            entry = entries.get_entry(s, entry_id) if entry_id else None
            if entry_id and entry is None:
                return None
            return EntryEditor(entry=entry, draft=entries.get_draft(s, entry_id))
        return await self._rt.run(work)

    async def save_entry(self, *, body: str, title: str | None = None, tags=(), custom_tags=(),
                         entry_id: str | None = None) -> SavedEntry:
        """Save and clear the draft in one transaction: both happen, or neither does."""
        entry = clean_entry(body, title, tags, custom_tags)

        def work(s: Store) -> SavedEntry:
            with transaction(s):
                as_new = False
                try:
                    saved = entries.update_entry(s, entry_id, entry) if entry_id else entries.add_entry(s, entry)
                except AppError as exc:
                    if exc.code != "not_found":
                        raise
                    saved, as_new = entries.add_entry(s, entry), True  # never lose the words
                entries.clear_draft(s, entry_id)
            return SavedEntry(saved, as_new)
        return await self._rt.run(work)

    async def save_quick_note(self, *, title: str, answers: list[tuple[str, str]]) -> JournalEntry:
        """The right-now kit's note (question and answer pairs) saved as a journal entry; all empty is refused."""
        entry = clean_entry(quick_note_body(answers), title)
        return await self._rt.run(lambda s: entries.add_entry(s, entry))

    async def list_custom_tags(self) -> list[str]:
        """The person's own tags, for the Tag filter (read from the in-memory index: they are encrypted)."""
        return await self._rt.run(entries.list_custom_tags)

    async def delete_entry(self, entry_id: str) -> None:
        await self._rt.run(lambda s: entries.delete_entry(s, entry_id))

    async def undo_delete(self, entry_id: str) -> JournalEntry | None:
        return await self._rt.run(lambda s: entries.undo_delete(s, entry_id))

    async def save_draft(self, *, body: str, title: str = "", entry_id: str | None = None) -> None:
        await self._rt.run(lambda s: entries.save_draft(s, body=body, title=title, entry_id=entry_id))
