"""lists of speakers: lists, speakers, inscription requests, floor watches; their deliveries

Revision ID: 0030
Revises: 0020
Create Date: 2026-12-10
"""

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0020"
branch_labels = None
depends_on = None

INSTANT = sa.DateTime(timezone=True)


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), nullable=False)


def _fk(column: str, table: str, source: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{table}.id"], name=op.f(f"fk_{source}_{column}_{table}"), ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "speaker_lists",
        _id(),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("opens_at", INSTANT, nullable=True),
        sa.Column("closes_at", INSTANT, nullable=True),
        sa.Column("groups_first", sa.Boolean(), nullable=False),
        sa.Column("repeats_allowed", sa.Boolean(), nullable=False),
        sa.Column("room_token_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.Column("changed_at", INSTANT, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        _fk("meeting_id", "meetings", "speaker_lists", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_speaker_lists")),
        sa.UniqueConstraint("meeting_id", name=op.f("uq_speaker_lists_meeting_id")),
        sa.UniqueConstraint("room_token_hash", name=op.f("uq_speaker_lists_room_token_hash")),
    )
    op.create_table(
        "floor_watches",
        _id(),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("delegation_id", sa.Integer(), nullable=False),
        sa.Column("created_at", INSTANT, nullable=False),
        _fk("delegation_id", "delegations", "floor_watches", "CASCADE"),
        _fk("person_id", "persons", "floor_watches", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_floor_watches")),
        sa.UniqueConstraint("person_id", "delegation_id", name=op.f("uq_floor_watches_person_id")),
    )
    op.create_index(
        op.f("ix_floor_watches_delegation_id"), "floor_watches", ["delegation_id"], unique=False
    )
    op.create_table(
        "speaker_requests",
        _id(),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("delegation_id", sa.Integer(), nullable=False),
        sa.Column("on_behalf_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.Column("decided_at", INSTANT, nullable=True),
        _fk("delegation_id", "delegations", "speaker_requests", "CASCADE"),
        _fk("list_id", "speaker_lists", "speaker_requests", "CASCADE"),
        _fk("on_behalf_id", "delegations", "speaker_requests", "SET NULL"),
        _fk("person_id", "persons", "speaker_requests", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_speaker_requests")),
    )
    op.create_index(
        op.f("ix_speaker_requests_list_id"), "speaker_requests", ["list_id"], unique=False
    )
    op.create_table(
        "speakers",
        _id(),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("place", sa.Integer(), nullable=False),
        sa.Column("delegation_id", sa.Integer(), nullable=False),
        sa.Column("on_behalf_id", sa.Integer(), nullable=True),
        sa.Column("limit_seconds", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "inscribed",
                "speaking",
                "spoken",
                "withdrawn",
                "moved",
                name="speaker_status",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("moves", sa.Integer(), nullable=False),
        sa.Column("added_at", INSTANT, nullable=False),
        sa.Column("started_at", INSTANT, nullable=True),
        sa.Column("ended_at", INSTANT, nullable=True),
        _fk("delegation_id", "delegations", "speakers", "CASCADE"),
        _fk("list_id", "speaker_lists", "speakers", "CASCADE"),
        _fk("on_behalf_id", "delegations", "speakers", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_speakers")),
    )
    op.create_index(op.f("ix_speakers_delegation_id"), "speakers", ["delegation_id"], unique=False)
    op.create_index(op.f("ix_speakers_list_id"), "speakers", ["list_id"], unique=False)
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("speaker_list_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_deliveries_speaker_list_id"), ["speaker_list_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_deliveries_speaker_list_id_speaker_lists"),
            "speaker_lists",
            ["speaker_list_id"],
            ["id"],
            ondelete="CASCADE",
        )
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.add_column(sa.Column("speakers_ahead", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_column("speakers_ahead")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_deliveries_speaker_list_id_speaker_lists"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_deliveries_speaker_list_id"))
        batch_op.drop_column("speaker_list_id")
    op.drop_table("speakers")
    op.drop_table("speaker_requests")
    op.drop_table("floor_watches")
    op.drop_table("speaker_lists")
