"""The specialist's and the practice admin's writes: families, specialists, pairing codes, what is sent
down, unpairing, erasure, purging, and what a view of a family records. Used by the dashboard and the CLI.

Each function is one transaction. It checks what it is given (text as SYNC.md checks an op's text; ids
as UUIDs) and raises Invalid or NotFound; the dashboard answers 400 or 404, the CLI an error line.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine

from server import db, queries
from server.auth import hash_password
from server.queries import Family, as_uuid
from server.sync import erase_member_records, new_id, sha256
from server.validation import MAX_ID, MAX_TEXT, text_fault

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 12  # 12 x 5 bits = 60 bits
CODE_TTL = dt.timedelta(minutes=15)
MIN_PASSWORD = 10


class NotFound(LookupError):
    """Nothing by that id here (or not for this specialist): the same answer either way."""


class Invalid(ValueError):
    """Input that cannot be stored; the message says what to change."""


def clean_text(value: str | None, what: str, max_len: int, *, required: bool = True) -> str | None:
    """Trimmed text that the database can hold (no NUL, no lone surrogate, within max_len), or Invalid."""
    value = (value or "").strip()
    if not value:
        if required:
            raise Invalid(f"{what} is required.")
        return None
    fault = text_fault(value, max_len)
    if fault:
        raise Invalid(f"{what} cannot be used: {fault[1]}.")
    return value


def _member(conn: Connection, family_id: str, member_id: str | None) -> str | None:
    """None for "the whole family", else the member's id if they belong to this family."""
    if not member_id:
        return None
    member_id = as_uuid(member_id)
    if member_id is None or not queries.member_in_family(conn, family_id, member_id):
        raise NotFound("no member with that id in this family")
    return member_id


def _family(conn: Connection, family_id: str) -> Family:
    found = queries.family(conn, as_uuid(family_id) or "")
    if found is None:
        raise NotFound(f"no family with the id {family_id}")
    return found


# --- specialists and families ---------------------------------------------------------------

def _password_hash(password: str) -> str:
    if len(password) < MIN_PASSWORD or text_fault(password, 1000):
        raise Invalid(f"The password must be {MIN_PASSWORD} to 1000 characters, without NUL characters.")
    return hash_password(password)


def create_specialist(engine: Engine, email: str, name: str, password: str, *, is_admin: bool = False,
                      actor: str = "admin (command line)") -> str:
    email = clean_text(email, "The email", 320).lower()
    name = clean_text(name, "The name", 200)
    if "@" not in email:
        raise Invalid("Give a valid email.")
    password_hash = _password_hash(password)
    with engine.begin() as conn:
        if queries.specialist_by_email(conn, email):
            raise Invalid(f"A specialist with the email {email} already exists.")
        sid = new_id()
        conn.execute(insert(db.specialists).values(id=sid, email=email, name=name, password_hash=password_hash,
                                                   is_admin=is_admin, created_at=db.now()))
        db.audit(conn, None, actor, "created_specialist", f"{email}{' (admin)' if is_admin else ''}")
    return sid


def _specialist(conn: Connection, email_or_id: str):
    found = queries.specialist_by_id(conn, as_uuid(email_or_id) or "") or \
        queries.specialist_by_email(conn, email_or_id if not text_fault(email_or_id, 320) else "")
    if found is None:
        raise NotFound(f"no specialist {email_or_id}")
    return found


def set_password(engine: Engine, email_or_id: str, password: str, actor: str) -> str:
    """A new password; every session of that specialist ends (the caller may start a fresh one)."""
    password_hash = _password_hash(password)
    with engine.begin() as conn:
        spec = _specialist(conn, email_or_id)
        conn.execute(update(db.specialists).where(db.specialists.c.id == spec.id).values(password_hash=password_hash))
        conn.execute(delete(db.sessions).where(db.sessions.c.specialist_id == spec.id))
        db.audit(conn, None, actor, "set_password", spec.email)
    return spec.id


