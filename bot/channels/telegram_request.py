"""python-telegram-bot's HTTP requests on aiohttp: one keep-alive pool, cheap per request.

PTB's default (httpx through httpcore) checks every pooled connection for expiry on each
request; under load that was about a third of the bot's CPU. aiohttp is already what the web
side runs on, and its connector picks an idle connection in constant time.
"""

from __future__ import annotations

import asyncio

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

_CONNECT, _READ, _WRITE, _POOL = 5.0, 5.0, 5.0, 1.0  # PTB's HTTPXRequest defaults


def _given(value: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(value, DefaultValue) else value


class AiohttpRequest(BaseRequest):
    """A PTB `BaseRequest` on one `aiohttp.ClientSession` (at most `connections` at once).

    Plain parameters go form-encoded, as PTB's own request sends them; with files, multipart.
    """

    def __init__(self, connections: int = 128, read_timeout: float | None = _READ) -> None:
        self._connections = connections
        self._read_timeout = read_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """The read timeout used when a call does not give one."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (idempotent)."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._connections, keepalive_timeout=30)
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )

    async def shutdown(self) -> None:
        """Close the session and its connections (idempotent)."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request; its status and body.

        Raises:
            TimedOut: a timeout (connecting, waiting for a free connection, or reading).
            NetworkError: any other failure to talk to the server.
        """
        if self._session is None:
            raise RuntimeError("AiohttpRequest is not initialized")
        timeout = aiohttp.ClientTimeout(
            sock_connect=_given(connect_timeout, _CONNECT),
            sock_read=_given(read_timeout, self._read_timeout),
            connect=_given(pool_timeout, _POOL),  # includes waiting for a pooled connection
        )
        try:
            async with self._session.request(
                method, url, data=_body(request_data), timeout=timeout
            ) as reply:
                return reply.status, await reply.read()
        except (TimeoutError, asyncio.TimeoutError) as error:  # noqa: UP041 (aiohttp's own)
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error


def _body(request_data: RequestData | None) -> dict[str, str] | aiohttp.FormData | None:
    """Form fields, or multipart form data when the call carries files."""
    if request_data is None:
        return None
    fields = request_data.json_parameters
    files = request_data.multipart_data
    if not files:
        return fields
    form = aiohttp.FormData(fields)
    for name, (filename, content, mime_type) in files.items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form
