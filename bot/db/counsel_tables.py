"""The counsellor tables: the allowlist, cases, their transcripts, the audit log of actions."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, ForeignKey, Index, String, Table, Text

from bot.db.models import Id, UtcDateTime, metadata

counsel_cases = Table(
    "counsel_cases",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("channel", String(32), nullable=False),
    Column("chat_id", String(128), nullable=False),
    # "channel:chat_id" while the case is open or claimed, NULL once closed: one live case each.
    Column("active_key", String(200), nullable=True, unique=True),
    Column("status", String(16), nullable=False),
    Column("reason", String(32), nullable=False),
    Column("summary", Text, nullable=False),
    Column("language", String(16), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("claimed_by", String(64), nullable=True),
    Column("claimed_at", UtcDateTime, nullable=True),
    Column("closed_at", UtcDateTime, nullable=True),
    Column("outcome", Text, nullable=True),
    Column("reminded_at", UtcDateTime, nullable=True),
    # When the person last tapped "Talk to a person": such cases come first in the queue.
    Column("asked_at", UtcDateTime, nullable=True),
    Index(None, "status", "created_at"),
    Index(None, "channel", "chat_id"),
    sqlite_autoincrement=True,
)

counsel_messages = Table(
    "counsel_messages",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("case_id", Id, ForeignKey("counsel_cases.id", ondelete="CASCADE"), nullable=False),
    Column("sender", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("file_ref", String(256), nullable=False),
    # The relay's unique ref: a redelivered relay is recorded once.
    Column("ref", String(64), nullable=True, unique=True),
    Column("at", UtcDateTime, nullable=False),
    Index(None, "case_id", "id"),
    sqlite_autoincrement=True,
)

counsel_audit = Table(
    "counsel_audit",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("case_id", Id, nullable=True, index=True),
    Column("counsellor", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("detail", Text, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    # The event the person's conversation gets (JSON), and when it was applied there.
    Column("channel", String(32), nullable=True),
    Column("chat_id", String(128), nullable=True),
    Column("event", Text, nullable=True),
    Column("applied_at", UtcDateTime, nullable=True),
    sqlite_autoincrement=True,
)

counsellors = Table(
    "counsellors",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(128), nullable=False),
    Column("telegram_user_id", BigInteger, nullable=True, unique=True),
    Column("is_admin", Boolean, nullable=False),
    Column("password_hash", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("language", String(8), nullable=False, server_default="en"),
)

counsel_sessions = Table(
    "counsel_sessions",
    metadata,
    # SHA-256 (hex) of the cookie's session id: the table alone cannot be replayed as a cookie.
    Column("sid_hash", String(64), primary_key=True),
    Column("counsellor_id", String(64), nullable=False, index=True),
    Column("expires_at", UtcDateTime, nullable=False, index=True),
    Column("created_at", UtcDateTime, nullable=False),
)
