"""WhatsApp: the first message's id (invites survive a redelivery), part refs, log pruning."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add whatsapp_people.first_message_id and whatsapp_messages.part_ref (unique)."""
    with op.batch_alter_table("whatsapp_people") as batch:
        batch.add_column(sa.Column("first_message_id", sa.String(200), nullable=True))
    with op.batch_alter_table("whatsapp_messages") as batch:
        batch.add_column(sa.Column("part_ref", sa.String(64), nullable=True))
    op.create_index(
        "ix_whatsapp_messages_part_ref", "whatsapp_messages", ["part_ref"], unique=True
    )
    op.create_index("ix_whatsapp_messages_created_at", "whatsapp_messages", ["created_at"])


def downgrade() -> None:
    """Drop them again."""
    op.drop_index("ix_whatsapp_messages_created_at", "whatsapp_messages")
    op.drop_index("ix_whatsapp_messages_part_ref", "whatsapp_messages")
    with op.batch_alter_table("whatsapp_messages") as batch:
        batch.drop_column("part_ref")
    with op.batch_alter_table("whatsapp_people") as batch:
        batch.drop_column("first_message_id")
