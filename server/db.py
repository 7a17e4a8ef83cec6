"""Tables, engine, migrations and the two writes every writer shares (the family's seq and the audit log).

Seq is a per-family counter in `families.latest_seq`, taken with UPDATE ... RETURNING inside the
op's transaction: gap-free and in commit order on both databases (never an auto-increment cursor).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable, TypeVar

from sqlalchemy import (Boolean, Column, ForeignKey, Index, Integer, MetaData, PrimaryKeyConstraint, String,
                        Table, Text, create_engine, event, false, insert, inspect, select, text, update)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

try:  # PostgreSQL's answers that mean "another transaction got there first: try again"
    from psycopg.errors import DeadlockDetected, LockNotAvailable, SerializationFailure
    RETRYABLE_CAUSES: tuple = (SerializationFailure, DeadlockDetected, LockNotAvailable)
except ImportError:  # pragma: no cover - psycopg is part of the server extra
    RETRYABLE_CAUSES = ()

T = TypeVar("T")

metadata = MetaData()

specialists = Table(
    "specialists", metadata,
    Column("id", String(36), primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("is_admin", Boolean, nullable=False, server_default=false()),
    Column("deactivated_at", String(40)),  # set: cannot sign in; their families stay
    Column("totp_secret", String(64)),  # a second factor being set up, or in use once totp_enabled_at is set
    Column("totp_enabled_at", String(40)),
)
recovery_codes = Table(
    "recovery_codes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("specialist_id", String(36), ForeignKey("specialists.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("code_hash", String(64), nullable=False),
    Column("used_at", String(40)),
)
families = Table(
    "families", metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("latest_seq", Integer, nullable=False, server_default="0"),
    Column("purged_seq", Integer, nullable=False, server_default="0"),
    Column("created_at", String(40), nullable=False),
)
family_specialists = Table(
    "family_specialists", metadata,
    Column("family_id", String(36), ForeignKey("families.id", ondelete="CASCADE"), nullable=False),
    Column("specialist_id", String(36), ForeignKey("specialists.id", ondelete="CASCADE"), nullable=False),
    PrimaryKeyConstraint("family_id", "specialist_id"),
)
members = Table(
    "members", metadata,
    Column("id", String(36), primary_key=True),
    Column("family_id", String(36), ForeignKey("families.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", String(80), nullable=False),
    Column("joined_seq", Integer, nullable=False),
    Column("joined_at", String(40), nullable=False),
)
devices = Table(
    "devices", metadata,
    Column("id", String(36), primary_key=True),
    Column("family_id", String(36), ForeignKey("families.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("member_id", String(36), ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(80), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", String(40), nullable=False),
    Column("last_seen_at", String(40)),
    Column("unpaired_at", String(40)),
)
pairing_codes = Table(
    "pairing_codes", metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("family_id", String(36), ForeignKey("families.id", ondelete="CASCADE"), nullable=False),
    Column("member_id", String(36), ForeignKey("members.id", ondelete="CASCADE")),
    Column("created_at", String(40), nullable=False),
    Column("expires_at", String(40), nullable=False),
    Column("used_at", String(40)),
)
records = Table(
    "records", metadata,
    Column("family_id", String(36), ForeignKey("families.id", ondelete="CASCADE"), nullable=False),
    Column("entity_id", String(36), nullable=False),
    Column("entity", String(40), nullable=False),
    Column("member_id", String(36), nullable=False),
    Column("device_id", String(36)),  # the device that wrote the current content (revision 2)
    Column("version", Integer, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("data", Text),
    Column("hlc", String(200)),
    Column("deleted", Boolean, nullable=False, server_default=text("false")),
    Column("tomb_kind", String(10)),  # delete, revoke, erased
    Column("updated_at", String(40), nullable=False),
    PrimaryKeyConstraint("family_id", "entity_id"),
    Index("records_member", "family_id", "member_id"),
    Index("records_kind", "family_id", "member_id", "entity", "deleted", "seq"),  # revision 3: the family page
)
revisions = Table(
    "revisions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("family_id", String(36), ForeignKey("families.id", ondelete="CASCADE"), nullable=False),
    Column("entity_id", String(36), nullable=False),
    Column("version", Integer, nullable=False),
    Column("data", Text, nullable=False),
    Column("hlc", String(200)),
    Column("created_at", String(40), nullable=False),
    Index("revisions_record", "family_id", "entity_id"),
)
ops = Table(
    "ops", metadata,
    Column("family_id", String(36), ForeignKey("families.id", ondelete="CASCADE"), nullable=False),
    Column("op_id", String(100), nullable=False),
    Column("member_id", String(36), nullable=False),
    Column("status", String(10), nullable=False),
    Column("version", Integer),
    Column("seq", Integer),
    Column("error", Text),
    PrimaryKeyConstraint("family_id", "op_id"),
)
changes = Table(
    "changes", metadata,
    Column("family_id", String(36), ForeignKey("families.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("direction", String(6), nullable=False),  # up (a push), down (from the specialist), notice
    Column("entity", String(40), nullable=False),
    Column("entity_id", String(36), nullable=False),
    Column("version", Integer, nullable=False),
    Column("deleted", Boolean, nullable=False, server_default=text("false")),
    Column("data", Text),
    Column("member_id", String(36)),  # author of an up change; recipient of a down change (null: the family)
    Column("created_at", String(40), nullable=False),
    PrimaryKeyConstraint("family_id", "seq"),
    Index("changes_direction", "family_id", "direction", "seq"),  # revision 3: what was sent down, at once
)
views = Table(
    "specialist_views", metadata,
    Column("specialist_id", String(36), ForeignKey("specialists.id", ondelete="CASCADE"), nullable=False),
    Column("family_id", String(36), ForeignKey("families.id", ondelete="CASCADE"), nullable=False),
    Column("seen_seq", Integer, nullable=False),
    PrimaryKeyConstraint("specialist_id", "family_id"),
)
audit_log = Table(
    "audit", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("family_id", String(36), index=True),  # kept after the family is erased; null: the practice's own events
    Column("actor", String(400), nullable=False),
    Column("action", String(40), nullable=False),
    Column("detail", String(400)),
    Column("at", String(40), nullable=False),
    Index("audit_at", "at"),
)
pair_failures = Table(
    "pair_failures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("address", String(64), nullable=False, index=True),
    Column("at", Integer, nullable=False),  # epoch seconds
)
rate_hits = Table(
    "rate_hits", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(100), nullable=False, index=True),
    Column("at", Integer, nullable=False),
)
sessions = Table(
    "sessions", metadata,
    Column("id", String(64), primary_key=True),  # sha256 of the cookie's token: the token itself is never stored
    Column("specialist_id", String(36), ForeignKey("specialists.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("created_at", String(40), nullable=False),
    Column("last_seen_at", String(40), nullable=False),
    Column("address", String(64)),
    Column("user_agent", String(200)),
)
sign_in_failures = Table(
    "sign_in_failures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("account", String(320), nullable=False, index=True),  # the email as typed (lower case), known or not
    Column("address", String(64), nullable=False, index=True),
    Column("at", Integer, nullable=False),  # epoch seconds
)



def iso(moment: dt.datetime) -> str:
    """UTC ISO-8601 with milliseconds and Z: the one format stored, so strings compare as times."""
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def utcnow() -> dt.datetime:
    """The server's one clock for what it stores and compares (tests replace it to move time)."""
    return dt.datetime.now(dt.timezone.utc)


