"""Check-ins and the WHO-5: append-only records (a mistaken one is deleted, never edited into another)."""

from __future__ import annotations

import json

from app.clock import local_day, local_zone_name
from app.domain import FEELINGS, LOVED_ONE_DAYS, RESPONSES, CheckIn, Wellbeing, new_id, utc_now
from app.store import Store, writing

WHO5_ITEMS = 5
WHO5_LOW = 28
WHO5_DROP = 10


class CheckInError(ValueError):
    """A check-in outside the allowed values (a programming error in the screen, or a bad import)."""


def _validate(mood, feelings, stress, sleep, loved_one_day, my_response) -> None:
    if not (isinstance(mood, int) and 1 <= mood <= 5):
        raise CheckInError("mood")
    if stress is not None and not (isinstance(stress, int) and 0 <= stress <= 10):
        raise CheckInError("stress")
    if sleep is not None and not (isinstance(sleep, int) and 1 <= sleep <= 5):
        raise CheckInError("sleep")
    if any(f not in FEELINGS for f in feelings):
        raise CheckInError("feelings")
    if loved_one_day is not None and loved_one_day not in LOVED_ONE_DAYS:
        raise CheckInError("loved_one_day")
    if any(r not in RESPONSES for r in my_response):
        raise CheckInError("my_response")


def add_checkins(store: Store, checkins: list[dict], *, now: str | None = None) -> list[str]:
    """Append check-ins in one transaction (batch first); each dict holds the CheckIn fields but id."""
    ids, rows = [], []
    for c in checkins:
        _validate(c["mood"], c.get("feelings", ()), c.get("stress"), c.get("sleep"), c.get("loved_one_day"),
                  c.get("my_response", ()))
        created = c.get("created_at") or now or utc_now()
        tz = c.get("tz") or local_zone_name()
        rid = new_id()
        note = (c.get("note") or "").strip() or None
        rows.append({"id": rid, "local_day": local_day(created, tz), "mood": c["mood"],
                     "feelings": json.dumps(list(dict.fromkeys(c.get("feelings", ())))),
                     "stress": c.get("stress"), "sleep": c.get("sleep"),
                     "note_enc": store.cipher.encrypt_optional("checkins", rid, "note", note),
                     "loved_one_day": c.get("loved_one_day"),
                     "my_response": json.dumps(list(dict.fromkeys(c.get("my_response", ())))),
                     "created_at": created, "updated_at": created, "tz": tz, "revision": 1})
        ids.append(rid)
    with writing(store):
        store.db["checkins"].insert_all(rows)
    return ids


def add_checkin(store: Store, **fields) -> CheckIn:
    return get_checkin(store, add_checkins(store, [fields])[0])


def _checkin(store: Store, row) -> CheckIn:
    rid, mood, feelings, stress, sleep, note, lod, resp, created, tz, day = row
    return CheckIn(id=rid, mood=mood, feelings=tuple(json.loads(feelings)), stress=stress, sleep=sleep,
                   note=store.cipher.decrypt_optional("checkins", rid, "note", note), loved_one_day=lod,
                   my_response=tuple(json.loads(resp)), created_at=created, tz=tz, local_day=day)


_CHECKIN_COLUMNS = "id, mood, feelings, stress, sleep, note_enc, loved_one_day, my_response, created_at, tz, local_day"


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
    now = utc_now()
    with writing(store):
        store.db.execute("UPDATE checkins SET deleted_at = ?, updated_at = ?, note_enc = NULL, "
                         "revision = revision + 1 WHERE id = ? AND deleted_at IS NULL", [now, now, checkin_id])


def checked_in_on(store: Store, day: str) -> bool:
    return store.db.execute("SELECT 1 FROM checkins WHERE deleted_at IS NULL AND local_day = ? LIMIT 1",
                            [day]).fetchone() is not None


# --- WHO-5 -----------------------------------------------------------------------------

def who5_score(items: list[int]) -> int:
    """Raw 0-25 times 4: the WHO-5 percentage score (0 worst, 100 best)."""
    if len(items) != WHO5_ITEMS or any(not isinstance(i, int) or not 0 <= i <= 5 for i in items):
        raise CheckInError("items")
    return sum(items) * 4


def who5_needs_care(score: int, previous: int | None) -> bool:
    """Low (28 or below) or dropped by 10 points or more: suggest talking to someone. Never a diagnosis."""
    return score <= WHO5_LOW or (previous is not None and previous - score >= WHO5_DROP)


def add_wellbeing(store: Store, items: list[int], *, created_at: str | None = None, tz: str | None = None
                  ) -> Wellbeing:
    score = who5_score(items)
    created, zone, rid = created_at or utc_now(), tz or local_zone_name(), new_id()
    with writing(store):
        store.db["wellbeing"].insert({"id": rid, "local_day": local_day(created, zone), "items": json.dumps(items),
                                      "score": score, "created_at": created, "updated_at": created, "tz": zone,
                                      "revision": 1})
    return list_wellbeing(store, limit=1)[0]


def list_wellbeing(store: Store, *, limit: int = 520) -> list[Wellbeing]:
    """Newest first."""
    rows = store.db.execute("SELECT id, items, score, created_at, tz, local_day FROM wellbeing "
                            "WHERE deleted_at IS NULL ORDER BY rowid DESC LIMIT ?", [limit]).fetchall()
    return [Wellbeing(id=r[0], items=tuple(json.loads(r[1])), score=r[2], created_at=r[3], tz=r[4],
                      local_day=r[5]) for r in rows]


def wellbeing_due(store: Store, today: str, *, every_days: int = 7) -> bool:
    """Offered weekly: due when none was filled in the last seven days."""
    import datetime as dt
    since = (dt.date.fromisoformat(today) - dt.timedelta(days=every_days - 1)).isoformat()
    return store.db.execute("SELECT 1 FROM wellbeing WHERE deleted_at IS NULL AND local_day >= ? LIMIT 1",
                            [since]).fetchone() is None
