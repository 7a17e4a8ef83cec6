"""Export and import: one sealed file, every record back with its id, private, never duplicated or made older."""

from __future__ import annotations

import asyncio
import json

import pytest

from app import exchange
from app.clock import FixedClock
from app.demo_data import generate
from app.domain import LovedOne
from app.errors import AppError
from app.services import Services, StartStatus
from app.store import exchange as records
from app.store import open_store
from app.store.migrations import LATEST

PASSPHRASE = "lantern quiet meadow ferry"
CANARY = "Canary 6c1e: the pharmacy called about the pills"
NOW = "2026-11-26T10:30:00Z"


pytestmark = pytest.mark.usefixtures("cheap_kdf")


def run(coro):
    return asyncio.run(coro)


async def started(data_dir, now=NOW):
    services = Services(data_dir, clock=FixedClock(now))
    assert (await services.start()).status is StartStatus.OK
    return services


async def everything(services) -> dict:
    return (await services._rt.run(records.read_all))[0]


async def write_a_little_of_everything(services) -> None:
    await services.update_settings(display_name="Róisín", country="IE", onboarded=True, lock_minutes=5)
    saved = await services.journal.save_entry(body=CANARY, title="Tuesday", tags=["hope"], custom_tags=["dad"])
    gone = await services.journal.save_entry(body="deleted words", title=None)
    await services.journal.delete_entry(gone.entry.id)
    await services.journal.save_draft(body="half a thought", title="")
    await services.checkins.add(mood=4, feelings=["hope"], stress=3, sleep=4, note=f"note {CANARY}",
                                         loved_one_day="non_use", my_response=[])
    step = services.library.journeys[2].steps[0]
    await services.journeys.open_step(step.id)
    await services.journeys.complete_step(step.id)
    plan = next(s for j in services.library.journeys for s in j.steps if s.kind == "reapproach_plan")
    await services.journeys.save_worksheet(plan.id, {f.id: f"{f.label} answer" for f in plan.fields
                                                     if f.type in ("short_text", "long_text")})
    await services.journeys.save_loved_one(LovedOne(relationship="son", substances=("alcohol",)))
    assert saved.entry.id


def test_every_table_of_the_store_is_exported_or_named_as_not(data_dir):
    store = open_store(data_dir)
    names = set(store.db.table_names())
    store.close()
    exported = {t for t, _ in records.TABLES}
    assert names - exported <= records.NOT_EXPORTED, names - exported - records.NOT_EXPORTED
    assert LATEST == 5  # a new migration: check its tables belong in TABLES or NOT_EXPORTED, then update this


