"""Sharing on this phone: the connection to the specialist's server, what each record's sharing state is,
and the outbox of ops (SYNC.md, "Rules the app keeps").

- A writer of a shared record calls `record_changed` inside its own transaction, so the record and
  its op are written together or not at all.
- Ops for one record collapse while still pending; an op's payload is frozen (encrypted) when it is
  first sent, so a retry after a crash sends the very same op and the server answers `duplicate`.
- Only the fields of SYNC.md's table leave the phone, only for records marked shared.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from app.domain import new_id
from app.errors import AppError
from app.store.core import Store, transaction
from app.store.payloads import payload
from app.sync.protocol import MAX_BODY, MAX_OP_BYTES, MAX_OPS, hlc, next_hlc

TABLES = {"journal_entry": "journal_entries", "checkin": "checkins", "wellbeing": "wellbeing",
          "journey_progress": "journey_progress", "worksheet": "worksheets", "message": "messages"}
FINAL = ("deleted", "erased")  # the server holds a final tombstone: never shared again under this id
CONNECTION = "sync_connection"


@dataclass(frozen=True)
class Connection:
    server_url: str
    device_id: str
    member_id: str
    family_id: str
    status: str              # active, closed (the server no longer knows this phone), unpairing
    unpair_erase: bool | None
    paired_at: str
    cursor: int
    last_sent_at: str | None
    last_pulled_at: str | None
    last_error: str | None
    retry_at: str | None
    closed_at: str | None


_CONNECTION_COLUMNS = ("server_url, device_id, member_id, family_id, status, unpair_erase, paired_at, cursor, "
                       "last_sent_at, last_pulled_at, last_error, retry_at, closed_at")


def get_connection(store: Store) -> Connection | None:
    row = store.db.execute(f"SELECT {_CONNECTION_COLUMNS} FROM {CONNECTION}").fetchone()
    if row is None:
        return None
    values = list(row)
    values[5] = None if values[5] is None else bool(values[5])
    return Connection(*values)


def device_name(store: Store) -> str | None:
    row = store.db.execute(f"SELECT name_enc FROM {CONNECTION}").fetchone()
    return store.cipher.decrypt_optional(CONNECTION, "connection", "name", row[0]) if row else None


def get_token(store: Store) -> str | None:
    """The device token when it is kept in this store (elsewhere than a phone's secure storage)."""
    row = store.db.execute(f"SELECT token_enc FROM {CONNECTION}").fetchone()
    return store.cipher.decrypt_optional(CONNECTION, "connection", "token", row[0]) if row else None


def set_token(store: Store, token: str | None) -> None:
    """Keep (or wipe) the device token, encrypted, in the connection row."""
    blob = store.cipher.encrypt_optional(CONNECTION, "connection", "token", token)
    with transaction(store):
        store.db.execute(f"UPDATE {CONNECTION} SET token_enc = ?", [blob])


def save_pairing(store: Store, *, server_url: str, device_id: str, member_id: str, family_id: str,
                 name: str) -> None:
    """A new pairing: start from a clean slate (cursor 0, no server versions of an older pairing)."""
    c = store.cipher
    with transaction(store):
        if get_connection(store) is not None:
            raise AppError("already_paired")
        _reset_sharing(store)
        store.db[CONNECTION].insert({
            "id": "connection", "server_url": server_url, "device_id": device_id, "member_id": member_id,
            "family_id": family_id, "name_enc": c.encrypt(CONNECTION, "connection", "name", name), "status": "active",
            "paired_at": store.clock.stamp(), "cursor": 0})


def _reset_sharing(store: Store) -> None:
    """Every record private, no server version, no outbox: what an old pairing left means nothing now."""
    for table in TABLES.values():
        store.db.execute(f"UPDATE {table} SET sync_state = 'private', server_version = 0, tombstone_version = NULL, "
                         "sync_note = NULL WHERE sync_state != 'private' OR server_version != 0 "
                         "OR sync_note IS NOT NULL")
    store.db.execute("DELETE FROM outbox")


def forget_connection(store: Store) -> None:
    """After unpairing: the connection and its outbox go; every local record stays, marked not shared."""
    with transaction(store):
        _reset_sharing(store)
        store.db.execute(f"DELETE FROM {CONNECTION}")


def mark_closed(store: Store) -> None:
    """The server answered 401: sync stops; shared records stay marked as shared with a closed connection."""
    now = store.clock.stamp()
    with transaction(store):
        store.db.execute(f"UPDATE {CONNECTION} SET status = 'closed', closed_at = COALESCE(closed_at, ?), "
                         "token_enc = NULL, retry_at = NULL", [now])
        for table in TABLES.values():
            store.db.execute(f"UPDATE {table} SET sync_state = 'shared_closed' WHERE sync_state = 'shared'")
        store.db.execute("DELETE FROM outbox WHERE state != 'rejected'")


def mark_unpairing(store: Store, *, erase: bool) -> None:
    """Unpairing was asked while the server could not be reached: keep the token until it has heard."""
    with transaction(store):
        store.db.execute(f"UPDATE {CONNECTION} SET status = 'unpairing', unpair_erase = ?", [int(erase)])


def note_attempt(store: Store, *, error: str | None = None, retry_at: str | None = None, sent: bool = False,
                 pulled: bool = False) -> None:
    now = store.clock.stamp()
    sets = ["last_error = :error", "retry_at = :retry"]
    if sent:
        sets.append("last_sent_at = :now")
    if pulled:
        sets.append("last_pulled_at = :now")
    with transaction(store):
        store.db.execute(f"UPDATE {CONNECTION} SET {', '.join(sets)}", {"error": error, "retry": retry_at, "now": now})


# --- what is shared -----------------------------------------------------------------------------

def _journey_shared(store: Store, journey_id: str) -> bool:
    row = store.db.execute("SELECT shared FROM journey_sharing WHERE journey_id = ?", [journey_id]).fetchone()
    if row is not None:
        return bool(row[0])
    return _setting(store, "share_progress")


def _setting(store: Store, key: str) -> bool:
    row = store.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return bool(row and row[0] and json.loads(row[0]))


DEFAULTS = {"checkin": "share_checkins", "wellbeing": "share_wellbeing"}


def _active(store: Store) -> bool:
    row = store.db.execute(f"SELECT status FROM {CONNECTION}").fetchone()
    return bool(row and row[0] == "active")


def new_records(store: Store, entity: str, ids: list[str]) -> None:
    """Just-written records: shared at once when the person's default says so (inside the writer's transaction)."""
    if not ids or not _active(store):
        return
    table = TABLES[entity]
    for rid in ids:
        if entity == "journey_progress":
            journey = store.db.execute("SELECT journey_id FROM journey_progress WHERE id = ?", [rid]).fetchone()[0]
            share = _journey_shared(store, journey)
        else:
            share = entity == "message" or (entity in DEFAULTS and _setting(store, DEFAULTS[entity]))
        if share:
            store.db.execute(f"UPDATE {table} SET sync_state = 'shared' WHERE id = ?", [rid])
            _enqueue(store, entity, rid, "upsert")


def record_changed(store: Store, entity: str, record_id: str, kind: str = "upsert") -> None:
    """A record was edited (upsert) or deleted: queue its op if it is shared (inside the writer's transaction)."""
    row = store.db.execute(f"SELECT sync_state FROM {TABLES[entity]} WHERE id = ?", [record_id]).fetchone()
    if row and row[0] == "shared" and _active(store):
        _enqueue(store, entity, record_id, kind)


def set_shared(store: Store, entity: str, record_id: str, shared: bool) -> str:
    """Share a record with the specialist, or stop sharing it (a revoke at the next sync); returns its state."""
    table = TABLES[entity]
    with transaction(store):
        row = store.db.execute(f"SELECT sync_state, sync_note, deleted_at FROM {table} WHERE id = ?",
                               [record_id]).fetchone()
        if row is None or row[2]:
            raise AppError("not_found")
        state, note, _deleted = row
        if shared:
            if note in FINAL:
                raise AppError("share_refused", note)
            if not _active(store):
                raise AppError("not_paired")
            if state != "shared":
                store.db.execute(f"UPDATE {table} SET sync_state = 'shared', sync_note = NULL WHERE id = ?",
                                 [record_id])
                _enqueue(store, entity, record_id, "upsert")
            return "shared"
        if state not in ("shared", "shared_closed"):
            return state
        if state == "shared" and _server_knows(store, entity, record_id):
            store.db.execute(f"UPDATE {table} SET sync_state = 'revoked' WHERE id = ?", [record_id])
            _enqueue(store, entity, record_id, "revoke")
            return "revoked"
        store.db.execute(f"UPDATE {table} SET sync_state = 'private' WHERE id = ?", [record_id])
        store.db.execute("DELETE FROM outbox WHERE entity_id = ? AND state = 'pending'", [record_id])
        return "private"


def worksheet_id(store: Store, step_id: str) -> str | None:
    """The record id of a step's worksheet (a plan, a scale), if the person has filled it in."""
    row = store.db.execute("SELECT id FROM worksheets WHERE step_id = ? AND deleted_at IS NULL", [step_id]).fetchone()
    return row[0] if row else None


def worksheet_steps(store: Store) -> dict[str, str]:
    """Worksheet record id -> its step id (the specialist's feedback names the worksheet by record id)."""
    return dict(store.db.execute("SELECT id, step_id FROM worksheets").fetchall())


def set_journey_shared(store: Store, journey_id: str, shared: bool) -> None:
    """Share (or stop sharing) a journey's progress: its step records now, and those started later."""
    with transaction(store):
        store.db.execute("INSERT INTO journey_sharing (journey_id, shared, updated_at) VALUES (?, ?, ?) "
                         "ON CONFLICT (journey_id) DO UPDATE SET shared = excluded.shared, "
                         "updated_at = excluded.updated_at", [journey_id, int(shared), store.clock.stamp()])
        ids = [r[0] for r in store.db.execute("SELECT id FROM journey_progress WHERE journey_id = ? "
                                              "AND deleted_at IS NULL", [journey_id])]
        for rid in ids:
            set_shared(store, "journey_progress", rid, shared)


def journey_shared(store: Store, journey_id: str) -> bool:
    return _journey_shared(store, journey_id)


def share_existing(store: Store, entity: str) -> int:
    """Share every record of a kind that is not shared yet (when the person turns a default on and says yes)."""
    table = TABLES[entity]
    with transaction(store):
        ids = [r[0] for r in store.db.execute(
            f"SELECT id FROM {table} WHERE deleted_at IS NULL AND sync_state != 'shared' "
            "AND (sync_note IS NULL OR sync_note NOT IN ('deleted', 'erased')) ORDER BY rowid")]
        for rid in ids:
            set_shared(store, entity, rid, True)
    return len(ids)


def _server_knows(store: Store, entity: str, record_id: str) -> bool:
    """The server may hold this record: it gave it a version, or an op for it went out."""
    version = store.db.execute(f"SELECT server_version FROM {TABLES[entity]} WHERE id = ?", [record_id]).fetchone()
    if version and version[0]:
        return True
    return store.db.execute("SELECT 1 FROM outbox WHERE entity_id = ? AND state = 'sent'",
                            [record_id]).fetchone() is not None


def _next_hlc(store: Store) -> str:
    row = store.db.execute(f"SELECT device_id, hlc_time, hlc_counter FROM {CONNECTION}").fetchone()
    time, counter = next_hlc(row[1], row[2], store.clock.now())
    store.db.execute(f"UPDATE {CONNECTION} SET hlc_time = ?, hlc_counter = ?", [time, counter])
    return hlc(time, counter, row[0])


def _enqueue(store: Store, entity: str, record_id: str, kind: str, *, force: bool = False) -> None:
    """Queue (or collapse into the pending op) the change of one record; the hlc is the time of the change."""
    stamp = _next_hlc(store)
    pending = store.db.execute("SELECT n FROM outbox WHERE entity_id = ? AND state = 'pending'",
                               [record_id]).fetchone()
    if kind != "upsert" and not force and not _server_knows(store, entity, record_id):
        if pending:  # never sent: the server never heard of it, so there is nothing to take back
            store.db.execute("DELETE FROM outbox WHERE n = ?", [pending[0]])
        return
    store.outbox_dirty = True
    if pending:
        store.db.execute("UPDATE outbox SET kind = ?, hlc = ? WHERE n = ?", [kind, stamp, pending[0]])
    else:
        store.db["outbox"].insert({"op_id": new_id(), "entity": entity, "entity_id": record_id, "kind": kind,
                                   "hlc": stamp, "state": "pending", "created_at": store.clock.stamp()})


# --- sending ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Batch:
    ops: list[dict]
    body: bytes  # the request body, UTF-8 JSON without escaping non-ASCII (SYNC.md)


def _encode(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _freeze(store: Store, row) -> dict | None:
    """Turn a pending op into the op that will be sent, and keep it (encrypted) until the server answers."""
    n, op_id, entity, entity_id, kind, stamp = row
    table = TABLES[entity]
    rec = store.db.execute(f"SELECT sync_state, server_version FROM {table} WHERE id = ?", [entity_id]).fetchone()
    if rec is None or (kind == "upsert" and rec[0] != "shared"):
        store.db.execute("DELETE FROM outbox WHERE n = ?", [n])  # no longer shared: nothing to send
        return None
    data = None
    if kind == "upsert":
        data = payload(store, entity, entity_id)
        if data is None:
            store.db.execute("DELETE FROM outbox WHERE n = ?", [n])
            return None
    op = {"op_id": op_id, "entity": entity, "entity_id": entity_id, "kind": kind, "base_version": rec[1],
          "hlc": stamp}
    if data is not None:
        op["data"] = data
    if len(_encode(op)) > MAX_OP_BYTES:
        _reject(store, n, entity, entity_id, "too_large")  # set aside with its reason, before sending
        return None
    blob = store.cipher.encrypt("outbox", op_id, "payload", _encode(op).decode("utf-8"))
    store.db.execute("UPDATE outbox SET state = 'sent', base_version = ?, payload_enc = ? WHERE n = ?",
                     [rec[1], blob, n])
    return op


def prepare_batch(store: Store, *, withdrawals_only: bool = False) -> Batch | None:
    """The next push: ops already sent but not answered (the same ops again), then pending ones, frozen now.

    A pending op waits while an op of the same record is unanswered, so it is based on the version the
    server gives that one. At most MAX_OPS ops and MAX_BODY bytes. `withdrawals_only` (on the way out of
    a pairing) leaves pending upserts unsent: only what the person took back (delete, revoke) goes."""
    ops: list[dict] = []
    size = len(b'{"ops":[]}')
    with transaction(store):
        status = store.db.execute(f"SELECT status FROM {CONNECTION}").fetchone()
        if not status or status[0] not in (("active", "unpairing") if withdrawals_only else ("active",)):
            return None
        unanswered = {r[0] for r in store.db.execute("SELECT entity_id FROM outbox WHERE state = 'sent'")}
        for n, op_id, entity, entity_id, kind, stamp, state, blob in _waiting(store):
            if state == "sent":
                op = json.loads(store.cipher.decrypt("outbox", op_id, "payload", blob))
            elif entity_id in unanswered or (withdrawals_only and kind not in ("delete", "revoke")):
                continue
            else:
                op = _freeze(store, (n, op_id, entity, entity_id, kind, stamp))
                if op is None:
                    continue
                unanswered.add(entity_id)
            grown = size + len(_encode(op)) + (1 if ops else 0)  # a comma before every op but the first
            if len(ops) == MAX_OPS or grown > MAX_BODY:
                break
            ops.append(op)
            size = grown
    return Batch(ops, _encode({"ops": ops})) if ops else None


def _waiting(store: Store, page: int = MAX_OPS * 2):
    """Sent and pending ops in queue order, read a page at a time: a batch takes the first hundred or so, and
    reading the whole queue for each batch made a push of 10,000 ops quadratic (issue 16: 1.2 of 2.4 s).
    Each page is read whole before the caller writes to the outbox."""
    after = -1
    while True:
        rows = store.db.execute("SELECT n, op_id, entity, entity_id, kind, hlc, state, payload_enc FROM outbox "
                                "WHERE state IN ('sent', 'pending') AND n > ? ORDER BY n LIMIT ?",
                                [after, page]).fetchall()
        yield from rows
        if len(rows) < page:
            return
        after = rows[-1][0]


def _reject(store: Store, n: int, entity: str, entity_id: str, code: str) -> None:
    """Set an op aside, never to be retried blindly; the record carries the reason for the person."""
    store.db.execute("UPDATE outbox SET state = 'rejected', error = ?, payload_enc = NULL WHERE n = ?", [code, n])
    table = TABLES[entity]
    if code in FINAL:
        store.db.execute(f"UPDATE {table} SET sync_state = 'private', sync_note = ? WHERE id = ?", [code, entity_id])
    elif code == "revoked":  # stopped from the member's other phone: shared again only if they choose
        store.db.execute(f"UPDATE {table} SET sync_state = 'revoked', sync_note = ? WHERE id = ?", [code, entity_id])
        # A revoke of a revoked record answers the tombstone's version (docs/sync-protocol.md): learn it,
        # so that sharing again from this phone is based on it rather than refused for ever.
        _enqueue(store, entity, entity_id, "revoke", force=True)
    else:
        store.db.execute(f"UPDATE {table} SET sync_note = ? WHERE id = ?", [code, entity_id])


def apply_results(store: Store, batch: Batch, results: list[dict]) -> dict[str, int]:
    """Store what the server answered for each op, in one transaction; returns a count per status."""
    counts: dict[str, int] = {}
    with transaction(store):
        for op, result in zip(batch.ops, results):
            status = result["status"]
            counts[status] = counts.get(status, 0) + 1
            row = store.db.execute("SELECT n FROM outbox WHERE op_id = ? AND state = 'sent'", [op["op_id"]]).fetchone()
            if row is None:
                continue  # already answered (a late duplicate answer changes nothing)
            table = TABLES[op["entity"]]
            if status == "rejected":
                _reject(store, row[0], op["entity"], op["entity_id"], (result.get("error") or {}).get("code", "?"))
                continue
            if result.get("version") is not None:  # an accepted upsert also clears an older refusal's note
                clear = ", sync_note = NULL" if op["kind"] == "upsert" else ""
                store.db.execute(f"UPDATE {table} SET server_version = ?{clear} WHERE id = ?",
                                 [result["version"], op["entity_id"]])
            store.db.execute("DELETE FROM outbox WHERE n = ?", [row[0]])
        store.db.execute(f"UPDATE {CONNECTION} SET last_sent_at = ?", [store.clock.stamp()])
    return counts


@dataclass(frozen=True)
class OutboxState:
    waiting: int    # ops not yet answered by the server
    refused: int    # ops set aside with a reason


def outbox_state(store: Store) -> OutboxState:
    rows = dict(store.db.execute("SELECT state = 'rejected', COUNT(*) FROM outbox GROUP BY state = 'rejected'"))
    return OutboxState(waiting=rows.get(0, 0), refused=rows.get(1, 0))


def dismiss_refusals(store: Store) -> None:
    with transaction(store):
        store.db.execute("DELETE FROM outbox WHERE state = 'rejected'")


# --- what the person sees of it ------------------------------------------------------------------

@dataclass(frozen=True)
class Mark:
    """A record's sharing state as the person sees it: private, shared, waiting (to be sent), unsharing (to be
    taken back), refused (with the server's code), removed (erased or deleted on the server), revoked_elsewhere,
    or closed."""

    state: str
    note: str | None = None


def marks(store: Store, entity: str, ids: list[str]) -> dict[str, Mark]:
    table, result = TABLES[entity], {}
    for rid in ids:
        row = store.db.execute(f"SELECT sync_state, sync_note FROM {table} WHERE id = ?", [rid]).fetchone()
        if row is None:
            continue
        state, note = row
        queued = store.db.execute("SELECT state FROM outbox WHERE entity_id = ? ORDER BY n DESC LIMIT 1",
                                  [rid]).fetchone()
        if note in FINAL:
            result[rid] = Mark("removed", note)
        elif state == "revoked" and note == "revoked":
            result[rid] = Mark("revoked_elsewhere", note)
        elif queued and queued[0] == "rejected" or (note and state == "shared"):
            result[rid] = Mark("refused", note or "?")
        elif queued:  # on its way: to be shared, or to be taken back
            result[rid] = Mark("waiting" if state == "shared" else "unsharing")
        elif state == "shared_closed":
            result[rid] = Mark("closed")
        else:
            result[rid] = Mark("shared" if state == "shared" else "private")
    return result


@dataclass(frozen=True)
class SharedRecord:
    """One shared record, for the list of what the specialist sees (no text but a journal entry's heading)."""

    entity: str
    record_id: str
    when: str
    heading: str | None = None   # a journal entry's title, else the start of its text
    number: int | None = None    # a check-in's mood, a WHO-5 score
    ref: str | None = None       # a worksheet's step, a journey's id
    count: int = 1               # journey progress: steps shared
    mark: Mark = Mark("shared")


def _heading(store: Store, rid: str) -> str:
    row = store.db.execute("SELECT title_enc, body_enc FROM journal_entries WHERE id = ?", [rid]).fetchone()
    title = store.cipher.decrypt_optional("journal_entries", rid, "title", row[0])
    if title:
        return title
    text = " ".join(store.cipher.decrypt("journal_entries", rid, "body", row[1]).split())
    return text if len(text) <= 60 else text[:57].rstrip() + "…"


def list_shared(store: Store) -> list[SharedRecord]:
    """Everything marked shared (with this connection, or a closed one), newest first within each kind."""
    where = "sync_state IN ('shared', 'shared_closed') AND deleted_at IS NULL"
    out: list[SharedRecord] = []
    for (rid, when) in store.db.execute(f"SELECT id, created_at FROM journal_entries WHERE {where} ORDER BY rowid DESC"):
        out.append(SharedRecord("journal_entry", rid, when, heading=_heading(store, rid)))
    for (rid, when, mood) in store.db.execute(f"SELECT id, created_at, mood FROM checkins WHERE {where} "
                                              "ORDER BY rowid DESC"):
        out.append(SharedRecord("checkin", rid, when, number=mood))
    for (rid, when, score) in store.db.execute(f"SELECT id, created_at, score FROM wellbeing WHERE {where} "
                                               "ORDER BY rowid DESC"):
        out.append(SharedRecord("wellbeing", rid, when, number=score))
    for (rid, when, step) in store.db.execute(f"SELECT id, updated_at, step_id FROM worksheets WHERE {where} "
                                              "ORDER BY rowid DESC"):
        out.append(SharedRecord("worksheet", rid, when, ref=step))
    for (journey, when, n) in store.db.execute(f"SELECT journey_id, MAX(updated_at), COUNT(*) FROM journey_progress "
                                               f"WHERE {where} GROUP BY journey_id ORDER BY journey_id"):
        out.append(SharedRecord("journey_progress", journey, when, ref=journey, count=n))
    found = {(r.entity, r.record_id) for r in out if r.entity != "journey_progress"}
    by_entity: dict[str, list[str]] = {}
    for entity, rid in found:
        by_entity.setdefault(entity, []).append(rid)
    all_marks = {(e, rid): m for e, ids in by_entity.items() for rid, m in marks(store, e, ids).items()}
    return [SharedRecord(r.entity, r.record_id, r.when, r.heading, r.number, r.ref, r.count,
                         all_marks.get((r.entity, r.record_id), r.mark)) for r in out]


def list_refused(store: Store) -> list[tuple[str, str, str]]:
    """(entity, record id, code) of every op the server refused, newest first."""
    return [tuple(r) for r in store.db.execute("SELECT entity, entity_id, error FROM outbox WHERE state = 'rejected' "
                                               "ORDER BY n DESC")]


def count_unshared(store: Store, entity: str) -> int:
    return store.db.execute(f"SELECT COUNT(*) FROM {TABLES[entity]} WHERE deleted_at IS NULL AND "
                            "sync_state != 'shared' AND (sync_note IS NULL OR sync_note NOT IN ('deleted', 'erased'))"
                            ).fetchone()[0]


def journeys_with_progress(store: Store) -> list[str]:
    return [r[0] for r in store.db.execute("SELECT DISTINCT journey_id FROM journey_progress ORDER BY journey_id")]


def imported(store: Store, table: str, ids: list[str]) -> None:
    """An import gave these records newer words (inside its transaction): queue the shared ones again."""
    entity = next((e for e, t in TABLES.items() if t == table), None)
    if entity is None:
        return
    for rid in ids:
        record_changed(store, entity, rid)
