"""The PIN lock: the PIN wraps the data key, a copy of the folder reveals nothing, wrong tries only wait."""

from __future__ import annotations

import asyncio
import base64
import json

import pytest

from app import crypto, lock
from app.clock import FixedClock
from app.debounce import Debouncer
from app.errors import AppError, StoreError
from app.services import Services, StartStatus
from app.store import KEY_NAME, open_store

CANARY = "Canary: she found the bottles under the sink again 51d0e7"
PIN, PASSPHRASE = "4821", "tea kettle harbour violin"


@pytest.fixture(autouse=True)
def cheap_unless_tuned(request):
    """Every test wraps with a cheap cost, but the one that checks the real parameters."""
    if request.node.name != "test_the_stored_parameters_are_the_tuned_ones_and_versioned":
        request.getfixturevalue("cheap_kdf")


def run(coro):
    return asyncio.run(coro)


def folder_bytes(data_dir) -> dict:
    return {p.name: p.read_bytes() for p in sorted(data_dir.rglob("*")) if p.is_file()}


async def started(data_dir, clock=None, keystore=None):
    services = Services(data_dir, clock=clock or FixedClock("2026-11-26T12:00:00Z"), keystore=keystore)
    return services, await services.start()


async def with_entry(data_dir, **kw):
    services, result = await started(data_dir, **kw)
    assert result.status is StartStatus.OK
    await services.journal.save_entry(body=CANARY, title=None, tags=[], custom_tags=[])
    return services


# --- wrapping -------------------------------------------------------------------

def test_the_stored_parameters_are_the_tuned_ones_and_versioned():
    key = crypto.DataKey.generate()
    record = json.loads(lock.wrap_key(key, PASSPHRASE, "passphrase"))
    assert record["wrapped"] is True and record["kind"] == "passphrase"
    assert {k: record["kdf"][k] for k in ("name", "version", "n", "r", "p")} == \
        {"name": "scrypt", "version": 1, "n": 2 ** 16, "r": 8, "p": 1}
    assert len(base64.b64decode(record["kdf"]["salt"])) == 16
    assert lock.unwrap_key(lock.read_wrapped(json.dumps(record)), PASSPHRASE) == key


def test_each_wrap_has_its_own_salt_and_only_the_secret_opens_it():
    key = crypto.DataKey.generate(version=3)
    first, second = lock.wrap_key(key, PIN, "pin"), lock.wrap_key(key, PIN, "pin")
    assert json.loads(first)["kdf"]["salt"] != json.loads(second)["kdf"]["salt"]
    assert lock.unwrap_key(lock.read_wrapped(first), " 48 21 ") == key  # spaces in a PIN do not matter
    with pytest.raises(AppError) as err:
        lock.unwrap_key(lock.read_wrapped(first), "4822")
    assert err.value.code == "pin_wrong"


def test_changed_parameters_in_the_record_do_not_open_it():
    record = json.loads(lock.wrap_key(crypto.DataKey.generate(), PIN, "pin"))
    record["kind"] = "passphrase"
    with pytest.raises(AppError):
        lock.unwrap_key(lock.read_wrapped(json.dumps(record)), PIN)


@pytest.mark.parametrize("secret, kind, code", [("123", "pin", "pin_format"), ("123456789", "pin", "pin_format"),
                                                ("12a4", "pin", "pin_format"), ("short words", "passphrase",
                                                                                "passphrase_short"),
                                                ("123456789012345", "passphrase", "passphrase_short")])
def test_a_new_secret_must_be_a_real_pin_or_a_long_passphrase(secret, kind, code):
    with pytest.raises(AppError) as err:
        lock.check_new_secret(secret, kind)
    assert err.value.code == code


def test_waits_grow_and_a_clock_set_back_does_not_end_them(tmp_path):
    assert [lock.wait_after(n) for n in range(0, 12)] == [0, 0, 0, 0, 30, 60, 120, 300, 900, 1800, 3600, 3600]
    clock = FixedClock("2026-11-26T12:00:00Z")
    log = lock.AttemptLog(tmp_path)
    for _ in range(4):
        attempts = log.failed(clock.now())
    assert attempts.wait_left(clock.now()) == 30
    clock.advance(seconds=10)
    assert lock.AttemptLog(tmp_path).read().wait_left(clock.now()) == 20  # read again, as after a restart
    clock.advance(hours=-2)
    assert log.read().wait_left(clock.now()) == 30


# --- the store behind a PIN ---------------------------------------------------------

