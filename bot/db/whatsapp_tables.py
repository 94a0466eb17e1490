"""The WhatsApp channel's own tables: people's windows, the message log (held ones), statuses."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, LargeBinary, String, Table, Text

from bot.db.models import Id, UtcDateTime, metadata

whatsapp_people = Table(
    "whatsapp_people",
    metadata,
    Column("chat_id", String(160), primary_key=True),
    # Where to send: ("recipient", BSUID) or ("to", wa_id) for people without a user_id.
    Column("recipient_field", String(16), nullable=False),
    Column("recipient", String(160), nullable=False),
    Column("last_inbound_at", UtcDateTime, nullable=False),
    Column("template_sent_at", UtcDateTime, nullable=True),
    # The answer just chosen, shown at the top of the next message (nothing can be edited).
    Column("ack", Text, nullable=False, server_default=""),
    # The last long list (text and keyboard as JSON), for its "more" pages.
    Column("listing", Text, nullable=True),
    # The id of the person's first message: its redelivery still counts as the first (invites).
    Column("first_message_id", String(200), nullable=True),
)

whatsapp_messages = Table(
    "whatsapp_messages",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("chat_id", String(160), nullable=False),
    Column("wamid", String(200), nullable=True),
    Column("body", Text, nullable=False),  # the rendered Cloud API message body (JSON)
    Column("state", String(8), nullable=False),  # sent | held
    Column("created_at", UtcDateTime, nullable=False),
    # `<outbox id>.<reply index>.<part index>`: a part sent or held once is not sent again.
    Column("part_ref", String(64), nullable=True),
    Index(None, "chat_id", "state", "id"),
    Index(None, "wamid"),
    Index(None, "part_ref", unique=True),
    Index(None, "created_at"),
    sqlite_autoincrement=True,
)

whatsapp_statuses = Table(
    "whatsapp_statuses",
    metadata,
    Column("wamid", String(200), primary_key=True),
    Column("status", String(16), primary_key=True),
    Column("chat_id", String(160), nullable=True),
    Column("error_code", Integer, nullable=True),
    Column("at", UtcDateTime, nullable=False),
)

whatsapp_voice = Table(
    "whatsapp_voice",
    metadata,
    Column("media_id", String(200), primary_key=True),
    Column("chat_id", String(160), nullable=False),
    Column("mime_type", String(100), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Index(None, "chat_id"),
)
