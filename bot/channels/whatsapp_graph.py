"""The Cloud API calls the channel makes (messages, media), with Graph errors mapped."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp

from bot.channels.base import RetryLater, Unreachable
from bot.config import WhatsAppConfig

PAIR_RATE_PAUSE = 6.0  # 131056: one person got too many messages; Meta's average is 1 per 6 s
THROUGHPUT_PAUSE = 1.0  # 130429: the number's messages per second
NETWORK_PAUSE = 5.0
BAD_TOKEN_PAUSE = 60.0
OUTSIDE_WINDOW = 131047
UNDELIVERABLE = 131026

_log = logging.getLogger(__name__)


class OutsideWindow(Exception):
    """The person last wrote more than 24 hours ago: only a template may go out."""


class GraphClient:
    """`POST /{version}/{phone_number_id}/messages` and `/media`, `GET /{media_id}`."""

    def __init__(self, config: WhatsAppConfig) -> None:
        self._config = config
        self._root = f"{config.api_base_url}/{config.api_version}"
        self._session: aiohttp.ClientSession | None = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                headers={"Authorization": f"Bearer {self._config.token}"},
                timeout=aiohttp.ClientTimeout(total=30),
                connector=aiohttp.TCPConnector(limit=128),
            )
        return self._session

    async def close(self) -> None:
        """Close the HTTP connections."""
        if self._session is not None:
            await self._session.close()

    async def send(self, recipient: dict[str, str], body: dict[str, Any]) -> str:
        """Send one message body to one person; returns its wamid."""
        payload = {"messaging_product": "whatsapp", "recipient_type": "individual"}
        url = f"{self._root}/{self._config.phone_number_id}/messages"
        answer = await self._call("POST", url, json={**payload, **recipient, **body})
        return str(answer["messages"][0]["id"])

    async def upload(self, content: bytes, mime_type: str, filename: str) -> str:
        """Upload a file; returns the media id (valid for 30 days)."""
        form = aiohttp.FormData()
        form.add_field("messaging_product", "whatsapp")
        form.add_field("type", mime_type)
        form.add_field("file", content, filename=filename, content_type=mime_type)
        url = f"{self._root}/{self._config.phone_number_id}/media"
        return str((await self._call("POST", url, data=form))["id"])

    async def download(self, media_id: str) -> tuple[str, bytes]:
        """A person's media: (MIME type, bytes); the download URL lives about 5 minutes."""
        info = await self._call("GET", f"{self._root}/{media_id}")
        try:
            async with self._http().get(info["url"]) as response:
                response.raise_for_status()
                return str(info.get("mime_type", "")), await response.read()
        except (aiohttp.ClientError, TimeoutError):
            raise RetryLater(NETWORK_PAUSE) from None

    async def _call(self, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        try:
            async with self._http().request(method, url, **kwargs) as response:
                answer = await response.json(content_type=None)
                status = response.status
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            _log.info("Graph %s: network trouble (%s)", method, type(exc).__name__)
            raise RetryLater(NETWORK_PAUSE) from None
        if status == 200 and isinstance(answer, dict) and "error" not in answer:
            return answer
        error = (answer or {}).get("error") or {} if isinstance(answer, dict) else {}
        raise _mapped(status, int(error.get("code") or 0))


def _mapped(status: int, code: int) -> Exception:
    """The channel contract's exception for a Graph error (matched on the code, not the text)."""
    if code == 131056:
        return RetryLater(PAIR_RATE_PAUSE)
    if code in (130429, 80007, 4):
        return RetryLater(THROUGHPUT_PAUSE)
    if code == OUTSIDE_WINDOW:
        return OutsideWindow()
    if code == UNDELIVERABLE:
        return Unreachable("WhatsApp: the message cannot reach this person")
    if code == 190 or status == 401:
        _log.error("Graph refused the access token (WHATSAPP_TOKEN)")
        return RetryLater(BAD_TOKEN_PAUSE)
    if status >= 500 or status == 429:
        return RetryLater(NETWORK_PAUSE)
    _log.warning("Graph refused a message: HTTP %s, code %s; dropped", status, code)
    return Refused(code)


class Refused(Exception):
    """Graph refused the message for good (a bad request); it is dropped."""

    def __init__(self, code: int) -> None:
        super().__init__(f"Graph error {code}")
        self.code = code
