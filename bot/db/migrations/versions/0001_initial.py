"""Initial schema: conversations, answers log, processed events, outbox."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.models import Id, UtcDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create the four tables."""
    op.create_table(
        "conversations",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("chat_id", sa.String(128), nullable=False),
        sa.Column("state", sa.Text, nullable=True),
        sa.Column("version", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_conversations"),
        sa.UniqueConstraint("channel", "chat_id", name="uq_conversations_channel_chat_id"),
    )
    op.create_table(
        "answers",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("chat_id", sa.String(128), nullable=False),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("question_id", sa.String(128), nullable=False),
        sa.Column("option_key", sa.String(64), nullable=True),
        sa.Column("level", sa.Integer, nullable=True),
        sa.Column("position", sa.Integer, nullable=True),
        sa.Column("shown_order", sa.Text, nullable=False),
        sa.Column("elapsed_ms", sa.Integer, nullable=False),
        sa.Column("answered_at", sa.String(64), nullable=False),
        sa.Column("event_id", sa.String(128), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_answers"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_answers_channel_chat_id_id", "answers", ["channel", "chat_id", "id"])
    op.create_table(
        "processed_events",
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("event_id", sa.String(128), nullable=False),
        sa.Column("processed_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("channel", "event_id", name="pk_processed_events"),
    )
    op.create_index("ix_processed_events_processed_at", "processed_events", ["processed_at"])
    op.create_table(
        "outbox",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("chat_id", sa.String(128), nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("not_before", UtcDateTime, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_outbox_channel_chat_id_id", "outbox", ["channel", "chat_id", "id"])


def downgrade() -> None:
    """Drop the four tables."""
    for table in ("outbox", "processed_events", "answers", "conversations"):
        op.drop_table(table)
