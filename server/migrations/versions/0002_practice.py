"""Revision 2: what a practice needs (issue 9) and no write lost (its faults 5 and 6).

- records.device_id: the device that wrote a record's content, so content another phone wrote is
  kept as a revision when it is replaced;
- sessions kept on the server, and sign-in failures per account and address;
- specialists: an admin role, deactivation, an optional TOTP second factor with recovery codes;
  the unused failed_logins and last_failed_at columns go;
- audit: family_id may be null for events of the practice (a failed sign-in, a new specialist);
- schema_migrations (90a2040's own migrator) goes: alembic_version records the revision now.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    op.add_column("records", sa.Column("device_id", sa.String(36)))
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("specialist_id", sa.String(36), sa.ForeignKey("specialists.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("last_seen_at", sa.String(40), nullable=False),
        sa.Column("address", sa.String(64)),
        sa.Column("user_agent", sa.String(200)))
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("account", sa.String(320), nullable=False, index=True),
        sa.Column("address", sa.String(64), nullable=False, index=True),
        sa.Column("at", sa.Integer, nullable=False))
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("specialist_id", sa.String(36), sa.ForeignKey("specialists.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("used_at", sa.String(40)))
    op.add_column("specialists", sa.Column("is_admin", sa.Boolean, nullable=False, server_default=sa.false()))
    op.add_column("specialists", sa.Column("deactivated_at", sa.String(40)))
    op.add_column("specialists", sa.Column("totp_secret", sa.String(64)))
    op.add_column("specialists", sa.Column("totp_enabled_at", sa.String(40)))
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a rebuilt table would cascade to its children.
    op.execute("ALTER TABLE specialists DROP COLUMN failed_logins")
    op.execute("ALTER TABLE specialists DROP COLUMN last_failed_at")
    if conn.dialect.name == "postgresql":
        op.alter_column("audit", "family_id", nullable=True)
    else:  # SQLite cannot drop NOT NULL in place: rebuild the audit table (nothing refers to it), keep its guard
        op.execute("DROP TRIGGER audit_no_update")
        op.execute("DROP TRIGGER audit_no_delete")
        with op.batch_alter_table("audit", recreate="always") as batch:
            batch.alter_column("family_id", existing_type=sa.String(36), nullable=True)
        op.execute("CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN "
                   "SELECT RAISE(ABORT, 'audit is append-only'); END")
        op.execute("CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN "
                   "SELECT RAISE(ABORT, 'audit is append-only'); END")
    op.create_index("audit_at", "audit", ["at"])
    op.drop_table("schema_migrations")


def downgrade() -> None:
    raise NotImplementedError("restore the backup taken before upgrading (docs/server.md, Backups)")
