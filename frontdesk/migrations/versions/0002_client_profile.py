"""client profile

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 16:35:29.800482
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "prizes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("points_cost", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prizes")),
    )
    op.create_table(
        "client_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_client_documents_client_id_clients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_documents")),
    )
    with op.batch_alter_table("client_documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_client_documents_client_id"), ["client_id"], unique=False
        )

    op.create_table(
        "client_goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column("achieved", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_client_goals_client_id_clients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_goals")),
    )
    with op.batch_alter_table("client_goals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_client_goals_client_id"), ["client_id"], unique=False)

    op.create_table(
        "client_relationships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("related_client_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "client_id <> related_client_id", name=op.f("ck_client_relationships_not_self")
        ),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_client_relationships_client_id_clients")
        ),
        sa.ForeignKeyConstraint(
            ["related_client_id"],
            ["clients.id"],
            name=op.f("fk_client_relationships_related_client_id_clients"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_relationships")),
        sa.UniqueConstraint(
            "client_id", "related_client_id", "kind", name=op.f("uq_client_relationships_client_id")
        ),
    )
    with op.batch_alter_table("client_relationships", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_client_relationships_related_client_id"),
            ["related_client_id"],
            unique=False,
        )

    op.create_table(
        "contact_logs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_contact_logs_client_id_clients")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_contact_logs_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_logs")),
    )
    with op.batch_alter_table("contact_logs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_contact_logs_client_id_created_at", ["client_id", "created_at"], unique=False
        )

    op.create_table(
        "notification_preferences",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("opted_in", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_notification_preferences_client_id_clients"),
        ),
        sa.PrimaryKeyConstraint(
            "client_id", "channel", "category", name=op.f("pk_notification_preferences")
        ),
    )
    op.create_table(
        "reward_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("balance_after", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=10), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("terminal", sa.String(length=80), nullable=False),
        sa.Column("prize_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("balance_after >= 0", name=op.f("ck_reward_entries_not_negative")),
        sa.CheckConstraint("points <> 0", name=op.f("ck_reward_entries_nonzero")),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_reward_entries_client_id_clients")
        ),
        sa.ForeignKeyConstraint(
            ["prize_id"], ["prizes.id"], name=op.f("fk_reward_entries_prize_id_prizes")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_reward_entries_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward_entries")),
    )
    with op.batch_alter_table("reward_entries", schema=None) as batch_op:
        batch_op.create_index("ix_reward_entries_client_id_id", ["client_id", "id"], unique=False)

    op.create_table(
        "transformation_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("entry_date", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_transformation_entries_client_id_clients")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_transformation_entries_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transformation_entries")),
    )
    with op.batch_alter_table("transformation_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_transformation_entries_client_id_entry_date",
            ["client_id", "entry_date"],
            unique=False,
        )

    with op.batch_alter_table("ticket_lines", schema=None) as batch_op:
        batch_op.create_index("ix_ticket_lines_appointment_id", ["appointment_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ticket_lines", schema=None) as batch_op:
        batch_op.drop_index("ix_ticket_lines_appointment_id")

    with op.batch_alter_table("transformation_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_transformation_entries_client_id_entry_date")

    op.drop_table("transformation_entries")
    with op.batch_alter_table("reward_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_reward_entries_client_id_id")

    op.drop_table("reward_entries")
    op.drop_table("notification_preferences")
    with op.batch_alter_table("contact_logs", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_logs_client_id_created_at")

    op.drop_table("contact_logs")
    with op.batch_alter_table("client_relationships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_client_relationships_related_client_id"))

    op.drop_table("client_relationships")
    with op.batch_alter_table("client_goals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_client_goals_client_id"))

    op.drop_table("client_goals")
    with op.batch_alter_table("client_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_client_documents_client_id"))

    op.drop_table("client_documents")
    op.drop_table("prizes")
