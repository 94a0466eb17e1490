"""The sender: runs each outbox row's effect, then delivers its replies in order per chat."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot.channels.base import DELIVERY_REF, ChannelAdapter, RetryLater, Unreachable
from bot.db.store import OutboxItem
from bot.delivery.effects import EffectTable, UnhandledEffect
from bot.delivery.pacing import Pacer, RateLimits
from bot.framework.actions import MarkAnswered, Reply
from bot.framework.session import SessionKey

__all__ = ["OutboxStore", "RateLimits", "Sender"]

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 60.0
STOP_GRACE_SECONDS = 2.0  # then unfinished sends stay in the outbox for the next start


class OutboxStore(Protocol):
    """The part of the store the sender uses (bot.db.store.SqlStore)."""

    async def pending(self, limit: int = 500, channel: str | None = None) -> list[OutboxItem]:
        """Due rows, oldest first."""

    async def delivered(self, ids: Sequence[int]) -> None:
        """Delete delivered rows."""

    async def postpone(self, item_id: int, not_before: datetime) -> None:
        """Hold a row (and its chat) until `not_before`."""

    async def mark_unreachable(self, key: SessionKey) -> None:
        """Mark a chat inactive and drop its rows."""

    async def hold_sender_lease(self) -> bool:
        """True while this process is the one that sends."""


class Sender:
    """Runs until `stop()`; `notify()` after each commit makes it look at the outbox at once.

    Each chat's items go out strictly in order, one at a time; different chats go out
    concurrently on `workers` tasks. A RetryLater or an error postpones only that chat, in the
    store, so nothing is lost or reordered across a crash. Delivery is at least once: an item
    sent just before a crash is sent again.

    An item holding an effect is first carried out by `effects`; the replies it produces go
    to the chat's channel in order, each paced, and the item counts as delivered only after
    the last. When one of them fails, the rest wait in memory for the retry, so the effect is
    not run again in this process; after a crash it is (effects are idempotent) and its
    replies are sent again.
    """

    def __init__(
        self,
        store: OutboxStore,
        adapters: Mapping[str, ChannelAdapter],
        limits: Mapping[str, RateLimits] | None = None,
        *,
        effects: EffectTable | None = None,
        workers: int = 16,
        batch: int = 500,
        retry_base: float = 1.0,
    ) -> None:
        self._store = store
        self._adapters = dict(adapters)
        self._limits = dict(limits or {})
        self._effects = effects or EffectTable({})
        self._unsent: dict[int, deque[tuple[int, Reply]]] = {}  # item id → (index, reply) unsent
        self._global = {
            name: Pacer(lim.global_per_second, lim.global_burst or int(lim.global_per_second))
            for name, lim in self._limits.items()
        }
        self._chats: dict[SessionKey, Pacer] = {}
        self._workers, self._batch, self._retry_base = workers, batch, retry_base
        self._queues: dict[SessionKey, deque[OutboxItem]] = {}
        self._busy: set[SessionKey] = set()
        self._tracked: set[int] = set()
        self._done: list[int] = []
        self._flushing = False
        self._ready: asyncio.Queue[SessionKey | None] = asyncio.Queue()
        # Held while reading or changing the outbox, so a read never races a delete/postpone.
        self._books = asyncio.Lock()
        self._wake = asyncio.Event()
        self._stopping = False

    def notify(self) -> None:
        """Look at the outbox now (call after committing new rows)."""
        self._wake.set()

    def stop(self) -> None:
        """Finish the items in hand, record them, and make `run` return."""
        self._stopping = True
        self._wake.set()

    async def run(self) -> None:
        """Deliver until `stop()` is called."""
        workers = [asyncio.create_task(self._work()) for _ in range(self._workers)]
        try:
            while not self._stopping:
                if await self._store.hold_sender_lease():
                    await self._fetch()
                await self._flush()
                await self._idle()
        finally:
            for _ in workers:
                self._ready.put_nowait(None)
            _, late = await asyncio.wait(workers, timeout=STOP_GRACE_SECONDS)
            for task in late:
                task.cancel()
            await self._flush()

    async def _idle(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), POLL_SECONDS)
        self._wake.clear()

    async def _fetch(self) -> None:
        async with self._books:
            for channel in self._adapters:
                items = await self._store.pending(self._batch, channel)
                for item in items:
                    self._enqueue(item)
                if len(items) == self._batch:
                    self._wake.set()  # more may wait; look again once some are done
        self._forget_old_pacing()

    def _enqueue(self, item: OutboxItem) -> None:
        if item.id in self._tracked:
            return
        self._tracked.add(item.id)
        self._queues.setdefault(item.key, deque()).append(item)
        if item.key not in self._busy:
            self._busy.add(item.key)
            self._ready.put_nowait(item.key)

    async def _work(self) -> None:
        while (key := await self._ready.get()) is not None:
            try:
                await self._drain(key)
            except Exception:
                log.exception("sender: giving a chat on %s back to the outbox", key.channel)
                self._untrack(key)
            finally:
                self._busy.discard(key)
                if not self._queues.get(key):
                    self._queues.pop(key, None)

    async def _drain(self, key: SessionKey) -> None:
        queue = self._queues[key]
        while queue and not self._stopping:
            if not await self._send(queue[0]):
                return
            queue.popleft()
            await self._flush()

    async def _send(self, item: OutboxItem) -> bool:
        try:
            await self._send_replies(item)
        except RetryLater as exc:
            await self._hold(item, exc.seconds)
            return False
        except Unreachable:
            async with self._books:
                await self._store.mark_unreachable(item.key)
                self._forget_unsent(item.key)
                self._untrack(item.key)
            return False
        except UnhandledEffect as exc:  # a wiring mistake: keep the row and say so loudly
            log.error(
                "sender: item %s on %s kept in the outbox: %s", item.id, item.key.channel, exc
            )
            await self._hold(item, self._backoff(item))
            return False
        except Exception:
            delay = self._backoff(item)
            log.exception(
                "sender: item %s on %s failed; retry in %.1fs", item.id, item.key.channel, delay
            )
            await self._hold(item, delay)
            return False
        self._unsent.pop(item.id, None)
        self._done.append(item.id)
        return True

    async def _send_replies(self, item: OutboxItem) -> None:
        """Run the item's effect (once per process), then send its replies, each paced."""
        replies = self._unsent.get(item.id)
        if replies is None:
            replies = deque(enumerate(await self._effects.replies(item.key, item.action)))
            self._unsent[item.id] = replies
        adapter = self._adapters[item.key.channel]
        while replies:
            index, reply = replies[0]
            if not (isinstance(reply, MarkAnswered) and not adapter.capabilities.can_edit):
                await self._pace(item.key)  # a mark a channel cannot edit in sends nothing
            ref = DELIVERY_REF.set(f"{item.id}.{index}")
            try:
                await adapter.deliver(item.key, reply)
            finally:
                DELIVERY_REF.reset(ref)
            replies.popleft()

    def _backoff(self, item: OutboxItem) -> float:
        return min(MAX_BACKOFF_SECONDS, self._retry_base * 2.0**item.attempts)

    def _forget_unsent(self, key: SessionKey) -> None:
        for item in self._queues.get(key, ()):
            self._unsent.pop(item.id, None)

    async def _hold(self, item: OutboxItem, seconds: float) -> None:
        async with self._books:
            await self._store.postpone(item.id, datetime.now(UTC) + timedelta(seconds=seconds))
            self._untrack(item.key)
        asyncio.get_running_loop().call_later(seconds + 0.01, self.notify)

    def _untrack(self, key: SessionKey) -> None:
        """Give a chat's queued items back to the outbox (they are fetched again later)."""
        queue = self._queues.get(key, deque())
        self._tracked.difference_update(item.id for item in queue)
        queue.clear()

    async def _flush(self) -> None:
        """Delete delivered rows in batches; one flusher at a time, the others' ids join it."""
        if self._flushing:
            return
        self._flushing = True
        try:
            while self._done:
                ids, self._done = self._done, []
                try:
                    async with self._books:
                        await self._store.delivered(ids)
                        self._tracked.difference_update(ids)
                except Exception:
                    log.exception("sender: could not record %d deliveries", len(ids))
                    self._done.extend(ids)
                    return
        finally:
            self._flushing = False

    async def _pace(self, key: SessionKey) -> None:
        limits = self._limits.get(key.channel)
        if limits is None:
            return
        now = asyncio.get_running_loop().time()
        chat = self._chats.get(key)
        if chat is None:
            chat = self._chats[key] = Pacer(limits.per_chat_per_second, limits.per_chat_burst)
        slot = self._global[key.channel].reserve(chat.reserve(now))
        if slot > now:
            await asyncio.sleep(slot - now)

    def _forget_old_pacing(self) -> None:
        now = asyncio.get_running_loop().time()
        if len(self._chats) > 1000:
            self._chats = {k: p for k, p in self._chats.items() if not p.idle_since(now)}
