"""Journal entries (encrypted at rest), drafts, and the journal's in-memory search index and undo buffer.

Search never touches a plaintext index on disk: the index is built from the decrypted
entries when the store opens and kept in step by the writers. Lists keep the stable
local order (rowid), so a wrong clock never hides or reorders an entry.

Decrypting 20,000 entries one by one at every start took 0.5-1.4 s (issue 16), so the index is kept
between starts as a snapshot: one meta row, compressed and encrypted with the data key like every
typed field (never plaintext on disk). At open it is checked entry by entry against the table's
(rowid, revision, updated_at): what changed since is re-read, what is gone is left out. Deleting an
entry drops the snapshot in the same transaction (deleted text must not outlive the delete); the next
start then builds the index from the entries and writes a new snapshot.
"""

from __future__ import annotations

import bisect
import json
import logging
import sqlite3
import zlib
from dataclasses import dataclass, field

from app.clock import local_day
from app.crypto import CryptoError
from app.domain import JournalEntry, new_id
from app.errors import AppError, StoreError
from app.journal import EntryInput
from app.store import outbox
from app.store.core import Store, transaction

log = logging.getLogger("regroup.journal")
PAGE_SIZE = 50
NEW_DRAFT = "new"  # the draft of an entry not yet saved
COLUMNS = ("id, rowid, body_enc, title_enc, tags, custom_tags_enc, step_id, created_at, updated_at, tz, "
           "local_day, prompt_id")
TABLE = "journal_entries"


SNAPSHOT = "journal_index"  # the meta row holding the encrypted index snapshot
SNAPSHOT_FORMAT = 2
REREAD_AT_MOST = 500  # more changed entries than this since the snapshot: rebuild from the table instead


@dataclass(slots=True)
class _Indexed:
    order: int
    day: str
    text: str          # lower-cased title, body and tags
    tags: frozenset[str]
    custom: tuple[str, ...] = ()  # the person's own tags as they typed them (for the Tag filter)


@dataclass
class JournalState:
    """What the journal keeps in memory for one open store: the search index and the undo buffer."""

    index: "_Index | None" = None
    dirty: set[str] = field(default_factory=set)
    undo: dict[str, tuple] = field(default_factory=dict)  # entry id -> its encrypted text before delete


def state(store: Store) -> JournalState:
    if store.journal is None:
        store.journal = JournalState()
    return store.journal


def touch(store: Store, *entry_ids: str) -> None:
    """Tell the index that these entries changed (it re-reads them at the next search)."""
    state(store).dirty.update(entry_ids)


def _decode(store: Store, row) -> JournalEntry:
    rid, order, body, title, tags, custom, step_id, created, updated, tz, day, prompt_id = row
    c = store.cipher
    custom_tags = tuple(json.loads(c.decrypt(TABLE, rid, "custom_tags", custom))) if custom else ()
    return JournalEntry(id=rid, body=c.decrypt(TABLE, rid, "body", body),
                        title=c.decrypt_optional(TABLE, rid, "title", title),
                        tags=tuple(json.loads(tags or "[]")), custom_tags=custom_tags, step_id=step_id,
                        created_at=created, updated_at=updated, tz=tz, local_day=day or created[:10], order=order,
                        prompt_id=prompt_id)


def _encrypted(store: Store, rid: str, entry: EntryInput) -> dict:
    c = store.cipher
    return {"body_enc": c.encrypt(TABLE, rid, "body", entry.body),
            "title_enc": c.encrypt_optional(TABLE, rid, "title", entry.title),
            "tags": json.dumps(list(entry.tags)),
            "custom_tags_enc": c.encrypt(TABLE, rid, "custom_tags", json.dumps(list(entry.custom_tags)))
            if entry.custom_tags else None}


def _new_row(store: Store, entry: EntryInput) -> dict:
    rid = new_id()
    created = entry.created_at or store.clock.stamp()
    tz = entry.tz or store.clock.zone
    return {"id": rid, **_encrypted(store, rid, entry), "step_id": entry.step_id, "created_at": created,
            "updated_at": created, "tz": tz, "local_day": local_day(created, tz), "revision": 1}