def test_with_a_passphrase_a_copy_of_the_folder_reveals_nothing(data_dir, tmp_path):
    async def go():
        services = await with_entry(data_dir)
        secret = (await services._rt.run(lambda s: s.cipher.key)).secret
        await services.privacy.set_secret(PASSPHRASE, "passphrase")
        await services._rt.run(lambda s: s.db.execute("PRAGMA wal_checkpoint(TRUNCATE)"))
        await services.close()
        return secret
    secret = run(go())
    files = folder_bytes(data_dir)
    assert KEY_NAME in files and "regroup.db" in files
    for name, raw in files.items():
        for needle in (CANARY.encode("utf-8"), CANARY.encode("utf-16-le"), secret,
                       base64.b64encode(secret), PASSPHRASE.encode()):
            assert needle not in raw, name
    copy = tmp_path / "copied"
    copy.mkdir()
    for name, raw in files.items():
        (copy / name).write_bytes(raw)
    with pytest.raises(crypto.KeyLockedError):
        open_store(copy)  # the key file alone opens nothing

    async def wrong_then_right():
        services, result = await started(copy)
        assert result.status is StartStatus.LOCKED and services.privacy.kind == "passphrase"
        refused = await services.privacy.unlock("tea kettle harbour viola")
        assert (refused.ok, refused.code) == (False, "pin_wrong")
        with pytest.raises(StoreError):
            await services.journal.list_entries()
        opened = await services.privacy.unlock(PASSPHRASE)
        assert opened.ok and opened.start.status is StartStatus.OK
        page = await services.journal.list_entries()
        await services.close()
        return page
    page = run(wrong_then_right())
    assert [e.body for e in page.entries] == [CANARY]


def test_changing_or_removing_the_pin_writes_the_key_once_and_no_record(data_dir):
    class CountingKeys(crypto.KeyFileStore):
        writes: list[str] = []

        def save(self, key):
            self.writes.append("save")
            super().save(key)

        def replace_text(self, text):
            self.writes.append("replace")
            super().replace_text(text)

    keys = CountingKeys(data_dir / KEY_NAME)

    async def go():
        services = await with_entry(data_dir, keystore=keys)
        await services.privacy.set_secret(PIN, "pin")
        await services._rt.run(lambda s: s.db.execute("PRAGMA wal_checkpoint(TRUNCATE)"))
        before, keys.writes[:] = folder_bytes(data_dir), []
        await services.privacy.set_secret(PASSPHRASE, "passphrase", current=PIN)
        assert keys.writes == ["replace"]
        after_change = folder_bytes(data_dir)
        await services.privacy.remove_secret(PASSPHRASE)
        assert keys.writes == ["replace", "replace"]
        after_remove = folder_bytes(data_dir)
        await services.close()
        return before, after_change, after_remove
    before, after_change, after_remove = run(go())
    for after in (after_change, after_remove):
        assert after.keys() == before.keys()
        changed = {name for name in before if before[name] != after[name]}
        assert changed == {KEY_NAME}, changed  # the database and its WAL: not one byte
    assert crypto.DataKey.from_json(after_remove[KEY_NAME].decode())  # plain again, the same key opens the data
    s = open_store(data_dir)
    s.close()


def test_changing_the_pin_asks_for_the_current_one(data_dir):
    async def go():
        services, _ = await started(data_dir)
        await services.privacy.set_secret(PIN, "pin")
        with pytest.raises(AppError) as err:
            await services.privacy.set_secret("9999", "pin", current="0000")
        assert err.value.code == "pin_wrong"
        with pytest.raises(AppError):
            await services.privacy.remove_secret("0000")
        assert services.privacy.has_secret and await services.privacy.check_secret(PIN)
        await services.close()
    run(go())


def test_wrong_tries_wait_longer_across_restarts_and_never_touch_the_data(data_dir):
    clock = FixedClock("2026-11-26T12:00:00Z")

    async def setup():
        services = await with_entry(data_dir, clock=clock)
        await services.privacy.set_secret(PIN, "pin")
        await services._rt.run(lambda s: s.db.execute("PRAGMA wal_checkpoint(TRUNCATE)"))
        await services.close()
    run(setup())
    database = (data_dir / "regroup.db").read_bytes()

    async def tries():
        services, result = await started(data_dir, clock=clock)
        assert result.status is StartStatus.LOCKED
        codes = [(await services.privacy.unlock(f"000{i}")).code for i in range(4)]
        blocked = await services.privacy.unlock(PIN)  # even the right PIN waits its turn
        await services.close()
        return codes, blocked
    codes, blocked = run(tries())
    assert codes == ["pin_wrong"] * 4
    assert (blocked.ok, blocked.code, blocked.wait_s) == (False, "pin_wait", 30)
    assert (data_dir / "regroup.db").read_bytes() == database  # wrong tries wrote nothing to the data

    async def after_restart():
        services, _ = await started(data_dir, clock=clock)
        assert services.privacy.state().wait_s == 30 and services.privacy.state().failures == 4
        clock.advance(seconds=31)
        opened = await services.privacy.unlock(PIN)
        state = services.privacy.state()
        page = await services.journal.list_entries()
        await services.close()
        return opened, state, page
    opened, state, page = run(after_restart())
    # the right PIN opens the same data (opening may then save the encrypted search index: bytes can differ)
    assert opened.ok and state.failures == 0 and [e.body for e in page.entries] == [CANARY]