def test_a_round_trip_over_ten_years_loses_nothing_and_arrives_private(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    clock = FixedClock(NOW, zone="Europe/Dublin")
    generate(old, years=10, clock=clock)

    async def go():
        services = await started(old)
        await write_a_little_of_everything(services)
        await services._rt.run(lambda s: s.db.execute(
            "UPDATE journal_entries SET sync_state = 'shared', server_version = 7"))
        before = await everything(services)
        file = await services.exchange.export_file(PASSPHRASE)
        await services.close()

        fresh = await started(new)
        result = await fresh.exchange.import_file(file.data, PASSPHRASE)
        after = await everything(fresh)
        states = await fresh._rt.run(lambda s: s.db.execute(
            "SELECT DISTINCT sync_state, server_version FROM journal_entries").fetchall())
        page = await fresh.journal.list_entries(query="pharmacy")
        await fresh.close()
        return before, file, result, after, states, page
    before, file, result, after, states, page = run(go())
    assert len(before["journal_entries"]) == 20_002 and len(before["checkins"]) == 40_001
    deleted = [e for e in before["journal_entries"] if e["deleted_at"]]
    assert len(deleted) == 1 and deleted[0]["body_text"] is None  # a deletion keeps no words to export
    before["journal_entries"].remove(deleted[0])  # and a new device has nothing to delete
    assert after == before  # every table, row for row, in the same order, with the same ids
    assert (result.added, result.kept) == (sum(len(rows) for rows in before.values()), 1)
    assert states == [("private", 0)]
    assert [e.body for e in page.entries] == [CANARY]  # the search index knows the imported words
    assert CANARY.encode() not in file.data and b"pharmacy" not in file.data
    assert file.name == "regroup-2026-11-26.json"
    for path in new.rglob("*"):
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes()


def test_importing_twice_changes_nothing(tmp_path):
    async def go():
        services = await started(tmp_path / "a")
        await write_a_little_of_everything(services)
        file = await services.exchange.export_file(PASSPHRASE)
        await services.close()
        other = await started(tmp_path / "b")
        first = await other.exchange.import_file(file.data, PASSPHRASE)
        once = await everything(other)
        second = await other.exchange.import_file(file.data, PASSPHRASE)
        twice = await everything(other)
        await other.close()
        return first, once, second, twice
    first, once, second, twice = run(go())
    assert first.added > 0 and (second.added, second.updated) == (0, 0) and second.kept == first.added + first.kept
    assert twice == once


def test_a_newer_local_edit_stays_and_a_newer_imported_one_replaces_an_older(tmp_path):
    changed = []

    async def go():
        phone = await started(tmp_path / "phone", now="2026-11-01T09:00:00Z")
        entry = (await phone.journal.save_entry(body="first words", title=None)).entry
        old_file = await phone.exchange.export_file(PASSPHRASE)
        phone._rt.clock.set("2026-11-02T09:00:00Z")
        await phone.journal.save_entry(body="edited on the old phone", entry_id=entry.id)
        newer_file = await phone.exchange.export_file(PASSPHRASE)
        await phone.close()

        tablet = await started(tmp_path / "tablet", now="2026-11-01T12:00:00Z")
        tablet.exchange.on_records_changed = lambda s, table, ids: changed.append((table, ids))
        await tablet.exchange.import_file(old_file.data, PASSPHRASE)
        await tablet._rt.run(lambda s: s.db.execute(
            "UPDATE journal_entries SET sync_state = 'shared', server_version = 3"))
        replaced = await tablet.exchange.import_file(newer_file.data, PASSPHRASE)
        after_newer = (await tablet.journal.open_entry(entry.id)).entry.body
        tablet._rt.clock.set("2026-11-03T09:00:00Z")
        await tablet.journal.save_entry(body="edited on the tablet, later", entry_id=entry.id)
        kept = await tablet.exchange.import_file(newer_file.data, PASSPHRASE)
        final = (await tablet.journal.open_entry(entry.id)).entry.body
        state = await tablet._rt.run(lambda s: s.db.execute(
            "SELECT sync_state, server_version FROM journal_entries").fetchall())
        await tablet.close()
        return replaced, after_newer, kept, final, state
    replaced, after_newer, kept, final, state = run(go())
    assert replaced.by_table["journal_entries"] == {"updated": 1} and after_newer == "edited on the old phone"
    assert changed == [("journal_entries", [changed[0][1][0]])]  # the sharing work hears which record
    assert kept.by_table["journal_entries"] == {"kept": 1} and final == "edited on the tablet, later"
    assert state == [("shared", 3)]  # an import never changes what this device shares


def test_a_worksheet_made_on_both_phones_keeps_the_newer_answers_and_the_local_id(tmp_path):
    async def go():
        a = await started(tmp_path / "a", now="2026-11-02T09:00:00Z")
        plan = next(s for j in a.library.journeys for s in j.steps if s.kind == "reapproach_plan")
        field = next(f.id for f in plan.fields if f.type == "long_text")
        await a.journeys.save_worksheet(plan.id, {field: "from phone a, later"})
        file = await a.exchange.export_file(PASSPHRASE)
        await a.close()
        b = await started(tmp_path / "b", now="2026-11-01T09:00:00Z")
        await b.journeys.save_worksheet(plan.id, {field: "from phone b, earlier"})
        local_id = await b._rt.run(lambda s: s.db.execute("SELECT id FROM worksheets").fetchone()[0])
        await b.exchange.import_file(file.data, PASSPHRASE)
        answers = (await b.journeys.open_step(plan.id)).worksheet
        ids = await b._rt.run(lambda s: [r[0] for r in s.db.execute("SELECT id FROM worksheets")])
        await b.close()
        return field, answers, local_id, ids
    field, answers, local_id, ids = run(go())
    assert answers[field] == "from phone a, later" and ids == [local_id]


def _damaged_files(good: bytes) -> dict[str, tuple[bytes, str, str]]:
    """name -> (file bytes, passphrase, the code it must give)."""
    doc = json.loads(good)
    newer = json.dumps({**doc, "format": exchange.FORMAT + 1}).encode()
    changed_header = json.dumps({**doc, "created_at": "2020-01-01T00:00:00.000Z"}).encode()
    return {
        "wrong passphrase": (good, "lantern quiet meadow ferrY", "import_wrong_passphrase"),
        "cut off": (good[: len(good) // 2], PASSPHRASE, "import_truncated"),
        "last byte lost": (good[:-1], PASSPHRASE, "import_truncated"),
        "sealed part changed": (good.replace(doc["data"][40:48].encode(), b"AAAAAAAA"), PASSPHRASE,
                                "import_wrong_passphrase"),
        "header changed": (changed_header, PASSPHRASE, "import_wrong_passphrase"),
        "newer format": (newer, PASSPHRASE, "import_newer_format"),
        "a photo": (b"\x89PNG\r\n\x1a\n" + bytes(200), PASSPHRASE, "import_not_regroup"),
        "another app's JSON": (b'{"app": "otherapp", "entries": []}', PASSPHRASE, "import_not_regroup"),
        "a JSON list": (b"[1, 2, 3]", PASSPHRASE, "import_not_regroup"),
        "empty": (b"", PASSPHRASE, "import_not_regroup"),
    }


def test_a_bad_file_gets_its_own_message_and_changes_nothing(tmp_path):
    async def go():
        a = await started(tmp_path / "a")
        await write_a_little_of_everything(a)
        good = (await a.exchange.export_file(PASSPHRASE)).data
        await a.close()
        b = await started(tmp_path / "b")
        await b.journal.save_entry(body="already here", title=None)
        await b._rt.run(lambda s: s.db.execute("PRAGMA wal_checkpoint(TRUNCATE)"))
        before = await everything(b)
        files_before = {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir() if p.name != "regroup.db-shm"}
        codes = {}
        for name, (raw, passphrase, _) in _damaged_files(good).items():
            try:
                await b.exchange.import_file(raw, passphrase)
                codes[name] = "imported"
            except AppError as exc:
                codes[name] = exc.code
        after = await everything(b)
        files_after = {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir() if p.name != "regroup.db-shm"}
        await b.close()
        return good, codes, before, after, files_before, files_after
    good, codes, before, after, files_before, files_after = run(go())
    assert codes == {name: code for name, (_, _, code) in _damaged_files(good).items()}
    assert after == before and files_after == files_before


def test_a_record_that_does_not_fit_rolls_the_whole_import_back(tmp_path):
    async def go():
        b = await started(tmp_path / "b")
        tables = {"journal_entries": [{"id": "e1", "body_text": "fine", "created_at": NOW, "updated_at": NOW,
                                       "tz": "UTC", "local_day": "2026-11-26", "tags": "[]"}],
                  "checkins": [{"id": "c1", "mood": 9, "local_day": "2026-11-26", "created_at": NOW,
                                "updated_at": NOW, "tz": "UTC"}]}
        with pytest.raises(AppError) as err:
            await b._rt.run(lambda s: records.merge_all(s, tables))
        count = (await b.journal.list_entries()).entries
        await b.close()
        return err.value.code, count
    code, entries = run(go())
    assert code == "import_truncated" and entries == []


def test_an_export_needs_a_real_passphrase():
    with pytest.raises(AppError) as err:
        exchange.seal({"tables": {}}, "1234", created_at=NOW)
    assert err.value.code == "passphrase_short"
