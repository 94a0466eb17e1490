"""Outreach: workers with a console login, invite codes, landing-page visits."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.models import Id, UtcDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create the three outreach tables."""
    op.create_table(
        "outreach_workers",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger, nullable=True),
        sa.Column("password_hash", sa.Text, nullable=True),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_outreach_workers"),
        sa.UniqueConstraint("telegram_user_id", name="uq_outreach_workers_telegram_user_id"),
    )
    op.create_table(
        "outreach_invites",
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("worker_id", sa.String(64), nullable=False),
        sa.Column("organisation", sa.String(128), nullable=False),
        sa.Column("campaign", sa.String(128), nullable=False),
        sa.Column("language", sa.String(16), nullable=True),
        sa.Column("expires_at", UtcDateTime, nullable=True),
        sa.Column("max_uses", sa.Integer, nullable=True),
        sa.Column("uses", sa.Integer, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_outreach_invites"),
    )
    op.create_index("ix_outreach_invites_worker_id", "outreach_invites", ["worker_id"])
    op.create_table(
        "outreach_visits",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_outreach_visits"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_outreach_visits_code_at", "outreach_visits", ["code", "at"])


def downgrade() -> None:
    """Drop the three outreach tables."""
    for table in ("outreach_visits", "outreach_invites", "outreach_workers"):
        op.drop_table(table)
