"""Per-chat ordered dispatch: chats run concurrently, each chat's events strictly in order."""

from __future__ import annotations

import asyncio
import logging
from collections import deque

from bot.channels.base import InboundHandler
from bot.framework.events import Inbound

_log = logging.getLogger(__name__)


class ChatQueues:
    """One short-lived worker per busy chat; a shared semaphore caps work in flight.

    `submit` never blocks, so a webhook can answer at once. A chat's worker exists only while
    the chat has queued events, so idle chats cost nothing.
    """

    def __init__(self, handle: InboundHandler, max_in_flight: int = 64) -> None:
        self._handle = handle
        self._slots = asyncio.Semaphore(max_in_flight)
        self._queues: dict[str, deque[Inbound]] = {}
        self._workers: set[asyncio.Task[None]] = set()

    def submit(self, inbound: Inbound) -> None:
        """Queue one event behind the earlier events of the same chat."""
        chat = inbound.key.chat_id
        queue = self._queues.get(chat)
        if queue is not None:
            queue.append(inbound)
            return
        self._queues[chat] = deque([inbound])
        worker = asyncio.create_task(self._drain(chat))
        self._workers.add(worker)
        worker.add_done_callback(self._workers.discard)

    @property
    def busy_chats(self) -> int:
        """How many chats have events queued or in progress."""
        return len(self._queues)

    async def close(self, grace: float = 10.0) -> None:
        """Let queued events finish for up to `grace` seconds, then cancel the rest."""
        workers = set(self._workers)
        if not workers:
            return
        _done, pending = await asyncio.wait(workers, timeout=grace)
        for worker in pending:
            worker.cancel()
        if pending:
            _log.warning("stopped with events of %d chats unprocessed", len(pending))
            await asyncio.wait(pending)

    async def _drain(self, chat: str) -> None:
        queue = self._queues[chat]
        try:
            while queue:
                await self._run(queue[0])
                queue.popleft()
        finally:
            del self._queues[chat]

    async def _run(self, inbound: Inbound) -> None:
        async with self._slots:
            try:
                await self._handle(inbound)
            except Exception as exc:
                # The message may hold personal data: log the update id and the type only.
                _log.error("handling update %s failed: %s", inbound.event_id, type(exc).__name__)
                _log.debug("handler traceback", exc_info=True)
