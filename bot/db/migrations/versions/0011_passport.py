"""Skills passport: one share token per person."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.models import UtcDateTime

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create the passport links table."""
    op.create_table(
        "passport_links",
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("chat_id", sa.String(128), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("token", name="pk_passport_links"),
        sa.UniqueConstraint("channel", "chat_id", name="uq_passport_links_channel_chat_id"),
    )


def downgrade() -> None:
    """Drop the passport links table."""
    op.drop_table("passport_links")