def now() -> str:
    return iso(utcnow())


class NoLongerPaired(Exception):
    """The device was unpaired, or its family erased, while a request was using it: the answer is 401."""


def next_seq(conn: Connection, family_id: str) -> int:
    """Take the family's next seq inside the caller's transaction (row-locked on PostgreSQL)."""
    seq = conn.execute(update(families).where(families.c.id == family_id)
                       .values(latest_seq=families.c.latest_seq + 1)
                       .returning(families.c.latest_seq)).scalar()
    if seq is None:
        raise NoLongerPaired(family_id)
    return seq


def lock_family(conn: Connection, family_id: str) -> int:
    """Lock the family's row for the rest of the transaction and read its counter: a push batch then numbers
    its own changes and writes the counter back once (a write lock on SQLite already, BEGIN IMMEDIATE)."""
    seq = conn.execute(select(families.c.latest_seq).where(families.c.id == family_id).with_for_update()).scalar()
    if seq is None:
        raise NoLongerPaired(family_id)
    return seq


def audit(conn: Connection, family_id: str | None, actor: str, action: str, detail: str | None = None) -> None:
    """Append to the audit log: who, what, when. Never content."""
    conn.execute(insert(audit_log).values(family_id=family_id, actor=actor[:400], action=action,
                                          detail=(detail or "")[:400] or None, at=now()))


def is_conflict(exc: BaseException) -> bool:
    """A write that lost a race with another transaction (a unique key, a deadlock, a serialization failure)."""
    if isinstance(exc, IntegrityError):
        return True
    return isinstance(exc, DBAPIError) and isinstance(exc.orig, RETRYABLE_CAUSES)


def retrying(engine: Engine, work: Callable[[Connection], T], attempts: int = 5) -> T:
    """Run work(conn) in one transaction, again from the start when it lost a race."""
    for attempt in range(attempts):
        try:
            with engine.begin() as conn:
                return work(conn)
        except DBAPIError as exc:
            if not is_conflict(exc) or attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn, record):  # noqa: ANN001
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA foreign_keys = ON")
            cur.execute("PRAGMA busy_timeout = 30000")
            cur.execute("PRAGMA synchronous = NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # noqa: ANN001
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # one writer at a time: seq stays gap-free, no deadlocks
        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True, pool_timeout=10,
                         connect_args={"connect_timeout": 5})


def reachable(engine: Engine) -> bool:
    """Whether the database answers a trivial query (for /api/v1/health)."""
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 - any failure means: not serving
        return False


# --- migrations ------------------------------------------------------------------

MIGRATIONS = Path(__file__).parent / "migrations"


def _alembic(conn: Connection):
    from alembic.config import Config
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    return config


def revision(conn: Connection) -> str | None:
    """The schema's Alembic revision (None for an empty database)."""
    from alembic.migration import MigrationContext
    return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine) -> list[str]:
    """Bring the schema up to date with Alembic; returns the revisions applied. Safe to run from several
    processes at once on PostgreSQL. A database made by 90a2040 (its own migrator, number 1) is revision 1."""
    from alembic import command
    from alembic.script import ScriptDirectory
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(727001)")  # one migrator at a time
        config = _alembic(conn)
        if revision(conn) is None and inspect(conn).has_table("schema_migrations"):
            command.stamp(config, "0001")
        before = revision(conn)
        command.upgrade(config, "head")
        script = ScriptDirectory.from_config(config)
        return [r.revision for r in reversed(list(script.iterate_revisions("head", before or "base")))
                if r.revision != before]
