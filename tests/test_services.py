"""Use-cases: honest start-up statuses, settings refused by code, one transaction per write, no text in logs."""

from __future__ import annotations

import asyncio
import logging

import pytest

from app import store
from app.errors import AppError, StoreError
from app.services import Services, StartStatus
from app.store import journal as journal_store

CANARY = "Canary name 9c2e in no log"


def run(coro):
    return asyncio.run(coro)


async def _started(data_dir, **kw):
    services = Services(data_dir, **kw)
    return services, await services.start()



def test_first_start_creates_an_empty_store(data_dir):
    async def go():
        services, result = await _started(data_dir)
        assert result.status is StartStatus.OK
        assert not result.settings.onboarded
        assert services.crisis is not None and "US" in services.help_countries()
        await services.close()
    run(go())


def test_settings_are_remembered_across_starts(data_dir):
    async def go():
        services, _ = await _started(data_dir)
        await services.update_settings(display_name="  Ana  ", country="ES", onboarded=True)
        await services.close()
        services, result = await _started(data_dir)
        assert (result.settings.display_name, result.settings.country, result.settings.onboarded) == \
            ("Ana", "ES", True)
        await services.close()
    run(go())


def test_text_size_and_reduce_motion_are_remembered_and_readable_while_locked(data_dir):
    async def go():
        services, result = await _started(data_dir)
        assert (result.settings.text_scale, result.settings.reduce_motion) == (100, False)
        await services.update_settings(text_scale=175, reduce_motion=True)
        await services.close()
        services, result = await _started(data_dir)
        assert (result.settings.text_scale, result.settings.reduce_motion) == (175, True)
        await services.close()
    run(go())
    from app.store.peek import PLAIN
    assert {"text_scale", "reduce_motion"} <= PLAIN  # the lock screen is drawn at the chosen size too


@pytest.mark.parametrize("changes, code", [({"theme": "neon"}, "unknown_theme"), ({"language": "tlh"},
                                           "unknown_language"), ({"country": "ZZ"}, "unknown_country"),
                                           ({"checkin_time": "25:00"}, "invalid_time"),
                                           ({"text_scale": 300}, "invalid_text_scale"),
                                           ({"reduce_motion": "yes"}, "invalid_reduce_motion")])
def test_values_the_app_does_not_offer_are_refused(data_dir, changes, code):
    async def go():
        services, _ = await _started(data_dir)
        with pytest.raises(AppError) as err:
            await services.update_settings(**changes)
        assert err.value.code == code
        await services.close()
    run(go())


def test_corrupt_store_is_reported_then_moved_aside_only_when_asked(data_dir):
    (data_dir / store.DB_NAME).write_bytes(b"not a database" * 200)

    async def go():
        services, result = await _started(data_dir)
        assert result.status is StartStatus.CORRUPT
        assert (data_dir / store.DB_NAME).read_bytes().startswith(b"not a database")
        moved, fresh = await services.start_fresh(result.status)
        assert fresh.status is StartStatus.OK
        assert [p.read_bytes()[:14] for p in moved] == [b"not a database"]
        await services.close()
    run(go())


def test_missing_key_is_reported_not_replaced(data_dir):
    async def go():
        services, _ = await _started(data_dir)
        await services.update_settings(display_name="Sam")
        await services.close()
        (data_dir / store.KEY_NAME).unlink()
        services, result = await _started(data_dir)
        assert result.status is StartStatus.KEY_MISSING
        assert not (data_dir / store.KEY_NAME).exists()
    run(go())


def test_broken_crisis_file_still_lets_the_app_start(data_dir, tmp_path):
    bad = tmp_path / "crisis_lines.yaml"
    bad.write_text("format: 2")

    async def go():
        services, result = await _started(data_dir, crisis_file=bad)
        assert result.status is StartStatus.OK
        assert services.crisis is None and "crisis_lines.yaml" in services.crisis_error
        assert services.help_countries() == []
        await services.close()
    run(go())


def test_typed_text_never_reaches_the_log(data_dir, caplog):
    async def go():
        services, _ = await _started(data_dir)
        await services.update_settings(display_name=CANARY)
        (data_dir / store.KEY_NAME).unlink()
        await services.close()
        services, result = await _started(data_dir)
        assert result.status is StartStatus.KEY_MISSING
    with caplog.at_level(logging.DEBUG):
        run(go())
    assert CANARY not in caplog.text
    assert CANARY.encode() not in b"".join(p.read_bytes() for p in data_dir.rglob("*") if p.is_file())


def test_full_disk_keeps_the_draft_and_says_so(data_dir):
    from app.store import StoreFullError

    async def go():
        services, _ = await _started(data_dir)
        await services.journal.save_draft(body="words typed before the disk filled")

        def fill_disk(s):  # on the store's own thread, as SQLite requires
            s.db.execute(f"PRAGMA max_page_count = {s.db.execute('PRAGMA page_count').fetchone()[0]}")
        await services._rt.run(fill_disk)
        with pytest.raises(StoreFullError) as err:
            await services.journal.save_entry(body="y" * 50_000)
        assert err.value.code == "disk_full"
        assert (await services.journal.open_entry(None)).draft["body"] == "words typed before the disk filled"
        await services.close()
    run(go())


