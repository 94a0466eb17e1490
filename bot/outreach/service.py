"""Invites made and checked: who may make them, whether a code still opens the door."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.counsel.console.sessions import LoginThrottle
from bot.counsel.model import counsellor_id
from bot.counsel.passwords import check_password, hash_password
from bot.framework.events import InviteOpened
from bot.outreach.model import CODE_FORM, Invite, Refusal, Worker, new_code
from bot.outreach.storage import SqlOutreach

NAME_LIMIT = 128


@dataclass(frozen=True)
class NewInvite:
    """What a worker fills in; `language` None lets the person choose."""

    organisation: str
    campaign: str
    language: str | None = None
    expires_at: datetime | None = None
    max_uses: int | None = None


class OutreachService:
    """Workers and invites over the repository; wrong guesses are throttled per chat or address.

    `guesses` allows a few unknown codes per chat (or address) in 15 minutes, then refuses
    every code from there without looking it up; `all_guesses` does the same for everyone.
    """

    def __init__(
        self,
        repo: SqlOutreach,
        clock: Callable[[], datetime],
        guesses: LoginThrottle | None = None,
        all_guesses: LoginThrottle | None = None,
    ) -> None:
        self.repo, self._clock = repo, clock
        self._guesses = guesses or LoginThrottle(limit=5)
        self._all_guesses = all_guesses or LoginThrottle(limit=500)

    async def add_worker(
        self, name: str, password: str | None = None, telegram_user_id: int | None = None
    ) -> Worker:
        """Add a worker (or set their password or Telegram id)."""
        name = " ".join(name.split())[:NAME_LIMIT]
        ident = counsellor_id(name)
        if not ident:
            raise ValueError("Please give the worker a name with letters or digits.")
        values: dict[str, object] = {"id": ident, "name": name}
        if password:
            values["password_hash"] = hash_password(password)
        if telegram_user_id is not None:
            values["telegram_user_id"] = telegram_user_id
        await self.repo.upsert_worker(values, self._clock())
        return Worker(ident, name, telegram_user_id)

    async def authenticate(self, name: str, password: str) -> Worker | None:
        """The worker whose name and password these are (the same work either way)."""
        found = await self.repo.worker("id", counsellor_id(name))
        ok = check_password(password, found[1] if found else None)
        return found[0] if ok and found else None

    async def create(self, worker: Worker, new: NewInvite) -> Invite:
        """A fresh invite of this worker's."""
        if not new.organisation.strip() or not new.campaign.strip():
            raise ValueError("Please name the organisation and the campaign.")
        if new.max_uses is not None and new.max_uses < 1:
            raise ValueError("The use limit must be 1 or more.")
        invite = Invite(
            new_code(),
            worker.id,
            new.organisation.strip()[:NAME_LIMIT],
            new.campaign.strip()[:NAME_LIMIT],
            new.language,
            new.expires_at,
            new.max_uses,
            0,
            self._clock(),
        )
        await self.repo.add_invite(invite)
        return invite

    async def look_up(self, code: str, who: str) -> tuple[Invite | None, Refusal | None]:
        """The invite behind a code, and why it would not open (throttled guesses too)."""
        if not (self._guesses.allowed([who]) and self._all_guesses.allowed(["*"])):
            return None, "throttled"
        invite = await self.repo.invite(code) if CODE_FORM.match(code) else None
        if invite is None:
            self._guesses.failed([who])
            self._all_guesses.failed(["*"])
            return None, "unknown"
        return invite, invite.refusal(self._clock())

    async def visited(self, code: str) -> None:
        """Count a landing-page view of a known code."""
        await self.repo.visited(code, self._clock())

    async def admit(self, code: str, who: str, new_person: bool) -> InviteOpened:
        """Check a code a person came with; a new person counts as one use."""
        invite, refusal = await self.look_up(code, who)
        if invite is None or (refusal is not None and new_person):  # one back is no new use
            return InviteOpened(code, accepted=False)
        if new_person and not await self.repo.use(code, self._clock()):
            return InviteOpened(code, accepted=False)
        return InviteOpened(code, accepted=True, language=invite.language)
