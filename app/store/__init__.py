"""The local store: the only place in the app with SQL. One SQLite file through sqlite-utils, WAL mode.

`core` opens, checks, unlocks and migrates it; one module per record family holds its SQL:
`settings`, `journal` (with the in-memory search index), `checkins`, `journeys`, `trends` (query only).
Every write is one transaction; a use-case that writes twice wraps both in `transaction(store)`.
"""

from app.store.core import (DB_NAME, KEY_NAME, Store, StoreCorruptError, StoreFullError, checkpoint, db_path,
                            default_keystore, open_store, quarantine_store, transaction)

__all__ = ["DB_NAME", "KEY_NAME", "Store", "StoreCorruptError", "StoreFullError", "checkpoint", "db_path",
           "default_keystore", "open_store", "quarantine_store", "transaction"]
