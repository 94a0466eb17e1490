"""Counsellors: each one's language for the console and the group's answers."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add `counsellors.language` (empty: English, the source language)."""
    with op.batch_alter_table("counsellors") as batch:
        batch.add_column(sa.Column("language", sa.String(8), nullable=False, server_default="en"))


def downgrade() -> None:
    """Drop it again."""
    with op.batch_alter_table("counsellors") as batch:
        batch.drop_column("language")
