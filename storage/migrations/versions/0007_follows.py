"""follows and position notices

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "follows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("delegation_id", sa.Integer(), nullable=True),
        sa.Column("key_issue_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["delegation_id"],
            ["delegations.id"],
            name=op.f("fk_follows_delegation_id_delegations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["key_issue_id"],
            ["key_issues.id"],
            name=op.f("fk_follows_key_issue_id_key_issues"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_follows_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follows")),
        sa.UniqueConstraint(
            "person_id", "delegation_id", "key_issue_id", name=op.f("uq_follows_person_id")
        ),
    )
    with op.batch_alter_table("follows", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_follows_delegation_id"), ["delegation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_follows_key_issue_id"), ["key_issue_id"], unique=False)
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_deliveries_version_id"), ["version_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_deliveries_version_id_position_versions"),
            "position_versions",
            ["version_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_deliveries_version_id_position_versions"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_deliveries_version_id"))
        batch_op.drop_column("version_id")
    with op.batch_alter_table("follows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follows_key_issue_id"))
        batch_op.drop_index(batch_op.f("ix_follows_delegation_id"))
    op.drop_table("follows")
