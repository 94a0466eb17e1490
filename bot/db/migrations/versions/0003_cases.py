"""Counsellor cases: cases, transcripts, the audit log, and the counsellor allowlist."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.models import Id, UtcDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create the four counsellor tables."""
    op.create_table(
        "counsel_cases",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("chat_id", sa.String(128), nullable=False),
        sa.Column("active_key", sa.String(200), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("language", sa.String(16), nullable=True),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("claimed_at", UtcDateTime, nullable=True),
        sa.Column("closed_at", UtcDateTime, nullable=True),
        sa.Column("outcome", sa.Text, nullable=True),
        sa.Column("reminded_at", UtcDateTime, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_counsel_cases"),
        sa.UniqueConstraint("active_key", name="uq_counsel_cases_active_key"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_counsel_cases_status_created_at", "counsel_cases", ["status", "created_at"])
    op.create_index("ix_counsel_cases_channel_chat_id", "counsel_cases", ["channel", "chat_id"])
    op.create_table(
        "counsel_messages",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("case_id", Id, nullable=False),
        sa.Column("sender", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("file_ref", sa.String(256), nullable=False),
        sa.Column("ref", sa.String(64), nullable=True),
        sa.Column("at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_counsel_messages"),
        sa.UniqueConstraint("ref", name="uq_counsel_messages_ref"),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["counsel_cases.id"],
            name="fk_counsel_messages_case_id_counsel_cases",
            ondelete="CASCADE",
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_counsel_messages_case_id_id", "counsel_messages", ["case_id", "id"])
    op.create_table(
        "counsel_audit",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("case_id", Id, nullable=True),
        sa.Column("counsellor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("at", UtcDateTime, nullable=False),
        sa.Column("channel", sa.String(32), nullable=True),
        sa.Column("chat_id", sa.String(128), nullable=True),
        sa.Column("event", sa.Text, nullable=True),
        sa.Column("applied_at", UtcDateTime, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_counsel_audit"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_counsel_audit_case_id", "counsel_audit", ["case_id"])
    op.create_table(
        "counsellors",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger, nullable=True),
        sa.Column("is_admin", sa.Boolean, nullable=False),
        sa.Column("password_hash", sa.Text, nullable=True),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_counsellors"),
        sa.UniqueConstraint("telegram_user_id", name="uq_counsellors_telegram_user_id"),
    )


def downgrade() -> None:
    """Drop the four counsellor tables."""
    for table in ("counsellors", "counsel_audit", "counsel_messages", "counsel_cases"):
        op.drop_table(table)
