"""The outreach tables: workers (their console login), invite codes, landing-page visits."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table, Text

from bot.db.models import Id, UtcDateTime, metadata

outreach_workers = Table(
    "outreach_workers",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(128), nullable=False),
    Column("telegram_user_id", BigInteger, nullable=True, unique=True),
    Column("password_hash", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
)

outreach_invites = Table(
    "outreach_invites",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("worker_id", String(64), nullable=False, index=True),
    Column("organisation", String(128), nullable=False),
    Column("campaign", String(128), nullable=False),
    Column("language", String(16), nullable=True),
    Column("expires_at", UtcDateTime, nullable=True),
    Column("max_uses", Integer, nullable=True),
    Column("uses", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

# One row per landing-page view: the code and the time, nothing about the visitor.
outreach_visits = Table(
    "outreach_visits",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("code", String(64), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Index(None, "code", "at"),
    sqlite_autoincrement=True,
)
