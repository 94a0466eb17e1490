"""The counsellors' group commands (/queue, /claim N, /reply N text, ...) as plain text in, out."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.counsel.model import Case, Counsellor, Invalid, Told
from bot.counsel.service import CaseService
from bot.counsel.wording import REASON_EMOJI, age, category_name, flag_words, level_name, reason
from bot.dialogs.content import Content
from bot.framework.i18n import Catalogs, Translator, gettext

HELP = gettext(
    "/queue · /claim N · /reply N text (or reply to a case message) · /release N · "
    "/close N · /validate N TOPIC LEVEL [note] · /reject N [note] · "
    "/counsellor add TELEGRAM_ID NAME [admin] · /counsellor remove NAME · /counsellor list · "
    "/counsellor language xx"
)


class GroupCommands:
    """Runs one counsellor command and says what happened, in one short text.

    Answers are in the counsellor's own language; `describe` (posted to the whole group)
    is in the group's language.
    """

    def __init__(
        self,
        service: CaseService,
        content: Content,
        clock: Callable[[], datetime],
        catalogs: Catalogs | None = None,
        group_language: str = "en",
    ) -> None:
        self._service = service
        self._content = content
        self._clock = clock
        self._catalogs = catalogs
        self.group_t = self._translator(group_language)

    def _translator(self, language: str) -> Translator:
        if self._catalogs is None:
            return Translator("en", {})
        return self._catalogs.get(language)

    def _t(self, counsellor: Counsellor) -> Translator:
        """The counsellor's own language (English without catalogs)."""
        return self._translator(counsellor.language)

    async def run(self, counsellor: Counsellor, text: str) -> str:
        """The answer to post, or "" to stay quiet."""
        word, _, rest = text.strip().partition(" ")
        name = word[1:].split("@", 1)[0].lower()
        try:
            return await self._dispatch(counsellor, name, rest.strip())
        except Told as problem:
            return f"⚠️ {problem.said(self._t(counsellor))}"
        except ValueError as problem:
            return f"⚠️ {problem}"

    async def _dispatch(self, counsellor: Counsellor, name: str, rest: str) -> str:
        t = self._t(counsellor)
        if name == "queue":
            return await self._queue(t)
        if name == "counsellor" and rest.split()[:1] == ["language"]:
            return await self._language(counsellor, rest.split()[1:])
        if name == "counsellor":
            return await self._allowlist(counsellor, t, rest.split())
        handler = self._case_commands().get(name)
        if handler is None:
            return self._help(t) if name == "help" else ""
        number, _, more = rest.partition(" ")
        if not number.lstrip("#").isdigit():
            said = gettext("/{command} needs a case number, like /{command} 12")
            raise Invalid(said, command=name)
        return await handler(int(number.lstrip("#")), counsellor, more.strip())

    def _case_commands(self) -> dict[str, Callable[[int, Counsellor, str], Awaitable[str]]]:
        return {
            "claim": self._claim,
            "release": self._release,
            "close": self._close,
            "reply": self._reply,
            "validate": self._validate,
            "reject": self._reject,
        }

    async def _claim(self, case_id: int, counsellor: Counsellor, _: str) -> str:
        await self._service.claim(case_id, counsellor)
        return ""  # the service's notice says it to everyone

    async def _release(self, case_id: int, counsellor: Counsellor, _: str) -> str:
        await self._service.release(case_id, counsellor)
        return ""

    async def _close(self, case_id: int, counsellor: Counsellor, _: str) -> str:
        await self._service.close(case_id, counsellor)
        return ""

    async def _reply(self, case_id: int, counsellor: Counsellor, text: str) -> str:
        await self._service.reply(case_id, counsellor, text)
        return ""

    async def _validate(self, case_id: int, counsellor: Counsellor, rest: str) -> str:
        parts = rest.split(" ", 2)
        if len(parts) < 2 or not parts[1].isdigit():
            raise Invalid(gettext("use /validate N TOPIC LEVEL [note], e.g. /validate 12 SOC 2"))
        note = parts[2] if len(parts) > 2 else ""
        await self._service.validate(case_id, counsellor, parts[0], int(parts[1]), note)
        return ""

    async def _reject(self, case_id: int, counsellor: Counsellor, note: str) -> str:
        await self._service.reject(case_id, counsellor, note)
        return ""

    def _help(self, t: Translator) -> str:
        return t.gettext("Commands:") + " " + t.gettext(HELP)

    async def _language(self, counsellor: Counsellor, words: list[str]) -> str:
        codes = self._catalogs.languages if self._catalogs else ("en",)
        if len(words) != 1 or words[0].lower() not in codes:
            return "🌐 /counsellor language " + " | ".join(codes)
        changed = await self._service.set_language(counsellor, words[0].lower())
        t = self._t(changed)
        return "🌐 " + t.gettext("{name}: I answer you in this language now.").format(
            name=changed.name
        )

    async def _queue(self, t: Translator) -> str:
        cases = await self._service.queue()
        if not cases:
            return "📭 " + t.gettext("No open cases.")
        return "\n".join(self._line(t, case) for case in cases)

    async def _allowlist(self, admin: Counsellor, t: Translator, words: list[str]) -> str:
        if words[:1] == ["list"]:
            people = await self._service.counsellors()
            return "\n".join(f"{'⭐' if c.is_admin else '👤'} {c.name}" for c in people)
        if len(words) >= 3 and words[0] == "add" and words[1].isdigit():
            is_admin = words[-1] == "admin" and len(words) > 3
            name = " ".join(words[2:-1] if is_admin else words[2:])
            added = await self._service.add_counsellor(
                admin, name, telegram_user_id=int(words[1]), is_admin=is_admin
            )
            return "👤 " + t.gettext("{name} can now act as a counsellor.").format(name=added.name)
        if len(words) >= 2 and words[0] == "remove":
            name = " ".join(words[1:])
            gone = await self._service.remove_counsellor(admin, name)
            said = gettext("{name} removed.") if gone else gettext("nobody called {name}")
            return ("👋 " if gone else "⚠️ ") + t.gettext(said).format(name=name)
        return t.gettext("use /counsellor add TELEGRAM_ID NAME [admin] | remove NAME | list")

    def describe(self, case: Case) -> str:
        """A case in a few lines, in the group's language: number, why, invite, levels."""
        t, summary = self.group_t, case.summary
        head = f"#{case.id} · {self._reason(t, case)}"
        invite = t.gettext("invite: {code}").format(code=summary.get("invite") or "—")
        lines = [head, f"🌐 {case.language or '?'} · {invite}"]
        for category, result in summary.get("results", {}).items():
            level = level_name(t, self._content, result.get("level"))
            shown = f"{category_name(t, self._content, category)}: {level}"
            flags = flag_words(t, result)
            lines.append(f"{shown} ⚠️ {flags}" if flags else shown)
        return "\n".join(lines)

    def topic_level(self, t: Translator, category: str, level: int) -> str:
        """A topic and a level in `t`'s language (for the group's notices)."""
        return f"{category_name(t, self._content, category)} {level_name(t, self._content, level)}"

    @staticmethod
    def _reason(t: Translator, case: Case) -> str:
        emoji = REASON_EMOJI.get(case.reason, "")
        return f"{emoji} {reason(t, case.reason)}".strip()

    def _line(self, t: Translator, case: Case) -> str:
        waited = age(t, case.created_at, self._clock())
        state = (
            t.gettext("taken by {name}").format(name=case.claimed_by)
            if case.status == "claimed"
            else t.gettext("waiting")
        )
        if case.asked_at is not None:
            state += " · 🙋 " + t.gettext("asked {time}").format(time=f"{case.asked_at:%H:%M}")
        return f"#{case.id} · {self._reason(t, case)} · {state} · {waited}"