def test_the_phone_keeps_only_the_wrapped_key_in_secure_storage(data_dir):
    from tests.test_crypto import FakeSecureStorage
    storage = FakeSecureStorage()

    async def go():
        services = await with_entry(data_dir, keystore=crypto.SecureStorageKeyStore(storage))
        await services.privacy.set_secret(PIN, "pin")
        await services.close()
        assert json.loads(storage.values[crypto.SecureStorageKeyStore.NAME])["wrapped"] is True
        services, result = await started(data_dir, keystore=crypto.SecureStorageKeyStore(storage))
        assert result.status is StartStatus.LOCKED
        assert (await services.privacy.unlock(PIN)).ok
        await services.close()
    run(go())
    assert not (data_dir / KEY_NAME).exists()


def test_a_forgotten_pin_starts_again_and_keeps_the_locked_data_aside(data_dir):
    async def go():
        services = await with_entry(data_dir)
        await services.privacy.set_secret(PIN, "pin")
        await services.close()
        services, result = await started(data_dir)
        assert result.status is StartStatus.LOCKED
        moved, fresh = await services.start_fresh(StartStatus.LOCKED)
        assert fresh.status is StartStatus.OK and not services.privacy.has_secret
        assert (await services.journal.list_entries()).entries == []
        await services.close()
        return moved
    moved = run(go())
    assert {"regroup.db", "regroup.key"} <= {p.name.split(".unreadable-")[0] for p in moved}
    kept_key = next(p for p in moved if p.name.startswith("regroup.key"))
    assert lock.read_wrapped(kept_key.read_text()) is not None  # the old key, still wrapped, kept


# --- locking ----------------------------------------------------------------------

def test_locking_forgets_the_key_and_tells_listeners(data_dir):
    heard = []

    async def go():
        services = await with_entry(data_dir)
        assert not await services.privacy.lock()  # no PIN: nothing to lock
        await services.privacy.set_secret(PIN, "pin")
        services.privacy.subscribe(heard.append)
        assert services.privacy.unlocked and await services.privacy.lock("asked")
        assert not services.privacy.unlocked and services._rt.store is None
        with pytest.raises(StoreError):
            await services.journal.list_entries()
        with pytest.raises(AppError) as err:
            async with services.privacy.keep_unlocked():
                pass
        assert err.value.code == "locked"
        assert (await services.privacy.unlock(PIN)).ok
        await services.close()
    run(go())
    assert heard == ["locked", "unlocked"]


def test_a_lock_saves_what_is_being_typed_first(data_dir):
    async def go():
        services = await with_entry(data_dir)
        await services.privacy.set_secret(PIN, "pin")
        draft = Debouncer(60, lambda: services.journal.save_draft(body="half a sentence", title=""))
        draft.poke()
        await services.privacy.lock()
        await services.privacy.unlock(PIN)
        kept = (await services.journal.open_entry(None)).draft
        await services.close()
        return kept
    assert run(go())["body"] == "half a sentence"


def test_a_lock_lets_the_current_sync_request_finish(data_dir):
    order = []

    async def go():
        services = await with_entry(data_dir)
        await services.privacy.set_secret(PIN, "pin")

        async def sync_request():
            async with services.privacy.keep_unlocked():
                order.append("request sent")
                await asyncio.sleep(0.2)
                await services.journal.list_entries()  # the store is still open for its answer
                order.append("answer saved")

        task = asyncio.create_task(sync_request())
        await asyncio.sleep(0.05)
        await services.privacy.lock()
        order.append("locked")
        await task
        await services.close()
    run(go())
    assert order == ["request sent", "answer saved", "locked"]


def test_idle_time_locks_only_with_a_pin_and_follows_the_setting(data_dir):
    clock = FixedClock("2026-11-26T12:00:00Z")

    async def go():
        services, _ = await started(data_dir, clock=clock)
        services.privacy.touch()
        clock.advance(minutes=10)
        assert not services.privacy.idle_expired()  # no PIN: never
        await services.privacy.set_secret(PIN, "pin")
        clock.advance(seconds=119)
        assert not services.privacy.idle_expired()
        clock.advance(seconds=1)
        assert services.privacy.idle_expired()  # the default: 2 minutes
        await services.update_settings(lock_minutes=5)
        assert not services.privacy.idle_expired()
        async with services.privacy.away():  # a file picker is open
            clock.advance(minutes=10)
            assert not services.privacy.idle_expired()
        assert not services.privacy.idle_expired()  # coming back counts as activity
        with pytest.raises(AppError) as err:
            await services.update_settings(lock_minutes=3)
        assert err.value.code == "invalid_lock_time"
        await services.close()
    run(go())


def test_a_locked_start_still_knows_the_plain_settings_but_not_the_name(data_dir):
    """The lock screen follows the theme and discreet mode; what was typed (the name) stays sealed."""
    async def go():
        services, _ = await started(data_dir)
        await services.update_settings(display_name="Aoife", theme="dark", discreet=True, onboarded=True)
        await services.privacy.set_secret(PIN, "pin")
        await services.close()
        services, result = await started(data_dir)
        await services.close()
        return result
    result = run(go())
    assert result.status is StartStatus.LOCKED
    assert (result.settings.theme, result.settings.discreet, result.settings.display_name) == ("dark", True, None)
