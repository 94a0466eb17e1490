"""A stand-in for the Telegram Bot API: real HTTP on 127.0.0.1, spoken as PTB v22 calls it."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout, web

Json = dict[str, Any]
Handler = Callable[[Json], Awaitable[Any]]

BOT_USER: Json = {
    "id": 7000000001,
    "is_bot": True,
    "first_name": "SPOCC test bot",
    "username": "spocc_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
CONFLICT_POLL = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
BLOCKED = "Forbidden: bot was blocked by the user"
CANNOT_INITIATE = "Forbidden: bot can't initiate conversation with a user"
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Parameters PTB sends as plain strings; every other non-file value is JSON-encoded.
_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "url",
        "secret_token",
        "callback_query_id",
        "language_code",
        "parse_mode",
        "inline_message_id",
        "photo",
        "document",
        "voice",
        "audio",
        "file_id",
        "description",
    }
)
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")


class ApiError(Exception):
    """A Bot API error reply: `{"ok": false, "error_code": ..., "description": ...}`."""

    def __init__(self, code: int, description: str, parameters: Json | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters

    def response(self) -> web.Response:
        """The HTTP reply Telegram would give."""
        body: Json = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return web.json_response(body, status=self.code)


def too_many_requests(retry_after: int) -> ApiError:
    """A 429 with `parameters.retry_after`, as Telegram sends it."""
    return ApiError(
        429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
    )


@dataclass
class SentMessage:
    """One message the bot sent, as the chat shows it now (edits applied)."""

    message_id: int
    chat_id: int
    text: str | None = None
    caption: str | None = None
    reply_markup: Json | None = None
    photo: bytes | None = None
    document: bytes | None = None
    voice: bytes | None = None
    audio: bytes | None = None
    filename: str | None = None
    mime_type: str | None = None
    edits: int = 0

    def buttons(self) -> list[tuple[str, str]]:
        """(label, callback_data) of every inline button, top to bottom."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]

    def to_api(self) -> Json:
        """The Message object the Bot API returns for it."""
        data: Json = {
            "message_id": self.message_id,
            "from": BOT_USER,
            "chat": {"id": self.chat_id, "type": "private", "first_name": "Test"},
            "date": int(time.time()),
        }
        if self.edits:
            data["edit_date"] = int(time.time())
        optional = {"text": self.text, "caption": self.caption, "reply_markup": self.reply_markup}
        data.update({k: v for k, v in optional.items() if v is not None})
        if self.photo is not None:
            data["photo"] = [_file(f"photo-{self.message_id}", len(self.photo), width=512)]
        if self.document is not None:
            doc = _file(f"doc-{self.message_id}", len(self.document))
            data["document"] = {**doc, "file_name": self.filename, "mime_type": self.mime_type}
        for kind, content in (("voice", self.voice), ("audio", self.audio)):
            if content is not None:
                data[kind] = {**_file(f"{kind}-{self.message_id}", len(content)), "duration": 1}
        return data


@dataclass(frozen=True)
class Call:
    """One API call the stand-in answered (or failed), with decoded parameters."""

    method: str
    params: Json
    at: float = field(default_factory=time.monotonic)


