"""A shared record as SYNC.md's entity table says it: exactly the listed fields, nothing else leaves the phone."""

from __future__ import annotations

import json

from app.store.core import Store


def _journal_entry(store: Store, rid: str) -> dict | None:
    row = store.db.execute("SELECT body_enc, title_enc, tags, custom_tags_enc, step_id, created_at, updated_at, tz "
                           "FROM journal_entries WHERE id = ? AND deleted_at IS NULL", [rid]).fetchone()
    if row is None:
        return None
    c, t = store.cipher, "journal_entries"
    custom = json.loads(c.decrypt(t, rid, "custom_tags", row[3])) if row[3] else []
    return {"body": c.decrypt(t, rid, "body", row[0]), "title": c.decrypt_optional(t, rid, "title", row[1]),
            "tags": json.loads(row[2] or "[]") + custom, "step_id": row[4], "created_at": row[5],
            "updated_at": row[6], "tz": row[7]}


def _checkin(store: Store, rid: str) -> dict | None:
    row = store.db.execute("SELECT mood, feelings, stress, sleep, note_enc, loved_one_day, my_response, created_at, "
                           "tz FROM checkins WHERE id = ? AND deleted_at IS NULL", [rid]).fetchone()
    if row is None:
        return None
    return {"mood": row[0], "feelings": json.loads(row[1]), "stress": row[2], "sleep": row[3],
            "note": store.cipher.decrypt_optional("checkins", rid, "note", row[4]), "loved_one_day": row[5],
            "my_response": json.loads(row[6]), "created_at": row[7], "tz": row[8]}


def _wellbeing(store: Store, rid: str) -> dict | None:
    row = store.db.execute("SELECT items, score, created_at, tz FROM wellbeing WHERE id = ? AND deleted_at IS NULL",
                           [rid]).fetchone()
    return None if row is None else {"items": json.loads(row[0]), "score": row[1], "created_at": row[2],
                                     "tz": row[3]}


def _journey_progress(store: Store, rid: str) -> dict | None:
    row = store.db.execute("SELECT journey_id, step_id, status, completed_count, updated_at FROM journey_progress "
                           "WHERE id = ? AND deleted_at IS NULL", [rid]).fetchone()
    return None if row is None else dict(zip(("journey_id", "step_id", "status", "completed_count", "updated_at"),
                                             row))


def _worksheet(store: Store, rid: str) -> dict | None:
    row = store.db.execute("SELECT journey_id, step_id, kind, fields_enc, updated_at FROM worksheets "
                           "WHERE id = ? AND deleted_at IS NULL", [rid]).fetchone()
    if row is None:
        return None
    fields = json.loads(store.cipher.decrypt("worksheets", rid, "fields", row[3]))
    return {"journey_id": row[0], "step_id": row[1], "kind": row[2], "fields": fields, "updated_at": row[4]}


def _message(store: Store, rid: str) -> dict | None:
    row = store.db.execute("SELECT body_enc, in_reply_to, created_at FROM messages WHERE id = ? "
                           "AND deleted_at IS NULL", [rid]).fetchone()
    if row is None:
        return None
    return {"body": store.cipher.decrypt("messages", rid, "body", row[0]), "in_reply_to": row[1],
            "created_at": row[2]}


BUILDERS = {"journal_entry": _journal_entry, "checkin": _checkin, "wellbeing": _wellbeing,
            "journey_progress": _journey_progress, "worksheet": _worksheet, "message": _message}


def payload(store: Store, entity: str, record_id: str) -> dict | None:
    """The record's data as it may leave the phone, or None when it no longer exists."""
    return BUILDERS[entity](store, record_id)
