"""Outreach workers and invites as plain values; codes made and checked here."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Row

CODE_BYTES = 12  # 96 random bits; token_urlsafe spells them in Telegram's [A-Za-z0-9_-]
CODE_FORM = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
Refusal = Literal["unknown", "expired", "used_up", "throttled"]


def new_code() -> str:
    """A fresh invite code: 16 characters of `[A-Za-z0-9_-]`, 96 random bits.

    It always holds a digit, so a bare code as a first WhatsApp message is read as one
    (bot.channels.whatsapp_intake); drawing again keeps every code equally likely.
    """
    while not any((code := secrets.token_urlsafe(CODE_BYTES)).count(d) for d in "0123456789"):
        pass
    return code


@dataclass(frozen=True)
class Worker:
    """An outreach worker; `id` comes from the name like a counsellor's."""

    id: str
    name: str
    telegram_user_id: int | None


@dataclass(frozen=True)
class Invite:
    """One invite code and what it stands for; `uses` counts people who started with it."""

    code: str
    worker_id: str
    organisation: str
    campaign: str
    language: str | None
    expires_at: datetime | None
    max_uses: int | None
    uses: int
    created_at: datetime

    def refusal(self, now: datetime) -> Refusal | None:
        """Why a new person may not start with it now, or None when they may."""
        if self.expires_at is not None and now >= self.expires_at:
            return "expired"
        if self.max_uses is not None and self.uses >= self.max_uses:
            return "used_up"
        return None


def worker_of(row: Row[Any]) -> Worker:
    """An outreach_workers row as a Worker (the password hash stays behind)."""
    user = row.telegram_user_id
    return Worker(row.id, row.name, int(user) if user is not None else None)


def invite_of(row: Row[Any]) -> Invite:
    """An outreach_invites row as an Invite."""
    return Invite(
        row.code,
        row.worker_id,
        row.organisation,
        row.campaign,
        row.language,
        row.expires_at,
        row.max_uses,
        int(row.uses),
        row.created_at,
    )
