"""Who may act as a counsellor: the allowlist, console logins and the audit log."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.counsel.model import (
    CaseNotifier,
    Counsellor,
    Invalid,
    NotAllowed,
    counsellor_id,
    counsellor_of,
)
from bot.counsel.passwords import check_password, hash_password
from bot.counsel.storage.cases import AuditEntry, SqlCaseRepository
from bot.counsel.storage.people import SqlCounsellors
from bot.framework.i18n import gettext

log = logging.getLogger(__name__)
MIN_PASSWORD = 10


class Allowlist:
    """Counsellors from configuration plus those an admin adds; logins; the audit log."""

    def __init__(
        self, people: SqlCounsellors, repo: SqlCaseRepository, clock: Callable[[], datetime]
    ) -> None:
        self.people = people
        self._repo = repo
        self._clock = clock
        self.notifiers: list[CaseNotifier] = []

    async def counsellors(self) -> list[Counsellor]:
        """Everyone on the allowlist, by name."""
        return [counsellor_of(row) for row in await self.people.all()]

    async def set_language(self, counsellor: Counsellor, language: str) -> Counsellor:
        """Counsellors choose their own language (no admin needed)."""
        await self.people.set_language(counsellor.id, language)
        return replace(counsellor, language=language)

    async def add_counsellor(
        self,
        admin: Counsellor | None,
        name: str,
        *,
        telegram_user_id: int | None = None,
        is_admin: bool = False,
        password: str | None = None,
    ) -> Counsellor:
        """Add (or update) a counsellor; `admin` None means the operator (config, CLI).

        Raises:
            NotAllowed: `admin` is not an admin.
            ValueError: the name is empty or the password shorter than MIN_PASSWORD.
        """
        actor = await self._admin(admin)
        new_id = counsellor_id(name)
        if not new_id:
            raise Invalid(gettext("a counsellor needs a name with letters or digits"))
        values: dict[str, Any] = {"id": new_id, "name": name.strip(), "is_admin": is_admin}
        if telegram_user_id is not None:
            values["telegram_user_id"] = telegram_user_id
        if password is not None:
            if len(password) < MIN_PASSWORD:
                said = gettext("a password needs at least {count} characters")
                raise Invalid(said, count=MIN_PASSWORD)
            values["password_hash"] = await asyncio.to_thread(hash_password, password)
        await self.people.upsert(values, self._clock())
        detail = {"counsellor": new_id, "admin": is_admin, "telegram": telegram_user_id}
        await self._repo.log(None, AuditEntry(actor, "add_counsellor", detail), self._clock())
        return await self._by("id", new_id)

    async def sync(self, entries: Sequence[tuple[str, int, bool]]) -> None:
        """Put the configured (name, Telegram user id, admin) entries on the list (no audit)."""
        for name, telegram_user_id, is_admin in entries:
            values: dict[str, Any] = {"id": counsellor_id(name), "name": name}
            values["is_admin"], values["telegram_user_id"] = is_admin, telegram_user_id
            await self.people.upsert(values, self._clock())

    async def remove_counsellor(self, admin: Counsellor | None, name_or_id: str) -> bool:
        """Take someone off the allowlist; False when nobody had that name or id."""
        actor = await self._admin(admin)
        gone = await self.people.remove(counsellor_id(name_or_id))
        if gone:
            detail = {"counsellor": counsellor_id(name_or_id)}
            entry = AuditEntry(actor, "remove_counsellor", detail)
            await self._repo.log(None, entry, self._clock())
        return gone

    async def authenticate(self, name: str, password: str) -> Counsellor | None:
        """The counsellor whose console password this is, or None."""
        row = await self.people.find("id", counsellor_id(name))
        stored = row.password_hash if row is not None else None
        ok = await asyncio.to_thread(check_password, password, stored)
        return counsellor_of(row) if ok and row is not None else None

    async def start_session(
        self, sid: str, counsellor: Counsellor, expires: datetime, issued: datetime
    ) -> None:
        """Remember a console login; its times come from the signed cookie."""
        await self.people.start_session(sid, counsellor.id, expires, issued)

    async def session_live(self, sid: str, counsellor_id: str) -> bool:
        """Whether a console session is still good: no logout, new password or removal since."""
        return await self.people.session_live(sid, counsellor_id)

    async def end_session(self, sid: str) -> None:
        """Log a console session out, on every worker."""
        await self.people.end_session(sid)

    async def by_telegram(self, user_id: int) -> Counsellor | None:
        """The counsellor with this Telegram user id, or None for anyone else."""
        row = await self.people.find("telegram_user_id", user_id)
        return None if row is None else counsellor_of(row)

    async def audit(self, case_id: int | None = None) -> list[dict[str, Any]]:
        """Every counsellor action (of one case, or all): who, what, when, and details."""
        names = {c.id: c.name for c in await self.counsellors()}
        return [
            {
                "id": row.id,
                "case_id": row.case_id,
                "counsellor": row.counsellor,
                "name": names.get(row.counsellor, row.counsellor),
                "action": row.action,
                "detail": json.loads(row.detail),
                "at": row.at,
            }
            for row in await self._repo.audit(case_id)
        ]

    async def _allowed(self, counsellor: Counsellor) -> None:
        if await self.people.find("id", counsellor.id) is None:
            raise NotAllowed(gettext("{name} is not on the counsellor list"), name=counsellor.name)

    async def _admin(self, admin: Counsellor | None) -> str:
        if admin is None:
            return "operator"
        row = await self.people.find("id", admin.id)
        if row is None or not row.is_admin:
            raise NotAllowed(gettext("only an admin may change the counsellor list"))
        return str(admin.id)

    async def _by(self, column: str, value: object) -> Counsellor:
        row = await self.people.find(column, value)
        if row is None:
            raise ValueError(f"no counsellor {value}")
        return counsellor_of(row)

    async def _name_of(self, counsellor: str | None) -> str:
        row = await self.people.find("id", counsellor) if counsellor else None
        return str(row.name) if row is not None else (counsellor or "nobody")

    async def _tell(self, what: str, *args: Any) -> None:
        jobs: Sequence[Awaitable[None]] = [getattr(n, what)(*args) for n in self.notifiers]
        for outcome in await asyncio.gather(*jobs, return_exceptions=True):
            if isinstance(outcome, Exception):
                log.warning("notifying counsellors failed: %s", type(outcome).__name__)
