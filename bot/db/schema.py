"""The one registry of every table: import this module and `metadata` holds the whole schema."""

from __future__ import annotations

from bot.db.badge_tables import (
    badge_awards,
    badge_classes,
    badge_people,
    badge_revocations,
    badge_status_indexes,
)
from bot.db.counsel_tables import (
    counsel_audit,
    counsel_cases,
    counsel_messages,
    counsel_sessions,
    counsellors,
)
from bot.db.models import (
    answers,
    conversations,
    dead_letters,
    metadata,
    outbox,
    processed_events,
)
from bot.db.outreach_tables import outreach_invites, outreach_visits, outreach_workers
from bot.db.passport_tables import passport_links
from bot.db.whatsapp_tables import (
    whatsapp_messages,
    whatsapp_people,
    whatsapp_statuses,
    whatsapp_voice,
)

__all__ = [
    "answers",
    "badge_awards",
    "badge_classes",
    "badge_people",
    "badge_revocations",
    "badge_status_indexes",
    "conversations",
    "counsel_audit",
    "counsel_cases",
    "counsel_messages",
    "counsel_sessions",
    "counsellors",
    "dead_letters",
    "metadata",
    "outbox",
    "outreach_invites",
    "outreach_visits",
    "outreach_workers",
    "passport_links",
    "processed_events",
    "whatsapp_messages",
    "whatsapp_people",
    "whatsapp_statuses",
    "whatsapp_voice",
]
