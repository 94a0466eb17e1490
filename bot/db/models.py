"""The database tables, as SQLAlchemy Core metadata (the migrations create them)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Dialect,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
    true,
)
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite keeps naive UTC text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse naive times; store UTC (naive on SQLite, so text compares in order)."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: use timezone-aware UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Give back an aware UTC datetime."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
Id = BigInteger().with_variant(Integer(), "sqlite")

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "pk": "pk_%(table_name)s",
    }
)

conversations = Table(
    "conversations",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("channel", String(32), nullable=False),
    Column("chat_id", String(128), nullable=False),
    Column("state", Text, nullable=True),
    Column("version", Integer, nullable=False, server_default=text("0")),
    Column("active", Boolean, nullable=False, server_default=true()),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("channel", "chat_id"),
)

answers = Table(
    "answers",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("channel", String(32), nullable=False),
    Column("chat_id", String(128), nullable=False),
    Column("category", String(64), nullable=False),
    Column("question_id", String(128), nullable=False),
    Column("option_key", String(64), nullable=True),
    Column("level", Integer, nullable=True),
    Column("position", Integer, nullable=True),
    Column("shown_order", Text, nullable=False),
    Column("elapsed_ms", Integer, nullable=False),
    # The engine's own ISO-8601 text, kept verbatim so the Answer round-trips exactly.
    Column("answered_at", String(64), nullable=False),
    Column("event_id", String(128), nullable=True),
    Index(None, "channel", "chat_id", "id"),
    sqlite_autoincrement=True,  # never reuse an id: the sender tracks rows by id
)

processed_events = Table(
    "processed_events",
    metadata,
    Column("channel", String(32), nullable=False),
    Column("event_id", String(128), nullable=False),
    Column("processed_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("channel", "event_id"),
    Index(None, "processed_at"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("channel", String(32), nullable=False),
    Column("chat_id", String(128), nullable=False),
    Column("action", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("not_before", UtcDateTime, nullable=True),
    Index(None, "channel", "chat_id", "id"),
    sqlite_autoincrement=True,  # never reuse an id: the sender tracks rows by id
)

dead_letters = Table(
    "dead_letters",
    metadata,
    # An outbox row set aside after too many failed tries: it no longer holds its chat back.
    Column("id", Id, primary_key=True, autoincrement=False),
    Column("channel", String(32), nullable=False),
    Column("chat_id", String(128), nullable=False),
    Column("action", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("error", String(128), nullable=False),  # the exception's type name, never its text
    Column("failed_at", UtcDateTime, nullable=False),
    Index(None, "channel", "chat_id"),
)