def add_entries(store: Store, entries: list[EntryInput]) -> list[str]:
    """Create many checked entries in one transaction (an import, the demo data); returns their ids."""
    rows = [_new_row(store, e) for e in entries]
    with transaction(store):
        store.db[TABLE].insert_all(rows)
    touch(store, *(r["id"] for r in rows))
    return [r["id"] for r in rows]


def _entry(row: dict, entry: EntryInput, order: int) -> JournalEntry:
    """The entry just written, from what was written (no second read and decrypt)."""
    return JournalEntry(id=row["id"], body=entry.body, title=entry.title, tags=entry.tags,
                        custom_tags=entry.custom_tags, step_id=row["step_id"], created_at=row["created_at"],
                        updated_at=row["updated_at"], tz=row["tz"], local_day=row["local_day"], order=order,
                        prompt_id=row.get("prompt_id"))


def add_entry(store: Store, entry: EntryInput) -> JournalEntry:
    row = _new_row(store, entry)
    with transaction(store):
        order = store.db[TABLE].insert(row).last_rowid
    touch(store, row["id"])
    return _entry(row, entry, order)


def update_entry(store: Store, entry_id: str, entry: EntryInput) -> JournalEntry:
    """Replace an entry's words and tags; AppError not_found when it was deleted meanwhile."""
    with transaction(store):
        found = store.db.execute(f"SELECT rowid, created_at, tz, local_day, step_id, prompt_id FROM {TABLE} "
                                 "WHERE id = ? AND deleted_at IS NULL", [entry_id]).fetchone()
        if not found:
            raise AppError("not_found", "the entry was deleted")
        order, created, tz, day, step_id, prompt_id = found
        now = store.clock.stamp()
        store.db.execute(f"UPDATE {TABLE} SET body_enc = :body_enc, title_enc = :title_enc, tags = :tags, "
                         "custom_tags_enc = :custom_tags_enc, updated_at = :now, revision = revision + 1 "
                         "WHERE id = :id", {**_encrypted(store, entry_id, entry), "now": now, "id": entry_id})
        outbox.record_changed(store, "journal_entry", entry_id)
    touch(store, entry_id)
    row = {"id": entry_id, "step_id": step_id, "created_at": created, "updated_at": now, "tz": tz,
           "local_day": day, "prompt_id": prompt_id}
    return _entry(row, entry, order)


def get_entry(store: Store, entry_id: str) -> JournalEntry | None:
    row = store.db.execute(f"SELECT {COLUMNS} FROM {TABLE} WHERE id = ? AND deleted_at IS NULL",
                           [entry_id]).fetchone()
    return _decode(store, row) if row else None


def delete_entry(store: Store, entry_id: str) -> None:
    """Leave a tombstone (sync needs it); the text and any draft of it are wiped at once.

    The encrypted text is kept in memory only, for the undo offered right after."""
    now = store.clock.stamp()
    with transaction(store):
        kept = store.db.execute(f"SELECT body_enc, title_enc, custom_tags_enc FROM {TABLE} "
                                "WHERE id = ? AND deleted_at IS NULL", [entry_id]).fetchone()
        if kept is None:
            return
        store.db.execute(f"UPDATE {TABLE} SET deleted_at = ?, updated_at = ?, revision = revision + 1, "
                         "body_enc = X'', title_enc = NULL, custom_tags_enc = NULL WHERE id = ?",
                         [now, now, entry_id])
        store.db.execute("DELETE FROM drafts WHERE id = ?", [entry_id])
        drop_snapshot(store)
        outbox.record_changed(store, "journal_entry", entry_id, "delete")
    state(store).undo[entry_id] = kept
    touch(store, entry_id)


def undo_delete(store: Store, entry_id: str) -> JournalEntry | None:
    """Bring back an entry deleted in this session (the undo offered for a few seconds)."""
    kept = state(store).undo.pop(entry_id, None)
    if kept is None:
        return None
    with transaction(store):
        store.db.execute(f"UPDATE {TABLE} SET deleted_at = NULL, body_enc = ?, title_enc = ?, "
                         "custom_tags_enc = ?, updated_at = ?, revision = revision + 1 WHERE id = ?",
                         [*kept, store.clock.stamp(), entry_id])
        outbox.record_changed(store, "journal_entry", entry_id)  # a delete still pending becomes an upsert
    touch(store, entry_id)
    return get_entry(store, entry_id)


