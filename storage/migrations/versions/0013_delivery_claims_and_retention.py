"""delivery claims (fencing token, first attempt, parts sent), an index of an announcement's
deliveries by status, and button command use times

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claim_token", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("first_tried_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("parts_sent", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.alter_column("parts_sent", server_default=None)
        batch_op.create_index(
            "ix_deliveries_announcement_status", ["announcement_id", "status"], unique=False
        )
    with op.batch_alter_table("button_commands", schema=None) as batch_op:
        batch_op.add_column(sa.Column("used_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_button_commands_used_at"), ["used_at"], unique=False)
    # Tokens already handed out count as used now: retention starts from the upgrade.
    button_commands = sa.table("button_commands", sa.column("used_at", sa.DateTime(timezone=True)))
    now = datetime.now(UTC)
    if op.get_bind().dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # stored naive in UTC there (storage.models.UTCDateTime)
    op.execute(button_commands.update().values(used_at=now))


def downgrade() -> None:
    with op.batch_alter_table("button_commands", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_button_commands_used_at"))
        batch_op.drop_column("used_at")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_deliveries_announcement_status")
        batch_op.drop_column("parts_sent")
        batch_op.drop_column("first_tried_at")
        batch_op.drop_column("claim_token")
