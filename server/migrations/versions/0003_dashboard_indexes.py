"""Revision 3: two indexes for the dashboard's scale (issue 14).

- records_kind: the family page counts each member's records by kind and takes the newest check-ins and
  journal entries by seq, from the index alone instead of every row of the family (60,000 rows for ten
  members with a year each);
- changes_direction: what the specialist sent down (messages, recommendations, feedback) without reading
  every change the phones pushed up.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("records_kind", "records", ["family_id", "member_id", "entity", "deleted", "seq"])
    op.create_index("changes_direction", "changes", ["family_id", "direction", "seq"])


def downgrade() -> None:
    op.drop_index("changes_direction", table_name="changes")
    op.drop_index("records_kind", table_name="records")
