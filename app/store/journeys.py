"""Journey progress, worksheets, checklists, reflections and "About my loved one".

Typed words (worksheet answers, reflections, the loved-one profile) go through the
field cipher; step ids, statuses and times stay in the clear.
"""

from __future__ import annotations

import json

from app.clock import local_day
from app.domain import LovedOne, Reflection, StepProgress, new_id
from app.store import journal, outbox
from app.store.core import Store, transaction


def _new_record(store: Store, now: str) -> dict:
    return {"id": new_id(), "created_at": now, "updated_at": now, "tz": store.clock.zone, "revision": 1}


# --- progress -----------------------------------------------------------------

def list_step_progress(store: Store) -> dict[str, StepProgress]:
    rows = store.db.execute(
        "SELECT step_id, journey_id, status, completed_count, completed_at, updated_at "
        "FROM journey_progress WHERE deleted_at IS NULL").fetchall()
    return {r[0]: StepProgress(*r) for r in rows}


def list_cursors(store: Store) -> dict[str, tuple[str, str]]:
    """journey_id -> (step_id, updated_at): where each journey was left."""
    return {r[0]: (r[1], r[2]) for r in store.db.execute(
        "SELECT journey_id, step_id, updated_at FROM journey_cursor")}


def start_steps(store: Store, steps: list[tuple[str, str]]) -> None:
    """Record that (journey_id, step_id) pairs were opened; moves each journey's cursor there."""
    now = store.clock.stamp()
    with transaction(store):
        for journey_id, step_id in steps:
            exists = store.db.execute("SELECT 1 FROM journey_progress WHERE step_id = ?", [step_id]).fetchone()
            if not exists:
                record = _new_record(store, now)
                store.db["journey_progress"].insert({**record, "step_id": step_id, "journey_id": journey_id,
                                                     "status": "started"})
                outbox.new_records(store, "journey_progress", [record["id"]])
            store.db.execute(
                "INSERT INTO journey_cursor (journey_id, step_id, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (journey_id) DO UPDATE SET step_id = excluded.step_id, updated_at = excluded.updated_at",
                [journey_id, step_id, now])


def start_step(store: Store, journey_id: str, step_id: str) -> None:
    start_steps(store, [(journey_id, step_id)])


def complete_step(store: Store, journey_id: str, step_id: str) -> StepProgress:
    """Mark a step done now, in one transaction; a repeatable practice counts each completion."""
    now = store.clock.stamp()
    with transaction(store):
        start_step(store, journey_id, step_id)
        store.db.execute(
            "UPDATE journey_progress SET status = 'completed', completed_count = completed_count + 1, "
            "completed_at = ?, updated_at = ?, revision = revision + 1 WHERE step_id = ?", [now, now, step_id])
        _progress_changed(store, "step_id = ?", [step_id])
    return list_step_progress(store)[step_id]


def _progress_changed(store: Store, where: str, args: list) -> None:
    for (rid,) in store.db.execute(f"SELECT id FROM journey_progress WHERE {where}", args).fetchall():
        outbox.record_changed(store, "journey_progress", rid)


def restart_journey(store: Store, journey_id: str, first_step_id: str) -> None:
    """Begin again: steps are no longer done (answers and practice counts are kept)."""
    now = store.clock.stamp()
    with transaction(store):
        restarted = [r[0] for r in store.db.execute("SELECT id FROM journey_progress WHERE journey_id = ? "
                                                    "AND status = 'completed'", [journey_id])]
        store.db.execute(
            "UPDATE journey_progress SET status = 'started', completed_at = NULL, updated_at = ?, "
            "revision = revision + 1 WHERE journey_id = ? AND status = 'completed'", [now, journey_id])
        for rid in restarted:
            outbox.record_changed(store, "journey_progress", rid)
        store.db.execute(
            "INSERT INTO journey_cursor (journey_id, step_id, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (journey_id) DO UPDATE SET step_id = excluded.step_id, updated_at = excluded.updated_at",
            [journey_id, first_step_id, now])


# --- worksheets -------------------------------------------------------------

def save_worksheet(store: Store, *, journey_id: str, step_id: str, kind: str, fields: dict) -> str:
    """Save all answers of a worksheet (one record per step), encrypted; returns its id."""
    now = store.clock.stamp()
    with transaction(store):
        row = store.db.execute("SELECT id FROM worksheets WHERE step_id = ?", [step_id]).fetchone()
        record_id = row[0] if row else new_id()
        blob = store.cipher.encrypt("worksheets", record_id, "fields", json.dumps(fields, ensure_ascii=False))
        if row:
            store.db.execute("UPDATE worksheets SET fields_enc = ?, updated_at = ?, revision = revision + 1, "
                             "deleted_at = NULL WHERE id = ?", [blob, now, record_id])
            outbox.record_changed(store, "worksheet", record_id)
        else:
            store.db["worksheets"].insert({**_new_record(store, now), "id": record_id, "step_id": step_id,
                                           "journey_id": journey_id, "kind": kind, "fields_enc": blob})
    return record_id


