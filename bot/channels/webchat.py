"""The web chat channel: a page at `/` talking to the bot over a WebSocket at `/ws`."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import logging
import re
import secrets
import uuid
import weakref
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

from bot.audio import AudioService
from bot.audio.tools import AudioToolError
from bot.channels.base import Capabilities, InboundHandler, NotConnected
from bot.channels.webchat_guard import InboundLimit, Verdict, parse_frame
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
from bot.framework.cleaning import clean_event
from bot.framework.events import ChoiceSelected, Event, Inbound, Reconnected, TextReceived
from bot.framework.i18n import RTL_LANGUAGES
from bot.framework.session import Session, SessionKey
from bot.host.origins import origin_allowed

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).with_name("webchat_static")
CHANNEL = "web"
MAX_FRAME = 64 * 1024
SEND_TIMEOUT = 10.0  # a socket that takes longer to accept one frame is not reading: dropped
MAX_BACKLOG = 1024 * 1024  # bytes waiting in a socket's write buffer before it is dropped
UNREADABLE = "I could not read that message. Please try again."
TOO_FAST = "You are sending messages very fast. Please wait a moment, then try again."
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
_CLIENT_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")
_INVITE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

# The page's <meta> policy cannot forbid framing: that takes a header.
_PAGE_HEADERS = {"Content-Security-Policy": "frame-ancestors 'none'", "X-Frame-Options": "DENY"}

RenderPicture = Callable[[SendResultPicture], Awaitable[bytes]]
OnReturn = Callable[[SessionKey], Awaitable[None]]
OnLeave = Callable[[SessionKey], None]
LoadSession = Callable[[SessionKey], Awaitable[Session | None]]
History = Callable[[SessionKey], Awaitable[list[Reply]]]
Clock = Callable[[], datetime]


def _utcnow() -> datetime:
    return datetime.now(UTC)


def chat_id_for(token: str) -> str:
    """The stored chat id: a hash of the browser's secret token, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()[:32]


