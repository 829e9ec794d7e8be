"""persons: stopped messages, a delegate's claimed delegation; accounts: the app's language

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=16), nullable=True))
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("claimed_delegation_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_persons_claimed_delegation_id"), ["claimed_delegation_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_persons_claimed_delegation_id_delegations"),
            "delegations",
            ["claimed_delegation_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_persons_claimed_delegation_id_delegations"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_persons_claimed_delegation_id"))
        batch_op.drop_column("claimed_delegation_id")
        batch_op.drop_column("stopped_at")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("language")
