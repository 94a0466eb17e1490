"""Cases: when the person last asked to talk, so their case moves up the queue."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.models import UtcDateTime

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add `counsel_cases.asked_at` (empty: the person has not asked)."""
    with op.batch_alter_table("counsel_cases") as batch:
        batch.add_column(sa.Column("asked_at", UtcDateTime, nullable=True))


def downgrade() -> None:
    """Drop it again."""
    with op.batch_alter_table("counsel_cases") as batch:
        batch.drop_column("asked_at")
