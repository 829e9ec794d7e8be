"""persons: digest and quiet hours; announcements: urgent or not; coverages of meetings

Revision ID: 0040
Revises: 0030
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0040"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.add_column(sa.Column("digest_at", sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column("digest_weekday", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("digest_only", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("quiet_from", sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column("quiet_until", sa.String(length=5), nullable=True))
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.alter_column("digest_only", server_default=None)
    with op.batch_alter_table("announcements", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("urgent", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    with op.batch_alter_table("announcements", schema=None) as batch_op:
        batch_op.alter_column("urgent", server_default=None)
    op.create_table(
        "coverages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("delegation_id", sa.Integer(), nullable=False),
        sa.Column(
            "answer",
            sa.Enum("yes", "no", "maybe", name="cover_answer", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["delegation_id"],
            ["delegations.id"],
            name=op.f("fk_coverages_delegation_id_delegations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_coverages_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_coverages_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coverages")),
        sa.UniqueConstraint("meeting_id", "person_id", name=op.f("uq_coverages_meeting_id")),
    )
    with op.batch_alter_table("coverages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_coverages_delegation_id"), ["delegation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_coverages_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    op.drop_table("coverages")
    with op.batch_alter_table("announcements", schema=None) as batch_op:
        batch_op.drop_column("urgent")
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_column("quiet_until")
        batch_op.drop_column("quiet_from")
        batch_op.drop_column("digest_only")
        batch_op.drop_column("digest_weekday")
        batch_op.drop_column("digest_at")
