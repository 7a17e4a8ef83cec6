"""Numbered schema migrations, recorded in schema_migrations; opening an old file upgrades it, row for row.

A migration never changes once released: a new need is a new number.
"""

from __future__ import annotations

from typing import Callable

import sqlite_utils

from app.clock import local_day


def _m1_settings(db: sqlite_utils.Database, now: str) -> None:
    db["meta"].create({"key": str, "value": bytes}, pk="key")
    db["settings"].create({"key": str, "value": str, "value_enc": bytes}, pk="key")


def _m2_settings_updated_at(db: sqlite_utils.Database, now: str) -> None:
    db["settings"].add_column("updated_at", str)
    db.execute("UPDATE settings SET updated_at = ?", [now])


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


def _m3_journeys(db: sqlite_utils.Database, now: str) -> None:
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


def _m4_journal_checkins(db: sqlite_utils.Database, now: str) -> None:
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
    for rid, created, tz in db.execute("SELECT id, created_at, tz FROM journal_entries").fetchall():
        db.execute("UPDATE journal_entries SET local_day = ? WHERE id = ?", [local_day(created, tz), rid])


SYNCED_TABLES = ("journal_entries", "checkins", "wellbeing", "journey_progress", "worksheets")


def _m5_sharing(db: sqlite_utils.Database, now: str) -> None:
    """Sharing with the specialist (SYNC.md): the connection, the outbox, what the specialist sent,
    the member's own messages, per-journey choices, and why a record is not (or no longer) shared."""
    for table in SYNCED_TABLES:
        db.execute(f"ALTER TABLE {table} ADD COLUMN sync_note TEXT")  # a refusal or erasure code
    _run_script(db, f"""
    CREATE TABLE sync_connection (
        id TEXT PRIMARY KEY CHECK (id = 'connection'), server_url TEXT NOT NULL, device_id TEXT NOT NULL,
        member_id TEXT NOT NULL, family_id TEXT NOT NULL, token_enc BLOB, name_enc BLOB,
        status TEXT NOT NULL CHECK (status IN ('active', 'closed', 'unpairing')), unpair_erase INTEGER,
        paired_at TEXT NOT NULL, cursor INTEGER NOT NULL DEFAULT 0, hlc_time TEXT, hlc_counter INTEGER,
        last_sent_at TEXT, last_pulled_at TEXT, last_error TEXT, retry_at TEXT, closed_at TEXT);
    CREATE TABLE outbox (
        n INTEGER PRIMARY KEY AUTOINCREMENT, op_id TEXT NOT NULL UNIQUE, entity TEXT NOT NULL,
        entity_id TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('upsert', 'delete', 'revoke')),
        hlc TEXT NOT NULL, state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'rejected')),
        base_version INTEGER, payload_enc BLOB, error TEXT, created_at TEXT NOT NULL);
    CREATE INDEX outbox_record ON outbox (entity_id, state);
    CREATE TABLE inbox (
        id TEXT PRIMARY KEY, entity TEXT NOT NULL, seq INTEGER NOT NULL, data_enc BLOB NOT NULL,
        received_at TEXT NOT NULL, read_at TEXT);
    CREATE INDEX inbox_seq ON inbox (seq);
    CREATE TABLE messages (
        id TEXT PRIMARY KEY, body_enc BLOB NOT NULL, in_reply_to TEXT, sync_note TEXT, {SYNC_COLUMNS});
    CREATE TABLE journey_sharing (journey_id TEXT PRIMARY KEY, shared INTEGER NOT NULL, updated_at TEXT NOT NULL)
    """)


MIGRATIONS: list[tuple[int, str, Callable[[sqlite_utils.Database, str], None]]] = [
    (1, "settings", _m1_settings),
    (2, "settings_updated_at", _m2_settings_updated_at),
    (3, "journeys_worksheets_reflections", _m3_journeys),
    (4, "journal_checkins_wellbeing", _m4_journal_checkins),
    (5, "sharing", _m5_sharing),
]
LATEST = MIGRATIONS[-1][0]


def applied_migrations(db: sqlite_utils.Database) -> list[int]:
    if "schema_migrations" not in db.table_names():
        return []
    return [row["number"] for row in db["schema_migrations"].rows_where(order_by="number")]


def migrate(db: sqlite_utils.Database, *, now: str, target: int = LATEST) -> list[int]:
    """Apply the missing migrations up to target, each in its own transaction; returns those applied."""
    if "schema_migrations" not in db.table_names():
        db["schema_migrations"].create({"number": int, "name": str, "applied_at": str}, pk="number")
    done = set(applied_migrations(db))
    ran = []
    for number, name, step in MIGRATIONS:
        if number in done or number > target:
            continue
        with db.atomic():
            step(db, now)
            db["schema_migrations"].insert({"number": number, "name": name, "applied_at": now})
        ran.append(number)
    return ran
