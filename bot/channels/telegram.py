"""The Telegram channel: updates in (polling or webhook), neutral actions out, via PTB's Bot."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any

import orjson
from aiohttp import web
from telegram import Bot, InputFile, Update
from telegram.error import TelegramError

from bot.audio import AudioService
from bot.channels.base import Capabilities, InboundHandler, RetryLater
from bot.channels.telegram_dispatch import ChatQueues
from bot.channels.telegram_errors import mapped_errors
from bot.channels.telegram_parse import is_group_update, to_inbound, update_kind
from bot.channels.telegram_polling import ALLOWED_UPDATES, UpdatePoller
from bot.channels.telegram_questions import QuestionMessages
from bot.channels.telegram_render import (
    COMMANDS,
    MAX_CAPTION,
    answered_text,
    bot_commands,
    fit,
    render_text,
)
from bot.channels.telegram_request import AiohttpRequest
from bot.config import Config
from bot.framework.actions import (
    MarkAnswered,
    Reply,
    SendAudio,
    SendDocument,
    SendImage,
    SendResultPicture,
    SendText,
    SendVoice,
)
from bot.framework.bidi import for_direction, starts_rtl
from bot.framework.i18n import is_rtl
from bot.framework.session import SessionKey

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

_log = logging.getLogger(__name__)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class TelegramChannel:
    """The ChannelAdapter for Telegram, plus its update intake (polling or webhook).

    Updates are parsed here (not by PTB's Application) and queued per chat: different chats
    are handled concurrently, one chat's events strictly in order.
    """

    name = "telegram"
    capabilities = Capabilities(
        max_button_label=64, max_text=4096, can_edit=True, can_send_voice=True
    )

    def __init__(
        self,
        config: Config,
        handle: InboundHandler,
        render_results: Callable[[SendResultPicture], bytes],
        *,
        poll_timeout: float = 25.0,
        clock: Callable[[], datetime] = _utc_now,
        audio: AudioService | None = None,
    ) -> None:
        if not config.telegram_token:
            raise ValueError("TelegramChannel needs TELEGRAM_BOT_TOKEN")
        base = config.telegram_api_base_url.rstrip("/")
        self._bot = Bot(
            config.telegram_token,
            base_url=f"{base}/bot{{token}}",
            base_file_url=f"{base}/file/bot{{token}}",
            request=AiohttpRequest(),
            get_updates_request=AiohttpRequest(connections=1),
        )
        self._config = config
        self._render_results = render_results
        self._clock = clock
        self._audio = audio
        if audio is not None:
            self.capabilities = Capabilities(
                max_button_label=64, max_text=4096, can_edit=True, can_send_voice=True
            )
        self._queues = ChatQueues(handle)
        self._questions = QuestionMessages()
        self._poller = UpdatePoller(self._bot, self.receive, poll_timeout)
        self._polling: asyncio.Task[None] | None = None
        self._closed = False  # after stop(): replies wait in the outbox for the next start
        self._background: set[asyncio.Task[None]] = set()
        self.group_handler: Callable[[Update], None] | None = None
        """Takes group updates (the counsellors' group desk); None ignores them."""

    @property
    def bot(self) -> Bot:
        """PTB's Bot, shared with the counsellors' group desk."""
        return self._bot

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Check the token, then poll or register the webhook; the command menus follow.

        The menus are published in the background: updates need not wait for three more round
        trips to the Bot API, and a failure there is logged (the menus of the last start stay).
        """
        await self._bot.initialize()
        if self._config.telegram_mode == "webhook":
            await self._bot.set_webhook(
                f"{self._config.public_url.rstrip('/')}{WEBHOOK_PATH}",
                secret_token=self._config.telegram_webhook_secret,
                allowed_updates=list(ALLOWED_UPDATES),
            )
        else:
            await self._bot.delete_webhook()
            self._polling = asyncio.create_task(self._poller.run())
        self._in_background(self._set_commands())

    async def stop(self) -> None:
        """Stop polling, let queued events finish, confirm them, and close the HTTP client.

        The client is closed whatever happens before (the Bot API may be gone already).
        """
        self._closed = True
        try:
            if self._polling is not None:
                self._polling.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._polling
            await self._queues.close()
            if self._polling is not None:
                await self._poller.confirm()
            for task in list(self._background):
                task.cancel()
            await asyncio.gather(*self._background, return_exceptions=True)
        finally:
            await self._bot.shutdown()

    async def _set_commands(self) -> None:
        try:
            for language in COMMANDS:
                await self._bot.set_my_commands(bot_commands(language), language_code=language)
            await self._bot.set_my_commands(bot_commands("en"))  # everyone else
        except TelegramError as exc:
            _log.warning("command menus not published: %s", type(exc).__name__)

    # -- intake ------------------------------------------------------------------------------

    def routes(self) -> list[web.RouteDef]:
        """`POST /telegram/webhook`, for the web app (webhook mode)."""
        return [web.post(WEBHOOK_PATH, self._webhook)]

    async def _webhook(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._config.telegram_webhook_secret.encode()):
            return web.Response(status=401)
        try:  # orjson: a depth limit (1024), where json.loads recurses until RecursionError
            raw = orjson.loads(await request.read())
        except orjson.JSONDecodeError as exc:
            _log.warning("webhook body refused: %s", str(exc).split(":", 1)[0])
            return web.Response(status=400)
        if isinstance(raw, dict):
            self.receive(raw)
        return web.Response(status=200)

    def receive(self, raw: dict[str, Any]) -> None:
        """Take one raw update: answer a button tap at once, queue the event for its chat."""
        update_id = raw.get("update_id")
        try:
            update = Update.de_json(raw, self._bot)
            self._route(update)
        except Exception as exc:  # one odd update must never stop the intake
            _log.warning("update %s skipped: %s", update_id, type(exc).__name__)

    def _route(self, update: Update) -> None:
        if update.callback_query is not None:
            self._in_background(self._answer_callback(update.callback_query.id))
        if is_group_update(update):
            self._on_group_update(update)
            return
        inbound = to_inbound(update, self._clock())
        _log.debug(
            "update %s (%s) %s",
            update.update_id,
            update_kind(update),
            "ignored" if inbound is None else "queued",
        )
        if inbound is not None:
            self._queues.submit(inbound)

    def _on_group_update(self, update: Update) -> None:
        """Pass a group update to `group_handler` (the counsellors' desk), if there is one.

        With privacy mode on, the bot only sees commands, mentions and replies to its own
        messages in a group: that is all the desk needs.
        """
        if self.group_handler is None:
            _log.debug("update %s from a group ignored", update.update_id)
            return
        self.group_handler(update)

    async def _answer_callback(self, query_id: str) -> None:
        """Stop the spinner on the button; a late or repeated answer is harmless."""
        try:
            await self._bot.answer_callback_query(query_id)
        except TelegramError as exc:
            _log.debug("answerCallbackQuery failed: %s", type(exc).__name__)

    def _in_background(self, job: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(job)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    # -- delivery ----------------------------------------------------------------------------

    async def deliver(self, key: SessionKey, action: Reply) -> None:
        """Show one reply; raises RetryLater (429, network) or Unreachable (blocked)."""
        chat_id = int(key.chat_id)
        if self._closed:  # stopping: opening the client again would leak it
            raise RetryLater(1.0)
        with mapped_errors("getMe"):
            await self._bot.initialize()  # a no-op once started; a sender may deliver before
        match action:
            case SendText():
                await self._send_text(chat_id, action)
            case SendVoice():
                await self._send_voice(chat_id, action)
            case MarkAnswered():
                await self._mark_answered(chat_id, action)
            case SendResultPicture():
                await self._send_picture(chat_id, action)
            case SendDocument():
                await self._send_document(chat_id, action)
            case SendAudio():
                await self._send_audio(chat_id, action)
            case SendImage():
                with mapped_errors("sendPhoto"):
                    await self._bot.send_photo(
                        chat_id, action.content, caption=_caption(action.caption)
                    )

    async def _send_text(self, chat_id: int, action: SendText) -> None:
        marked = for_direction(action.text, rtl=is_rtl(action.lang))
        text, markup = render_text(marked, action.keyboard)
        sent = await self._call("sendMessage", chat_id=chat_id, text=text, reply_markup=markup)
        if action.ref and isinstance(sent, dict):
            self._questions.remember(chat_id, action.ref, sent["message_id"], text)

    async def _send_voice(self, chat_id: int, action: SendVoice) -> None:
        """A voice note (OGG/Opus from the audio service); nothing when audio is off."""
        speech = (
            None if self._audio is None else await self._audio.speech(action.lang, action.text)
        )
        if speech is None:
            return
        voice = InputFile(speech, filename="voice.ogg")
        with mapped_errors("sendVoice"):
            await self._bot.send_voice(chat_id, voice)

    async def _mark_answered(self, chat_id: int, action: MarkAnswered) -> None:
        asked = self._questions.find(chat_id, action.ref)
        if asked is None:
            _log.debug("no message remembered for a question; not marked")
            return
        message_id, question = asked
        text = _marked(answered_text(question, action.label))
        await self._call("editMessageText", chat_id=chat_id, message_id=message_id, text=text)
        self._questions.forget(chat_id, action.ref)

    async def _call(self, method: str, **kwargs: Any) -> Any:
        """A Bot API call whose answer is used as plain JSON, not parsed into PTB objects.

        Parsing the Message that every send and edit returns was a tenth of the bot's CPU
        under load. The lower-case name keeps PTB from suggesting its own method instead.
        """
        with mapped_errors(method, edit=method.startswith("edit")):
            return await self._bot.do_api_request(method.lower(), api_kwargs=kwargs)

    async def _send_picture(self, chat_id: int, action: SendResultPicture) -> None:
        picture = await asyncio.to_thread(self._render_results, action)
        with mapped_errors("sendPhoto"):
            await self._bot.send_photo(chat_id, picture, caption=_caption(action.caption))

    async def _send_document(self, chat_id: int, action: SendDocument) -> None:
        document = InputFile(action.content, filename=action.filename)
        document.mimetype = action.mime_type
        with mapped_errors("sendDocument"):
            await self._bot.send_document(chat_id, document, caption=_caption(action.caption))

    async def _send_audio(self, chat_id: int, action: SendAudio) -> None:
        """OGG/Opus as a voice note (with its round player), anything else as an audio file."""
        caption = _caption(action.caption)
        mime_type = action.mime_type.split(";")[0].strip()
        if mime_type == "audio/ogg":
            with mapped_errors("sendVoice"):
                voice = InputFile(action.content, filename="voice.ogg")
                await self._bot.send_voice(chat_id, voice, caption=caption)
            return
        audio = InputFile(action.content, filename="audio" + _AUDIO_NAMES.get(mime_type, ""))
        audio.mimetype = mime_type
        with mapped_errors("sendAudio"):
            await self._bot.send_audio(chat_id, audio, caption=caption)


_AUDIO_NAMES = {"audio/mpeg": ".mp3", "audio/mp4": ".m4a", "audio/aac": ".aac"}


def _caption(caption: str) -> str | None:
    return fit(_marked(caption), MAX_CAPTION) if caption else None


def _marked(text: str) -> str:
    """Direction marks for a text that carries no language: guessed from its first letter."""
    return for_direction(text, rtl=starts_rtl(text))
