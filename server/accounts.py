"""Specialists' accounts in the database: sign-in failures and locks, and server-side sessions.

A session is a random token in an HttpOnly cookie; the database keeps only its hash. It ends at
sign-out, after an idle time, after SESSION_HOURS whatever happens, and when the password changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Engine

from server import auth, db, queries
from server.queries import Specialist

SEEN_EVERY = dt.timedelta(minutes=1)  # a session's last_seen_at is written at most this often


# --- sign-in failures and locks -----------------------------------------------------------

@dataclass(frozen=True)
class Lock:
    seconds: int
    reason: str  # "account" or "address"


def lock_for(engine: Engine, account: str, address: str) -> Lock | None:
    """A lock still running for this account or this address, counted from the last failure."""
    now = db.utcnow().timestamp()
    since = int(now) - auth.LOCK_WINDOW
    f = db.sign_in_failures.c
    with engine.begin() as conn:
        by_account = conn.execute(select(func.count(), func.max(f.at)).where(f.account == account, f.at > since)).one()
        by_address = conn.execute(select(func.count(), func.max(f.at)).where(f.address == address, f.at > since)).one()
    for (count, last), threshold, reason in ((by_account, auth.LOCK_AFTER, "account"),
                                             (by_address, auth.LOCK_AFTER_ADDRESS, "address")):
        left = (last or 0) + auth.lock_seconds(count, threshold) - now
        if count and left > 0:
            return Lock(int(left) + 1, reason)
    return None


def record_failure(engine: Engine, account: str, address: str, reason: str) -> None:
    """Count a failed sign-in (in the database, shared by every process) and put it in the audit log."""
    now = int(db.utcnow().timestamp())
    with engine.begin() as conn:
        conn.execute(delete(db.sign_in_failures).where(db.sign_in_failures.c.at <= now - auth.LOCK_WINDOW))
        conn.execute(insert(db.sign_in_failures).values(account=account[:320], address=address[:64], at=now))
        db.audit(conn, None, f"address {address}", "sign_in_failed", f"{account} ({reason})")


def second_factor_ok(engine: Engine, specialist_id: str, code: str) -> bool:
    """A current code from the authenticator app, or an unused recovery code (used up here)."""
    import pyotp
    code = (code or "").strip().replace(" ", "").lower()
    if not code or len(code) > 20:
        return False
    with engine.begin() as conn:
        secret = queries.totp_secret(conn, specialist_id)
        if secret and code.isdigit() and pyotp.TOTP(secret).verify(code, valid_window=1):
            return True
        r = db.recovery_codes.c
        return conn.execute(update(db.recovery_codes).where(
            r.specialist_id == specialist_id, r.code_hash == auth.token_hash(code), r.used_at.is_(None))
            .values(used_at=db.now())).rowcount == 1


def clear_failures(engine: Engine, account: str) -> None:
    """A good sign-in forgets the account's failures (the address's stay, against spraying)."""
    with engine.begin() as conn:
        conn.execute(delete(db.sign_in_failures).where(db.sign_in_failures.c.account == account))


# --- sessions ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Session:
    id: str
    specialist: Specialist


def start_session(engine: Engine, specialist_id: str, address: str, user_agent: str) -> str:
    token = auth.new_token()
    with engine.begin() as conn:
        conn.execute(insert(db.sessions).values(id=auth.token_hash(token), specialist_id=specialist_id,
                                                created_at=db.now(), last_seen_at=db.now(), address=address[:64],
                                                user_agent=user_agent[:200]))
    return token


def session_for(engine: Engine, token: str | None, idle: dt.timedelta) -> Session | None:
    """The live session for this cookie, noting it as seen (at most once a minute); an idle or too
    old session is ended here."""
    if not token or len(token) > 100:
        return None
    now = db.utcnow()
    s = db.sessions.c
    with engine.begin() as conn:
        row = conn.execute(select(s.id, s.specialist_id, s.created_at, s.last_seen_at)
                           .where(s.id == auth.token_hash(token))).first()
        if row is None:
            return None
        if row.last_seen_at < db.iso(now - idle) or row.created_at < db.iso(now - dt.timedelta(hours=auth.SESSION_HOURS)):
            conn.execute(delete(db.sessions).where(s.id == row.id))
            return None
        if row.last_seen_at < db.iso(now - SEEN_EVERY):
            conn.execute(update(db.sessions).where(s.id == row.id).values(last_seen_at=db.iso(now)))
        me = queries.specialist_by_id(conn, row.specialist_id)
    return Session(row.id, me) if me and me.active else None


def end_session(engine: Engine, token: str | None) -> None:
    if token:
        with engine.begin() as conn:
            conn.execute(delete(db.sessions).where(db.sessions.c.id == auth.token_hash(token)))


def end_other_sessions(engine: Engine, specialist_id: str, keep_session_id: str | None) -> int:
    """End every session of this specialist but the one given (None: every one)."""
    with engine.begin() as conn:
        return conn.execute(delete(db.sessions).where(db.sessions.c.specialist_id == specialist_id,
                                                      db.sessions.c.id != (keep_session_id or ""))).rowcount


def sessions_of(engine: Engine, specialist_id: str) -> list[dict]:
    with engine.begin() as conn:
        return [dict(r) for r in conn.execute(select(db.sessions).where(db.sessions.c.specialist_id == specialist_id)
                                              .order_by(db.sessions.c.last_seen_at.desc())).mappings()]
