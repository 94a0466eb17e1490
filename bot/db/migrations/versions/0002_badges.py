"""Badges: badge classes, awards (baked PNG, credential), revocations, status indexes, people."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.models import UtcDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create the five badge tables."""
    op.create_table(
        "badge_classes",
        sa.Column("class_id", sa.String(128), nullable=False),
        sa.Column("spec", sa.Text, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("class_id", name="pk_badge_classes"),
    )
    op.create_table(
        "badge_people",
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("chat_id", sa.String(128), nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("channel", "chat_id", name="pk_badge_people"),
        sa.UniqueConstraint("token", name="uq_badge_people_token"),
    )
    op.create_table(
        "badge_status_indexes",
        sa.Column("status_index", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("reserved_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("status_index", name="pk_badge_status_indexes"),
    )
    op.create_table(
        "badge_awards",
        sa.Column("assertion_id", sa.String(64), nullable=False),
        sa.Column("class_id", sa.String(128), nullable=False),
        sa.Column("holder", sa.String(64), nullable=True),
        sa.Column("spec", sa.Text, nullable=False),
        sa.Column("recipient_type", sa.String(16), nullable=False),
        sa.Column("identity_hash", sa.String(128), nullable=False),
        sa.Column("salt", sa.String(64), nullable=False),
        sa.Column("issued_on", UtcDateTime, nullable=False),
        sa.Column("status_index", sa.Integer, nullable=False),
        sa.Column("narrative", sa.Text, nullable=False),
        sa.Column("png", sa.LargeBinary, nullable=False),
        sa.Column("credential", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("assertion_id", name="pk_badge_awards"),
        sa.UniqueConstraint("status_index", name="uq_badge_awards_status_index"),
    )
    op.create_index("ix_badge_awards_holder", "badge_awards", ["holder"])
    op.create_table(
        "badge_revocations",
        sa.Column("assertion_id", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("revoked_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("assertion_id", name="pk_badge_revocations"),
        sa.ForeignKeyConstraint(
            ["assertion_id"],
            ["badge_awards.assertion_id"],
            name="fk_badge_revocations_assertion_id_badge_awards",
            ondelete="CASCADE",
        ),
    )


def downgrade() -> None:
    """Drop the five badge tables."""
    for table in (
        "badge_revocations",
        "badge_awards",
        "badge_status_indexes",
        "badge_people",
        "badge_classes",
    ):
        op.drop_table(table)
