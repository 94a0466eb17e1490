"""Counsellor console sessions, so logout, a new password or removal end them on every worker."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.models import UtcDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create counsel_sessions (existing signed-in cookies end: counsellors log in again)."""
    op.create_table(
        "counsel_sessions",
        sa.Column("sid_hash", sa.String(64), nullable=False),
        sa.Column("counsellor_id", sa.String(64), nullable=False),
        sa.Column("expires_at", UtcDateTime, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("sid_hash", name="pk_counsel_sessions"),
    )
    op.create_index(
        "ix_counsel_sessions_counsellor_id", "counsel_sessions", ["counsellor_id"]
    )
    op.create_index("ix_counsel_sessions_expires_at", "counsel_sessions", ["expires_at"])


def downgrade() -> None:
    """Drop counsel_sessions."""
    op.drop_table("counsel_sessions")