class WebChatChannel:
    """Serves the chat page and its socket; delivers actions to the open sockets of a chat."""

    name = CHANNEL
    capabilities = Capabilities(max_buttons=12, max_button_label=200, can_edit=True)

    def __init__(
        self,
        handle: InboundHandler,
        load: LoadSession,
        render: RenderPicture,
        *,
        clock: Clock = _utcnow,
        labels: Callable[[str], dict[str, str]] | None = None,
        public_url: str = "",
        on_return: OnReturn | None = None,
        on_leave: OnLeave | None = None,
        send_timeout: float = SEND_TIMEOUT,
        limit: Callable[[], InboundLimit] = InboundLimit,
        audio: AudioService | None = None,
        history: History | None = None,
    ) -> None:
        """Set up the channel.

        `clock` stamps each inbound event's receive time (answer timing is scored on it);
        `labels` gives the page's own words in a language (see webchat_labels);
        `public_url` is the origin a page may open the socket from (besides the request's
        own host); `on_return` is told when a person connects (the sender's `resume`), so
        what waited for them goes out, and `on_leave` when their last tab here closes (the
        sender's `left`); `limit` makes each socket's inbound limit; `audio` makes the speech
        behind each message's speaker button (None: no speaker); `history` gives what a fresh
        page of a known person shows again (results, badges).
        """
        self._handle = handle
        self._load = load
        self._render = render
        self._clock = clock
        self._labels = labels
        self._public_url, self._on_return, self._on_leave = public_url, on_return, on_leave
        self._send_timeout, self._limit = send_timeout, limit
        self._audio = audio
        self._history = history
        self._sockets: dict[str, weakref.WeakSet[web.WebSocketResponse]] = {}
        self._transports: weakref.WeakKeyDictionary[web.WebSocketResponse, asyncio.Transport] = (
            weakref.WeakKeyDictionary()
        )
        self._shown_language: weakref.WeakKeyDictionary[web.WebSocketResponse, str] = (
            weakref.WeakKeyDictionary()
        )

    def routes(self) -> list[web.AbstractRouteDef]:
        """The page, its static files and the socket."""
        return [
            web.get("/", self._index),
            web.get("/ws", self._socket),
            web.get("/favicon.ico", self._favicon),
            web.static("/static", STATIC_DIR),
            web.get("/audio/{name}", self._audio_file),
        ]

    def connected(self, key: SessionKey) -> bool:
        """True while the person has an open tab."""
        return any(not socket.closed for socket in self._sockets.get(key.chat_id, ()))

    def connected_keys(self) -> list[SessionKey]:
        """The chats with an open tab here (with several workers, each sends to its own)."""
        return [
            SessionKey(CHANNEL, chat_id)
            for chat_id in self._sockets
            if self.connected(SessionKey(CHANNEL, chat_id))
        ]

    async def deliver(self, key: SessionKey, action: Reply) -> None:
        """Send to every open tab of this person.

        Raises:
            NotConnected: No tab took it (none open, or each too slow): it waits in the
                outbox until the person comes back.
        """
        sockets = [s for s in self._sockets.get(key.chat_id, ()) if not s.closed]
        if not sockets:
            raise NotConnected
        frame = await self._frame(action, key)
        if frame is None:
            return
        sent = [await self._send(key.chat_id, socket, action, frame) for socket in sockets]
        if not any(sent):
            raise NotConnected

    async def _send(
        self, chat_id: str, socket: web.WebSocketResponse, action: Reply, frame: dict[str, Any]
    ) -> bool:
        """Send one frame to one tab; a tab that does not read is dropped, not waited for."""
        transport = self._transports.get(socket)
        try:
            if transport is not None and transport.get_write_buffer_size() > MAX_BACKLOG:
                raise TimeoutError
            async with asyncio.timeout(self._send_timeout):
                await self._follow_language(socket, action)
                await socket.send_json(frame)
        except (TimeoutError, ConnectionError):
            log.info("web chat: a tab that did not take its messages was dropped")
            self._unregister(chat_id, socket)
            if transport is not None:
                transport.abort()
            return False
        return True

    def _unregister(self, chat_id: str, socket: web.WebSocketResponse) -> None:
        tabs = self._sockets.get(chat_id)
        if tabs is None:
            return
        tabs.discard(socket)
        if not tabs:
            del self._sockets[chat_id]
            if self._on_leave is not None:
                self._on_leave(SessionKey(CHANNEL, chat_id))

    async def close_all(self, within: float = 1.0) -> None:
        """Close every open socket with 1001 Going Away (at shutdown), `within` seconds at most.

        A socket that does not answer the close in time has its connection cut.
        """
        sockets = [socket for tabs in self._sockets.values() for socket in tabs]
        closing = [socket.close(code=WSCloseCode.GOING_AWAY) for socket in sockets]
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(within):
                await asyncio.gather(*closing, return_exceptions=True)

    async def _follow_language(self, socket: web.WebSocketResponse, action: Reply) -> None:
        """Before the first message in a new language, give the page its words in it."""
        lang = action.lang if isinstance(action, SendText) else ""
        if not lang or self._labels is None or self._shown_language.get(socket) == lang:
            return
        self._shown_language[socket] = lang
        await socket.send_json({"type": "ui", "lang": lang, "labels": self._labels(lang)})

    async def _audio_file(self, request: web.Request) -> web.StreamResponse:
        """A message's speech, by the content hash in its name; it never changes."""
        if self._audio is None:
            raise web.HTTPNotFound()
        try:
            path = await self._audio.file(request.match_info["name"])
        except AudioToolError as exc:
            log.warning("speech could not be made: %s", exc)
            raise web.HTTPServiceUnavailable() from None
        if path is None:
            raise web.HTTPNotFound()
        response = web.FileResponse(path)
        response.content_type = "audio/ogg"
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response

    def _speech_url(self, lang: str, text: str) -> str | None:
        """Where the page fetches the speech of `text` (made on the first fetch)."""
        if self._audio is None or not text.strip():
            return None
        return f"/audio/{self._audio.offer(lang or 'en', text)}"

    async def _favicon(self, request: web.Request) -> web.FileResponse:
        """Browsers ask every page's origin for it; an icon, not a 404 in every log."""
        headers = {"Content-Type": "image/svg+xml", "Cache-Control": "max-age=86400"}
        return web.FileResponse(STATIC_DIR / "icon.svg", headers=headers)

    async def _index(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC_DIR / "index.html", headers=_PAGE_HEADERS)

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        if not origin_allowed(request.headers.get("Origin"), request.host, self._public_url):
            raise web.HTTPForbidden(text="This chat opens only from its own page.")
        socket = web.WebSocketResponse(max_msg_size=MAX_FRAME, heartbeat=30)
        await socket.prepare(request)
        if request.transport is not None:
            self._transports[socket] = request.transport
        chat_id: str | None = None
        limit, loop = self._limit(), asyncio.get_running_loop()
        try:
            async for message in socket:
                verdict = limit.check(loop.time())
                if verdict is Verdict.CLOSE:
                    log.info("web chat: a socket far over the inbound limit was closed")
                    await socket.close(code=WSCloseCode.POLICY_VIOLATION, message=b"too fast")
                elif verdict is Verdict.WARN:
                    await _error(socket, TOO_FAST)
                elif verdict is Verdict.TAKE and message.type == WSMsgType.TEXT:
                    chat_id = await self._take(socket, chat_id, message.data)
        finally:
            if chat_id is not None:
                self._unregister(chat_id, socket)
        return socket

    async def _take(
        self, socket: web.WebSocketResponse, chat_id: str | None, data: str
    ) -> str | None:
        """Handle one frame; whatever goes wrong, the socket lives and gets a kind answer."""
        try:
            frame = parse_frame(data)
            if frame is None:
                await _error(socket, UNREADABLE)
            elif chat_id is None:
                return await self._hello(socket, frame)
            else:
                await self._inbound(socket, chat_id, frame)
        except ConnectionError:
            pass  # the tab went away mid-answer; the finally above unregisters it
        except Exception as exc:  # one bad frame must not end the conversation
            log.warning("web chat: a frame failed: %s", type(exc).__name__)
            await _error(socket, "Something went wrong. Please try again.")
        return chat_id

    async def _hello(self, socket: web.WebSocketResponse, frame: dict[str, Any]) -> str | None:
        if frame.get("type") != "hello":
            await _error(socket, "Please reload the page.")
            return None
        token, known = await self._recognise(frame.get("token"))
        if frame.get("token") and not known:
            await _error(socket, "I did not recognise this browser, so we start fresh.")
        chat_id = chat_id_for(token)
        self._sockets.setdefault(chat_id, weakref.WeakSet()).add(socket)
        await socket.send_json({"type": "welcome", "token": token})
        if known and frame.get("history") is True:
            await self._show_history(socket, SessionKey(CHANNEL, chat_id))
        if known and self._on_return is not None:
            await self._on_return(SessionKey(CHANNEL, chat_id))  # what waited goes out first
        invite = frame.get("invite")  # from the page's ?invite=CODE (an outreach landing page)
        coded = isinstance(invite, str) and _INVITE.match(invite)
        start = f"/start {invite}" if coded else "/start"
        event: Event = Reconnected() if known else TextReceived(start)
        await self._dispatch(chat_id, event, f"hello-{uuid.uuid4().hex}", frame)
        return chat_id

    async def _show_history(self, socket: web.WebSocketResponse, key: SessionKey) -> None:
        """A fresh page of a known person shows their results and badges again.

        Only to this socket, whose hello carried the person's token.
        """
        if self._history is None:
            return
        for action in await self._history(key):
            frame = await self._frame(action, key)
            if frame is not None:
                await self._follow_language(socket, action)
                await socket.send_json({**frame, "history": True})

    async def _recognise(self, token: object) -> tuple[str, bool]:
        """The token to use and whether it belongs to someone we know."""
        valid = isinstance(token, str) and bool(_TOKEN.match(token))
        if valid and await self._load(SessionKey(CHANNEL, chat_id_for(str(token)))) is not None:
            return str(token), True
        return secrets.token_urlsafe(32), False

    async def _inbound(
        self, socket: web.WebSocketResponse, chat_id: str, frame: dict[str, Any]
    ) -> None:
        client_id = frame.get("id")
        if not isinstance(client_id, str) or not _CLIENT_ID.match(client_id):
            await _error(socket, UNREADABLE)
            return
        event = _event(frame)
        if event is None:
            await _error(socket, UNREADABLE)
            return
        await self._dispatch(chat_id, event, client_id, frame)

    async def _dispatch(
        self, chat_id: str, event: Event, client_id: str, frame: dict[str, Any]
    ) -> None:
        hint = frame.get("lang") if isinstance(frame.get("lang"), str) else None
        await self._handle(
            Inbound(
                key=SessionKey(CHANNEL, chat_id),
                event=event,
                event_id=f"{chat_id[:12]}:{client_id}",
                received_at=self._clock(),
                locale_hint=hint,
            )
        )

    async def _frame(self, action: Reply, key: SessionKey) -> dict[str, Any] | None:
        match action:
            case SendText(text, keyboard, ref, speak, lang):
                direction = "rtl" if lang.split("_")[0] in RTL_LANGUAGES else "ltr"
                return {
                    "type": "message",
                    "id": uuid.uuid4().hex,
                    "text": text,
                    "speak": speak or text,
                    "ref": ref,
                    "lang": lang or "en",
                    "dir": direction,
                    "buttons": keyboard.to_json() if keyboard else None,
                    "audio": self._speech_url(lang, speak),
                }
            case SendVoice(text, lang):  # made now, so any worker can serve it at once
                url = self._speech_url(lang, text)
                if url is None or self._audio is None or not await self._audio.speech(lang, text):
                    return None
                return {"type": "voice", "src": url, "lang": lang}
            case MarkAnswered(ref, label):
                return {"type": "answered", "ref": ref, "label": label}
            case SendResultPicture():
                png = await self._render(action)
                return {
                    "type": "image",
                    "id": uuid.uuid4().hex,
                    "alt": action.caption,
                    "caption": action.caption,
                    "src": _data_url("image/png", png),
                }
            case SendImage(content, caption):
                return {
                    "type": "image",
                    "id": uuid.uuid4().hex,
                    "alt": caption,
                    "caption": caption,
                    "src": _data_url("image/png", content),
                }
            case SendAudio(content, mime_type, caption):
                return {
                    "type": "audio",
                    "id": uuid.uuid4().hex,
                    "caption": caption,
                    "src": _data_url(mime_type.split(";")[0].strip(), content),
                }
            case SendDocument(filename, content, mime_type, caption):
                return {
                    "type": "document",
                    "id": uuid.uuid4().hex,
                    "filename": filename,
                    "label": await self._save_label(key, mime_type),
                    "caption": caption,
                    "href": _data_url(mime_type, content),
                }
        return None

    async def _save_label(self, key: SessionKey, mime_type: str) -> str:
        """A download's words in the person's language ("Save my badge"), not its file name."""
        if self._labels is None:
            return ""
        session = await self._load(key)
        labels = self._labels(session.locale if session and session.locale else "en")
        return labels.get(_SAVE.get(mime_type, "save_file"), "")


_SAVE = {"image/png": "save_badge", "application/json": "save_answers"}


def _event(frame: dict[str, Any]) -> Event | None:
    kind, text, payload = frame.get("type"), frame.get("text"), frame.get("payload")
    if kind == "text" and isinstance(text, str):
        return clean_event(TextReceived(text))
    if kind == "choice" and isinstance(payload, str) and len(payload.encode()) <= 64:
        return clean_event(ChoiceSelected(payload))
    return None


async def _error(socket: web.WebSocketResponse, text: str) -> None:
    await socket.send_json({"type": "error", "text": text})


def _data_url(mime_type: str, content: bytes) -> str:
    return f"data:{mime_type};base64,{base64.b64encode(content).decode()}"


__all__ = ["WebChatChannel", "chat_id_for"]