def set_active(engine: Engine, email_or_id: str, active: bool, actor: str) -> None:
    """Deactivate (cannot sign in; sessions end; families stay) or reactivate a specialist."""
    with engine.begin() as conn:
        spec = _specialist(conn, email_or_id)
        conn.execute(update(db.specialists).where(db.specialists.c.id == spec.id)
                     .values(deactivated_at=None if active else db.now()))
        if not active:
            conn.execute(delete(db.sessions).where(db.sessions.c.specialist_id == spec.id))
        db.audit(conn, None, actor, "reactivated" if active else "deactivated", spec.email)


def move_family(engine: Engine, family_id: str, to_specialist: str, actor: str) -> None:
    """Assign the family to another specialist instead of its current ones."""
    with engine.begin() as conn:
        family = _family(conn, family_id)
        spec = _specialist(conn, to_specialist)
        conn.execute(delete(db.family_specialists).where(db.family_specialists.c.family_id == family.id))
        conn.execute(insert(db.family_specialists).values(family_id=family.id, specialist_id=spec.id))
        db.audit(conn, family.id, actor, "moved_family", f"to {spec.email}")


def start_totp(engine: Engine, specialist_id: str) -> str:
    """A new secret for an authenticator app; it takes effect once a code from it is confirmed."""
    import pyotp
    secret = pyotp.random_base32()
    with engine.begin() as conn:
        conn.execute(update(db.specialists).where(db.specialists.c.id == specialist_id,
                                                  db.specialists.c.totp_enabled_at.is_(None))
                     .values(totp_secret=secret))
    return secret


RECOVERY_CODES = 10


def enable_totp(engine: Engine, specialist_id: str, code: str, actor: str) -> list[str]:
    """Turn the second factor on with a code from the app; returns recovery codes, shown once."""
    import pyotp
    codes = ["-".join(secrets.token_hex(3) for _ in range(2)) for _ in range(RECOVERY_CODES)]
    with engine.begin() as conn:
        secret = queries.totp_secret(conn, specialist_id)
        if not secret or not pyotp.TOTP(secret).verify(code.strip().replace(" ", ""), valid_window=1):
            raise Invalid("That code does not match. Check the time on your phone and try the newest code.")
        conn.execute(update(db.specialists).where(db.specialists.c.id == specialist_id).values(totp_enabled_at=db.now()))
        conn.execute(delete(db.recovery_codes).where(db.recovery_codes.c.specialist_id == specialist_id))
        conn.execute(insert(db.recovery_codes), [{"specialist_id": specialist_id, "code_hash": sha256(c)}
                                                 for c in codes])
        db.audit(conn, None, actor, "enabled_2fa")
    return codes


def disable_totp(engine: Engine, specialist_id: str, actor: str) -> None:
    with engine.begin() as conn:
        conn.execute(update(db.specialists).where(db.specialists.c.id == specialist_id)
                     .values(totp_secret=None, totp_enabled_at=None))
        conn.execute(delete(db.recovery_codes).where(db.recovery_codes.c.specialist_id == specialist_id))
        db.audit(conn, None, actor, "disabled_2fa")


def add_family(engine: Engine, name: str, specialist_email: str) -> str:
    name = clean_text(name, "The family's name", 200)
    family_id = new_id()
    with engine.begin() as conn:
        spec = queries.specialist_by_email(conn, clean_text(specialist_email, "The email", 320))
        if spec is None:
            raise NotFound(f"no specialist with the email {specialist_email}")
        conn.execute(insert(db.families).values(id=family_id, name=name, created_at=db.now()))
        conn.execute(insert(db.family_specialists).values(family_id=family_id, specialist_id=spec.id))
        db.audit(conn, family_id, spec.email, "created_family")
    return family_id


# --- pairing codes -------------------------------------------------------------------------

