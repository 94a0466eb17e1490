"""The case service: open, claim, talk, validate, close; every counsellor action audited."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.counsel.allowlist import Allowlist
from bot.counsel.model import (
    ASKED,
    PERSON_ASKED,
    Case,
    CaseConflict,
    CaseMessage,
    CaseNotifier,
    Counsellor,
    Invalid,
    NotAllowed,
    case_of,
    message_of,
)
from bot.counsel.storage.cases import AuditEntry, Guard, NewMessage, SqlCaseRepository
from bot.counsel.storage.people import SqlCounsellors
from bot.framework.actions import RelayToCounsellor
from bot.framework.codec import counsellor_event_from_json, counsellor_event_to_json
from bot.framework.engine_types import AnswerRecord
from bot.framework.events import (
    CounsellorEvent,
    CounsellorJoined,
    CounsellorLeft,
    CounsellorMessage,
    CounsellorVoice,
    Inbound,
    LevelValidated,
    ValidationRejected,
)
from bot.framework.i18n import gettext
from bot.framework.session import SessionKey

__all__ = [
    "Case",
    "CaseConflict",
    "CaseMessage",
    "CaseNotifier",
    "CaseService",
    "Counsellor",
    "NotAllowed",
]

log = logging.getLogger(__name__)
MAX_REPLY = 3500  # leaves room for the 🧑‍🏫 prefix within one 4096-unit Telegram message
MAX_VOICE = 1_000_000  # bytes: a voice note of a few minutes; it travels base64 in the outbox
MAX_CAPTION = 900  # a voice note's caption (WhatsApp and Telegram allow 1024)

Handle = Callable[[Inbound], Awaitable[object]]
AnswersLog = Callable[[SessionKey], Awaitable[list[AnswerRecord]]]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class CaseService(Allowlist):
    """Cases between people and counsellors.

    Each counsellor action is one transaction (a conditional UPDATE, so of two concurrent
    claims exactly one wins, plus its audit row holding the event for the person). The event
    then goes through `handle` (Conversations.handle) with the id `counsel-<audit id>`, so a
    retry (`deliver_pending`) is applied once.
    """

    def __init__(
        self,
        repo: SqlCaseRepository,
        people: SqlCounsellors,
        handle: Handle,
        answers_log: AnswersLog,
        levels: dict[str, int],
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        super().__init__(people, repo, clock)
        self._handle = handle
        self._answers_log = answers_log
        self._levels = levels  # category id → number of levels

    # -- the person's side (at delivery) --------------------------------------------------

    async def open_case(self, key: SessionKey, reason: str, summary: dict[str, Any]) -> Case:
        """The person's open or claimed case (its summary updated), or a new open one."""
        now = self._clock()
        row, created = await self._repo.open_case(key, reason, summary, now)
        case = case_of(row)
        if created:
            await self._tell("case_opened", case)
        elif reason == PERSON_ASKED:  # asked again on an open case: the counsellors hear it
            await self._tell(
                "person_wrote", case, CaseMessage(case.id, "person", "", ASKED, now), ""
            )
        return case

    async def relay_from_person(self, key: SessionKey, relay: RelayToCounsellor) -> bool:
        """Record the person's message on their live case and pass it to the counsellors."""
        row = await self._repo.live_case_of(key)
        if row is None:
            return False
        case = case_of(row)
        line = NewMessage("person", relay.text, relay.kind, relay.file_ref, relay.ref or None)
        now = self._clock()
        if await self._repo.add_message(case.id, line, now) is None:
            return False  # redelivered: recorded before
        said = CaseMessage(case.id, "person", relay.text, relay.kind, now)
        await self._tell("person_wrote", case, said, relay.file_ref)
        return True

    async def forget_person(self, key: SessionKey) -> None:
        """The person erased their data: close their cases, drop transcripts and summaries."""
        await self._repo.forget_person(key, self._clock())

    async def export_person(self, key: SessionKey) -> dict[str, Any]:
        """The person's cases, transcripts and the counsellors' actions on them (for /export)."""
        return await self._repo.export_person(key)

    # -- reading ----------------------------------------------------------------------------

    async def queue(self) -> list[Case]:
        """Open and claimed cases, oldest first."""
        return [case_of(row) for row in await self._repo.live_cases()]

    async def get(self, case_id: int) -> Case | None:
        """One case."""
        row = await self._repo.get(case_id)
        return None if row is None else case_of(row)

    async def transcript(self, case_id: int) -> list[CaseMessage]:
        """What the person and the counsellors said, oldest first."""
        return [message_of(row) for row in await self._repo.messages(case_id)]

    async def answers(self, case_id: int) -> list[dict[str, Any]]:
        """The person's answers log (question, option, level, timing), oldest first.

        The results with their flags are in the case's `summary["results"]`.
        """
        case = await self.get(case_id)
        if case is None:
            return []
        return [
            {"category": record.category, **record.answer.to_json()}
            for record in await self._answers_log(case.key)
        ]

    async def overdue(self, older_than: timedelta) -> list[Case]:
        """Open (unclaimed) cases that have waited longer than `older_than`."""
        rows = await self._repo.waiting_since(self._clock() - older_than)
        return [case_of(row) for row in rows]

    async def remind(self, older_than: timedelta) -> list[Case]:
        """Remind the counsellors of overdue cases not reminded of within `older_than`."""
        rows = await self._repo.due_reminders(self._clock() - older_than)
        cases = [case_of(row) for row in rows]
        if cases:
            await self._repo.mark_reminded([case.id for case in cases], self._clock())
            await self._tell("remind", cases)
        return cases

    # -- counsellor actions -----------------------------------------------------------------

    async def claim(self, case_id: int, counsellor: Counsellor) -> Case:
        """Take the case; of two concurrent claims one wins, the other gets CaseConflict."""
        await self._allowed(counsellor)
        now = self._clock()
        values = {"status": "claimed", "claimed_by": counsellor.id, "claimed_at": now}
        event = CounsellorJoined()
        audit_id = await self._act(case_id, counsellor, "claim", "open", values, {}, event)
        if audit_id is None:
            case = await self._case(case_id)
            if case.status == "claimed" and case.claimed_by == counsellor.id:
                return case  # a repeated claim by the holder changes nothing
            raise await self._why_taken(case)
        return await self._done(audit_id, case_id, "claim", counsellor, event)

    async def release(self, case_id: int, counsellor: Counsellor) -> Case:
        """Give the case back to the queue; the person hears the counsellor has left."""
        values = {"status": "open", "claimed_by": None, "claimed_at": None}
        event = CounsellorLeft(False)
        audit_id = await self._act(case_id, counsellor, "release", "mine", values, {}, event)
        if audit_id is None:
            raise await self._why_not_mine(case_id)
        return await self._done(audit_id, case_id, "release", counsellor, event)

    async def close(self, case_id: int, counsellor: Counsellor) -> Case:
        """Close a case you hold or one still open (admins: any case)."""
        guard: Guard = "not_closed" if counsellor.is_admin else "open_or_mine"
        values = {"status": "closed", "closed_at": self._clock(), "active_key": None}
        event = CounsellorLeft(True)
        audit_id = await self._act(case_id, counsellor, "close", guard, values, {}, event)
        if audit_id is None:
            raise await self._why_not_mine(case_id)
        return await self._done(audit_id, case_id, "close", counsellor, event)

    async def reply(self, case_id: int, counsellor: Counsellor, text: str) -> None:
        """Send the person a message (you must hold the case)."""
        text = text.strip()
        if not text or len(text) > MAX_REPLY:
            raise Invalid(gettext("a reply needs 1 to {count} characters"), count=MAX_REPLY)
        line, event = NewMessage("counsellor", text), CounsellorMessage(text)
        audit_id = await self._act(case_id, counsellor, "reply", "mine", {}, {}, event, line)
        if audit_id is None:
            raise await self._why_not_mine(case_id)
        await self._done(audit_id, case_id, "reply", counsellor, event)

    async def reply_voice(
        self,
        case_id: int,
        counsellor: Counsellor,
        content: bytes,
        mime_type: str,
        caption: str = "",
    ) -> None:
        """Send the person a voice note (you must hold the case); at most MAX_VOICE bytes."""
        if not content or len(content) > MAX_VOICE:
            raise ValueError(f"a voice note must be at most {MAX_VOICE // 1_000_000} MB")
        caption = caption.strip()[:MAX_CAPTION]
        line = NewMessage("counsellor", caption, "voice")
        event = CounsellorVoice(content, mime_type, caption)
        audit_id = await self._act(case_id, counsellor, "reply", "mine", {}, {}, event, line)
        if audit_id is None:
            raise await self._why_not_mine(case_id)
        await self._done(audit_id, case_id, "reply", counsellor, event)

    async def validate(
        self, case_id: int, counsellor: Counsellor, category: str, level: int, note: str = ""
    ) -> None:
        """Validate a level; the person gets a validated badge (you must hold the case)."""
        category = self._category(category)
        if not 0 <= level < self._levels[category]:
            top = self._levels[category] - 1
            raise Invalid(gettext("the level must be 0 to {top}"), top=top)
        detail = {"category": category, "level": level, "note": note}
        values = {"outcome": f"validated {category} {level}"}
        event = LevelValidated(category, level, note)
        audit_id = await self._act(case_id, counsellor, "validate", "mine", values, detail, event)
        if audit_id is None:
            raise await self._why_not_mine(case_id)
        await self._done(audit_id, case_id, "validate", counsellor, event)

    async def reject(self, case_id: int, counsellor: Counsellor, note: str = "") -> None:
        """Do not validate this time (you must hold the case)."""
        case = await self._case(case_id)
        category = str(case.summary.get("category") or "")
        values, detail = {"outcome": "rejected"}, {"note": note}
        event = ValidationRejected(note, category)
        audit_id = await self._act(case_id, counsellor, "reject", "mine", values, detail, event)
        if audit_id is None:
            raise await self._why_not_mine(case_id)
        await self._done(audit_id, case_id, "reject", counsellor, event)

    async def deliver_pending(self) -> int:
        """Apply the events a crash or error left unapplied; returns how many were applied."""
        applied = 0
        for pending in await self._repo.pending_events():
            event = counsellor_event_from_json(pending.event)
            applied += await self._apply(pending.audit_id, pending.key, event)
        return applied

    # -- helpers ----------------------------------------------------------------------------

    async def _act(
        self,
        case_id: int,
        counsellor: Counsellor,
        action: str,
        guard: Guard,
        values: dict[str, Any],
        detail: dict[str, Any],
        event: CounsellorEvent,
        line: NewMessage | None = None,
    ) -> int | None:
        await self._allowed(counsellor)
        await self._case(case_id)  # unknown ids fail here, with a clear message
        entry = AuditEntry(counsellor.id, action, detail, counsellor_event_to_json(event))
        return await self._repo.act(case_id, guard, values, entry, self._clock(), line)

    async def _done(
        self,
        audit_id: int,
        case_id: int,
        action: str,
        counsellor: Counsellor,
        event: CounsellorEvent,
    ) -> Case:
        case = await self._case(case_id)
        await self._apply(audit_id, case.key, event)
        await self._tell("case_changed", case, action, counsellor)
        return case

    async def _apply(self, audit_id: int, key: SessionKey, event: CounsellorEvent) -> int:
        inbound = Inbound(key, event, f"counsel-{audit_id}", self._clock())
        try:
            await self._handle(inbound)
        except Exception as exc:  # retried by deliver_pending; the action itself is stored
            log.warning("counsellor event %s not applied yet: %s", audit_id, type(exc).__name__)
            return 0
        await self._repo.mark_applied(audit_id, self._clock())
        return 1

    async def _case(self, case_id: int) -> Case:
        case = await self.get(case_id)
        if case is None:
            raise Invalid(gettext("there is no case {case}"), case=case_id)
        return case

    async def _why_taken(self, case: Case) -> CaseConflict:
        if case.status == "closed":
            return CaseConflict(gettext("case {case} is closed"), case=case.id)
        holder = await self._name_of(case.claimed_by)
        said = gettext("case {case} is already taken by {name}")
        return CaseConflict(said, case=case.id, name=holder)

    async def _why_not_mine(self, case_id: int) -> NotAllowed:
        case = await self._case(case_id)
        if case.status == "claimed":
            said = gettext("case {case} is held by {name}")
            return NotAllowed(said, case=case_id, name=await self._name_of(case.claimed_by))
        if case.status == "closed":
            return NotAllowed(gettext("case {case} is closed"), case=case_id)
        return NotAllowed(gettext("case {case} is open: take it first"), case=case_id)

    def _category(self, category: str) -> str:
        found = [known for known in self._levels if known.lower() == category.strip().lower()]
        if not found:
            said = gettext("unknown topic {topic}; use one of {topics}")
            raise Invalid(said, topic=repr(category), topics=", ".join(self._levels))
        return found[0]
