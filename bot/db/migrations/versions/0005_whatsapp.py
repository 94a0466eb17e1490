"""WhatsApp: people's 24-hour windows, the message log with held messages, statuses, voice."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.models import Id, UtcDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create the four WhatsApp tables."""
    op.create_table(
        "whatsapp_people",
        sa.Column("chat_id", sa.String(160), nullable=False),
        sa.Column("recipient_field", sa.String(16), nullable=False),
        sa.Column("recipient", sa.String(160), nullable=False),
        sa.Column("last_inbound_at", UtcDateTime, nullable=False),
        sa.Column("template_sent_at", UtcDateTime, nullable=True),
        sa.Column("ack", sa.Text, nullable=False, server_default=""),
        sa.Column("listing", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("chat_id", name="pk_whatsapp_people"),
    )
    op.create_table(
        "whatsapp_messages",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("chat_id", sa.String(160), nullable=False),
        sa.Column("wamid", sa.String(200), nullable=True),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_whatsapp_messages"),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_whatsapp_messages_chat_id_state_id", "whatsapp_messages", ["chat_id", "state", "id"]
    )
    op.create_index("ix_whatsapp_messages_wamid", "whatsapp_messages", ["wamid"])
    op.create_table(
        "whatsapp_statuses",
        sa.Column("wamid", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("chat_id", sa.String(160), nullable=True),
        sa.Column("error_code", sa.Integer, nullable=True),
        sa.Column("at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("wamid", "status", name="pk_whatsapp_statuses"),
    )
    op.create_table(
        "whatsapp_voice",
        sa.Column("media_id", sa.String(200), nullable=False),
        sa.Column("chat_id", sa.String(160), nullable=False),
        sa.Column("mime_type", sa.String(100), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("media_id", name="pk_whatsapp_voice"),
    )
    op.create_index("ix_whatsapp_voice_chat_id", "whatsapp_voice", ["chat_id"])


def downgrade() -> None:
    """Drop the four WhatsApp tables."""
    for table in ("whatsapp_voice", "whatsapp_statuses", "whatsapp_messages", "whatsapp_people"):
        op.drop_table(table)