def format_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def create_pairing_code(engine: Engine, family_id: str, member_id: str | None, actor: str) -> str:
    """A fresh single-use code, for a new member (member_id None) or a new phone of a member of this family."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    created = db.utcnow()
    with engine.begin() as conn:
        family = _family(conn, family_id)
        member_id = _member(conn, family.id, member_id)
        conn.execute(insert(db.pairing_codes).values(
            code_hash=sha256(code), family_id=family.id, member_id=member_id, created_at=db.iso(created),
            expires_at=(created + CODE_TTL).isoformat()))
        db.audit(conn, family.id, actor, "pairing_code", f"for member {member_id}" if member_id else "for a new member")
    return format_code(code)


# --- what the specialist sends down ---------------------------------------------------------

def _send_down(conn: Connection, family_id: str, entity: str, data: dict, member_id: str | None, actor: str) -> int:
    seq = db.next_seq(conn, family_id)
    conn.execute(insert(db.changes).values(family_id=family_id, seq=seq, direction="down", entity=entity,
                                           entity_id=new_id(), version=1, deleted=False,
                                           data=json.dumps(data, ensure_ascii=False), member_id=member_id,
                                           created_at=db.now()))
    db.audit(conn, family_id, actor, f"sent_{entity}", f"to member {member_id}" if member_id else "to the family")
    return seq


def send_message(engine: Engine, family_id: str, member_id: str | None, body: str, sender: str, actor: str) -> int:
    """A message for one member, or the whole family (member_id empty)."""
    body = clean_text(body, "The message", MAX_TEXT)
    with engine.begin() as conn:
        to = _member(conn, family_id, member_id)
        return _send_down(conn, family_id, "message", {"body": body, "in_reply_to": None, "created_at": db.now(),
                                                       "sender": sender}, to, actor)


def recommend(engine: Engine, family_id: str, member_id: str | None, journey_id: str, step_id: str | None,
              note: str | None, actor: str) -> int:
    data = {"journey_id": clean_text(journey_id, "The journey id", MAX_ID),
            "step_id": clean_text(step_id, "The step id", MAX_ID, required=False),
            "note": clean_text(note, "The note", MAX_TEXT, required=False), "created_at": db.now()}
    with engine.begin() as conn:
        to = _member(conn, family_id, member_id)
        return _send_down(conn, family_id, "recommendation", data, to, actor)


def send_feedback(engine: Engine, family_id: str, worksheet_id: str, body: str, actor: str) -> int:
    """Feedback on a shared worksheet goes to the member who shared it. A worksheet that is not this family's is
    NotFound whatever the text; then the text must be fit to send (Invalid)."""
    with engine.begin() as conn:
        owner = queries.worksheet_owner(conn, family_id, as_uuid(worksheet_id) or "")
        if owner is None:
            raise NotFound("no such worksheet in this family")
        body = clean_text(body, "The feedback", MAX_TEXT)
        return _send_down(conn, family_id, "feedback", {"worksheet_id": as_uuid(worksheet_id), "body": body,
                                                        "created_at": db.now()}, owner, actor)


# --- unpairing and erasure --------------------------------------------------------------------

def unpair_device(engine: Engine, family_id: str, device_id: str, actor: str) -> None:
    """The device's token stops working at once."""
    with engine.begin() as conn:
        found = conn.execute(update(db.devices).where(db.devices.c.id == (as_uuid(device_id) or ""),
                                                      db.devices.c.family_id == family_id,
                                                      db.devices.c.unpaired_at.is_(None))
                             .values(unpaired_at=db.now())).rowcount
        if not found:
            raise NotFound("no such paired device in this family")
        db.audit(conn, family_id, actor, "unpaired", f"device {device_id}")


def erase_member(engine: Engine, family_id: str, member_id: str, actor: str) -> int:
    """Tombstone what the member shared (kind erased) and send their devices notices; returns how many."""
    def work(conn):
        member = _member(conn, family_id, member_id)
        if member is None:
            raise NotFound("no member given")
        n = erase_member_records(conn, family_id, member)
        db.audit(conn, family_id, actor, "erased", f"member {member}: {n} records")
        return n
    return db.retrying(engine, work)


