"""The private journal: entries encrypted at rest, drafts, and an in-memory search index.

Search never touches a plaintext index on disk: the index is built from the
decrypted entries when first needed and kept in step by the writers.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from app.clock import local_day, local_zone_name
from app.crypto import CryptoError
from app.domain import MAX_TAGS, MAX_TITLE, SUGGESTED_TAGS, JournalEntry, new_id, utc_now
from app.store import Store, writing

log = logging.getLogger("regroup.journal")
PAGE_SIZE = 50
COLUMNS = ("id, rowid, body_enc, title_enc, tags, custom_tags_enc, step_id, created_at, updated_at, tz, "
           "local_day")


class EntryError(ValueError):
    """An entry the person wrote cannot be saved as it is; the message says why."""


@dataclass
class _Indexed:
    order: int
    day: str
    text: str          # lower-cased title, body and tags
    tags: frozenset[str]


def _decode(store: Store, row) -> JournalEntry:
    rid, order, body, title, tags, custom, step_id, created, updated, tz, day = row
    c = store.cipher
    custom_tags = tuple(json.loads(c.decrypt("journal_entries", rid, "custom_tags", custom))) if custom else ()
    return JournalEntry(id=rid, body=c.decrypt("journal_entries", rid, "body", body),
                        title=c.decrypt_optional("journal_entries", rid, "title", title),
                        tags=tuple(json.loads(tags or "[]")), custom_tags=custom_tags, step_id=step_id,
                        created_at=created, updated_at=updated, tz=tz, local_day=day or created[:10], order=order)


def _check(body: str, title: str | None, tags: list[str], custom_tags: list[str]) -> None:
    if not body.strip():
        raise EntryError("empty")
    if title and len(title) > MAX_TITLE:
        raise EntryError("title_too_long")
    if len(tags) + len(custom_tags) > MAX_TAGS:
        raise EntryError("too_many_tags")
    if any(t not in SUGGESTED_TAGS for t in tags):
        raise EntryError("unknown_tag")


def add_entries(store: Store, entries: list[dict]) -> list[str]:
    """Create many entries in one transaction (batch first). Each dict: body, and optionally title, tags,
    custom_tags, step_id, created_at and tz (an import or the demo data set gives its own times)."""
    rows, ids, c = [], [], store.cipher
    for item in entries:
        tags = list(dict.fromkeys(item.get("tags", ())))
        custom = list(dict.fromkeys(t.strip() for t in item.get("custom_tags", ()) if t.strip()))
        title = (item.get("title") or "").strip() or None
        _check(item["body"], title, tags, custom)
        rid, created = new_id(), item.get("created_at") or utc_now()
        tz = item.get("tz") or local_zone_name()
        rows.append({"id": rid, "body_enc": c.encrypt("journal_entries", rid, "body", item["body"]),
                     "title_enc": c.encrypt_optional("journal_entries", rid, "title", title),
                     "tags": json.dumps(tags),
                     "custom_tags_enc": c.encrypt("journal_entries", rid, "custom_tags", json.dumps(custom))
                     if custom else None, "step_id": item.get("step_id"), "created_at": created,
                     "updated_at": created, "tz": tz, "local_day": local_day(created, tz), "revision": 1})
        ids.append(rid)
    with writing(store):
        store.db["journal_entries"].insert_all(rows)
    store.touch_entries(*ids)
    return ids


def save_entry(store: Store, *, body: str, title: str | None = None, tags: list[str] = (),
               custom_tags: list[str] = (), entry_id: str | None = None, step_id: str | None = None) -> JournalEntry:
    """Create (no id) or edit an entry in one transaction; the text is encrypted before it is written."""
    if not entry_id:
        new = add_entries(store, [{"body": body, "title": title, "tags": tags, "custom_tags": custom_tags,
                                   "step_id": step_id}])
        return get_entry(store, new[0])
    tags, custom_tags = list(dict.fromkeys(tags)), list(dict.fromkeys(t.strip() for t in custom_tags if t.strip()))
    title = (title or "").strip() or None
    _check(body, title, tags, custom_tags)
    now, c = utc_now(), store.cipher
    rid = entry_id
    fields = {"body_enc": c.encrypt("journal_entries", rid, "body", body),
              "title_enc": c.encrypt_optional("journal_entries", rid, "title", title),
              "tags": json.dumps(tags),
              "custom_tags_enc": c.encrypt("journal_entries", rid, "custom_tags", json.dumps(custom_tags))
              if custom_tags else None}
    with writing(store):
        found = store.db.execute("SELECT 1 FROM journal_entries WHERE id = ? AND deleted_at IS NULL",
                                 [entry_id]).fetchone()
        if not found:
            raise EntryError("not_found")
        store.db["journal_entries"].update(rid, {**fields, "updated_at": now})
        store.db.execute("UPDATE journal_entries SET revision = revision + 1 WHERE id = ?", [rid])
    store.touch_entries(rid)
    return get_entry(store, rid)


def get_entry(store: Store, entry_id: str) -> JournalEntry | None:
    row = store.db.execute(f"SELECT {COLUMNS} FROM journal_entries WHERE id = ? AND deleted_at IS NULL",
                           [entry_id]).fetchone()
    return _decode(store, row) if row else None


def delete_entry(store: Store, entry_id: str) -> None:
    """Leave a tombstone (sync needs it); the text is wiped at once."""
    now = utc_now()
    with writing(store):
        store.db.execute("UPDATE journal_entries SET deleted_at = ?, updated_at = ?, revision = revision + 1 "
                         "WHERE id = ? AND deleted_at IS NULL", [now, now, entry_id])
        store.cache.setdefault("journal_undo", {})[entry_id] = store.db.execute(
            "SELECT body_enc, title_enc, custom_tags_enc FROM journal_entries WHERE id = ?", [entry_id]).fetchone()
        store.db.execute("UPDATE journal_entries SET body_enc = X'', title_enc = NULL, custom_tags_enc = NULL "
                         "WHERE id = ?", [entry_id])
    store.touch_entries(entry_id)


def undo_delete(store: Store, entry_id: str) -> JournalEntry | None:
    """Bring back an entry deleted in this session (the undo offered for a few seconds)."""
    kept = store.cache.get("journal_undo", {}).pop(entry_id, None)
    if kept is None:
        return None
    with writing(store):
        store.db.execute("UPDATE journal_entries SET deleted_at = NULL, body_enc = ?, title_enc = ?, "
                         "custom_tags_enc = ?, updated_at = ?, revision = revision + 1 WHERE id = ?",
                         [*kept, utc_now(), entry_id])
    store.touch_entries(entry_id)
    return get_entry(store, entry_id)


# --- the in-memory index ----------------------------------------------------------

def _index(store: Store) -> dict[str, _Indexed]:
    index = store.cache.get("journal_index")
    if index is None:
        index = {}
        for row in store.db.execute(f"SELECT {COLUMNS} FROM journal_entries WHERE deleted_at IS NULL"):
            try:
                index[row[0]] = _indexed(_decode(store, row))
            except CryptoError:  # one damaged entry must not hide all the others
                log.error("journal entry %s could not be decrypted; left out of search", row[0])
        store.cache["journal_index"] = index
        store.cache["journal_dirty"] = set()
        return index
    dirty = store.cache.get("journal_dirty") or set()
    for rid in list(dirty):
        entry = get_entry(store, rid)
        if entry is None:
            index.pop(rid, None)
        else:
            index[rid] = _indexed(entry)
    dirty.clear()
    return index


def _indexed(e: JournalEntry) -> _Indexed:
    text = "\n".join([e.title or "", e.body, *e.tags, *e.custom_tags]).casefold()
    return _Indexed(order=e.order, day=e.local_day, text=text, tags=frozenset(e.tags) | frozenset(
        t.casefold() for t in e.custom_tags))


def warm_index(store: Store) -> int:
    """Build the search index now (at start-up, off the UI thread); returns how many entries it holds."""
    return len(_index(store))


def list_entries(store: Store, *, query: str = "", tag: str | None = None, day_from: str | None = None,
                 day_to: str | None = None, before: int | None = None, limit: int = PAGE_SIZE
                 ) -> tuple[list[JournalEntry], int | None]:
    """One page of entries, newest first in stable local order; returns the page and the cursor for the next."""
    if not (query or tag):
        sql = f"SELECT {COLUMNS} FROM journal_entries WHERE deleted_at IS NULL"
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
    hits = [(item.order, rid) for rid, item in _index(store).items()
            if (not words or all(w in item.text for w in words))
            and (tag is None or tag in item.tags)
            and (day_from is None or item.day >= day_from) and (day_to is None or item.day <= day_to)
            and (before is None or item.order < before)]
    hits.sort(reverse=True)
    return [rid for _, rid in hits]


def count_entries(store: Store) -> int:
    return store.db.execute("SELECT COUNT(*) FROM journal_entries WHERE deleted_at IS NULL").fetchone()[0]


# --- drafts -------------------------------------------------------------------------

def save_draft(store: Store, *, body: str, title: str = "", entry_id: str | None = None) -> None:
    """Keep what is being typed (encrypted), one draft per entry, or one for a new entry."""
    key = entry_id or "new"
    blob = store.cipher.encrypt("drafts", key, "draft", json.dumps({"body": body, "title": title}))
    with writing(store):
        store.db.execute("INSERT INTO drafts (id, entry_id, draft_enc, updated_at) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT (id) DO UPDATE SET draft_enc = excluded.draft_enc, "
                         "updated_at = excluded.updated_at", [key, entry_id, blob, utc_now()])


def get_draft(store: Store, entry_id: str | None = None) -> dict | None:
    key = entry_id or "new"
    row = store.db.execute("SELECT draft_enc FROM drafts WHERE id = ?", [key]).fetchone()
    return json.loads(store.cipher.decrypt("drafts", key, "draft", row[0])) if row else None


def clear_draft(store: Store, entry_id: str | None = None) -> None:
    with writing(store):
        store.db.execute("DELETE FROM drafts WHERE id = ?", [entry_id or "new"])
