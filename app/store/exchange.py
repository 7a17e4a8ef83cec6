"""Every record out (decrypted, for the export file) and back in (re-encrypted, merged), in one transaction.

Rows keep their ids, times and revisions. A column `x_enc` travels as `x_text` (its plain text,
sealed by the export file as a whole) and is encrypted again for this device, bound to the same
table, record and field. Per-pairing sync columns never travel: an imported record arrives private,
with no server version. Merging: a record is matched by its natural key; the newer `updated_at`
wins, so importing twice changes nothing and a newer local edit is never overwritten.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from typing import Callable

from app.crypto import CryptoError
from app.errors import AppError
from app.store import journal
from app.store.core import Store, transaction

# (table, natural key), in the order they are written back. A new table that holds the person's
# records belongs here (tests/test_exchange.py fails for a table it does not know).
TABLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("settings", ("key",)),
    ("journal_entries", ("id",)),
    ("drafts", ("id",)),
    ("checkins", ("id",)),
    ("wellbeing", ("id",)),
    ("journey_progress", ("step_id",)),
    ("journey_cursor", ("journey_id",)),
    ("worksheets", ("step_id",)),
    ("checklist_items", ("step_id", "item_id")),
    ("loved_one", ("id",)),
    ("messages", ("id",)),   # the member's own messages to the specialist
    ("inbox", ("id",)),      # what the specialist sent: the conversation moves with the person
)
# What belongs to this device's pairing, never to the record: not exported, not imported. The sharing
# work adds any column of its own here (an imported record must arrive private).
DEVICE_COLUMNS = frozenset({"sync_state", "server_version", "tombstone_version", "sync_note"})
# Tables that are not the person's records (bookkeeping, or the sharing work's queue).
NOT_EXPORTED = frozenset({"meta", "schema_migrations", "outbox", "sync_connection", "journey_sharing",
                          "sqlite_sequence"})

Changed = Callable[[Store, str, list[str]], None]


def _columns(store: Store, table: str) -> dict[str, bool]:
    """Column name -> NOT NULL, for a table of this device's schema."""
    return {r[1]: bool(r[3]) for r in store.db.execute(f"PRAGMA table_info({table})")}


def _record_id(table: str, row: dict) -> str:
    return row["key"] if table == "settings" else row["id"]


def read_all(store: Store) -> tuple[dict[str, list[dict]], int]:
    """Every row of every record table, oldest first (rowid), with typed text decrypted.

    Returns the tables and how many values could not be decrypted (left out, never guessed)."""
    tables, unreadable = {}, 0
    for table, _ in TABLES:
        cols = list(_columns(store, table))
        rows = []
        for raw in store.db.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY rowid"):
            record = dict(zip(cols, raw))
            for col in cols:
                if col in DEVICE_COLUMNS:
                    del record[col]
                elif col.endswith("_enc"):
                    blob, field = record.pop(col), col[:-4]
                    try:
                        record[f"{field}_text"] = (store.cipher.decrypt(table, _record_id(table, record), field, blob)
                                                   if blob else None)
                    except CryptoError:
                        record[f"{field}_text"], unreadable = None, unreadable + 1
            rows.append(record)
        tables[table] = rows
    return tables, unreadable


def _damaged(detail: str) -> AppError:
    return AppError("import_truncated", detail)


def _values(store: Store, table: str, cols: dict[str, bool], row: dict, record_id: str) -> dict:
    """The row as this device stores it: known columns only, typed text encrypted for this device."""
    values = {}
    for name, value in row.items():
        if not isinstance(name, str) or not (value is None or isinstance(value, (str, int, float))):
            raise _damaged(f"{table}: a value of the wrong kind")
        if name.endswith("_text") and f"{name[:-5]}_enc" in cols:
            col = f"{name[:-5]}_enc"
            values[col] = (store.cipher.encrypt(table, record_id, name[:-5], value) if value is not None
                           else (b"" if cols[col] else None))
        elif name in cols and name not in DEVICE_COLUMNS:
            values[name] = value
    return values


def _merge_row(store: Store, table: str, key: tuple[str, ...], cols: dict[str, bool], row, counts: Counter,
               changed: list[str]) -> None:
    if not isinstance(row, dict) or any(not isinstance(row.get(k), str) for k in key):
        raise _damaged(f"{table}: a record without its key")
    where = " AND ".join(f"{k} = ?" for k in key)
    natural = [row[k] for k in key]
    stamp = "updated_at" if "updated_at" in cols else "received_at"  # what the specialist sent never changes
    local = store.db.execute(f"SELECT {'id, ' if 'id' in cols else ''}{stamp} FROM {table} WHERE {where}",
                             natural).fetchone()
    incoming = row.get(stamp) or ""
    if local is not None:
        if (local[-1] or "") >= incoming:
            counts[table, "kept"] += 1  # the same, or newer here: this device's edit stays
            return
        record_id = local[0] if "id" in cols else _record_id(table, row) if table == "settings" else ""
        values = _values(store, table, cols, row, record_id)
        values.pop("id", None)  # the local record keeps its id (a step's worksheet made on both phones)
        for k in key:
            values.pop(k, None)
        store.db.execute(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in values)} WHERE {where}",
                         [*values.values(), *natural])
        counts[table, "updated"] += 1
        if "id" in cols:
            changed.append(local[0])
        return
    if row.get("deleted_at"):
        counts[table, "kept"] += 1  # a deletion of something this device never had: nothing to do
        return
    record_id = _record_id(table, row) if table == "settings" or "id" in cols else ""
    values = _values(store, table, cols, row, record_id)
    store.db.execute(f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})",
                     list(values.values()))
    counts[table, "added"] += 1


def merge_all(store: Store, tables: dict, *, changed: Changed | None = None) -> Counter:
    """Write an export's records into this store in one transaction: all of them, or none.

    `changed(store, table, ids)` hears, inside the transaction, which existing records took newer
    imported words (the sharing work queues what a shared record needs there)."""
    counts: Counter = Counter()
    try:
        with transaction(store):
            for table, key in TABLES:
                rows = tables.get(table) or []
                if not isinstance(rows, list):
                    raise _damaged(f"{table}: not a list of records")
                cols, updated = _columns(store, table), []
                for row in rows:
                    _merge_row(store, table, key, cols, row, counts, updated)
                if changed and updated:
                    changed(store, table, updated)
    except (sqlite3.IntegrityError, sqlite3.InterfaceError, KeyError) as exc:
        raise _damaged(f"a record does not fit ({exc.__class__.__name__})") from None
    journal.forget_index(store)  # rebuilt from the imported entries
    journal.build_index(store)
    return counts
