"""Revision 1: the schema as 90a2040 made it (its own migrator recorded this as number 1).

Frozen here: the tables are written out as they were, not taken from server.db, so that later
changes to the models never change what this revision creates.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import (Boolean, Column, ForeignKey, Index, Integer, MetaData, PrimaryKeyConstraint, String,
                        Table, Text, text)

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

metadata = MetaData()

specialists = Table(
    "specialists", metadata,
    Column("id", String(36), primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    Column("last_failed_at", String(40)),
    Column("created_at", String(40), nullable=False),
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
    Column("version", Integer, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("data", Text),
    Column("hlc", String(200)),
    Column("deleted", Boolean, nullable=False, server_default=text("false")),
    Column("tomb_kind", String(10)),  # delete, revoke, erased
    Column("updated_at", String(40), nullable=False),
    PrimaryKeyConstraint("family_id", "entity_id"),
    Index("records_member", "family_id", "member_id"),
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
)
views = Table(
    "specialist_views", metadata,
    Column("specialist_id", String(36), ForeignKey("specialists.id", ondelete="CASCADE"), nullable=False),
    Column("family_id", String(36), ForeignKey("families.id", ondelete="CASCADE"), nullable=False),
    Column("seen_seq", Integer, nullable=False),
    PrimaryKeyConstraint("specialist_id", "family_id"),
)
audit = Table(
    "audit", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("family_id", String(36), nullable=False, index=True),  # kept after the family is erased
    Column("actor", String(400), nullable=False),
    Column("action", String(40), nullable=False),
    Column("detail", String(400)),
    Column("at", String(40), nullable=False),
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
schema_migrations = Table(
    "schema_migrations", metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("name", String(100), nullable=False),
    Column("applied_at", String(40), nullable=False),
)


AUDIT_GUARD_SQLITE = [
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END",
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END",
]
AUDIT_GUARD_POSTGRES = [
    """CREATE OR REPLACE FUNCTION regroup_audit_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit
       FOR EACH STATEMENT EXECUTE FUNCTION regroup_audit_append_only()""",
]


def upgrade() -> None:
    conn = op.get_bind()
    metadata.create_all(conn)
    for statement in AUDIT_GUARD_POSTGRES if conn.dialect.name == "postgresql" else AUDIT_GUARD_SQLITE:
        conn.exec_driver_sql(statement)


def downgrade() -> None:
    raise NotImplementedError("there is nothing before revision 1")
