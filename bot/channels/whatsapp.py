"""The WhatsApp channel: a verified webhook in, neutral replies out, within the 24-hour window."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web

from bot.audio import AudioService
from bot.channels.base import DELIVERY_REF, Capabilities, InboundHandler, RetryLater
from bot.channels.whatsapp_graph import GraphClient, OutsideWindow, Refused
from bot.channels.whatsapp_intake import Intake
from bot.channels.whatsapp_parse import SIGNATURE_HEADER, parse, signed
from bot.channels.whatsapp_render import ack_text, caption, render_text
from bot.channels.whatsapp_store import Person, WhatsAppStore
from bot.config import WhatsAppConfig
from bot.db.locks import KeyLocks
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
from bot.framework.keyboards import Keyboard
from bot.framework.session import SessionKey

WEBHOOK_PATH = "/whatsapp/webhook"
WINDOW = timedelta(hours=24) - timedelta(minutes=5)  # a little margin for clocks and queues
RELEASE_RETRY_MAX = 60.0  # seconds between attempts to release held messages, at most
LOG_RETENTION = timedelta(days=30)  # sent messages and statuses are kept this long
PRUNE_EVERY = 3600.0  # seconds between prunings of the message log

Body = dict[str, Any]
_log = logging.getLogger(__name__)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _ext(mime_type: str) -> str:
    """A file name ending Graph's upload accepts for this audio type."""
    names = {"audio/ogg": ".ogg", "audio/mpeg": ".mp3", "audio/mp4": ".m4a", "audio/amr": ".amr"}
    return names.get(mime_type, ".aac")