def get_worksheet(store: Store, step_id: str) -> dict | None:
    row = store.db.execute("SELECT id, fields_enc FROM worksheets WHERE step_id = ? AND deleted_at IS NULL",
                           [step_id]).fetchone()
    if row is None:
        return None
    return json.loads(store.cipher.decrypt("worksheets", row[0], "fields", row[1]))


# --- checklists ---------------------------------------------------------------

def set_checklist_item(store: Store, step_id: str, item_id: str, checked: bool) -> None:
    with transaction(store):
        store.db.execute(
            "INSERT INTO checklist_items (step_id, item_id, checked, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (step_id, item_id) DO UPDATE SET checked = excluded.checked, updated_at = excluded.updated_at",
            [step_id, item_id, int(checked), store.clock.stamp()])


def get_checklist(store: Store, step_id: str) -> set[str]:
    return {r[0] for r in store.db.execute(
        "SELECT item_id FROM checklist_items WHERE step_id = ? AND checked = 1", [step_id])}


# --- reflections (journal entries linked to a step) ----------------------------

def save_reflection(store: Store, step_id: str, prompt_id: str, body: str) -> Reflection | None:
    """Create or update the journal entry that answers one prompt; an emptied answer leaves a tombstone."""
    now = store.clock.stamp()
    text = body.strip()
    with transaction(store):
        row = store.db.execute("SELECT id FROM journal_entries WHERE step_id = ? AND prompt_id = ? "
                               "AND deleted_at IS NULL ORDER BY rowid DESC LIMIT 1", [step_id, prompt_id]).fetchone()
        if not text:
            if row:
                store.db.execute("UPDATE journal_entries SET deleted_at = ?, updated_at = ?, body_enc = X'', "
                                 "revision = revision + 1 WHERE id = ?", [now, now, row[0]])
                journal.drop_snapshot(store)  # the emptied answer's words must not outlive it
                outbox.record_changed(store, "journal_entry", row[0], "delete")
                journal.touch(store, row[0])
            return None
        record_id = row[0] if row else new_id()
        blob = store.cipher.encrypt("journal_entries", record_id, "body", body)
        if row:
            store.db.execute("UPDATE journal_entries SET body_enc = ?, updated_at = ?, revision = revision + 1 "
                             "WHERE id = ?", [blob, now, record_id])
            outbox.record_changed(store, "journal_entry", record_id)
        else:
            record = _new_record(store, now)
            store.db["journal_entries"].insert({**record, "id": record_id, "body_enc": blob,
                                                "step_id": step_id, "prompt_id": prompt_id,
                                                "tags": json.dumps(["reflection"]),
                                                "local_day": local_day(now, record["tz"])})
    journal.touch(store, record_id)
    return Reflection(id=record_id, step_id=step_id, prompt_id=prompt_id, body=body, updated_at=now)


def list_reflections(store: Store, step_id: str) -> dict[str, Reflection]:
    rows = store.db.execute("SELECT id, prompt_id, body_enc, updated_at FROM journal_entries "
                            "WHERE step_id = ? AND deleted_at IS NULL ORDER BY rowid", [step_id]).fetchall()
    return {r[1]: Reflection(id=r[0], step_id=step_id, prompt_id=r[1],
                             body=store.cipher.decrypt("journal_entries", r[0], "body", r[2]), updated_at=r[3])
            for r in rows}


# --- about my loved one ---------------------------------------------------------

def get_loved_one(store: Store) -> LovedOne:
    row = store.db.execute("SELECT data_enc FROM loved_one WHERE id = 'loved_one'").fetchone()
    if row is None:
        return LovedOne()
    data = json.loads(store.cipher.decrypt("loved_one", "loved_one", "data", row[0]))
    return LovedOne(relationship=data.get("relationship"), substances=tuple(data.get("substances", ())),
                    violence=data.get("violence"))


def save_loved_one(store: Store, loved_one: LovedOne) -> LovedOne:
    data = {"relationship": loved_one.relationship, "substances": list(loved_one.substances),
            "violence": loved_one.violence}
    blob = store.cipher.encrypt("loved_one", "loved_one", "data", json.dumps(data))
    with transaction(store):
        store.db.execute("INSERT INTO loved_one (id, data_enc, updated_at) VALUES ('loved_one', ?, ?) "
                         "ON CONFLICT (id) DO UPDATE SET data_enc = excluded.data_enc, updated_at = excluded.updated_at",
                         [blob, store.clock.stamp()])
    return loved_one