FAMILY_TABLES = (db.changes, db.ops, db.revisions, db.records, db.pairing_codes, db.devices, db.members,
                 db.views, db.family_specialists)


def erase_family(engine: Engine, family_id: str, actor: str) -> None:
    """Everything goes but the audit log (which holds no content); its devices get 401 for ever."""
    def work(conn):
        for table in FAMILY_TABLES:
            conn.execute(delete(table).where(table.c.family_id == family_id))
        conn.execute(delete(db.families).where(db.families.c.id == family_id))
        db.audit(conn, family_id, actor, "erased_family")
    db.retrying(engine, work)


def purge_notices(engine: Engine, retention_days: int) -> int:
    """Drop notices older than the retention period; a cursor below what was purged must resync."""
    cutoff = db.iso(db.utcnow() - dt.timedelta(days=retention_days))
    purged = 0
    with engine.begin() as conn:
        rows = conn.execute(select(db.changes.c.family_id, func.max(db.changes.c.seq)).where(
            db.changes.c.direction == "notice", db.changes.c.created_at < cutoff).group_by(db.changes.c.family_id)).all()
        for family_id, max_seq in rows:
            purged += conn.execute(delete(db.changes).where(
                db.changes.c.family_id == family_id, db.changes.c.direction == "notice",
                db.changes.c.created_at < cutoff)).rowcount
            conn.execute(update(db.families).where(db.families.c.id == family_id, db.families.c.purged_seq < max_seq)
                         .values(purged_seq=max_seq))
    return purged


# --- what a view records ----------------------------------------------------------------------

AFTER_OWN_POST = dt.timedelta(seconds=30)


def record_view(engine: Engine, family: Family, specialist_id: str | None, actor: str, action: str,
                detail: str | None = None, *, mark_seen: bool = False) -> int | None:
    """Audit a view or export of a family; the family page also marks everything up to now as seen, and gets
    back the seq seen before (None: never), so it can say what is new to this specialist.
    The page shown right after one's own form post is covered by that post's entry: no second one."""
    before = None
    with engine.begin() as conn:
        if action == "viewed" and queries.recent_write_by(conn, family.id, actor, db.iso(db.utcnow() - AFTER_OWN_POST)):
            action = None
        if mark_seen and specialist_id:
            before = queries.seen_seq(conn, specialist_id, family.id)
            where = (db.views.c.specialist_id == specialist_id, db.views.c.family_id == family.id)
            if not conn.execute(update(db.views).where(*where).values(seen_seq=family.latest_seq)).rowcount:
                conn.execute(insert(db.views).values(specialist_id=specialist_id, family_id=family.id,
                                                     seen_seq=family.latest_seq))
        if action:
            db.audit(conn, family.id, actor, action, detail)
    return before


def export_family(engine: Engine, family_id: str, actor: str) -> dict:
    """The family's shared data as the export shows it, audited as an export."""
    with engine.begin() as conn:
        family = _family(conn, family_id)
        db.audit(conn, family.id, actor, "exported")
        return queries.export_family(conn, family.id)


def audit_csv(entries: list[dict]) -> str:
    """The audit log as CSV (when, who, what, family, detail); never content, as the log holds none."""
    import csv
    import io
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["at", "actor", "action", "family_id", "detail"])
    for e in entries:
        writer.writerow([e["at"], _csv_safe(e["actor"]), e["action"], e["family_id"] or "", _csv_safe(e["detail"] or "")])
    return out.getvalue()


def _csv_safe(value: str) -> str:
    """No cell starts a formula in a spreadsheet."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def after_restore(engine: Engine, gap: int, source: str) -> None:
    """Move every family's seq on past anything a phone can have seen, mark it purged (410 for every old
    cursor: the phone pulls from 0), and end every session."""
    with engine.begin() as conn:
        conn.execute(update(db.families).values(latest_seq=db.families.c.latest_seq + gap,
                                                purged_seq=db.families.c.latest_seq + gap))
        conn.execute(delete(db.sessions))
        db.audit(conn, None, "admin (command line)", "restored", source)
