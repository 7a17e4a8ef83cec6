"""The local store: one SQLite file through sqlite-utils, WAL mode, numbered migrations.

Every function takes the store first. The store belongs to one thread (see
app.worker): SQLite connections are never shared across threads.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

import sqlite_utils

from app import crypto
from app.domain import Settings, utc_now
from app.paths import ensure_private_dir

DB_NAME = "regroup.db"
KEY_NAME = "regroup.key"
KEY_CHECK = "regroup key check"
SIDE_FILES = ("-wal", "-shm", "-journal")

# Settings whose values a person typed themselves: encrypted like any other text.
SECRET_SETTINGS = frozenset({"display_name"})


class StoreError(Exception):
    """A problem with the local store that the person must be told about."""


class StoreCorruptError(StoreError):
    """The database file is damaged or is not a Regroup database."""


class StoreFullError(StoreError):
    """The device has no room left to save."""


@dataclass
class Store:
    """An open store: the database, the cipher for typed text, and where it lives."""

    db: sqlite_utils.Database
    cipher: crypto.FieldCipher
    path: Path
    # In-memory state built from the store (e.g. the journal search index); never written to disk.
    cache: dict = field(default_factory=dict)

    def touch_entries(self, *entry_ids: str) -> None:
        """Tell in-memory indexes that these journal entries changed."""
        self.cache.setdefault("journal_dirty", set()).update(entry_ids)

    def close(self) -> None:
        self.db.conn.close()


# --- migrations -----------------------------------------------------------

def _m1_settings(db: sqlite_utils.Database) -> None:
    db["meta"].create({"key": str, "value": bytes}, pk="key")
    db["settings"].create({"key": str, "value": str, "value_enc": bytes}, pk="key")


def _m2_settings_updated_at(db: sqlite_utils.Database) -> None:
    db["settings"].add_column("updated_at", str)
    db.execute("UPDATE settings SET updated_at = ?", [utc_now()])


# Columns every record that can sync carries (DESIGN.md, Data rules; SYNC.md).
SYNC_COLUMNS = """
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    tz TEXT NOT NULL,
    revision INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT,
    sync_state TEXT NOT NULL DEFAULT 'private'
        CHECK (sync_state IN ('private', 'shared', 'revoked', 'shared_closed')),
    server_version INTEGER NOT NULL DEFAULT 0,
    tombstone_version INTEGER
