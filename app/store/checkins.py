"""Check-ins and WHO-5 results: append-only rows (a mistaken one is deleted, never edited into another)."""

from __future__ import annotations

import json

from app.checkins import CheckInInput, wellbeing_since
from app.clock import local_day
from app.domain import CheckIn, Wellbeing, new_id
from app.store import outbox
from app.store.core import Store, transaction

_CHECKIN_COLUMNS = "id, mood, feelings, stress, sleep, note_enc, loved_one_day, my_response, created_at, tz, local_day"


def _row(store: Store, c: CheckInInput) -> dict:
    created = c.created_at or store.clock.stamp()
    tz = c.tz or store.clock.zone
    rid = new_id()
    return {"id": rid, "local_day": local_day(created, tz), "mood": c.mood, "feelings": json.dumps(list(c.feelings)),
            "stress": c.stress, "sleep": c.sleep,
            "note_enc": store.cipher.encrypt_optional("checkins", rid, "note", c.note),
            "loved_one_day": c.loved_one_day, "my_response": json.dumps(list(c.my_response)),
            "created_at": created, "updated_at": created, "tz": tz, "revision": 1}


def add_checkins(store: Store, checkins: list[CheckInInput]) -> list[CheckIn]:
    """Append checked check-ins in one transaction (batch first); returns them as stored."""
    rows = [_row(store, c) for c in checkins]
    with transaction(store):
        store.db["checkins"].insert_all(rows)
        outbox.new_records(store, "checkin", [r["id"] for r in rows])
    return [CheckIn(id=r["id"], mood=c.mood, feelings=c.feelings, stress=c.stress, sleep=c.sleep, note=c.note,
                    loved_one_day=c.loved_one_day, my_response=c.my_response, created_at=r["created_at"],
                    tz=r["tz"], local_day=r["local_day"]) for r, c in zip(rows, checkins)]


def add_checkin(store: Store, checkin: CheckInInput) -> CheckIn:
    return add_checkins(store, [checkin])[0]


def _checkin(store: Store, row) -> CheckIn:
    rid, mood, feelings, stress, sleep, note, lod, resp, created, tz, day = row
    return CheckIn(id=rid, mood=mood, feelings=tuple(json.loads(feelings)), stress=stress, sleep=sleep,
                   note=store.cipher.decrypt_optional("checkins", rid, "note", note), loved_one_day=lod,
                   my_response=tuple(json.loads(resp)), created_at=created, tz=tz, local_day=day)


def get_checkin(store: Store, checkin_id: str) -> CheckIn | None:
    row = store.db.execute(f"SELECT {_CHECKIN_COLUMNS} FROM checkins WHERE id = ? AND deleted_at IS NULL",
                           [checkin_id]).fetchone()
    return _checkin(store, row) if row else None


def list_checkins(store: Store, *, limit: int = 20, before: int | None = None) -> list[CheckIn]:
    """Newest first in stable local order."""
    sql = f"SELECT {_CHECKIN_COLUMNS} FROM checkins WHERE deleted_at IS NULL"
    args: list = []
    if before is not None:
        sql, args = sql + " AND rowid < ?", [before]
    return [_checkin(store, r) for r in store.db.execute(sql + " ORDER BY rowid DESC LIMIT ?", args + [limit])]


def delete_checkin(store: Store, checkin_id: str) -> None:
    now = store.clock.stamp()
    with transaction(store):
        store.db.execute("UPDATE checkins SET deleted_at = ?, updated_at = ?, note_enc = NULL, "
                         "revision = revision + 1 WHERE id = ? AND deleted_at IS NULL", [now, now, checkin_id])
        outbox.record_changed(store, "checkin", checkin_id, "delete")


def checked_in_on(store: Store, day: str) -> bool:
    return store.db.execute("SELECT 1 FROM checkins WHERE deleted_at IS NULL AND local_day = ? LIMIT 1",
                            [day]).fetchone() is not None


# --- WHO-5 -----------------------------------------------------------------------------

def add_wellbeing(store: Store, items: list[int], score: int, *, created_at: str | None = None,
                  tz: str | None = None) -> Wellbeing:
    created, zone, rid = created_at or store.clock.stamp(), tz or store.clock.zone, new_id()
    day = local_day(created, zone)
    with transaction(store):
        store.db["wellbeing"].insert({"id": rid, "local_day": day, "items": json.dumps(items), "score": score,
                                      "created_at": created, "updated_at": created, "tz": zone, "revision": 1})
        outbox.new_records(store, "wellbeing", [rid])
    return Wellbeing(id=rid, items=tuple(items), score=score, created_at=created, tz=zone, local_day=day)


def list_wellbeing(store: Store, *, limit: int = 520) -> list[Wellbeing]:
    """Newest first."""
    rows = store.db.execute("SELECT id, items, score, created_at, tz, local_day FROM wellbeing "
                            "WHERE deleted_at IS NULL ORDER BY rowid DESC LIMIT ?", [limit]).fetchall()
    return [Wellbeing(id=r[0], items=tuple(json.loads(r[1])), score=r[2], created_at=r[3], tz=r[4],
                      local_day=r[5]) for r in rows]


def wellbeing_due(store: Store, today) -> bool:
    """Offered weekly: due when none was filled in the last seven days."""
    return store.db.execute("SELECT 1 FROM wellbeing WHERE deleted_at IS NULL AND local_day >= ? LIMIT 1",
                            [wellbeing_since(today)]).fetchone() is None
