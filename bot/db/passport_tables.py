"""The skills passport table: one unguessable share token per person, deleted on revoke."""

from __future__ import annotations

from sqlalchemy import Column, String, Table, UniqueConstraint

from bot.db.models import UtcDateTime, metadata

passport_links = Table(
    "passport_links",
    metadata,
    Column("token", String(64), primary_key=True),
    Column("channel", String(32), nullable=False),
    Column("chat_id", String(128), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("channel", "chat_id"),
)
