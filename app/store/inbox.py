"""What the specialist sent (messages, recommended steps, feedback), the member's own messages,
and applying a page of pulled changes together with its cursor (SYNC.md, Pull)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from app.domain import new_id
from app.store import outbox
from app.store.core import Store, transaction

DOWN = ("message", "recommendation", "feedback")


@dataclass(frozen=True)
class Received:
    """One thing the specialist sent: a message, a recommended step, or feedback on a worksheet."""

    id: str
    entity: str
    data: dict
    seq: int
    received_at: str
    read: bool


@dataclass(frozen=True)
class SentMessage:
    id: str
    body: str
    in_reply_to: str | None
    created_at: str
    waiting: bool        # not yet on the server
    refused: str | None  # the server's reason, if it refused it


def apply_pull(store: Store, changes: list[dict], next_cursor: int) -> int:
    """Store one page of changes and its cursor in one transaction; returns how many new things arrived."""
    now, arrived = store.clock.stamp(), 0
    with transaction(store):
        for change in changes:
            entity, eid = change["entity"], change["entity_id"]
            if entity == "notice":
                _notice(store, change.get("data") or {})
            elif entity in DOWN and change.get("deleted"):
                store.db.execute("DELETE FROM inbox WHERE id = ?", [eid])
            elif entity in DOWN:
                blob = store.cipher.encrypt("inbox", eid, "data", json.dumps(change["data"], ensure_ascii=False))
                new = store.db.execute("SELECT 1 FROM inbox WHERE id = ?", [eid]).fetchone() is None
                store.db.execute("INSERT INTO inbox (id, entity, seq, data_enc, received_at) VALUES (?, ?, ?, ?, ?) "
                                 "ON CONFLICT (id) DO UPDATE SET data_enc = excluded.data_enc, seq = excluded.seq",
                                 [eid, entity, change["seq"], blob, now])
                arrived += int(new)
        store.db.execute(f"UPDATE {outbox.CONNECTION} SET cursor = ?, last_pulled_at = ?", [next_cursor, now])
    return arrived


def _notice(store: Store, data: dict) -> None:
    """The specialist erased this member's shared record (or the member did, from another phone): the record
    stays on this phone, marked not shared; it can never be shared again under its id."""
    if data.get("kind") != "erased" or data.get("entity") not in outbox.TABLES:
        return
    table, eid = outbox.TABLES[data["entity"]], data.get("entity_id")
    store.db.execute(f"UPDATE {table} SET sync_state = 'private', sync_note = 'erased' WHERE id = ?", [eid])
    store.db.execute("DELETE FROM outbox WHERE entity_id = ? AND state != 'rejected'", [eid])


def reset_cursor(store: Store) -> None:
    """The server asked for a pull from 0 (410): what was received stays; each thing is stored once by id."""
    with transaction(store):
        store.db.execute(f"UPDATE {outbox.CONNECTION} SET cursor = 0")


def list_received(store: Store) -> list[Received]:
    rows = store.db.execute("SELECT id, entity, data_enc, seq, received_at, read_at FROM inbox ORDER BY seq").fetchall()
    return [Received(id=r[0], entity=r[1], data=json.loads(store.cipher.decrypt("inbox", r[0], "data", r[2])),
                     seq=r[3], received_at=r[4], read=r[5] is not None) for r in rows]


def unread_count(store: Store) -> int:
    return store.db.execute("SELECT COUNT(*) FROM inbox WHERE read_at IS NULL").fetchone()[0]


def mark_read(store: Store, ids: list[str] | None = None) -> None:
    """Mark these (or everything) as read."""
    with transaction(store):
        if ids is None:
            store.db.execute("UPDATE inbox SET read_at = ? WHERE read_at IS NULL", [store.clock.stamp()])
        else:
            for eid in ids:
                store.db.execute("UPDATE inbox SET read_at = ? WHERE id = ? AND read_at IS NULL",
                                 [store.clock.stamp(), eid])


def add_message(store: Store, body: str, in_reply_to: str | None = None) -> SentMessage:
    """A message to the specialist: always shared (that is what sending is), queued with the record."""
    rid, now = new_id(), store.clock.stamp()
    with transaction(store):
        store.db["messages"].insert({"id": rid, "body_enc": store.cipher.encrypt("messages", rid, "body", body),
                                     "in_reply_to": in_reply_to, "created_at": now, "updated_at": now,
                                     "tz": store.clock.zone, "revision": 1})
        outbox.new_records(store, "message", [rid])
    return SentMessage(id=rid, body=body, in_reply_to=in_reply_to, created_at=now, waiting=True, refused=None)


def list_sent(store: Store) -> list[SentMessage]:
    rows = store.db.execute(
        "SELECT m.id, m.body_enc, m.in_reply_to, m.created_at, m.sync_note, "
        "EXISTS (SELECT 1 FROM outbox o WHERE o.entity_id = m.id AND o.state != 'rejected') "
        "FROM messages m WHERE m.deleted_at IS NULL ORDER BY m.rowid").fetchall()
    return [SentMessage(id=r[0], body=store.cipher.decrypt("messages", r[0], "body", r[1]), in_reply_to=r[2],
                        created_at=r[3], waiting=bool(r[5]), refused=r[4]) for r in rows]


def feedback_for_step(store: Store, step_id: str) -> list[Received]:
    """Feedback on the worksheet of this step (the specialist names the worksheet by its record id)."""
    row = store.db.execute("SELECT id FROM worksheets WHERE step_id = ?", [step_id]).fetchone()
    if row is None:
        return []
    return [r for r in list_received(store) if r.entity == "feedback" and r.data.get("worksheet_id") == row[0]]
