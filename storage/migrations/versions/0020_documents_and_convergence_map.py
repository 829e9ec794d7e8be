"""documents: files with their pages, symbol, hash and who brought them; elements and stances
(the convergence map)

Revision ID: 0020
Revises: 0016
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("symbol", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("filename", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("media_type", sa.String(length=127), nullable=True))
        batch_op.add_column(sa.Column("content", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("pages", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("brought_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("brought_via", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("brought_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_documents_symbol"), ["symbol"], unique=False)
        batch_op.create_unique_constraint(batch_op.f("uq_documents_sha256"), ["sha256"])
        batch_op.create_foreign_key(
            batch_op.f("fk_documents_brought_by_id_persons"),
            "persons",
            ["brought_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_table(
        "elements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("key_issue_id", sa.Integer(), nullable=False),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("paper_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "convergence",
                "further",
                name="element_status",
                native_enum=False,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["key_issue_id"],
            ["key_issues.id"],
            name=op.f("fk_elements_key_issue_id_key_issues"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["paper_id"],
            ["documents.id"],
            name=op.f("fk_elements_paper_id_documents"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_elements")),
        sa.UniqueConstraint("key", name=op.f("uq_elements_key")),
    )
    with op.batch_alter_table("elements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_elements_key_issue_id"), ["key_issue_id"], unique=False
        )
    op.create_table(
        "stance_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("element_id", sa.Integer(), nullable=False),
        sa.Column("delegation_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column(
            "stance",
            sa.Enum(
                "supports",
                "opposes",
                "conditional",
                "none",
                name="stance_value",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("stated_on", sa.Date(), nullable=True),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["persons.id"],
            name=op.f("fk_stance_versions_author_id_persons"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["delegation_id"],
            ["delegations.id"],
            name=op.f("fk_stance_versions_delegation_id_delegations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["element_id"],
            ["elements.id"],
            name=op.f("fk_stance_versions_element_id_elements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stance_versions")),
        sa.UniqueConstraint(
            "element_id", "delegation_id", "number", name=op.f("uq_stance_versions_element_id")
        ),
    )
    with op.batch_alter_table("stance_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stance_versions_delegation_id"), ["delegation_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("stance_versions")
    op.drop_table("elements")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_documents_brought_by_id_persons"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_documents_sha256"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_documents_symbol"))
        for column in (
            "brought_at",
            "brought_via",
            "brought_by_id",
            "pages",
            "content",
            "media_type",
            "filename",
            "sha256",
            "symbol",
        ):
            batch_op.drop_column(column)
