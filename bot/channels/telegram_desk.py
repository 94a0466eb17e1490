"""The counsellors' Telegram group: new cases posted, commands and replies in, relays out."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import datetime

from telegram import (
    Audio,
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    Update,
    Voice,
)
from telegram.error import RetryAfter, TelegramError

from bot.channels.telegram_errors import retry_seconds
from bot.channels.telegram_render import MAX_CAPTION, MAX_TEXT, fit
from bot.counsel.console.routes import VoiceNotes
from bot.counsel.group.commands import GroupCommands
from bot.counsel.model import ASKED, Case, CaseConflict, CaseMessage, Counsellor, NotAllowed
from bot.counsel.service import MAX_VOICE, CaseService
from bot.dialogs.content import Content
from bot.framework.i18n import Catalogs, Translator

_log = logging.getLogger(__name__)
CASE_NUMBER = re.compile(r"#(\d+)")
MAX_TRIES = 3
PLAYABLE = frozenset({"audio/ogg", "audio/mpeg", "audio/mp4"})  # sendVoice takes these
Job = Callable[[], Awaitable[None]]


class TelegramCounsellorGroup:
    """A CaseNotifier that posts to one group, and the intake of that group's updates.

    Only allowlisted counsellors (by Telegram user id) are heard; everything else in the
    group, and every other group, is ignored. Posts and commands are handled one at a time,
    in order, by one worker; a 429 waits as long as Telegram asks. Notices to the whole group
    are in `group_language`; answers to a command in the language of who sent it.
    """

    def __init__(
        self,
        bot: Bot,
        chat_id: int,
        service: CaseService,
        content: Content,
        clock: Callable[[], datetime],
        catalogs: Catalogs | None = None,
        group_language: str = "en",
    ) -> None:
        self._bot = bot
        self.chat_id = chat_id
        self._service = service
        self._commands = GroupCommands(service, content, clock, catalogs, group_language)
        self._t: Translator = self._commands.group_t
        self._jobs: asyncio.Queue[Job] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None
        self.voices: VoiceNotes | None = None
        """Kept voice notes of people on other channels (WhatsApp), to upload to the group."""

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
        if message is not None and (message.voice or message.audio):
            return await self._voice_reply(message, counsellor, message.voice or message.audio)
        if message is None or not message.text:
            return ""
        if message.text.startswith("/"):
            return await self._commands.run(counsellor, message.text)
        case_id = _replied_case(message)
        if case_id is None:
            return ""
        return await self._commands.run(counsellor, f"/reply {case_id} {message.text}")

    async def _voice_reply(
        self, message: Message, counsellor: Counsellor, sound: Voice | Audio | None
    ) -> str:
        """A voice note replying to a case message (or captioned `/reply N`) goes to the person."""
        case_id, caption = _voice_case(message)
        if case_id is None or sound is None:
            return ""
        if (sound.file_size or 0) > MAX_VOICE:
            return f"⚠️ a voice note must be at most {MAX_VOICE // 1_000_000} MB"
        try:
            file = await self._bot.get_file(sound.file_id)
            content = bytes(await file.download_as_bytearray())
            mime_type = sound.mime_type or "audio/ogg"
            await self._service.reply_voice(case_id, counsellor, content, mime_type, caption)
        except TelegramError as exc:
            return f"⚠️ the voice note could not be fetched ({type(exc).__name__})"
        except (CaseConflict, NotAllowed, ValueError) as problem:
            return f"⚠️ {problem}"
        return ""

    # -- CaseNotifier --------------------------------------------------------------------------

    async def case_opened(self, case: Case) -> None:
        """Post the case with a Claim button."""
        text = "🆕 " + self._commands.describe(case)
        self._post(text, _claim_button(self._t, case.id))

    async def person_wrote(self, case: Case, message: CaseMessage, file_ref: str) -> None:
        """Pass the person's text or voice note on."""
        t = self._t
        if message.kind == "voice" and file_ref:
            caption = f"🎤 #{case.id} · " + t.gettext("reply to this message to answer")
            self._jobs.put_nowait(lambda: self._voice(case, file_ref, caption))
        elif message.kind == "voice":
            self._post(f"🎤 #{case.id}: " + t.gettext("(a voice note, in the console)"))
        elif message.kind == ASKED:
            said = t.gettext("asked to talk, {time}").format(time=f"{message.at:%H:%M}")
            self._post(f"🙋 #{case.id}: {said}")
        else:
            self._post(f"💬 #{case.id}: {message.text}")

    async def case_changed(self, case: Case, action: str, counsellor: Counsellor) -> None:
        """Say what happened, so two counsellors do not do the same work."""
        t = self._t
        said = {
            "claim": "✋ " + t.gettext("#{case} taken by {name}"),
            "release": "↩️ " + t.gettext("#{case} released by {name}: back in the queue"),
            "close": "✅ " + t.gettext("#{case} closed by {name}"),
            "validate": "🏅 " + t.gettext("#{case}: {name} confirmed {level}"),
            "reject": "🤝 " + t.gettext("#{case} not validated by {name}"),
        }.get(action)
        if said:
            text = said.format(case=case.id, name=counsellor.name, level=self._outcome(case))
            self._post(text, _claim_button(t, case.id) if action == "release" else None)

    def _outcome(self, case: Case) -> str:
        """A validated case's topic and level ("validated SOC 2") in the group's language."""
        words = (case.outcome or "").split()
        if len(words) == 3 and words[0] == "validated" and words[2].isdigit():
            return self._commands.topic_level(self._t, words[1], int(words[2]))
        return case.outcome or ""

    async def remind(self, cases: list[Case]) -> None:
        """One reminder per waiting case, each with its Claim button."""
        for case in cases:
            said = self._t.gettext("#{case} is still waiting.").format(case=case.id)
            self._post(f"⏰ {said} /claim {case.id}", _claim_button(self._t, case.id))

    # -- sending -------------------------------------------------------------------------------

    def _post(self, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        self._jobs.put_nowait(lambda: self._send(text, markup))

    async def _send(self, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        await self._try(
            lambda: self._bot.send_message(self.chat_id, fit(text, MAX_TEXT), reply_markup=markup)
        )

    async def _voice(self, case: Case, file_ref: str, caption: str) -> None:
        """A Telegram person's note by its file id; another channel's kept note uploaded."""
        caption = fit(caption, MAX_CAPTION)
        if case.key.channel == "telegram":
            await self._try(lambda: self._bot.send_voice(self.chat_id, file_ref, caption=caption))
            return
        found = await self.voices(case.key, file_ref) if self.voices is not None else None
        if found is None:
            await self._send(
                f"🎤 #{case.id}: " + self._t.gettext("(a voice note, in the console)")
            )
            return
        mime_type, content = found
        if mime_type.split(";")[0].strip() in PLAYABLE:
            upload = InputFile(content, filename="voice.ogg")
            await self._try(lambda: self._bot.send_voice(self.chat_id, upload, caption=caption))
        else:  # AMR, AAC: Telegram shows no player for them, so a file
            upload = InputFile(content, filename="voice" + _extension(mime_type))
            await self._try(lambda: self._bot.send_document(self.chat_id, upload, caption=caption))

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


def _claim_button(t: Translator, case_id: int) -> InlineKeyboardMarkup:
    label = "✋ " + t.gettext("Claim #{case}").format(case=case_id)
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=f"claim:{case_id}")]])


def _replied_case(message: Message) -> int | None:
    """The case number in the first line of the bot's message this one replies to."""
    replied = message.reply_to_message
    if replied is None:
        return None
    first = (replied.text or replied.caption or "").split("\n", 1)[0]
    found = CASE_NUMBER.search(first)
    return int(found.group(1)) if found else None


def _voice_case(message: Message) -> tuple[int | None, str]:
    """The case a counsellor's voice note answers, and its caption without `/reply N`."""
    caption = (message.caption or "").strip()
    word, _, rest = caption.partition(" ")
    if word.split("@", 1)[0].lower() != "/reply":
        return _replied_case(message), caption
    number, _, more = rest.strip().partition(" ")
    found = number.lstrip("#")
    return (int(found) if found.isdigit() else None), more.strip()


def _extension(mime_type: str) -> str:
    base = mime_type.split(";")[0].strip()
    return {"audio/amr": ".amr", "audio/aac": ".aac"}.get(base, ".bin")
