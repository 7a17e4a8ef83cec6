"""The local store: WAL, migrations, encryption at rest, and honest failures."""

from __future__ import annotations

import pytest

from app import crypto, store
from app.domain import Settings
from app.store.migrations import applied_migrations, migrate
from app.store.settings import get_settings, save_settings

ALL_MIGRATIONS = [1, 2, 3, 4, 5]  # written out: a test must not compare the code's list with itself

CANARY = "Canary: my brother hid the car keys again on Tuesday 7f3a9c"


def test_store_uses_wal_and_records_migrations(opened):
    assert opened.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    rows = list(opened.db["schema_migrations"].rows_where(order_by="number"))
    assert [r["number"] for r in rows] == ALL_MIGRATIONS
    assert all(r["name"] and r["applied_at"] for r in rows)


def test_settings_round_trip_and_defaults(opened):
    assert get_settings(opened) == Settings()
    saved = save_settings(opened, language="en", country="IE", display_name="Róisín",
                                theme="dark", onboarded=True)
    assert saved == Settings(language="en", country="IE", display_name="Róisín", theme="dark", onboarded=True)
    assert get_settings(opened) == saved


def test_unknown_setting_is_refused(opened):
    with pytest.raises(ValueError):
        save_settings(opened, colour="blue")


def test_upgrade_from_migration_1_keeps_every_row(data_dir):
    old = store.open_store(data_dir, target=1)
    assert applied_migrations(old.db) == [1]
    old.db["settings"].insert_all([{"key": "country", "value": '"AU"'}, {"key": "theme", "value": '"dark"'},
                                   {"key": "display_name",
                                    "value_enc": old.cipher.encrypt("settings", "display_name", "value", "Kim")}])
    old.close()
    new = store.open_store(data_dir)
    assert applied_migrations(new.db) == ALL_MIGRATIONS
    assert get_settings(new) == Settings(country="AU", theme="dark", display_name="Kim")
    assert new.db["settings"].count == 3
    assert all(r["updated_at"] for r in new.db["settings"].rows)
    new.close()


def test_reopening_runs_no_migration_twice(data_dir):
    store.open_store(data_dir).close()
    s = store.open_store(data_dir)
    assert migrate(s.db, now="2026-11-26T12:00:00.000Z") == []
    s.close()


def test_typed_text_is_in_no_file_of_the_data_folder(data_dir):
    s = store.open_store(data_dir)
    save_settings(s, display_name=CANARY)
    assert get_settings(s).display_name == CANARY
    wal = data_dir / (store.DB_NAME + "-wal")
    # Look while the WAL still holds the write (it must: else this pass checks nothing of it) ...
    assert wal.stat().st_size > 0
    _assert_no_file_holds(data_dir, CANARY)
    # ... and again once a checkpoint has folded it into the database file.
    s.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert wal.stat().st_size == 0
    _assert_no_file_holds(data_dir, CANARY)
    s.close()


def _assert_no_file_holds(data_dir, text):
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    assert any(p.name == store.DB_NAME for p in files)
    for path in files:
        raw = path.read_bytes()
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            assert text.encode(encoding) not in raw, path.name


def test_swapped_ciphertext_between_records_fails_to_decrypt(opened):
    save_settings(opened, display_name="first")
    opened.db["settings"].insert({"key": "other_secret", "value_enc": opened.cipher.encrypt(
        "settings", "other_secret", "value", "second")})
    a = opened.db["settings"].get("display_name")["value_enc"]
    b = opened.db["settings"].get("other_secret")["value_enc"]
    opened.db["settings"].update("display_name", {"value_enc": b})
    opened.db["settings"].update("other_secret", {"value_enc": a})
    with pytest.raises(crypto.DecryptionError):
        get_settings(opened)


@pytest.mark.parametrize("garbage", [b"this is not a database at all" * 100,
                                     b"SQLite format 3\x00" + b"\xff" * 4096])
