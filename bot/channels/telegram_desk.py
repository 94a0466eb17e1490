"""The counsellors' Telegram group: new cases posted, commands and replies in, relays out."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import datetime

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import RetryAfter, TelegramError

from bot.channels.telegram_errors import retry_seconds
from bot.channels.telegram_render import MAX_CAPTION, MAX_TEXT, fit
from bot.counsel.group.commands import GroupCommands
from bot.counsel.model import ASKED, Case, CaseMessage, Counsellor
from bot.counsel.service import CaseService
from bot.framework.i18n import Catalogs

_log = logging.getLogger(__name__)
CASE_NUMBER = re.compile(r"#(\d+)")
MAX_TRIES = 3
Job = Callable[[], Awaitable[None]]


class TelegramCounsellorGroup:
    """A CaseNotifier that posts to one group, and the intake of that group's updates.

    Only allowlisted counsellors (by Telegram user id) are heard; everything else in the
    group, and every other group, is ignored. Posts and commands are handled one at a time,
    in order, by one worker; a 429 waits as long as Telegram asks.
    """

    def __init__(
        self,
        bot: Bot,
        chat_id: int,
        service: CaseService,
        names: dict[str, str],
        clock: Callable[[], datetime],
        catalogs: Catalogs | None = None,
    ) -> None:
        self._bot = bot
        self.chat_id = chat_id
        self._service = service
        self._commands = GroupCommands(service, names, clock, catalogs)
        self._names = names
        self._jobs: asyncio.Queue[Job] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> None:
        """Start the worker."""
        self._worker = asyncio.create_task(self._work())

    async def stop(self) -> None:
        """Finish what is queued, then stop."""
        if self._worker is None:
            return
        await self._jobs.join()
        self._worker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._worker

    async def _work(self) -> None:
        while True:
            job = await self._jobs.get()
            try:
                await job()
            except Exception as exc:  # one bad job must not stop the desk
                _log.warning("counsellor group job failed: %s", type(exc).__name__)
                _log.debug("traceback", exc_info=True)
            finally:
                self._jobs.task_done()

    # -- intake --------------------------------------------------------------------------------

    def receive(self, update: Update) -> None:
        """Take one group update (from TelegramChannel); other groups are ignored."""
        chat = update.effective_chat
        if chat is not None and chat.id == self.chat_id:
            self._jobs.put_nowait(lambda: self._handle(update))

    async def _handle(self, update: Update) -> None:
        user = update.effective_user
        counsellor = await self._service.by_telegram(user.id) if user else None
        if counsellor is None:
            return  # not a counsellor: ignored, and not answered
        answer = await self._answer(update, counsellor)
        if answer:
            await self._send(answer)

    async def _answer(self, update: Update, counsellor: Counsellor) -> str:
        query = update.callback_query
        if query is not None and query.data and query.data.startswith("claim:"):
            return await self._commands.run(counsellor, f"/claim {query.data[6:]}")
        message = update.message
        if message is None or not message.text:
            return ""
        if message.text.startswith("/"):
            return await self._commands.run(counsellor, message.text)
        case_id = _replied_case(message)
        if case_id is None:
            return ""
        return await self._commands.run(counsellor, f"/reply {case_id} {message.text}")

    # -- CaseNotifier --------------------------------------------------------------------------

    async def case_opened(self, case: Case) -> None:
        """Post the case with a Claim button."""
        text = "🆕 " + self._commands.describe(case)
        self._post(text, _claim_button(case.id))

    async def person_wrote(self, case: Case, message: CaseMessage, file_ref: str) -> None:
        """Pass the person's text or voice note on."""
        if message.kind == "voice" and file_ref:
            caption = f"🎤 #{case.id} · reply to this message to answer"
            self._jobs.put_nowait(lambda: self._voice(file_ref, caption))
        elif message.kind == "voice":
            self._post(f"🎤 #{case.id}: (a voice note, in the console)")
        elif message.kind == ASKED:
            self._post(f"🙋 #{case.id}: asked to talk, {message.at:%H:%M}")
        else:
            self._post(f"💬 #{case.id}: {message.text}")

    async def case_changed(self, case: Case, action: str, counsellor: Counsellor) -> None:
        """Say what happened, so two counsellors do not do the same work."""
        said = {
            "claim": f"✋ #{case.id} taken by {counsellor.name}",
            "release": f"↩️ #{case.id} released by {counsellor.name}: back in the queue",
            "close": f"✅ #{case.id} closed by {counsellor.name}",
            "validate": f"🏅 #{case.id} {case.outcome} by {counsellor.name}",
            "reject": f"🤝 #{case.id} not validated by {counsellor.name}",
        }.get(action)
        if said:
            self._post(said, _claim_button(case.id) if action == "release" else None)

    async def remind(self, cases: list[Case]) -> None:
        """One reminder per waiting case, each with its Claim button."""
        for case in cases:
            self._post(f"⏰ #{case.id} is still waiting. /claim {case.id}", _claim_button(case.id))

    # -- sending -------------------------------------------------------------------------------

    def _post(self, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        self._jobs.put_nowait(lambda: self._send(text, markup))

    async def _send(self, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        await self._try(
            lambda: self._bot.send_message(self.chat_id, fit(text, MAX_TEXT), reply_markup=markup)
        )

    async def _voice(self, file_ref: str, caption: str) -> None:
        await self._try(
            lambda: self._bot.send_voice(self.chat_id, file_ref, caption=fit(caption, MAX_CAPTION))
        )

    async def _try(self, call: Callable[[], Awaitable[object]]) -> None:
        await self._bot.initialize()  # a no-op once the channel started
        for _ in range(MAX_TRIES):
            try:
                await call()
                return
            except RetryAfter as exc:  # the group's own flood limit (about 20 a minute)
                await asyncio.sleep(retry_seconds(exc))
            except TelegramError as exc:
                _log.warning("posting to the counsellor group failed: %s", type(exc).__name__)
                return


def _claim_button(case_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(f"✋ Claim #{case_id}", callback_data=f"claim:{case_id}")]]
    )


def _replied_case(message: Message) -> int | None:
    """The case number in the first line of the bot's message this one replies to."""
    replied = message.reply_to_message
    if replied is None:
        return None
    first = (replied.text or replied.caption or "").split("\n", 1)[0]
    found = CASE_NUMBER.search(first)
    return int(found.group(1)) if found else None
