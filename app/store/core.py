"""The store's core: one SQLite file (WAL) opened, checked, unlocked and migrated; one transaction at a time.

The store belongs to one thread (app.worker): SQLite connections are never shared across threads.
An unreadable file or key is reported, never replaced; quarantine moves files aside only when asked.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import sqlite_utils

from app import crypto
from app.clock import Clock
from app.errors import StoreError
from app.paths import ensure_private_dir
from app.store.migrations import LATEST, migrate

if TYPE_CHECKING:  # owned by the journal part; the core only holds it
    from app.store.journal import JournalState

DB_NAME = "regroup.db"
KEY_NAME = "regroup.key"
KEY_CHECK = "regroup key check"
SIDE_FILES = ("-wal", "-shm", "-journal")


class StoreCorruptError(StoreError):
    """The database file is damaged or is not a Regroup database."""

    def __init__(self, detail: str = ""):
        super().__init__("store_corrupt", detail)


class StoreFullError(StoreError):
    """The device has no room left to save."""

    def __init__(self, detail: str = "There is no room left on this device to save."):
        super().__init__("disk_full", detail)


@dataclass(eq=False)
class Store:
    """An open store: the database, the cipher for typed text, where it lives, and its clock."""

    db: sqlite_utils.Database
    cipher: crypto.FieldCipher
    path: Path
    clock: Clock
    journal: "JournalState | None" = None  # the journal's in-memory index and undo buffer
    outbox_dirty: bool = False  # an op was queued since the last look (the sync then runs soon)

    def close(self) -> None:
        self.db.conn.close()


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
        with transaction(store):
            store.db["meta"].insert({"key": "key_check", "value": blob})
        return
    try:
        ok = store.cipher.decrypt("meta", "key_check", "value", row[0]) == KEY_CHECK
    except crypto.DecryptionError:
        ok = False
    if not ok:
        raise crypto.KeyMismatchError("The key found does not open this data.")


def open_store(data_dir: Path, *, clock: Clock | None = None, keystore: crypto.KeyStore | None = None,
               target: int = LATEST) -> Store:
    """Open (or create) the store in data_dir, check it, unlock it and bring it up to date."""
    clock = clock or Clock()
    ensure_private_dir(Path(data_dir))
    path = db_path(data_dir)
    db = _connect(path)
    try:
        cipher = _unlock(db, keystore or default_keystore(data_dir))
        migrate(db, now=clock.stamp(), target=target)
        store = Store(db=db, cipher=cipher, path=path, clock=clock)
        _verify_key(store)
    except BaseException:
        db.conn.close()
        raise
    return store


def quarantine_store(data_dir: Path, *, stamp: str, include_key: bool = False) -> list[Path]:
    """Move the store's files aside named with the time (never delete them); returns the new paths."""
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
def transaction(store: Store) -> Iterator[sqlite_utils.Database]:
    """One write transaction (nested ones become savepoints); a full disk becomes StoreFullError."""
    try:
        with store.db.atomic() as db:
            yield db
    except sqlite3.OperationalError as exc:
        if "full" in str(exc).lower():
            raise StoreFullError() from None
        raise


def checkpoint(store: Store) -> None:
    """Fold the WAL into the database file (after a large import or the demo data)."""
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