"""


def _run_script(db: sqlite_utils.Database, script: str) -> None:
    """Run statements one by one (executescript would commit the migration's transaction early)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _m3_journeys(db: sqlite_utils.Database) -> None:
    _run_script(db, f"""
    CREATE TABLE journey_progress (
        id TEXT PRIMARY KEY, step_id TEXT NOT NULL UNIQUE, journey_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('started', 'completed')),
        completed_count INTEGER NOT NULL DEFAULT 0, completed_at TEXT, {SYNC_COLUMNS});
    CREATE TABLE journey_cursor (
        journey_id TEXT PRIMARY KEY, step_id TEXT NOT NULL, updated_at TEXT NOT NULL);
    CREATE TABLE worksheets (
        id TEXT PRIMARY KEY, step_id TEXT NOT NULL UNIQUE, journey_id TEXT NOT NULL, kind TEXT NOT NULL,
        fields_enc BLOB NOT NULL, {SYNC_COLUMNS});
    CREATE TABLE checklist_items (
        step_id TEXT NOT NULL, item_id TEXT NOT NULL, checked INTEGER NOT NULL, updated_at TEXT NOT NULL,
        PRIMARY KEY (step_id, item_id));
    CREATE TABLE journal_entries (
        id TEXT PRIMARY KEY, body_enc BLOB NOT NULL, title_enc BLOB, tags TEXT NOT NULL DEFAULT '[]',
        step_id TEXT, prompt_id TEXT, {SYNC_COLUMNS});
    CREATE INDEX journal_entries_step ON journal_entries (step_id, prompt_id);
    CREATE TABLE loved_one (
        id TEXT PRIMARY KEY CHECK (id = 'loved_one'), data_enc BLOB NOT NULL, updated_at TEXT NOT NULL);
    """)


def _m4_journal_checkins(db: sqlite_utils.Database) -> None:
    """The daily record: each record keeps the local day it was made on, in the zone it was made in."""
    _run_script(db, f"""
    ALTER TABLE journal_entries ADD COLUMN custom_tags_enc BLOB;
    ALTER TABLE journal_entries ADD COLUMN local_day TEXT;
    CREATE INDEX journal_entries_day ON journal_entries (local_day);
    CREATE TABLE drafts (
        id TEXT PRIMARY KEY, entry_id TEXT, draft_enc BLOB NOT NULL, updated_at TEXT NOT NULL);
    CREATE TABLE checkins (
        id TEXT PRIMARY KEY, local_day TEXT NOT NULL, mood INTEGER NOT NULL CHECK (mood BETWEEN 1 AND 5),
        feelings TEXT NOT NULL DEFAULT '[]', stress INTEGER CHECK (stress BETWEEN 0 AND 10),
        sleep INTEGER CHECK (sleep BETWEEN 1 AND 5), note_enc BLOB,
        loved_one_day TEXT CHECK (loved_one_day IN ('use', 'non_use', 'unknown')),
        my_response TEXT NOT NULL DEFAULT '[]', {SYNC_COLUMNS});
    CREATE INDEX checkins_day ON checkins (local_day);
    CREATE TABLE wellbeing (
        id TEXT PRIMARY KEY, local_day TEXT NOT NULL, items TEXT NOT NULL,
        score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100), {SYNC_COLUMNS});
    CREATE INDEX wellbeing_day ON wellbeing (local_day)
    """)
    from app.clock import local_day  # the day each reflection was written, where it was written
    for rid, created, tz in db.execute("SELECT id, created_at, tz FROM journal_entries").fetchall():
        db.execute("UPDATE journal_entries SET local_day = ? WHERE id = ?", [local_day(created, tz), rid])


MIGRATIONS: list[tuple[int, str, Callable[[sqlite_utils.Database], None]]] = [
    (1, "settings", _m1_settings),
    (2, "settings_updated_at", _m2_settings_updated_at),
    (3, "journeys_worksheets_reflections", _m3_journeys),
    (4, "journal_checkins_wellbeing", _m4_journal_checkins),
]
LATEST = MIGRATIONS[-1][0]


def applied_migrations(db: sqlite_utils.Database) -> list[int]:
    if "schema_migrations" not in db.table_names():
        return []
    return [row["number"] for row in db["schema_migrations"].rows_where(order_by="number")]


def migrate(db: sqlite_utils.Database, *, target: int = LATEST) -> list[int]:
    """Apply the missing migrations up to target, each in its own transaction; returns those applied."""
    if "schema_migrations" not in db.table_names():
        db["schema_migrations"].create({"number": int, "name": str, "applied_at": str}, pk="number")
    done = set(applied_migrations(db))
    ran = []
    for number, name, step in MIGRATIONS:
        if number in done or number > target:
            continue
        with db.atomic():
            step(db)
            db["schema_migrations"].insert({"number": number, "name": name, "applied_at": utc_now()})
        ran.append(number)
    return ran


# --- opening ----------------------------------------------------------------

def db_path(data_dir: Path) -> Path:
    return Path(data_dir) / DB_NAME


def default_keystore(data_dir: Path) -> crypto.KeyStore:
    return crypto.KeyFileStore(Path(data_dir) / KEY_NAME)


def _connect(path: Path) -> sqlite_utils.Database:
    """Open and check the file; any sign of damage is StoreCorruptError, never a silent reset."""
    try:
        conn = sqlite3.connect(path)
        db = sqlite_utils.Database(conn)
        db.execute("PRAGMA busy_timeout = 5000")
        db.enable_wal()
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        result = db.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        raise StoreCorruptError(f"The database file cannot be read ({exc}).") from None
    if result != [("ok",)]:
        conn.close()
        raise StoreCorruptError("The database file is damaged.")
    return db


def _has_key_check(db: sqlite_utils.Database) -> bool:
    return "meta" in db.table_names() and db["meta"].count_where("key = 'key_check'") > 0


def _unlock(db: sqlite_utils.Database, keystore: crypto.KeyStore) -> crypto.FieldCipher:
    """Load the key, or make one only for a store that has never held encrypted data."""
    key = keystore.load()
    if key is None:
        if _has_key_check(db):
            raise crypto.KeyMissingError(
                f"Your data is encrypted, but its key ({keystore.describe()}) is missing.")
        key = crypto.DataKey.generate()
        keystore.save(key)
    return crypto.FieldCipher(key)


def _verify_key(store: Store) -> None:
    row = store.db.execute("SELECT value FROM meta WHERE key = 'key_check'").fetchone()
    if row is None:
        blob = store.cipher.encrypt("meta", "key_check", "value", KEY_CHECK)
        with writing(store):
            store.db["meta"].insert({"key": "key_check", "value": blob})
        return
    try:
        ok = store.cipher.decrypt("meta", "key_check", "value", row[0]) == KEY_CHECK
    except crypto.DecryptionError:
        ok = False
    if not ok:
        raise crypto.KeyMismatchError("The key found does not open this data.")


def open_store(data_dir: Path, *, keystore: crypto.KeyStore | None = None,
               target: int = LATEST) -> Store:
    """Open (or create) the store in data_dir, check it, unlock it and bring it up to date."""
    ensure_private_dir(Path(data_dir))
    path = db_path(data_dir)
    db = _connect(path)
    try:
        cipher = _unlock(db, keystore or default_keystore(data_dir))
        migrate(db, target=target)
        store = Store(db=db, cipher=cipher, path=path)
        _verify_key(store)
    except BaseException:
        db.conn.close()
        raise
    return store


def quarantine_store(data_dir: Path, *, include_key: bool = False) -> list[Path]:
    """Move the store's files aside with a timestamp (never delete them); returns the new paths."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    base = db_path(data_dir)
    names = [base] + [base.with_name(base.name + s) for s in SIDE_FILES]
    if include_key:
        names.append(Path(data_dir) / KEY_NAME)
    moved = []
    for path in names:
        if path.exists():
            target = path.with_name(f"{path.name}.unreadable-{stamp}")
            path.rename(target)
            moved.append(target)
    return moved


@contextlib.contextmanager
def writing(store: Store) -> Iterator[sqlite_utils.Database]:
    """One write transaction (nested ones become savepoints); a full disk becomes StoreFullError."""
    try:
        with store.db.atomic() as db:
            yield db
    except sqlite3.OperationalError as exc:
        if "full" in str(exc).lower():
            raise StoreFullError("There is no room left on this device to save.") from None
        raise


# --- settings -----------------------------------------------------------------

_SETTING_FIELDS = {f.name for f in fields(Settings)}


def get_settings(store: Store) -> Settings:
    values = {}
    for row in store.db["settings"].rows:
        key = row["key"]
        if key not in _SETTING_FIELDS:
            continue
        if key in SECRET_SETTINGS:
            values[key] = store.cipher.decrypt_optional("settings", key, "value", row["value_enc"])
        elif row["value"] is not None:
            values[key] = json.loads(row["value"])
    return replace(Settings(), **values)


def save_settings(store: Store, **changes) -> Settings:
    """Save some settings in one transaction; unknown names are a programming error."""
    unknown = set(changes) - _SETTING_FIELDS
    if unknown:
        raise ValueError(f"Unknown settings: {sorted(unknown)}")
    now = utc_now()
    rows = []
    for key, value in changes.items():
        if key in SECRET_SETTINGS:
            enc = store.cipher.encrypt_optional("settings", key, "value", value)
            rows.append({"key": key, "value": None, "value_enc": enc, "updated_at": now})
        else:
            rows.append({"key": key, "value": json.dumps(value), "value_enc": None, "updated_at": now})
    with writing(store):
        store.db["settings"].upsert_all(rows, pk="key")
    return get_settings(store)