class FakeTelegramApi:
    """The Bot API on 127.0.0.1 with a random port; `async with FakeTelegramApi() as api:`.

    Point PTB at `bot_base_url` (or the project's Config at `base_url`). Simulate people with the
    `user_*` helpers, read what a chat got with `messages_for`, and await a state with `wait_for`.
    """

    def __init__(self, token: str = "123456:TEST-token_abc", delay: float = 0.0) -> None:
        self.token = token
        self.delay = delay
        self.calls: list[Call] = []
        self.commands: dict[str, list[Json]] = {}
        self.answered_callbacks: list[str] = []
        self.webhook_url = ""
        self.webhook_secret = ""
        self.webhook_statuses: list[int] = []
        self.blocked: set[int] = set()
        self.voices: list[tuple[int, str, str]] = []  # chat, file id (or upload name), caption
        self.files: dict[str, bytes] = {}  # what getFile serves: a person's or counsellor's media
        self._chats: dict[int, list[SentMessage]] = {}
        self._users: dict[int, Json] = {}
        self._updates: list[Json] = []
        self._update_ids = itertools.count(100000001)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._open_callbacks: set[str] = set()
        self._callback_ids = itertools.count(4382000001)
        self._failures: dict[str, deque[ApiError]] = {}
        self._rate: tuple[int, int] | None = None
        self._recent: deque[float] = deque()
        self._changed = asyncio.Condition()
        self._poll_generation = 0
        self._closing = False
        self._pusher: asyncio.Task[None] | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle -------------------------------------------------------------------------

    async def __aenter__(self) -> FakeTelegramApi:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    async def start(self) -> None:
        """Listen on 127.0.0.1 on a free port."""
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._serve)
        app.router.add_get("/file/bot{token}/{path:.+}", self._serve_file)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Release long polls, stop pushing webhooks and close the server."""
        self._closing = True
        await self._notify()
        if self._pusher is not None:
            self._pusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pusher
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        """The server root, as TELEGRAM_API_BASE_URL takes it."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def bot_base_url(self) -> str:
        """The `base_url` for `telegram.Bot` (PTB appends the token)."""
        return f"{self.base_url}/bot"

    # -- failure injection ------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        times: int = 1,
        *,
        retry_after: int = 1,
        status: int = 429,
        description: str = "",
    ) -> None:
        """Fail the next `times` calls of `method`: 429 with retry_after, or any status."""
        error = (
            too_many_requests(retry_after)
            if status == 429
            else ApiError(status, description or "Internal Server Error")
        )
        self._failures.setdefault(method.lower(), deque()).extend([error] * times)

    def rate_limit(self, calls_per_second: int | None, retry_after: int = 1) -> None:
        """Answer 429 to sends and edits beyond `calls_per_second`; None turns it off."""
        self._rate = None if calls_per_second is None else (calls_per_second, retry_after)

    def block(self, chat_id: int) -> None:
        """The person blocked the bot: sends to them get 403."""
        self.blocked.add(chat_id)

    # -- simulated people -------------------------------------------------------------------

    async def user_sends_text(self, chat_id: int, text: str, language_code: str = "en") -> Json:
        """A private-chat text; a leading /command gets its bot_command entity."""
        content: Json = {"text": text}
        if text.startswith("/"):
            length = len(text.split(maxsplit=1)[0].encode("utf-16-le")) // 2
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return await self._emit("message", self._user_message(chat_id, language_code, content))

    async def user_taps(
        self, chat_id: int, message_id: int, data: str, language_code: str = "en"
    ) -> Json:
        """A tap on an inline button of the bot's message `message_id`."""
        query_id = str(next(self._callback_ids))
        self._open_callbacks.add(query_id)
        sent = self._find(chat_id, message_id)
        message = sent.to_api() if sent else SentMessage(message_id, chat_id, text="?").to_api()
        query = {
            "id": query_id,
            "from": self._user(chat_id, language_code),
            "message": message,
            "chat_instance": f"-{chat_id}77",
            "data": data,
        }
        return await self._emit("callback_query", query)

    async def user_sends_sticker(self, chat_id: int) -> Json:
        """A sticker."""
        sticker = {
            **_file("sticker-1", 900, width=512),
            "type": "regular",
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        }
        return await self._emit("message", self._user_message(chat_id, "en", {"sticker": sticker}))

    async def user_sends_photo(self, chat_id: int) -> Json:
        """A photo, in two sizes as Telegram sends it."""
        sizes = [_file("photo-small", 1000, width=90), _file("photo-big", 50000, width=800)]
        return await self._emit("message", self._user_message(chat_id, "en", {"photo": sizes}))

    async def user_sends_voice(self, chat_id: int) -> Json:
        """A voice note."""
        voice = {**_file("voice-1", 4000), "duration": 3, "mime_type": "audio/ogg"}
        return await self._emit("message", self._user_message(chat_id, "en", {"voice": voice}))

    async def user_sends_location(self, chat_id: int) -> Json:
        """A shared location."""
        location = {"latitude": 46.05, "longitude": 14.5}
        content = {"location": location}
        return await self._emit("message", self._user_message(chat_id, "en", content))

    async def user_sends_document(self, chat_id: int) -> Json:
        """A file."""
        doc = {**_file("doc-1", 1234), "file_name": "cv.pdf", "mime_type": "application/pdf"}
        return await self._emit("message", self._user_message(chat_id, "en", {"document": doc}))

    async def user_edits(self, chat_id: int, message_id: int, text: str) -> Json:
        """The person edited an earlier message of theirs."""
        message = self._user_message(chat_id, "en", {"text": text})
        message.update(message_id=message_id, edit_date=int(time.time()))
        return await self._emit("edited_message", message)

    async def group_message(self, group_id: int, from_id: int, text: str) -> Json:
        """A message in a group (id < 0) or supergroup (id starting -100)."""
        kind = "supergroup" if str(group_id).startswith("-100") else "group"
        message = self._user_message(from_id, "en", {"text": text})
        message["chat"] = {"id": group_id, "type": kind, "title": "Counsellors"}
        message["message_id"] = self._next_message_id(group_id)
        return await self._emit("message", message)

    async def channel_post(self, channel_id: int, text: str) -> Json:
        """A post in a channel the bot is in."""
        chat = {"id": channel_id, "type": "channel", "title": "News"}
        post = {
            "message_id": self._next_message_id(channel_id),
            "sender_chat": chat,
            "chat": chat,
            "date": int(time.time()),
            "text": text,
        }
        return await self._emit("channel_post", post)

    async def user_blocks_bot(self, chat_id: int) -> Json:
        """The person blocked the bot: later sends get 403, and a my_chat_member arrives."""
        self.block(chat_id)
        member = {"user": BOT_USER, "status": "member"}
        change = {
            "chat": self._private_chat(chat_id),
            "from": self._user(chat_id, "en"),
            "date": int(time.time()),
            "old_chat_member": member,
            "new_chat_member": {**member, "status": "kicked", "until_date": 0},
        }
        return await self._emit("my_chat_member", change)

    async def raw_update(self, payload: Json) -> Json:
        """Any update body (without update_id), for shapes the helpers do not make."""
        update = {"update_id": next(self._update_ids), **payload}
        await self._queue_update(update)
        return update

    # -- reading what happened --------------------------------------------------------------

    def messages_for(self, chat_id: int) -> list[SentMessage]:
        """What the bot sent to this chat, oldest first, with edits applied."""
        return list(self._chats.get(chat_id, []))

    def calls_of(self, method: str) -> list[Call]:
        """The calls of one method, oldest first."""
        return [call for call in self.calls if call.method.lower() == method.lower()]

    @property
    def pending_updates(self) -> int:
        """Updates not yet confirmed (by a getUpdates offset or a 2xx webhook reply)."""
        return len(self._updates)

    async def wait_for(
        self,
        predicate: Callable[[], bool],
        timeout: float = 5.0,  # noqa: ASYNC109 (one call per wait; no asyncio.timeout block)
    ) -> None:
        """Wait until `predicate()` holds, checking after every change; TimeoutError if not."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(predicate), timeout)

    # -- HTTP --------------------------------------------------------------------------------

    async def _serve(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return ApiError(401, "Unauthorized").response()
        methods = self._methods()
        name = request.match_info["method"].lower()
        if name not in methods:
            return ApiError(404, "Not Found").response()
        canonical, handler = methods[name]
        params = await _read_params(request)
        if self.delay:
            await asyncio.sleep(self.delay)
        self.calls.append(Call(canonical, params))
        try:
            self._check_injected(name)
            result = await handler(params)
        except ApiError as error:
            return error.response()
        finally:
            await self._notify()
        return web.json_response({"ok": True, "result": result})

    def _methods(self) -> dict[str, tuple[str, Handler]]:
        handlers: list[tuple[str, Handler]] = [
            ("getMe", self._get_me),
            ("getUpdates", self._get_updates),
            ("setWebhook", self._set_webhook),
            ("deleteWebhook", self._delete_webhook),
            ("getWebhookInfo", self._get_webhook_info),
            ("sendMessage", self._send_message),
            ("editMessageText", self._edit_text),
            ("editMessageReplyMarkup", self._edit_markup),
            ("answerCallbackQuery", self._answer_callback),
            ("sendPhoto", self._send_photo),
            ("sendDocument", self._send_document),
            ("sendVoice", self._send_voice),
            ("sendAudio", self._send_audio),
            ("getFile", self._get_file),
            ("setMyCommands", self._set_commands),
            ("getMyCommands", self._get_commands),
        ]
        # Bot API method names are case-insensitive.
        return {name.lower(): (name, handler) for name, handler in handlers}

    def _check_injected(self, name: str) -> None:
        queue = self._failures.get(name)
        if queue:
            raise queue.popleft()
        if self._rate is None or not name.startswith(("send", "edit")):
            return  # Telegram's flood limits are about messages
        limit, retry_after = self._rate
        now = time.monotonic()
        while self._recent and now - self._recent[0] > 1.0:
            self._recent.popleft()
        if len(self._recent) >= limit:
            raise too_many_requests(retry_after)
        self._recent.append(now)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # -- updates: polling and webhook --------------------------------------------------------

    async def _get_me(self, params: Json) -> Json:
        return BOT_USER

    async def _get_updates(self, params: Json) -> list[Json]:
        if self.webhook_url:
            raise ApiError(409, CONFLICT_WEBHOOK)
        self._confirm(int(params.get("offset", 0)))
        self._poll_generation += 1
        generation = self._poll_generation
        await self._notify()  # an older long poll, if any, ends with 409

        def ready() -> bool:
            return bool(self._updates) or generation != self._poll_generation or self._closing

        async with self._changed:
            with contextlib.suppress(TimeoutError):
                timeout = float(params.get("timeout", 0))
                await asyncio.wait_for(self._changed.wait_for(ready), timeout)
        if generation != self._poll_generation:
            raise ApiError(409, CONFLICT_POLL)
        return self._updates[: int(params.get("limit", 100))]

    def _confirm(self, offset: int) -> None:
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]

    async def _set_webhook(self, params: Json) -> bool:
        secret = params.get("secret_token", "")
        if secret and not _SECRET_RE.fullmatch(secret):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        if not str(params.get("url", "")).startswith(("http://", "https://")):
            raise ApiError(400, "Bad Request: bad webhook: an HTTPS URL must be provided")
        self.webhook_url, self.webhook_secret = params["url"], secret
        self._push_soon()
        return True

    async def _delete_webhook(self, params: Json) -> bool:
        self.webhook_url = self.webhook_secret = ""
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _get_webhook_info(self, params: Json) -> Json:
        info: Json = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates) if self.webhook_url else 0,
        }
        failures = [s for s in self.webhook_statuses if not 200 <= s < 300]
        if failures:
            info["last_error_date"] = int(time.time())
            info["last_error_message"] = f"Wrong response from the webhook: {failures[-1]}"
        return info

    async def _queue_update(self, update: Json) -> None:
        self._updates.append(update)
        await self._notify()
        self._push_soon()

    def _push_soon(self) -> None:
        if self.webhook_url and self._updates and (self._pusher is None or self._pusher.done()):
            self._pusher = asyncio.create_task(self._push_all())

    async def _push_all(self) -> None:
        """POST pending updates to the webhook one by one, in order; retry a few times."""
        timeout = ClientTimeout(total=10)
        async with ClientSession(timeout=timeout) as http:
            failures = 0
            while self.webhook_url and self._updates and failures < 3:
                status = await self._push_one(http, self._updates[0])
                self.webhook_statuses.append(status)
                ok = 200 <= status < 300
                failures = 0 if ok else failures + 1
                if ok or failures == 3:
                    self._updates.pop(0)  # delivered, or given up on
                await self._notify()

    async def _push_one(self, http: ClientSession, update: Json) -> int:
        headers = {SECRET_HEADER: self.webhook_secret} if self.webhook_secret else {}
        try:
            async with http.post(self.webhook_url, json=update, headers=headers) as reply:
                return reply.status
        except (ClientError, TimeoutError):
            return 599

    # -- sending -----------------------------------------------------------------------------

    async def _send_message(self, params: Json) -> Json:
        chat_id = self._writable_chat(params)
        text = _checked_text(
            params.get("text", ""), 4096, "message text is empty", "message is too long"
        )
        sent = SentMessage(
            self._next_message_id(chat_id),
            chat_id,
            text=text,
            reply_markup=_checked_markup(params.get("reply_markup")),
        )
        self._chats.setdefault(chat_id, []).append(sent)
        return sent.to_api()

    async def _edit_text(self, params: Json) -> Json:
        sent = self._editable(params)
        text = _checked_text(
            params.get("text", ""), 4096, "message text is empty", "message is too long"
        )
        markup = _checked_markup(params.get("reply_markup"))
        if (text, markup) == (sent.text, sent.reply_markup):
            raise ApiError(400, NOT_MODIFIED)
        sent.text, sent.reply_markup, sent.edits = text, markup, sent.edits + 1
        return sent.to_api()

    async def _edit_markup(self, params: Json) -> Json:
        sent = self._editable(params)
        markup = _checked_markup(params.get("reply_markup"))
        if markup == sent.reply_markup:
            raise ApiError(400, NOT_MODIFIED)
        sent.reply_markup, sent.edits = markup, sent.edits + 1
        return sent.to_api()

    async def _answer_callback(self, params: Json) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self._open_callbacks:
            raise ApiError(400, QUERY_TOO_OLD)
        if len(str(params.get("text", ""))) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self._open_callbacks.discard(query_id)
        self.answered_callbacks.append(query_id)
        return True

    async def _send_photo(self, params: Json) -> Json:
        return self._store_file(params, "photo")

    async def _send_document(self, params: Json) -> Json:
        return self._store_file(params, "document")

    def _store_file(self, params: Json, kind: str) -> Json:
        chat_id = self._writable_chat(params)
        upload = params.get(kind)
        if not isinstance(upload, web.FileField):
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        caption = params.get("caption") or None
        if caption is not None:
            _checked_text(caption, 1024, "", "message caption is too long")
        content = upload.file.read()
        sent = SentMessage(
            self._next_message_id(chat_id),
            chat_id,
            caption=caption,
            filename=upload.filename,
            mime_type=upload.content_type,
        )
        setattr(sent, kind, content)
        self._chats.setdefault(chat_id, []).append(sent)
        return sent.to_api()

    async def _send_voice(self, params: Json) -> Json:
        """A file id (sent as it is) or an upload, which must be OGG with an Opus stream."""
        upload = params.get("voice")
        if isinstance(upload, web.FileField):
            head = upload.file.read(128)
            upload.file.seek(0)
            if head[:4] != b"OggS" or b"OpusHead" not in head:
                raise ApiError(400, "Bad Request: voice must be OGG with Opus audio")
        return self._store_sound(params, "voice")

    async def _send_audio(self, params: Json) -> Json:
        return self._store_sound(params, "audio")

    def _store_sound(self, params: Json, kind: str) -> Json:
        chat_id = self._writable_chat(params)
        caption = str(params.get("caption") or "")
        _checked_text(caption, 1024, "", "message caption is too long")
        given = params.get(kind)
        sent = SentMessage(self._next_message_id(chat_id), chat_id, caption=caption or None)
        if isinstance(given, web.FileField):
            content = given.file.read()
            setattr(sent, kind, content)
            sent.filename, sent.mime_type = given.filename, given.content_type
            self.voices.append((chat_id, given.filename, caption))
        elif isinstance(given, str) and given:
            self.voices.append((chat_id, given, caption))
        else:
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        self._chats.setdefault(chat_id, []).append(sent)
        return sent.to_api()

    async def _get_file(self, params: Json) -> Json:
        file_id = str(params.get("file_id", ""))
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        size = len(self.files[file_id])
        return {**_file(file_id, size), "file_path": f"voice/{file_id}.oga"}

    async def _serve_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        file_id = request.match_info["path"].rsplit("/", 1)[-1].removesuffix(".oga")
        if file_id not in self.files:
            return web.Response(status=404)
        return web.Response(body=self.files[file_id], content_type="audio/ogg")

    async def _set_commands(self, params: Json) -> bool:
        commands = params.get("commands", [])
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise ApiError(400, "Bad Request: command description is invalid")
        self.commands[params.get("language_code", "")] = commands
        return True

    async def _get_commands(self, params: Json) -> list[Json]:
        return self.commands.get(params.get("language_code", ""), [])

    # -- chats -------------------------------------------------------------------------------

    def _writable_chat(self, params: Json) -> int:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            raise ApiError(400, "Bad Request: chat not found")
        if chat_id in self.blocked:
            raise ApiError(403, BLOCKED)
        if chat_id not in self._users:
            raise ApiError(403, CANNOT_INITIATE)
        return chat_id

    def _editable(self, params: Json) -> SentMessage:
        sent = self._find(self._writable_chat(params), int(params.get("message_id", 0)))
        if sent is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return sent

    def _find(self, chat_id: int, message_id: int) -> SentMessage | None:
        found = [m for m in self._chats.get(chat_id, []) if m.message_id == message_id]
        return found[0] if found else None

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def _user(self, user_id: int, language_code: str) -> Json:
        user = {
            "id": user_id,
            "is_bot": False,
            "first_name": f"Person{user_id}",
            "language_code": language_code,
        }
        self._users[user_id] = user
        return user

    def _private_chat(self, chat_id: int) -> Json:
        return {"id": chat_id, "type": "private", "first_name": f"Person{chat_id}"}

    def _user_message(self, chat_id: int, language_code: str, content: Json) -> Json:
        return {
            "message_id": self._next_message_id(chat_id),
            "from": self._user(chat_id, language_code),
            "chat": self._private_chat(chat_id),
            "date": int(time.time()),
            **content,
        }

    async def _emit(self, kind: str, payload: Json) -> Json:
        return await self.raw_update({kind: payload})


def _file(file_id: str, size: int, width: int = 0) -> Json:
    data: Json = {"file_id": file_id, "file_unique_id": f"u-{file_id}", "file_size": size}
    if width:
        data.update(width=width, height=width)
    return data


def _checked_text(text: str, limit: int, empty: str, too_long: str) -> str:
    """Telegram counts UTF-16 code units."""
    if empty and not text.strip():
        raise ApiError(400, f"Bad Request: {empty}")
    if len(text.encode("utf-16-le")) // 2 > limit:
        raise ApiError(400, f"Bad Request: {too_long}")
    return text


def _checked_markup(markup: Any) -> Json | None:
    """Inline keyboards are echoed back; reply keyboards are not."""
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        return None
    for row in markup["inline_keyboard"]:
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            if not button.get("text"):
                raise ApiError(
                    400, "Bad Request: text buttons are unallowed in the inline keyboard"
                )
    return markup


async def _read_params(request: web.Request) -> Json:
    """Form or multipart fields; non-string values arrive JSON-encoded, files as FileField."""
    form = await request.post()
    params: Json = {}
    for name, value in form.items():
        if isinstance(value, str) and name not in _STRING_PARAMS:
            with contextlib.suppress(ValueError):
                value = json.loads(value)
        params[name] = value
    return params
