"""The badge tables: badge classes, holders' tokens, status list indexes, awards, revocations."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, LargeBinary, String, Table, Text

from bot.db.models import UtcDateTime, metadata

badge_classes = Table(
    "badge_classes",
    metadata,
    Column("class_id", String(128), primary_key=True),
    Column("spec", Text, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

badge_people = Table(
    "badge_people",
    metadata,
    Column("channel", String(32), primary_key=True),
    Column("chat_id", String(128), primary_key=True),
    Column("token", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
)

badge_status_indexes = Table(
    "badge_status_indexes",
    metadata,
    Column("status_index", Integer, primary_key=True, autoincrement=False),
    Column("reserved_at", UtcDateTime, nullable=False),
)

badge_awards = Table(
    "badge_awards",
    metadata,
    Column("assertion_id", String(64), primary_key=True),
    Column("class_id", String(128), nullable=False),
    # The opaque person token (badge_people.token); NULL once the person is erased.
    Column("holder", String(64), nullable=True, index=True),
    Column("spec", Text, nullable=False),
    Column("recipient_type", String(16), nullable=False),
    Column("identity_hash", String(128), nullable=False),
    Column("salt", String(64), nullable=False),
    Column("issued_on", UtcDateTime, nullable=False),
    Column("status_index", Integer, nullable=False, unique=True),
    Column("narrative", Text, nullable=False),
    Column("png", LargeBinary, nullable=False),
    Column("credential", Text, nullable=False),
)

badge_revocations = Table(
    "badge_revocations",
    metadata,
    Column(
        "assertion_id",
        String(64),
        ForeignKey("badge_awards.assertion_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("reason", Text, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=False),
)
