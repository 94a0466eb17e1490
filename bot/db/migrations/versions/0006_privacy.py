"""Privacy: dead letters; processed-event keys become keyed hashes (the raw ids are dropped)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.models import Id, UtcDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create `dead_letters`; forget the raw event ids (they began with chat ids)."""
    op.create_table(
        "dead_letters",
        sa.Column("id", Id, autoincrement=False, nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("chat_id", sa.String(128), nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("error", sa.String(128), nullable=False),
        sa.Column("failed_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_dead_letters"),
    )
    op.create_index("ix_dead_letters_channel_chat_id", "dead_letters", ["channel", "chat_id"])
    # Only a redelivery across the upgrade itself could be applied twice.
    op.execute("DELETE FROM processed_events")


def downgrade() -> None:
    """Drop `dead_letters` (the hashed event keys stay: they still deduplicate)."""
    op.drop_table("dead_letters")
