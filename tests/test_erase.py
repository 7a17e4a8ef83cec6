"""Erase everything: no byte of what was written stays in the data folder, and the next start is a first run."""

from __future__ import annotations

import asyncio
import os

import pytest

from app import crypto, lock
from app.clock import FixedClock
from app.errors import AppError
from app.services import Services, StartStatus
from app.store import erase
from tests.test_crypto import FakeSecureStorage

CANARY = "Canary 8d2b: the night he threw the chair"
PIN = "4821"


pytestmark = pytest.mark.usefixtures("cheap_kdf")


def run(coro):
    return asyncio.run(coro)


def leftovers(data_dir, *needles: bytes) -> list[str]:
    found = []
    for path in data_dir.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            found += [f"{path.name}: {n!r}" for n in needles if n in raw]
    return found


async def full_of_words(data_dir, keystore=None) -> tuple[Services, bytes]:
    """A store holding the canary everywhere: entry, draft, check-in note, name; a PIN; an old file set aside."""
    services = Services(data_dir, clock=FixedClock("2026-11-26T12:00:00Z"), keystore=keystore)
    assert (await services.start()).status is StartStatus.OK
    await services.update_settings(display_name=CANARY[:40], onboarded=True, country="IE")
    await services.journal.save_entry(body=CANARY, title=CANARY[:30])
    await services.journal.save_draft(body=CANARY)
    await services.checkins.add(mood=2, note=CANARY)
    key = (await services._rt.run(lambda s: s.cipher.key)).secret
    await services.privacy.set_secret(PIN, "pin")
    (data_dir / "regroup.db.unreadable-20260101T000000Z").write_bytes(b"an old copy " + CANARY.encode())
    (data_dir / "exports").mkdir()
    (data_dir / "exports" / "copy.json").write_bytes(CANARY.encode())
    return services, key


class FakeUnpairing:
    """Stands in for the sharing work's unpair (SYNC.md's DELETE /api/v1/device)."""

    def __init__(self, data_dir, *, paired=True, reachable=True):
        self.data_dir, self.paired, self.reachable, self.calls = data_dir, paired, reachable, []

    async def is_paired(self) -> bool:
        return self.paired

    async def unpair(self, *, erase_shared: bool) -> None:
        self.calls.append((erase_shared, (self.data_dir / "regroup.db").exists()))
        if not self.reachable:
            raise ConnectionError("server unreachable")
        self.paired = False


def test_erase_leaves_no_byte_of_the_words_or_the_key_and_starts_a_first_run(data_dir):
    heard = []

    async def go():
        services, key = await full_of_words(data_dir)
        services.privacy.subscribe(heard.append)
        assert leftovers(data_dir, CANARY.encode()) == ["regroup.db.unreadable-20260101T000000Z: "
                                                        f"{CANARY.encode()!r}", f"copy.json: {CANARY.encode()!r}"]
        with pytest.raises(AppError) as err:
            await services.privacy.erase_everything("erase please")
        assert err.value.code == "erase_confirm"
        fresh = await services.privacy.erase_everything(" erase ")
        assert fresh.status is StartStatus.OK and not fresh.settings.onboarded
        names = sorted(p.name for p in data_dir.iterdir())
        await services.close()
        return key, names
    key, names = run(go())
    assert heard == ["erased"]
    assert leftovers(data_dir, CANARY.encode(), CANARY.encode("utf-16-le"), key) == []
    assert "exports" not in names and not any("unreadable" in n or "attempts" in n for n in names)

    async def next_start():
        services = Services(data_dir, clock=FixedClock("2026-11-27T12:00:00Z"))
        result = await services.start()
        page = await services.journal.list_entries()
        await services.close()
        return result, page
    result, page = run(next_start())
    assert result.status is StartStatus.OK and not result.settings.onboarded and page.entries == []
    assert result.settings.display_name is None