# --- the in-memory index ----------------------------------------------------------

class _Index:
    """The live entries as columns with all their words in one string (cheap to save, load and scan: no
    object per entry), and what changed since it was made, by id (None: gone)."""

    SEP = "\x00"  # between two entries' words: a query word never holds it, so no match spans two entries

    def __init__(self, ids: list[str], orders: list[int], days: list[str], tags: list, custom: list, text: str):
        self.ids, self.orders, self.days, self.tags, self.custom, self.text = ids, orders, days, tags, custom, text
        self.starts = self._starts(text)
        self.changed: dict[str, _Indexed | None] = {}
        self._base: set[str] | None = None

    @classmethod
    def _starts(cls, text: str) -> list[int]:
        """Where each entry's words begin, and the end (found in place: no copy of 20,000 strings)."""
        starts, at, find, sep = [0], text.find(cls.SEP), text.find, cls.SEP
        while at != -1:
            starts.append(at + 1)
            at = find(sep, at + 1)
        return starts

    @classmethod
    def of(cls, items: list[tuple[str, _Indexed]]) -> "_Index":
        items = sorted(items, key=lambda kv: kv[1].order)
        return cls([rid for rid, _ in items], [i.order for _, i in items], [i.day for _, i in items],
                   [sorted(i.tags) for _, i in items], [list(i.custom) for _, i in items],
                   "".join(i.text.replace(cls.SEP, " ") + cls.SEP for _, i in items))

    def base_ids(self) -> set[str]:
        if self._base is None:
            self._base = set(self.ids)
        return self._base

    def __len__(self) -> int:
        base = self.base_ids()
        return len(self.ids) - sum(1 for rid in self.changed if rid in base) + \
            sum(1 for item in self.changed.values() if item is not None)

    def items(self):
        """Every live entry as (id, _Indexed), newest changes included."""
        text, starts = self.text, self.starts
        for i, rid in enumerate(self.ids):
            if rid not in self.changed:
                yield rid, _Indexed(self.orders[i], self.days[i], text[starts[i]:starts[i + 1] - 1],
                                    frozenset(self.tags[i]), tuple(self.custom[i]))
        for rid, item in self.changed.items():
            if item is not None:
                yield rid, item

    def matching(self, words: list[str]):
        """Positions of the saved entries holding every word (changed ones included: the caller skips them)."""
        if not words:
            return range(len(self.ids))
        found: set[int] | None = None
        for word in sorted(set(words), key=len, reverse=True):  # the longest word first: the fewest hits
            hits, text, starts, last = set(), self.text, self.starts, len(self.ids)
            at = text.find(word)
            while at != -1:
                i = bisect.bisect_right(starts, at) - 1
                if found is None or i in found:
                    hits.add(i)
                at = text.find(word, starts[i + 1]) if i + 1 < last else -1
            found = hits
            if not found:
                break
        return sorted(found)


def _index(store: Store) -> _Index:
    s = state(store)
    if s.index is None:
        s.index, s.dirty = _from_snapshot(store)
        if s.index is None:
            s.index, s.dirty = _save_snapshot(store, _from_table(store)), set()
            return s.index
        if s.dirty is None:  # as saved: nothing changed, nothing left out
            s.dirty = set()
            return s.index
        _reread(store, s)
        s.index = _save_snapshot(store, s.index)  # the next start finds it fresh, without what was left out
        return s.index
    _reread(store, s)
    return s.index


def _reread(store: Store, s: JournalState) -> None:
    for rid in list(s.dirty):
        entry = get_entry(store, rid)
        s.index.changed[rid] = None if entry is None else _indexed(entry)
    s.dirty.clear()


def _from_table(store: Store) -> _Index:
    """Every live entry decrypted (a first start, or no usable snapshot)."""
    items = []
    for row in store.db.execute(f"SELECT {COLUMNS} FROM {TABLE} WHERE deleted_at IS NULL ORDER BY rowid"):
        try:
            items.append((row[0], _indexed(_decode(store, row))))
        except CryptoError:  # one damaged entry must not hide all the others
            log.error("a journal entry could not be decrypted; left out of search")
    return _Index.of(items)


