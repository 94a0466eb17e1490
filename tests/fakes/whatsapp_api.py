"""A stand-in for the WhatsApp Cloud API: real HTTP on 127.0.0.1, signed webhooks to the bot."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from aiohttp import ClientSession, web

from tests.fakes.whatsapp_limits import problems

Json = dict[str, Any]
PHONE_NUMBER_ID = "106540352242922"
WINDOW_SECONDS = 24 * 3600
VERSION = "v23.0"


@dataclass
class WaPerson:
    """Someone on WhatsApp: a BSUID always, a wa_id (phone) unless they use a username."""

    user_id: str
    wa_id: str | None = "15551234567"
    last_wrote: float = 0.0
    received: list[Json] = field(default_factory=list)


def _graph_error(code: int, message: str, status: int = 400) -> web.Response:
    error = {"message": f"(#{code}) {message}", "type": "OAuthException", "code": code}
    return web.json_response({"error": {**error, "fbtrace_id": "AbC"}}, status=status)


class FakeCloudApi:
    """`async with FakeCloudApi(app_secret) as api:`; set `api.webhook_url`, then act as people.

    Every message the bot sends is checked against Graph's limits; refused ones are kept in
    `refused` (a test asserts it stays empty). `now` is the stand-in's clock (seconds), which a
    test may move forward to leave the 24-hour window.
    """

    def __init__(self, app_secret: str, token: str = "EAAG-test", delay: float = 0.0) -> None:
        self.app_secret, self.token, self.delay = app_secret, token, delay
        self.webhook_url = ""
        self.offset = 0.0
        self.people: dict[str, WaPerson] = {}
        self.refused: list[tuple[str, list[str]]] = []
        self.uploads: dict[str, tuple[str, bytes, str]] = {}
        self.calls = 0
        self.statuses = False
        self._failures: deque[int | None] = deque()
        self._ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._session: ClientSession | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = 0

    async def __aenter__(self) -> FakeCloudApi:
        app = web.Application()
        app.router.add_post("/{version}/{number}/messages", self._messages)
        app.router.add_post("/{version}/{number}/media", self._upload)
        app.router.add_get("/{version}/{media_id}", self._media_info)
        app.router.add_get("/download/{media_id}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self._session = ClientSession()
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        """What WHATSAPP_API_BASE_URL takes."""
        return f"http://127.0.0.1:{self.port}"

    def now(self) -> float:
        """The stand-in's clock."""
        return time.time() + self.offset

    def fail_next(self, code: int, times: int = 1, after: int = 0) -> None:
        """Refuse `times` sends with Graph error `code` (131056, 130429, ...), `after` sends."""
        self._failures.extend([None] * after + [code] * times)

    def person(self, user_id: str, wa_id: str | None = "15551234567") -> WaPerson:
        """A person (a username user when `wa_id` is None)."""
        return self.people.setdefault(user_id, WaPerson(user_id, wa_id))

    # -- the bot's calls --------------------------------------------------------------------

    async def _authorised(self, request: web.Request) -> bool:
        if self.delay:
            await asyncio.sleep(self.delay)  # a slow network: load modelling, not synchronisation
        self.calls += 1
        return request.headers.get("Authorization") == f"Bearer {self.token}"

    async def _messages(self, request: web.Request) -> web.Response:
        if not await self._authorised(request):
            return _graph_error(190, "Invalid OAuth access token", 401)
        body: Json = await request.json()
        person = self._recipient(body)
        if person is None:
            self.refused.append(
                (
                    str(body.get("type")),
                    ["unknown recipient " + str(body.get("recipient") or body.get("to"))],
                )
            )
            return _graph_error(100, "Invalid parameter: recipient")
        if self._failures and (code := self._failures.popleft()) is not None:
            return _graph_error(code, "Rate limit hit" if code != 131047 else "Re-engagement")
        found = problems(body) + self._audio_problems(body)
        if found:
            self.refused.append((body.get("type", "?"), found))
            return _graph_error(131009 if body.get("type") == "interactive" else 100, found[0])
        wamid = f"wamid.HBgL{next(self._ids):08d}"
        late = body["type"] != "template" and self.now() - person.last_wrote > WINDOW_SECONDS
        if late:
            self._post_later(self._status_payload(person, wamid, "failed", 131047))
        else:
            person.received.append({**body, "id": wamid})
            if self.statuses:
                self._post_later(self._status_payload(person, wamid, "delivered"))
        await self._notify()
        contact = {"input": person.wa_id or person.user_id, "user_id": person.user_id}
        return web.json_response(
            {"messaging_product": "whatsapp", "contacts": [contact], "messages": [{"id": wamid}]}
        )

    def _audio_problems(self, body: Json) -> list[str]:
        """An audio message has no caption, and its upload must be OGG with Opus in it."""
        if body.get("type") != "audio":
            return []
        audio = body["audio"]
        found = ["audio: captions are not allowed"] if "caption" in audio else []
        mime, content, _ = self.uploads.get(audio.get("id", ""), ("", b"", ""))
        if (
            mime.split(";")[0] != "audio/ogg"
            or content[:4] != b"OggS"
            or b"OpusHead" not in content[:64]
        ):
            found.append("audio: not an OGG/Opus upload")
        return found

    def _recipient(self, body: Json) -> WaPerson | None:
        if body.get("messaging_product") != "whatsapp":
            return None
        if "recipient" in body:
            return self.people.get(body["recipient"])
        return next(
            (p for p in self.people.values() if p.wa_id and p.wa_id == body.get("to")), None
        )

    async def _upload(self, request: web.Request) -> web.Response:
        if not await self._authorised(request):
            return _graph_error(190, "Invalid OAuth access token", 401)
        form = await request.post()
        upload = form.get("file")
        if form.get("messaging_product") != "whatsapp" or not isinstance(upload, web.FileField):
            return _graph_error(100, "Invalid parameter: file")
        media_id = str(900000 + next(self._ids))
        content = upload.file.read()
        self.uploads[media_id] = (upload.content_type, content, upload.filename)
        return web.json_response({"id": media_id})

    async def _media_info(self, request: web.Request) -> web.Response:
        if not await self._authorised(request):
            return _graph_error(190, "Invalid OAuth access token", 401)
        media_id = request.match_info["media_id"]
        if media_id not in self.uploads:
            return _graph_error(100, "Unknown media")
        mime, content, _ = self.uploads[media_id]
        url = f"{self.base_url}/download/{media_id}"
        return web.json_response(
            {"url": url, "mime_type": mime, "file_size": len(content), "id": media_id}
        )

    async def _download(self, request: web.Request) -> web.Response:
        if not await self._authorised(request):
            return web.Response(status=401)
        return web.Response(body=self.uploads[request.match_info["media_id"]][1])

    # -- people -------------------------------------------------------------------------------

    async def user_sends(self, person: WaPerson, content: Json) -> int:
        """The person sends a message (`{"type": "text", "text": {...}}` and so on)."""
        person.last_wrote = self.now()
        message: Json = {"id": f"wamid.IN{next(self._ids):08d}", "timestamp": str(int(self.now()))}
        if person.wa_id:
            message["from"] = person.wa_id
        else:
            message["from_user_id"] = person.user_id
        return await self.post(self.envelope(person, {"messages": [{**message, **content}]}))

    async def text(self, person: WaPerson, text: str) -> int:
        """A typed text."""
        return await self.user_sends(person, {"type": "text", "text": {"body": text}})

    async def tap(self, person: WaPerson, reply_id: str) -> int:
        """Tap a reply button or choose a list row with this id on the person's latest message."""
        interactive = self.last_interactive(person)
        kind = interactive["type"]
        options = _options(interactive)
        assert reply_id in options, f"{reply_id} not offered: {list(options)}"
        reply = {"id": reply_id, "title": options[reply_id]}
        key = "button_reply" if kind == "button" else "list_reply"
        content = {"type": "interactive", "interactive": {"type": key, key: reply}}
        return await self.user_sends(person, content)

    async def voice(self, person: WaPerson) -> int:
        """A voice note (uploaded first, so the bot can download it)."""
        media_id = str(800000 + next(self._ids))
        self.uploads[media_id] = ("audio/ogg; codecs=opus", b"OggS\x00OpusHead-voice", "voice.ogg")
        audio = {"id": media_id, "mime_type": "audio/ogg; codecs=opus", "voice": True}
        return await self.user_sends(person, {"type": "audio", "audio": audio})

    def envelope(self, person: WaPerson, value: Json) -> Json:
        """A notification as Meta sends it, with `contacts[]` carrying the BSUID."""
        contact: Json = {"profile": {"name": "Ana 👩🏽‍🍳"}, "user_id": person.user_id}
        if person.wa_id:
            contact["wa_id"] = person.wa_id
        value = {
            "messaging_product": "whatsapp",
            "metadata": {
                "display_phone_number": "15550001111",
                "phone_number_id": PHONE_NUMBER_ID,
            },
            "contacts": [contact],
            **value,
        }
        change = {"field": "messages", "value": value}
        return {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [change]}]}

    async def post(self, notification: Json, secret: str | None = None) -> int:
        """Post a notification, signed over the raw bytes as Meta writes them; the HTTP status."""
        raw = json.dumps(notification).replace("/", "\\/").encode()  # \uXXXX escapes, as Meta
        return await self.post_raw(raw, _signature(secret or self.app_secret, raw))

    async def post_raw(self, raw: bytes, signature: str | None) -> int:
        """Post exactly these bytes with this `X-Hub-Signature-256` (None: no header)."""
        assert self._session is not None
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers["X-Hub-Signature-256"] = signature
        async with self._session.post(self.webhook_url, data=raw, headers=headers) as response:
            return response.status

    def _status_payload(self, person: WaPerson, wamid: str, status: str, code: int = 0) -> Json:
        entry: Json = {"id": wamid, "status": status, "timestamp": str(int(self.now()))}
        entry["recipient_id"] = person.wa_id or person.user_id
        if code:
            entry["errors"] = [{"code": code, "title": "Re-engagement message"}]
        return self.envelope(person, {"statuses": [entry]})

    def _post_later(self, notification: Json) -> None:
        task = asyncio.create_task(self._post_quietly(notification))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _post_quietly(self, notification: Json) -> None:
        await self.post(notification)

    # -- reading --------------------------------------------------------------------------------

    def last_interactive(self, person: WaPerson) -> Json:
        """The interactive part of the newest message with buttons or a list."""
        found = [m for m in person.received if m["type"] == "interactive"]
        assert found, "no interactive message yet"
        interactive: Json = found[-1]["interactive"]
        return interactive

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, predicate: Callable[[], bool], seconds: float = 30.0) -> None:
        """Wait until `predicate()` holds after some send (TimeoutError otherwise)."""
        async with asyncio.timeout(seconds), self._changed:
            await self._changed.wait_for(predicate)


def _options(interactive: Json) -> dict[str, str]:
    action = interactive["action"]
    if interactive["type"] == "button":
        return {b["reply"]["id"]: b["reply"]["title"] for b in action["buttons"]}
    return {r["id"]: r["title"] for s in action["sections"] for r in s["rows"]}


def _signature(secret: str, raw: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


def text_of(message: Json) -> str:
    """What a message says: text body, interactive body, or caption."""
    kind = message["type"]
    if kind == "text":
        return str(message["text"]["body"])
    if kind == "interactive":
        return str(message["interactive"]["body"]["text"])
    if kind in ("image", "document"):
        return str(message[kind].get("caption", ""))
    return str(message.get("template", {}).get("name", ""))