def test_journal_text_never_reaches_the_log(data_dir, caplog):
    async def go():
        services, _ = await _started(data_dir)
        saved = await services.journal.save_entry(body=CANARY, title=CANARY)
        await services.journal.delete_entry(saved.entry.id)
        await services.checkins.add(mood=1, note=CANARY)
        with pytest.raises(AppError):
            await services.journal.save_entry(body="   " + CANARY * 4000)  # too long
        await services.close()
    with caplog.at_level(logging.DEBUG):
        run(go())
    assert CANARY not in caplog.text


def test_saving_an_entry_and_clearing_its_draft_is_one_transaction(data_dir, monkeypatch):
    """A failing second write (the draft) leaves nothing half-done: no entry, the draft kept."""
    async def go():
        services, _ = await _started(data_dir)
        await services.journal.save_draft(body="my words")

        def broken(store, entry_id=None):
            raise StoreError("disk_full", "injected")
        monkeypatch.setattr(journal_store, "clear_draft", broken)
        with pytest.raises(StoreError):
            await services.journal.save_entry(body="my words")
        monkeypatch.undo()
        assert (await services.journal.list_entries()).entries == []
        assert (await services.journal.open_entry(None)).draft == {"body": "my words", "title": ""}
        saved = await services.journal.save_entry(body="my words")
        assert (await services.journal.open_entry(None)).draft is None
        assert [e.id for e in (await services.journal.list_entries()).entries] == [saved.entry.id]
        await services.close()
    run(go())


def test_saving_an_edit_clears_that_entrys_draft_and_keeps_the_new_entrys(data_dir):
    """After a save the draft is gone from the store itself (reopened), and only the saved entry's draft."""
    async def go():
        services, _ = await _started(data_dir)
        saved = await services.journal.save_entry(body="first words")
        await services.journal.save_draft(body="second thoughts", entry_id=saved.entry.id)
        await services.journal.save_draft(body="a new entry half typed")
        await services.journal.save_entry(body="second thoughts", entry_id=saved.entry.id)
        await services.close()
        services, _ = await _started(data_dir)
        assert (await services.journal.open_entry(saved.entry.id)).draft is None
        assert (await services.journal.open_entry(None)).draft == {"body": "a new entry half typed", "title": ""}
        rows = await services._rt.run(lambda s: s.db.execute("SELECT id FROM drafts").fetchall())
        assert len(rows) == 1 and rows[0][0] != saved.entry.id
        assert (await services.journal.open_entry(saved.entry.id)).entry.body == "second thoughts"
        await services.close()
    run(go())


def test_deleting_an_entry_discards_its_draft(data_dir):
    async def go():
        services, _ = await _started(data_dir)
        saved = await services.journal.save_entry(body="first words")
        await services.journal.save_draft(body="second thoughts", entry_id=saved.entry.id)
        await services.journal.delete_entry(saved.entry.id)
        assert await services.journal.open_entry(saved.entry.id) is None
        drafts = await services._rt.run(lambda s: s.db.execute("SELECT COUNT(*) FROM drafts").fetchone()[0])
        assert drafts == 0
        restored = await services.journal.undo_delete(saved.entry.id)
        assert restored.body == "first words"
        await services.close()
    run(go())


def test_saving_an_entry_deleted_meanwhile_keeps_the_words_as_a_new_entry(data_dir):
    async def go():
        services, _ = await _started(data_dir)
        saved = await services.journal.save_entry(body="old words")
        await services.journal.delete_entry(saved.entry.id)
        again = await services.journal.save_entry(body="new words", entry_id=saved.entry.id)
        assert again.as_new and again.entry.id != saved.entry.id
        assert [e.body for e in (await services.journal.list_entries()).entries] == ["new words"]
        await services.close()
    run(go())


def test_a_closed_store_is_an_error_with_a_code(data_dir):
    async def go():
        services = Services(data_dir)
        with pytest.raises(StoreError) as err:
            await services.journal.list_entries()
        assert err.value.code == "store_closed"
    run(go())


def test_starting_fresh_after_a_wrong_key_moves_the_key_aside_never_deletes_it(data_dir):
    from app import crypto

    async def go():
        services, _ = await _started(data_dir)
        await services.update_settings(display_name="Sam")
        await services.close()
        key_path = data_dir / store.KEY_NAME
        key_path.unlink()
        crypto.KeyFileStore(key_path).save(crypto.DataKey.generate())
        wrong = key_path.read_bytes()
        services, result = await _started(data_dir)
        assert result.status is StartStatus.KEY_WRONG
        moved, fresh = await services.start_fresh(result.status)
        assert fresh.status is StartStatus.OK
        kept_keys = [p for p in moved if p.name.startswith(store.KEY_NAME + ".unreadable-")]
        assert [p.read_bytes() for p in kept_keys] == [wrong]
        assert any(p.name.startswith(store.DB_NAME + ".unreadable-") for p in moved)
        await services.close()
    run(go())