def _fingerprint(store: Store) -> list:
    """Moves whenever any entry's words can have changed: every writer adds a row or bumps its revision."""
    return list(store.db.execute(f"SELECT COUNT(*), TOTAL(revision), TOTAL(rowid), MAX(updated_at), "
                                 f"COUNT(deleted_at) FROM {TABLE}").fetchone())


def _stamps(store: Store) -> dict[str, list]:
    """What changes whenever an entry's words do: its rowid, revision and time of change."""
    return {r[0]: list(r[1:]) for r in store.db.execute(
        f"SELECT id, rowid, revision, updated_at FROM {TABLE} WHERE deleted_at IS NULL")}


def _from_snapshot(store: Store) -> tuple[_Index | None, set[str] | None]:
    """The saved index, with what changed since marked to be re-read (None when the snapshot is exactly the
    table); (None, ...) when there is no usable snapshot (none, another key, another format, damaged, or too
    much changed)."""
    row = store.db.execute("SELECT value FROM meta WHERE key = ?", [SNAPSHOT]).fetchone()
    if row is None:
        return None, set()
    try:
        saved = json.loads(zlib.decompress(store.cipher.decrypt_bytes("meta", SNAPSHOT, "value", row[0])))
        if saved.get("format") != SNAPSHOT_FORMAT:
            return None, set()
        index = _Index(saved["ids"], [st[0] for st in saved["stamps"]], saved["days"], saved["tags"],
                       saved["custom"], saved["text"])
        if len(index.starts) != len(index.ids) + 1:
            raise ValueError("the saved index does not add up")
        if saved["fingerprint"] == _fingerprint(store):
            return index, None
        stamps = _stamps(store)
        for rid, stamp in zip(saved["ids"], saved["stamps"]):
            if stamps.get(rid) != stamp:
                index.changed[rid] = None  # gone, or to be re-read
    except (CryptoError, zlib.error, ValueError, TypeError, KeyError, IndexError):
        log.warning("the saved search index could not be read; building it from the entries")
        return None, set()
    dirty = (stamps.keys() - index.base_ids()) | {rid for rid in index.changed if rid in stamps}
    if len(dirty) > REREAD_AT_MOST:
        return None, set()
    return index, dirty


