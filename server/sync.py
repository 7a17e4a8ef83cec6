"""The device's side of SYNC.md: pair, push, pull, unpair, and the erasure of a member's shared records.

Every query is scoped by the family (and member) of the caller. A push is applied in one transaction
under the family's row lock: each op with its op_id, its result and the next seq of the family's counter. The specialist's writes live in `server.admin`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, delete, insert, or_, select, update
from sqlalchemy.engine import Connection, Engine

from server import db, queries
from server.db import NoLongerPaired
from server.validation import Op, Rejected, hlc_key, parse_op, printable

SEEN_EVERY = dt.timedelta(minutes=1)  # last_seen_at is written at most this often per device


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def new_id() -> str:
    return str(uuid.uuid4())


# --- pairing ------------------------------------------------------------------------

def normalize_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch not in "- \t")


class PairError(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def pair(engine: Engine, code: str, device_name: str) -> dict:
    """Trade a good code for a device token; a new member is named by the device name."""
    key = sha256(normalize_code(code))
    with engine.begin() as conn:
        row = conn.execute(select(db.pairing_codes).where(db.pairing_codes.c.code_hash == key)
                           .with_for_update()).mappings().first()
        if row is None:
            raise PairError("invalid_code")
        if row["used_at"]:
            raise PairError("used_code")
        if dt.datetime.fromisoformat(row["expires_at"]) < db.utcnow():
            raise PairError("expired_code")
        conn.execute(update(db.pairing_codes).where(db.pairing_codes.c.code_hash == key).values(used_at=db.now()))
        family_id, member_id = row["family_id"], row["member_id"]
        if member_id is not None and not queries.member_in_family(conn, family_id, member_id):
            raise PairError("invalid_code")  # made for a member of another family: never pairs into this one
        if member_id is None:
            latest = conn.execute(select(db.families.c.latest_seq).where(db.families.c.id == family_id)).scalar_one()
            member_id = new_id()
            conn.execute(insert(db.members).values(id=member_id, family_id=family_id, name=device_name,
                                                   joined_seq=latest, joined_at=db.now()))
        token, device_id = secrets.token_urlsafe(32), new_id()
        conn.execute(insert(db.devices).values(id=device_id, family_id=family_id, member_id=member_id,
                                               name=device_name, token_hash=sha256(token), created_at=db.now()))
        db.audit(conn, family_id, f"device {device_id}", "paired", f"member {member_id}")
    return {"device_id": device_id, "member_id": member_id, "family_id": family_id, "token": token,
            "server_time": db.now()}


@dataclass(frozen=True)
class Device:
    id: str
    family_id: str
    member_id: str
    seen_due: bool = False  # last_seen_at is older than SEEN_EVERY: the request's own transaction updates it


def device_for_token(engine: Engine, token: str) -> Device | None:
    """The paired device holding this token (a read only: nothing is written to authenticate)."""
    with engine.connect() as conn:
        row = conn.execute(select(db.devices.c.id, db.devices.c.family_id, db.devices.c.member_id,
                                  db.devices.c.last_seen_at).where(
            db.devices.c.token_hash == sha256(token), db.devices.c.unpaired_at.is_(None))).first()
    if row is None:
        return None
    return Device(row[0], row[1], row[2], seen_due=row[3] is None or row[3] < _seen_cutoff())


def _seen_cutoff() -> str:
    return db.iso(db.utcnow() - SEEN_EVERY)


def _still_paired(conn: Connection, device: Device) -> None:
    """Inside the request's transaction: the device is still paired, else 401 (SYNC.md: erased is for ever).

    Also notes the device as seen, at most once a minute, in this same transaction.
    """
    if device.seen_due:
        conn.execute(update(db.devices).where(db.devices.c.id == device.id, or_(
            db.devices.c.last_seen_at.is_(None), db.devices.c.last_seen_at < _seen_cutoff())).values(
            last_seen_at=db.now()))
    if conn.execute(select(db.devices.c.id).where(db.devices.c.id == device.id,
                                                  db.devices.c.unpaired_at.is_(None))).first() is None:
        raise NoLongerPaired(device.id)


# --- push -----------------------------------------------------------------------------

def _result(op_id, status, version=None, seq=None, error=None) -> dict:
    return {"op_id": op_id, "status": status, "version": version, "seq": seq, "error": error}


def push(engine: Engine, device: Device, raw_ops: list[dict]) -> list[dict]:
    """Apply a batch in one transaction; raises NoLongerPaired once the device or family is gone. The family's
    row is locked first, so the batch's seqs are gap-free and in commit order and pushes never deadlock on each
    other; a batch that lost a race runs again from the start, so its results are those of what committed."""
    def work(conn):
        batch = _Batch(conn, device, raw_ops)
        results = [_apply(batch, raw["op_id"], parsed) for raw, parsed in zip(raw_ops, batch.parsed)]
        batch.write()
        return results
    return db.retrying(engine, work)


_INSERT_OP, _INSERT_CHANGE, _INSERT_RECORD = insert(db.ops), insert(db.changes), insert(db.records)
_INSERT_REVISION = insert(db.revisions)
_UPDATE_RECORD = update(db.records).where(db.records.c.family_id == bindparam("k_family"),
                                          db.records.c.entity_id == bindparam("k_entity"))
_DELETE_REVISIONS = delete(db.revisions).where(db.revisions.c.family_id == bindparam("k_family"),
                                               db.revisions.c.entity_id == bindparam("k_entity"))
_REVISION_WRITES = {"insert": _INSERT_REVISION, "delete": _DELETE_REVISIONS}
_RECORD_VALUES = ("version", "seq", "data", "hlc", "deleted", "tomb_kind", "device_id", "updated_at")


class _Batch:
    """One push's transaction. Under the family's row lock nobody else writes the family's ops, records or
    counter: the ops and records the batch names are read in two queries, each op is decided in memory in
    order (a later op of the batch sees what an earlier one did), and the writes go out at the end, a few
    statements for the whole batch. An op writes nothing that could fail on its own, so one failure fails
    the batch, whose results are then never sent: per-op results and idempotency stay exact."""

    def __init__(self, conn: Connection, device: Device, raw_ops: list[dict]):
        self.conn, self.device, fam = conn, device, device.family_id
        self.first_seq = self.seq = db.lock_family(conn, fam)
        _still_paired(conn, device)
        self.now = db.now()
        self.parsed: list[Op | Rejected] = []
        for raw in raw_ops:
            try:
                self.parsed.append(parse_op(raw))
            except Rejected as rej:
                self.parsed.append(rej)
        op_ids = list(dict.fromkeys(raw["op_id"] for raw in raw_ops))
        self.done = {row["op_id"]: dict(row) for row in conn.execute(
            select(db.ops).where(db.ops.c.family_id == fam, db.ops.c.op_id.in_(op_ids))).mappings()}
        entity_ids = list(dict.fromkeys(op.entity_id for op in self.parsed if isinstance(op, Op)))
        self.records: dict[str, dict | None] = dict.fromkeys(entity_ids)
        if entity_ids:
            for row in conn.execute(select(db.records).where(db.records.c.family_id == fam,
                                                             db.records.c.entity_id.in_(entity_ids))).mappings():
                self.records[row["entity_id"]] = dict(row)
        self.new_records: dict[str, dict] = {}   # entity_id -> the row to insert (its latest values)
        self.changed_records: dict[str, dict] = {}  # entity_id -> the values to set on a stored row
        self.revisions: list[tuple[str, dict]] = []  # ("insert", row) or ("delete", key), in the ops' order
        self.changes: list[dict] = []
        self.ops: list[dict] = []

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def set_record(self, op: Op, values: dict) -> None:
        """The record's new state (values: _RECORD_VALUES), seen by the batch's later ops and written at the end."""
        rec = self.records[op.entity_id]
        if rec is None or op.entity_id in self.new_records:
            row = {**(rec or dict(family_id=self.device.family_id, entity_id=op.entity_id, entity=op.entity,
                                  member_id=self.device.member_id)), **values}
            self.new_records[op.entity_id] = row
        else:
            row = {**rec, **values}
            self.changed_records[op.entity_id] = {k: row[k] for k in _RECORD_VALUES}
        self.records[op.entity_id] = row

    def keep_revision(self, entity_id: str, version: int, data: str, hlc: str | None) -> None:
        self.revisions.append(("insert", dict(family_id=self.device.family_id, entity_id=entity_id, version=version,
                                              data=data, hlc=hlc, created_at=self.now)))

    def drop_revisions(self, entity_id: str) -> None:
        self.revisions.append(("delete", dict(k_family=self.device.family_id, k_entity=entity_id)))

    def write(self) -> None:
        conn, fam = self.conn, self.device.family_id
        for kind, run in itertools.groupby(self.revisions, key=lambda r: r[0]):
            conn.execute(_REVISION_WRITES[kind], [r[1] for r in run])
        if self.new_records:
            conn.execute(_INSERT_RECORD, list(self.new_records.values()))
        if self.changed_records:
            conn.execute(_UPDATE_RECORD, [{**v, "k_family": fam, "k_entity": k}
                                          for k, v in self.changed_records.items()])
        if self.changes:
            conn.execute(_INSERT_CHANGE, self.changes)
        if self.ops:
            conn.execute(_INSERT_OP, self.ops)
        if self.seq != self.first_seq:
            conn.execute(update(db.families).where(db.families.c.id == fam).values(latest_seq=self.seq))


def _apply(batch: _Batch, op_id: str, parsed: Op | Rejected) -> dict:
    device = batch.device
    done = batch.done.get(op_id)
    if done is not None:
        if done["member_id"] != device.member_id:
            return _result(op_id, "rejected", error={"code": "op_id_taken", "field": "op_id",
                                                     "detail": "this op_id was used by another member"})
        first = _result(op_id, done["status"], done["version"], done["seq"], _stored_error(done["error"]))
        return first if done["status"] == "rejected" else {**first, "status": "duplicate"}
    try:
        if isinstance(parsed, Rejected):
            raise parsed
        result = _apply_valid(batch, parsed)
    except Rejected as rej:
        result = _result(op_id, "rejected", error=rej.as_dict())
    row = dict(family_id=device.family_id, op_id=op_id, member_id=device.member_id, status=result["status"],
               version=result["version"], seq=result["seq"],
               error=json.dumps(result["error"]) if result["error"] else None)
    batch.ops.append(row)
    batch.done[op_id] = row
    return result


def _stored_error(stored: str | None) -> dict | None:
    """A stored rejection as it is echoed (escaped again: rows stored before escaping may hold surrogates)."""
    if not stored:
        return None
    error = json.loads(stored)
    return {**error, "field": None if error.get("field") is None else printable(error["field"]),
            "detail": printable(error.get("detail") or "")}


def _apply_valid(batch: _Batch, op: Op) -> dict:
    device = batch.device
    rec = batch.records[op.entity_id]
    if rec is not None:
        if rec["member_id"] != device.member_id:
            raise Rejected("not_owner", "entity_id", "this record belongs to another member")
        if rec["entity"] != op.entity:
            raise Rejected("invalid_value", "entity", "differs from the stored record's entity")
    if op.kind in ("delete", "revoke"):
        return _tombstone(batch, op, rec, op.kind)
    if rec is not None and rec["deleted"]:
        kind = rec["tomb_kind"]
        if kind == "delete":
            raise Rejected("deleted", None, "this record was deleted")
        if kind == "erased":
            raise Rejected("erased", None, "this record was erased from the server")
        if op.base_version != rec["version"]:
            raise Rejected("revoked", "base_version", "sharing was stopped; share it again from this device")
    data = json.dumps(op.data, ensure_ascii=False)
    if rec is None:
        seq = batch.next_seq()
        batch.set_record(op, dict(version=1, seq=seq, data=data, hlc=op.hlc, deleted=False, tomb_kind=None,
                                  device_id=device.id, updated_at=batch.now))
        _log_up(batch, op, 1, seq)
        return _result(op.op_id, "applied", 1, seq)
    if rec["deleted"] or op.base_version == rec["version"]:
        return _replace(batch, op, rec, data, "applied")
    # Stale base: two devices of one member wrote the same record. Later hlc wins; nothing is dropped.
    now_dt = db.utcnow()
    if hlc_key(op.hlc, now_dt) > hlc_key(rec["hlc"] or op.hlc, now_dt):
        return _replace(batch, op, rec, data, "conflict")
    batch.keep_revision(op.entity_id, rec["version"], data, op.hlc)
    return _result(op.op_id, "conflict", rec["version"], rec["seq"])


def _replace(batch, op, rec, data, status) -> dict:
    """A new version of the record. Content that another device wrote is kept as a revision, so a
    write that won a conflict never vanishes under a later edit from the phone that lost it."""
    device = batch.device
    if not rec["deleted"] and (status == "conflict" or rec["device_id"] != device.id):
        batch.keep_revision(op.entity_id, rec["version"], rec["data"], rec["hlc"])
    seq, version = batch.next_seq(), rec["version"] + 1
    batch.set_record(op, dict(version=version, seq=seq, data=data, hlc=op.hlc, deleted=False, tomb_kind=None,
                              device_id=device.id, updated_at=batch.now))
    _log_up(batch, op, version, seq)
    return _result(op.op_id, status, version, seq)


FINAL = ("delete", "erased")  # tombstones nothing changes again (a revoke can be shared again)


def _tombstone(batch, op, rec, kind) -> dict:
    """Delete or revoke: erase content and revisions, leave a tombstone. A delete or erasure is final:
    a later delete or revoke of it, or a second revoke, changes nothing and answers the tombstone."""
    if rec is not None and rec["deleted"] and (rec["tomb_kind"] in FINAL or kind == rec["tomb_kind"]):
        return _result(op.op_id, "applied", rec["version"], rec["seq"])
    seq = batch.next_seq()
    version = (rec["version"] + 1) if rec else 1
    batch.drop_revisions(op.entity_id)
    batch.set_record(op, dict(version=version, seq=seq, data=None, deleted=True, tomb_kind=kind, hlc=op.hlc,
                              device_id=batch.device.id, updated_at=batch.now))
    _log_up(batch, op, version, seq, deleted=True)
    return _result(op.op_id, "applied", version, seq)


def _log_up(batch, op, version, seq, deleted=False) -> None:
    """An up change in the log: which record moved to which version; never its content (DESIGN.md)."""
    device = batch.device
    batch.changes.append(dict(family_id=device.family_id, seq=seq, direction="up", entity=op.entity,
                              entity_id=op.entity_id, version=version, deleted=deleted, data=None,
                              member_id=device.member_id, created_at=batch.now))


# --- pull -------------------------------------------------------------------------------

class ResyncRequired(Exception):
    pass


def pull(engine: Engine, device: Device, since: int, limit: int) -> dict:
    with engine.begin() as conn:
        _still_paired(conn, device)
        state = conn.execute(select(db.families.c.latest_seq, db.families.c.purged_seq, db.members.c.joined_seq)
                             .select_from(db.members.join(db.families, db.families.c.id == db.members.c.family_id))
                             .where(db.members.c.id == device.member_id,
                                    db.members.c.family_id == device.family_id)).first()
        if state is None:
            raise NoLongerPaired(device.id)
        latest, purged, joined = state
        if since != 0 and (since < purged or since > latest):
            raise ResyncRequired()
        c = db.changes.c
        mine = or_(and_(c.direction == "down", c.member_id == device.member_id),
                   and_(c.direction == "down", c.member_id.is_(None), c.seq > joined),
                   and_(c.direction == "notice", c.member_id == device.member_id))
        rows = conn.execute(select(c.seq, c.entity, c.entity_id, c.version, c.deleted, c.data)
                            .where(c.family_id == device.family_id, c.seq > since, mine)
                            .order_by(c.seq).limit(limit + 1)).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    changes = [{"seq": r[0], "entity": r[1], "entity_id": r[2], "version": r[3], "deleted": bool(r[4]),
                "data": None if r[4] or r[5] is None else json.loads(r[5])} for r in rows]
    return {"changes": changes, "next_cursor": rows[-1][0] if has_more else latest, "has_more": has_more}


# --- unpairing and erasure --------------------------------------------------------------------

def erase_member_records(conn: Connection, family_id: str, member_id: str) -> int:
    """Tombstone every shared record of a member (kind erased) and tell their devices."""
    recs = conn.execute(select(db.records.c.entity_id, db.records.c.entity, db.records.c.version).where(
        db.records.c.family_id == family_id, db.records.c.member_id == member_id,
        or_(db.records.c.deleted.is_(False), db.records.c.tomb_kind == "revoke"))).all()
    for entity_id, entity, version in recs:
        seq = db.next_seq(conn, family_id)
        conn.execute(update(db.records).where(db.records.c.family_id == family_id, db.records.c.entity_id == entity_id)
                     .values(version=version + 1, seq=seq, data=None, deleted=True, tomb_kind="erased",
                             device_id=None, updated_at=db.now()))
        notice_seq = db.next_seq(conn, family_id)
        conn.execute(insert(db.changes).values(
            family_id=family_id, seq=notice_seq, direction="notice", entity="notice", entity_id=new_id(), version=1,
            deleted=False, data=json.dumps({"kind": "erased", "entity": entity, "entity_id": entity_id}),
            member_id=member_id, created_at=db.now()))
    conn.execute(delete(db.revisions).where(db.revisions.c.family_id == family_id, db.revisions.c.entity_id.in_(
        select(db.records.c.entity_id).where(db.records.c.family_id == family_id,
                                             db.records.c.member_id == member_id))))
    return len(recs)


def unpair(engine: Engine, device: Device, erase: bool) -> None:
    def work(conn):
        _still_paired(conn, device)
        if erase:
            n = erase_member_records(conn, device.family_id, device.member_id)
            db.audit(conn, device.family_id, f"device {device.id}", "erased", f"member {device.member_id}: {n} records")
        conn.execute(update(db.devices).where(db.devices.c.id == device.id).values(unpaired_at=db.now()))
        db.audit(conn, device.family_id, f"device {device.id}", "unpaired", f"member {device.member_id}")
    db.retrying(engine, work)
