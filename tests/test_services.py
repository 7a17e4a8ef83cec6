"""Start-up and settings use-cases: honest statuses, nothing replaced silently."""

from __future__ import annotations

import asyncio
import logging

import pytest

from app import store
from app.services import Services, StartStatus

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


@pytest.mark.parametrize("changes", [{"theme": "neon"}, {"language": "tlh"}, {"country": "ZZ"}])
def test_values_the_app_does_not_offer_are_refused(data_dir, changes):
    async def go():
        services, _ = await _started(data_dir)
        with pytest.raises(ValueError):
            await services.update_settings(**changes)
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
        await services.save_draft(body="words typed before the disk filled")
        def fill_disk():  # on the store's own thread, as SQLite requires
            s = services._store
            s.db.execute(f"PRAGMA max_page_count = {s.db.execute('PRAGMA page_count').fetchone()[0]}")
        await services._thread.run(fill_disk)
        with pytest.raises(StoreFullError):
            await services.save_entry(body="y" * 50_000)
        assert (await services.get_draft())["body"] == "words typed before the disk filled"
        await services.close()
    run(go())


def test_journal_text_never_reaches_the_log(data_dir, caplog):
    async def go():
        services, _ = await _started(data_dir)
        entry = await services.save_entry(body=CANARY, title=CANARY)
        await services.delete_entry(entry.id)
        await services.add_checkin(mood=1, note=CANARY)
        try:
            await services.save_entry(body="   ")
        except ValueError:
            pass
        await services.close()
    with caplog.at_level(logging.DEBUG):
        run(go())
    assert CANARY not in caplog.text