def test_erase_removes_the_key_from_the_phones_secure_storage(data_dir):
    storage = FakeSecureStorage()

    async def go():
        services, _ = await full_of_words(data_dir, keystore=crypto.SecureStorageKeyStore(storage))
        old = storage.values[crypto.SecureStorageKeyStore.NAME]
        await services.privacy.erase_everything("ERASE")
        await services.close()
        return old
    old = run(go())
    assert storage.values.get(crypto.SecureStorageKeyStore.NAME) not in (None, old)  # a new key, a new store
    assert lock.read_wrapped(storage.values[crypto.SecureStorageKeyStore.NAME]) is None  # and no PIN


def test_when_paired_it_unpairs_and_erases_what_was_shared_first(data_dir):
    async def go():
        services, _ = await full_of_words(data_dir)
        fake = FakeUnpairing(data_dir)
        services.privacy.unpairing = fake
        assert await services.privacy.is_paired()
        await services.privacy.erase_everything("ERASE", erase_shared=True)
        await services.close()
        return fake
    fake = run(go())
    assert fake.calls == [(True, True)]  # asked to erase what was shared, while the data was still here


def test_an_unreachable_server_stops_the_erase_until_the_person_chooses_this_device_only(data_dir):
    async def go():
        services, _ = await full_of_words(data_dir)
        fake = FakeUnpairing(data_dir, reachable=False)
        services.privacy.unpairing = fake
        with pytest.raises(AppError) as err:
            await services.privacy.erase_everything("ERASE")
        still_there = [e.body for e in (await services.journal.list_entries()).entries]
        await services.privacy.erase_everything("ERASE", unpair=False)
        await services.close()
        return err.value.code, still_there, fake
    code, still_there, fake = run(go())
    assert code == "unpair_failed" and still_there == [CANARY] and len(fake.calls) == 1
    assert leftovers(data_dir, CANARY.encode()) == []


def test_erase_files_removes_the_keys_first_and_overwrites_each_in_place(data_dir):
    """The key files go first (an erase cut short leaves only unreadable data), each overwritten whole before
    removal: a second name for the file (a hard link) sees what a disk that writes in place keeps."""
    key = crypto.DataKey.generate()
    crypto.KeyFileStore(data_dir / "regroup.key").save(key)
    aside = data_dir / "regroup.key.unreadable-20260101T000000Z"
    aside.write_text(crypto.DataKey.generate().to_json() + " " * 200)  # longer than 64 bytes, like a wrapped key
    before = {p.name: p.read_bytes() for p in (data_dir / "regroup.key", aside)}
    for name in before:
        os.link(data_dir / name, data_dir.parent / f"spy-{name}")
    for name in ("regroup.db", "regroup.db-wal", "regroup.attempts"):
        (data_dir / name).write_bytes(CANARY.encode())

    gone = erase.erase_files(data_dir)

    assert sorted(gone[:2]) == sorted(before) and gone[2] == "regroup.db"
    assert sorted(gone) == sorted([*before, "regroup.db", "regroup.db-wal", "regroup.attempts"])
    assert list(data_dir.iterdir()) == []
    for name, old in before.items():
        after = (data_dir.parent / f"spy-{name}").read_bytes()
        assert len(after) >= len(old)
        assert not any(old[i:i + 16] in after for i in range(0, len(old) - 16, 8)), name  # no piece of it stays
    assert CANARY.encode() not in b"".join((data_dir.parent / f"spy-{n}").read_bytes() for n in before)


def test_erase_files_takes_only_what_is_regroups(data_dir):
    (data_dir / "exports").mkdir()
    (data_dir / "exports" / "copy.json").write_text(CANARY)
    (data_dir / "photos").mkdir()                          # a folder Regroup did not make
    (data_dir / "photos" / "regroup.db").write_text("kept")
    (data_dir / "notes.txt").write_text("kept")            # a file Regroup did not make
    (data_dir / "regroup.db").write_text(CANARY)
    assert sorted(erase.erase_files(data_dir)) == ["exports/", "regroup.db"]
    assert sorted(p.name for p in data_dir.iterdir()) == ["notes.txt", "photos"]
    assert (data_dir / "photos" / "regroup.db").read_text() == "kept"
    assert erase.erase_files(data_dir / "never-made") == []
    (data_dir / "a-file").write_text("x")
    assert erase.erase_files(data_dir / "a-file") == []