def test_corrupt_file_is_an_error_and_left_untouched(data_dir, garbage):
    path = data_dir / store.DB_NAME
    path.write_bytes(garbage)
    with pytest.raises(store.StoreCorruptError):
        store.open_store(data_dir)
    assert path.read_bytes() == garbage


def test_damaged_pages_are_detected(data_dir):
    s = store.open_store(data_dir)
    s.db["filler"].insert_all({"n": i, "text": "x" * 500} for i in range(2000))
    s.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    path = data_dir / store.DB_NAME
    raw = bytearray(path.read_bytes())
    for offset in range(8192, len(raw) - 4096, 4096):  # smash the middle of many pages
        raw[offset + 100: offset + 300] = b"\x00\xff" * 100
    path.write_bytes(bytes(raw))
    with pytest.raises(store.StoreCorruptError):
        store.open_store(data_dir)


def test_quarantine_moves_files_aside_with_a_timestamp(data_dir):
    (data_dir / store.DB_NAME).write_bytes(b"junk")
    (data_dir / (store.DB_NAME + "-wal")).write_bytes(b"wal")
    moved = store.quarantine_store(data_dir, stamp="20261126T120000Z")
    assert {p.name for p in moved} == {store.DB_NAME + ".unreadable-20261126T120000Z",
                                       store.DB_NAME + "-wal.unreadable-20261126T120000Z"}
    assert all(p.exists() and p.read_bytes() for p in moved)
    assert not (data_dir / store.DB_NAME).exists()
    fresh = store.open_store(data_dir)
    assert get_settings(fresh) == Settings()
    fresh.close()


def test_missing_key_is_an_error_never_a_new_key(data_dir):
    s = store.open_store(data_dir)
    save_settings(s, display_name="Sam")
    s.close()
    (data_dir / store.KEY_NAME).unlink()
    with pytest.raises(crypto.KeyMissingError):
        store.open_store(data_dir)
    assert not (data_dir / store.KEY_NAME).exists()


def test_wrong_key_is_an_error_and_the_key_is_kept(data_dir):
    store.open_store(data_dir).close()
    key_path = data_dir / store.KEY_NAME
    key_path.unlink()
    crypto.KeyFileStore(key_path).save(crypto.DataKey.generate())
    wrong = key_path.read_bytes()
    with pytest.raises(crypto.KeyMismatchError):
        store.open_store(data_dir)
    assert key_path.read_bytes() == wrong


def test_full_disk_is_a_clear_error_and_keeps_what_was_saved(opened):
    save_settings(opened, display_name="kept")
    opened.db.execute("PRAGMA max_page_count = %d" % opened.db.execute("PRAGMA page_count").fetchone()[0])
    with pytest.raises(store.StoreFullError):
        with store.transaction(opened):
            opened.db.execute("INSERT INTO settings (key, value) VALUES (?, ?)", ["big", "x" * 200_000])
    assert get_settings(opened).display_name == "kept"


def test_data_folder_is_private(data_dir):
    import os
    import stat as st
    store.open_store(data_dir).close()
    if os.name == "posix":
        assert st.S_IMODE(data_dir.stat().st_mode) == 0o700


def test_migration_4_back_fills_the_local_day_of_older_reflections(data_dir):
    """Entries made before migration 4 get the day they were written on, where they were written."""
    old = store.open_store(data_dir, target=3)
    for rid, created, tz in [("a", "2026-11-21T03:30:00.000Z", "America/New_York"),
                             ("b", "2026-11-21T03:30:00.000Z", "Europe/Dublin")]:
        old.db["journal_entries"].insert({"id": rid, "body_enc": old.cipher.encrypt("journal_entries", rid, "body", "x"),
                                          "tags": "[]", "created_at": created, "updated_at": created, "tz": tz})
    old.close()
    new = store.open_store(data_dir)
    days = dict(new.db.execute("SELECT id, local_day FROM journal_entries").fetchall())
    assert days == {"a": "2026-11-20", "b": "2026-11-21"}
    new.close()