class WhatsAppChannel:
    """The ChannelAdapter for the WhatsApp Cloud API, plus its webhook.

    A notification is verified, applied (state and replies committed) and only then answered
    200, so a crash loses nothing and a redelivery is applied once (the message id is the
    event id). Outside a person's 24-hour window replies are held, in order, and the
    configured template goes out instead; the held replies follow the person's next message.
    """

    name = "whatsapp"
    capabilities = Capabilities(max_buttons=10, max_button_label=20, can_send_voice=True)

    def __init__(
        self,
        config: WhatsAppConfig,
        handle: InboundHandler,
        render_results: Callable[[SendResultPicture], bytes],
        store: WhatsAppStore,
        *,
        clock: Callable[[], datetime] = _utc_now,
        audio: AudioService | None = None,
    ) -> None:
        self._config = config
        self._audio = audio
        self._graph = GraphClient(config)
        self._store = store
        self._render_results = render_results
        self._clock = clock
        self._locks = KeyLocks()
        self._intake = Intake(store, self._graph, handle, self._after_inbound, clock)
        self._background: set[asyncio.Task[None]] = set()
        self._closing = asyncio.Event()

    def start(self) -> None:
        """Prune the log of sent messages now and every hour (held ones stay until sent)."""
        self._in_background(self._prune_periodically())

    async def _prune_periodically(self) -> None:
        while True:  # a first pass at once, even when stopping
            try:
                gone = await self._store.prune(self._clock() - LOG_RETENTION)
                _log.debug("pruned %d sent WhatsApp messages", gone)
            except Exception as exc:  # the next pass tries again
                _log.warning("pruning the WhatsApp log failed: %s", type(exc).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), PRUNE_EVERY)  # a period
            if self._closing.is_set():
                return

    async def stop(self) -> None:
        """Let background releases finish (a waiting retry gives up), then close the client."""
        self._closing.set()
        await asyncio.gather(*self._background, return_exceptions=True)
        await self._graph.close()

    # -- webhook -----------------------------------------------------------------------------

    def routes(self) -> list[web.RouteDef]:
        """`GET` (verification) and `POST` (notifications) `/whatsapp/webhook`."""
        return [web.get(WEBHOOK_PATH, self._verify), web.post(WEBHOOK_PATH, self._notified)]

    async def _verify(self, request: web.Request) -> web.Response:
        query = request.query
        given = query.get("hub.verify_token", "").encode()
        if query.get("hub.mode") == "subscribe" and hmac.compare_digest(
            given, self._config.verify_token.encode()
        ):
            return web.Response(text=query.get("hub.challenge", ""))
        return web.Response(status=403)

    async def _notified(self, request: web.Request) -> web.Response:
        raw = await request.read()
        if not signed(raw, request.headers.get(SIGNATURE_HEADER), self._config.app_secret):
            return web.Response(status=403)
        try:
            notification = json.loads(raw)
        except ValueError:
            return web.Response(status=400)
        incoming, statuses = parse(notification, self._config.phone_number_id)
        for message in incoming:
            await self._intake.take(message)  # an exception answers 500: Meta sends it again
        for status in statuses:
            chat_id = await self._store.status(
                status.wamid, status.status, status.error_code, self._clock()
            )
            if chat_id is not None:
                self._in_background(self._after_failed(chat_id))
        return web.Response(status=200)

    def _after_inbound(self, chat_id: str, more_page: int | None) -> None:
        self._in_background(self._release_or_page(chat_id, more_page))

    def _in_background(self, job: Any) -> None:
        task = asyncio.create_task(job)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _release_or_page(self, chat_id: str, more_page: int | None) -> None:
        """After a person's message: held replies go out; a "more" row shows the next page.

        A failure is tried again by itself after the pause Graph asked for (or a growing one),
        until the held messages are out or the channel stops.
        """
        pause = 0.0
        while not self._closing.is_set():
            try:
                await self._release_and_page(chat_id, more_page)
                return
            except RetryLater as exc:
                pause = exc.seconds
            except Exception as exc:
                pause = min(RELEASE_RETRY_MAX, max(1.0, pause * 2))
                _log.info("releasing held messages failed: %s", type(exc).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), pause)  # a timer, or stop()

    async def _release_and_page(self, chat_id: str, more_page: int | None) -> None:
        async with self._locks.hold(chat_id):
            person = await self._store.person(chat_id)
            if person is None:
                return
            await self._release(person)
            if more_page is not None and person.listing:
                keyboard = Keyboard.from_json(person.listing["keyboard"])
                text = person.listing["text"]
                parts = render_text(text, keyboard, "", more_page)
                await self._send_all(person, [(None, body) for body in parts])

    async def _after_failed(self, chat_id: str) -> None:
        """A message failed with 131047: it is held again, and the template goes out."""
        async with self._locks.hold(chat_id):
            person = await self._store.person(chat_id)
            if person is not None:
                await self._invite_back(person)

    # -- delivery ----------------------------------------------------------------------------

    async def deliver(self, key: SessionKey, action: Reply) -> None:
        """Show one reply; raises RetryLater (rate limits, network) or Unreachable."""
        async with self._locks.hold(key.chat_id):
            person = await self._store.person(key.chat_id)
            if person is None:
                _log.debug("no WhatsApp person for a reply; dropped")
                return
            if isinstance(action, MarkAnswered):
                await self._store.change(key.chat_id, ack=action.label)
                return
            bodies = await self._bodies(person, action)
            if not bodies:
                return
            await self._send_all(person, await self._unsent_parts(bodies))
            if person.ack:
                await self._store.change(key.chat_id, ack="")

    async def _unsent_parts(self, bodies: list[Body]) -> list[tuple[str | None, Body]]:
        """The parts of this reply not sent (or held) before, each with its part ref.

        A retry of a reply cut into parts sends only the rest, and a reply held just before a
        crash is not held twice (the sender's DELIVERY_REF names the reply across restarts).
        """
        ref = DELIVERY_REF.get()
        if ref is None:
            return [(None, body) for body in bodies]
        done = await self._store.parts_done(ref)
        return [(f"{ref}.{i}", body) for i, body in enumerate(bodies) if i not in done]

    async def _bodies(self, person: Person, action: Reply) -> list[Body]:
        ack = [ack_text(person.ack)] if person.ack else []
        match action:
            case SendText():
                if action.keyboard is not None and len(action.keyboard.buttons()) > 10:
                    listing = {"text": action.text, "keyboard": action.keyboard.to_json()}
                    await self._store.change(person.chat_id, listing=listing)
                return render_text(action.text, action.keyboard, person.ack)
            case SendResultPicture():
                picture = await asyncio.to_thread(self._render_results, action)
                image = await self._media("image", picture, "image/png", "r.png", action.caption)
                return [*ack, image]
            case SendImage():
                content = action.content
                image = await self._media("image", content, "image/png", "i.png", action.caption)
                return [*ack, image]
            case SendVoice() if self._audio is not None:
                speech = await self._audio.speech(action.lang, action.text)
                if speech is None:
                    return ack
                return [*ack, *await self._audio_message(SendAudio(speech, "audio/ogg"))]
            case SendAudio():
                return [*ack, *await self._audio_message(action)]
            case SendDocument():
                body = await self._media(
                    "document", action.content, action.mime_type, action.filename, action.caption
                )
                body["document"]["filename"] = action.filename
                return [*ack, body]
            case _:
                return []

    async def _audio_message(self, action: SendAudio) -> list[Body]:
        """An audio message, uploaded; its caption (audio has none on WhatsApp) as a text first.

        WhatsApp plays audio/ogg (Opus), mpeg, mp4, aac and amr; OGG/Opus shows as a voice note.
        """
        mime_type = action.mime_type.split(";")[0].strip()
        media_id = await self._graph.upload(action.content, mime_type, "audio" + _ext(mime_type))
        before = render_text(action.caption, None) if action.caption else []
        return [*before, {"type": "audio", "audio": {"id": media_id}}]

    async def _media(self, kind: str, content: bytes, mime: str, filename: str, text: str) -> Body:
        media_id = await self._graph.upload(content, mime, filename)
        body: Body = {"id": media_id}
        if text:
            body["caption"] = caption(text)
        return {"type": kind, kind: body}

    async def _send_all(self, person: Person, parts: list[tuple[str | None, Body]]) -> None:
        """Send in order; outside the window hold them and send the template instead."""
        if self._clock() - person.last_inbound_at > WINDOW:
            await self._hold(person, parts)
            return
        await self._release(person)
        for index, (part_ref, body) in enumerate(parts):
            try:
                wamid = await self._graph.send(person.recipient, body)
            except OutsideWindow:
                await self._hold(person, parts[index:])
                return
            except Refused:
                continue
            await self._store.log(person.chat_id, body, wamid, self._clock(), part_ref)

    async def _release(self, person: Person) -> None:
        """Send the person's held messages, oldest first (the window is open)."""
        for message_id, body in await self._store.held(person.chat_id):
            try:
                wamid = await self._graph.send(person.recipient, body)
            except Refused:
                wamid = "refused"
            except OutsideWindow:
                await self._invite_back(person)
                raise RetryLater(60.0) from None
            await self._store.released(message_id, wamid)

    async def _hold(self, person: Person, parts: list[tuple[str | None, Body]]) -> None:
        for part_ref, body in parts:
            await self._store.log(person.chat_id, body, None, self._clock(), part_ref)
        await self._invite_back(person)

    async def _invite_back(self, person: Person) -> None:
        """Send the template once per closed window ("You have a message. Tap to continue.")."""
        fresh = await self._store.person(person.chat_id)
        if fresh is None or fresh.template_sent_at is not None:
            return
        if self._config.template is None:
            _log.warning("a reply is held: the window is closed and no template is configured")
            return
        name, language = self._config.template
        body = {"type": "template", "template": {"name": name, "language": {"code": language}}}
        wamid = await self._graph.send(person.recipient, body)
        await self._store.change(person.chat_id, template_sent_at=self._clock())
        _log.info("template sent outside the 24-hour window (%s)", wamid[:12])