def _save_snapshot(store: Store, index: _Index) -> _Index:
    """Write the index (compacted: changes folded in) encrypted into meta; returns the compacted index."""
    if index.changed:
        index = _Index.of(list(index.items()))
    stamps = _stamps(store)
    data = {"format": SNAPSHOT_FORMAT, "fingerprint": _fingerprint(store), "ids": index.ids,
            "stamps": [stamps.get(rid) for rid in index.ids], "days": index.days, "tags": index.tags,
            "custom": index.custom, "text": index.text}
    blob = store.cipher.encrypt_bytes("meta", SNAPSHOT, "value", zlib.compress(
        json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass"), 1))
    try:
        with transaction(store):
            store.db.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
                             "value = excluded.value", [SNAPSHOT, blob])
    except (StoreError, sqlite3.Error) as exc:  # a speed-up only: search works without it
        log.warning("the search index could not be saved (%s)", exc.__class__.__name__)
    return index


def drop_snapshot(store: Store) -> None:
    """Forget the saved index (a delete, an import): the next start builds it from the entries."""
    store.db.execute("DELETE FROM meta WHERE key = ?", [SNAPSHOT])


def forget_index(store: Store) -> None:
    """Entries were replaced wholesale (an import): rebuild the index from them and save it anew."""
    with transaction(store):
        drop_snapshot(store)
    state(store).index = None


def _indexed(e: JournalEntry) -> _Indexed:
    text = "\n".join([e.title or "", e.body, *e.tags, *e.custom_tags]).casefold()
    return _Indexed(order=e.order, day=e.local_day, text=text, tags=frozenset(e.tags) | frozenset(
        t.casefold() for t in e.custom_tags), custom=tuple(e.custom_tags))


def list_custom_tags(store: Store) -> list[str]:
    """The person's own tags on live entries, once each (case-insensitively), sorted; from the in-memory
    index, since the tags are encrypted on disk. The most recent spelling of a tag wins."""
    found: dict[str, tuple[int, str]] = {}
    index = _index(store)
    mine = [(index.orders[i], tags) for i, (rid, tags) in enumerate(zip(index.ids, index.custom))
            if tags and rid not in index.changed]
    mine += [(item.order, item.custom) for item in index.changed.values() if item is not None and item.custom]
    for order, tags in mine:
        for tag in tags:
            key = tag.casefold()
            if key not in found or order > found[key][0]:
                found[key] = (order, tag)
    return sorted((tag for _, tag in found.values()), key=str.casefold)


def build_index(store: Store) -> int:
    """Build the search index now (at start-up, off the UI thread); returns how many entries it holds."""
    return len(_index(store))


def list_entries(store: Store, *, query: str = "", tag: str | None = None, day_from: str | None = None,
                 day_to: str | None = None, before: int | None = None, limit: int = PAGE_SIZE
                 ) -> tuple[list[JournalEntry], int | None]:
    """One page of entries, newest first in stable local order; returns the page and the cursor for the next."""
    if not (query or tag):
        sql = f"SELECT {COLUMNS} FROM {TABLE} WHERE deleted_at IS NULL"
        args: list = []
        if day_from:
            sql, args = sql + " AND local_day >= ?", args + [day_from]
        if day_to:
            sql, args = sql + " AND local_day <= ?", args + [day_to]
        if before is not None:
            sql, args = sql + " AND rowid < ?", args + [before]
        rows = store.db.execute(sql + " ORDER BY rowid DESC LIMIT ?", args + [limit + 1]).fetchall()
        page = [_decode(store, r) for r in rows[:limit]]
        return page, (page[-1].order if len(rows) > limit else None)
    ids = search_ids(store, query=query, tag=tag, day_from=day_from, day_to=day_to, before=before)
    chosen = ids[:limit]
    page = [e for e in (get_entry(store, rid) for rid in chosen) if e]
    return page, (page[-1].order if len(ids) > limit and page else None)


def search_ids(store: Store, *, query: str = "", tag: str | None = None, day_from: str | None = None,
               day_to: str | None = None, before: int | None = None) -> list[str]:
    """Ids of matching entries, newest first. Every word of the query must appear (any order)."""
    words = query.casefold().split()
    tag = tag.casefold() if tag else None
    index = _index(store)
    ids, orders, days, tags, changed = index.ids, index.orders, index.days, index.tags, index.changed
    hits = [(orders[i], ids[i]) for i in index.matching(words)
            if ids[i] not in changed
            and (tag is None or tag in tags[i])
            and (day_from is None or days[i] >= day_from) and (day_to is None or days[i] <= day_to)
            and (before is None or orders[i] < before)]
    hits += [(item.order, rid) for rid, item in changed.items()
             if item is not None and (not words or all(w in item.text for w in words))
             and (tag is None or tag in item.tags)
             and (day_from is None or item.day >= day_from) and (day_to is None or item.day <= day_to)
             and (before is None or item.order < before)]
    hits.sort(reverse=True)
    return [rid for _, rid in hits]


def count_entries(store: Store) -> int:
    return store.db.execute(f"SELECT COUNT(*) FROM {TABLE} WHERE deleted_at IS NULL").fetchone()[0]


# --- drafts -------------------------------------------------------------------------

def save_draft(store: Store, *, body: str, title: str = "", entry_id: str | None = None) -> None:
    """Keep what is being typed (encrypted), one draft per entry, or one for a new entry."""
    key = entry_id or NEW_DRAFT
    blob = store.cipher.encrypt("drafts", key, "draft", json.dumps({"body": body, "title": title}))
    with transaction(store):
        store.db.execute("INSERT INTO drafts (id, entry_id, draft_enc, updated_at) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT (id) DO UPDATE SET draft_enc = excluded.draft_enc, "
                         "updated_at = excluded.updated_at", [key, entry_id, blob, store.clock.stamp()])


def get_draft(store: Store, entry_id: str | None = None) -> dict | None:
    key = entry_id or NEW_DRAFT
    row = store.db.execute("SELECT draft_enc FROM drafts WHERE id = ?", [key]).fetchone()
    return json.loads(store.cipher.decrypt("drafts", key, "draft", row[0])) if row else None


def clear_draft(store: Store, entry_id: str | None = None) -> None:
    with transaction(store):
        store.db.execute("DELETE FROM drafts WHERE id = ?", [entry_id or NEW_DRAFT])
