"""The sender: runs each outbox row's effect, then delivers its replies in order per chat."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot.channels.base import DELIVERY_REF, ChannelAdapter, NotConnected, RetryLater, Unreachable
from bot.db.store import DueWindow, Handoff, OutboxItem
from bot.delivery.effects import EffectTable, UnhandledEffect
from bot.delivery.pacing import Pacer, RateLimits
from bot.framework.actions import DataErased, MarkAnswered, Reply
from bot.framework.session import SessionKey

__all__ = ["OutboxStore", "RateLimits", "Sender"]

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 60.0
STOP_GRACE_SECONDS = 2.0  # then unfinished sends stay in the outbox for the next start


class OutboxStore(Protocol):
    """The part of the store the sender uses (bot.db.store.SqlStore)."""

    async def due(
        self,
        channel: str | None = None,
        after: SessionKey | None = None,
        *,
        chats: int = 50,
        per_chat: int = 20,
    ) -> DueWindow:
        """The due rows at the head of the next `chats` chats after `after`."""

    async def due_of(self, keys: Sequence[SessionKey], *, per_chat: int = 20) -> list[OutboxItem]:
        """The due rows at the head of these chats only."""

    async def due_erasures(self, channel: str, *, limit: int = 50) -> list[OutboxItem]:
        """Due erasures at the head of their chats on `channel`."""

    async def delivered(self, ids: Sequence[int]) -> None:
        """Delete delivered rows."""

    async def postpone(self, item_id: int, not_before: datetime) -> None:
        """Hold a row (and its chat) until `not_before`."""

    async def mark_unreachable(self, key: SessionKey) -> None:
        """Mark a chat inactive and drop its rows (an erasure still runs)."""

    async def park(self, key: SessionKey) -> None:
        """Hold a chat's rows until `unpark` (its person is not connected); erasures stay due."""

    async def unpark(self, key: SessionKey) -> None:
        """Make a parked chat's rows due again."""

    async def set_aside(self, item_id: int, error: str) -> None:
        """Move a row that keeps failing to the dead letters."""

    async def hold_sender_lease(self) -> bool:
        """True while this process is the one that sends."""

    def hand_over(self, receive: Handoff) -> bool:
        """Pass new rows to `receive` after each commit; False if the store cannot."""


class Sender:
    """Runs until `stop()`; `notify()` after each commit makes it look at the outbox at once.

    Each chat's items go out strictly in order, one at a time; different chats go out
    concurrently on `workers` tasks. No chat can hold up another: each round reads at most
    `per_chat` rows of `chats_per_round` chats (going on round robin from the last chat read),
    at most `batch` rows are in hand at once, and a worker gives up its chat for the next one
    after `per_turn` items. A RetryLater or an error postpones only that chat, in the
    store, so nothing is lost or reordered across a crash. Delivery is at least once: an item
    sent just before a crash is sent again.

    An item holding an effect is first carried out by `effects`; the replies it produces go
    to the chat's channel in order, each paced, and the item counts as delivered only after
    the last. When one of them fails, the rest wait in memory for the retry, so the effect is
    not run again in this process; after a crash it is (effects are idempotent) and its
    replies are sent again.

    With several workers, only the one holding the store's sender lease sends, so the
    platforms' rate budgets hold; but a channel in `local` (the web chat) is sent by every
    worker, each for the chats its function names (those with a socket open here), up to
    each chat's first erasure. Erasures need nobody connected: the lease holder runs those
    at the head of any chat (so one worker runs each, once, in its place in the chat).
    `left(key)` (the last tab here closed) tries what is due for the chat once more, so a
    goodbye nobody can see is parked and the erasure behind it goes on.

    When the store hands over the rows it commits (SQLite with group commit), the outbox is
    read only to recover: until one pass over every chat has been made since start, and for
    the chats whose rows are not all in hand (held, parked, a backlog over `per_chat`, or
    rows committed while one of those was so). The other chats' new rows are queued as
    handed over, without a read.

    A NotConnected (a web-chat person who closed the tab) parks the chat: its rows stay in
    the store, uncounted and not retried, until `resume(key)` says the person is back; an
    effect's unsent replies are dropped then, and the effect runs again on resume. An
    erasure (a confirmed /delete) does not wait for them: the store drops what is queued
    before it (a goodbye nobody can see), and the erasure is read and run at once.
    """

    def __init__(
        self,
        store: OutboxStore,
        adapters: Mapping[str, ChannelAdapter],
        limits: Mapping[str, RateLimits] | None = None,
        *,
        effects: EffectTable | None = None,
        workers: int = 16,
        batch: int = 2_000,
        chats_per_round: int = 50,
        per_chat: int = 20,
        per_turn: int = 5,
        retry_base: float = 1.0,
        max_attempts: int = 8,
        local: Mapping[str, Callable[[], list[SessionKey]]] | None = None,
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
        self._round, self._per_chat, self._per_turn = chats_per_round, per_chat, per_turn
        self._after: dict[str, SessionKey | None] = {}  # per channel: the last chat read
        self._max_attempts = max_attempts  # then a failing row is set aside (a dead letter)
        self._queues: dict[SessionKey, deque[OutboxItem]] = {}
        self._busy: set[SessionKey] = set()
        self._returned: set[SessionKey] = set()  # resumed while their chat was being sent
        self._tracked: set[int] = set()
        self._done: list[int] = []
        self._flushing = False
        self._ready: asyncio.Queue[SessionKey | None] = asyncio.Queue()
        # Held while reading or changing the outbox, so a read never races a delete/postpone.
        self._books = asyncio.Lock()
        self._wake = asyncio.Event()
        self._stopping = False
        self._local = dict(local or {})
        self._leaving: set[SessionKey] = set()  # chats of `local` whose last tab here closed
        # Rows handed over in memory (see the class docstring): the chats that may have rows
        # in the store that are not in hand, each with the generation it was marked at.
        self._stale: dict[SessionKey, int] = {}
        self._generation = 0
        self._passed: set[str] = set()  # channels read from the first chat to the last
        self._passing: set[str] = set()  # channels whose reading began at the first chat
        self._live = store.hand_over(self.offer)

    def offer(self, items: list[OutboxItem]) -> None:
        """Take rows just committed (in id order): queued now, or left for a read."""
        recovered = len(self._passed) == len(self._adapters)
        for item in items:
            if recovered and item.key not in self._stale and len(self._tracked) < self._batch:
                self._enqueue(item)
            else:
                self._mark_stale(item.key)
                self._wake.set()

    def _mark_stale(self, key: SessionKey) -> None:
        self._generation += 1
        self._stale[key] = self._generation

    def _reading_needed(self) -> bool:
        return not self._live or len(self._passed) < len(self._adapters) or bool(self._stale)

    @property
    def caught_up(self) -> bool:
        """Every committed row is in hand: the outbox is read again only if one is not."""
        return not self._reading_needed()

    def notify(self) -> None:
        """Look at the outbox now (call after committing new rows)."""
        self._wake.set()

    async def resume(self, key: SessionKey) -> None:
        """The person of a parked chat is connected again: send what waits for them, in order."""
        async with self._books:
            await self._store.unpark(key)
            if key in self._busy:
                self._returned.add(key)  # a NotConnected in flight must not park them again
        self.notify()

    def left(self, key: SessionKey) -> None:
        """The person's last tab here closed: with several workers, try what is due once more.

        What cannot be shown then parks the chat, which lets an erasure behind it go on (a
        /delete confirmed as the tab closed, before this worker read its rows).
        """
        if key.channel in self._local:
            self._leaving.add(key)
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
                await self._fetch(await self._store.hold_sender_lease())
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

    async def _fetch(self, leader: bool) -> None:
        if len(self._tracked) >= self._batch:
            return  # enough in hand; each chat that runs dry wakes us again
        async with self._books:
            for channel in self._adapters:
                if channel in self._local:
                    await self._fetch_local(channel, leader)
                    continue
                if not leader or not self._reading_needed():
                    continue  # not the sender, or every committed row is already in hand
                after, began = self._after.get(channel), self._generation
                if after is None:
                    self._passing.add(channel)
                window = await self._store.due(
                    channel, after, chats=self._round, per_chat=self._per_chat
                )
                for item in window.items:
                    self._enqueue(item)
                self._after[channel] = window.last
                if self._live:
                    self._settle(channel, after, window, began)
                if window.last is not None:
                    self._wake.set()  # more chats wait: go on with them at once
        self._forget_old_pacing()

    async def _fetch_local(self, channel: str, leader: bool) -> None:
        """This worker's chats up to their first erasure; the lease holder: every erasure."""
        leaving = {key for key in self._leaving if key.channel == channel}
        self._leaving -= leaving
        keys = list(dict.fromkeys([*self._local[channel](), *leaving]))
        for item in _up_to_erasures(await self._store.due_of(keys, per_chat=self._per_chat)):
            self._enqueue(item)
        if leader:
            for item in await self._store.due_erasures(channel, limit=self._round):
                self._enqueue(item)

    def _settle(
        self, channel: str, after: SessionKey | None, window: DueWindow, began: int
    ) -> None:
        """After a read: which chats are now wholly in hand, and whether a pass is over.

        A chat marked after the read began keeps its mark: its new row may be missing.
        """
        for key in window.chats:
            if key not in window.complete:
                self._mark_stale(key)  # a backlog, or held: more of it is read later
            elif self._stale.get(key, 0) <= began:
                self._stale.pop(key, None)
        low = (after.channel, after.chat_id) if after is not None else (channel, "")
        high = (window.last.channel, window.last.chat_id) if window.last else None
        walked = set(window.chats)
        for key, marked in list(self._stale.items()):
            place = (key.channel, key.chat_id)
            if (
                marked <= began
                and key.channel == channel
                and key not in walked
                and place > low
                and (high is None or place <= high)
            ):
                del self._stale[key]  # walked past: it has no rows left
        if window.last is None and channel in self._passing:
            self._passed.add(channel)

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
            turn_over = False
            try:
                turn_over = await self._drain(key)
            except Exception:
                log.exception("sender: giving a chat on %s back to the outbox", key.channel)
                self._untrack(key)
            finally:
                self._returned.discard(key)
                if turn_over:
                    self._ready.put_nowait(key)  # still busy: back of the line, items kept
                else:
                    self._busy.discard(key)
                    if not self._queues.get(key):
                        self._queues.pop(key, None)
                        self.notify()  # its next rows (if any) can be read now

    async def _drain(self, key: SessionKey) -> bool:
        """Send the chat's items in order; True when its turn ended with items left."""
        queue = self._queues[key]
        for _ in range(self._per_turn):
            if not queue or self._stopping:
                return False
            if not await self._send(queue[0]):
                return False
            queue.popleft()
            await self._flush()
        return bool(queue) and not self._stopping

    async def _send(self, item: OutboxItem) -> bool:
        try:
            await self._send_replies(item)
        except RetryLater as exc:
            await self._hold(item, exc.seconds)
            return False
        except NotConnected:
            await self._park(item.key)
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
        except Exception as exc:
            if item.attempts + 1 >= self._max_attempts:
                await self._set_aside(item, type(exc).__name__)
                return True  # the chat's next rows go on
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

    async def _park(self, key: SessionKey) -> None:
        self._mark_stale(key)
        async with self._books:
            self._forget_unsent(key)
            self._untrack(key)
            if key in self._returned:  # they came back meanwhile: try again at once
                self._returned.discard(key)
                self.notify()
            else:
                await self._store.park(key)

    async def _set_aside(self, item: OutboxItem, error: str) -> None:
        """Give up on a row that failed `max_attempts` times: it becomes a dead letter."""
        log.error(
            "sender: item %s on %s set aside after %d attempts (%s)",
            item.id, item.key.channel, item.attempts + 1, error,
        )  # fmt: skip
        async with self._books:
            await self._store.set_aside(item.id, error)
            self._unsent.pop(item.id, None)
            self._tracked.discard(item.id)

    def _backoff(self, item: OutboxItem) -> float:
        return min(MAX_BACKOFF_SECONDS, self._retry_base * 2.0**item.attempts)

    def _forget_unsent(self, key: SessionKey) -> None:
        for item in self._queues.get(key, ()):
            self._unsent.pop(item.id, None)

    async def _hold(self, item: OutboxItem, seconds: float) -> None:
        self._mark_stale(item.key)
        async with self._books:
            await self._store.postpone(item.id, datetime.now(UTC) + timedelta(seconds=seconds))
            self._untrack(item.key)
        asyncio.get_running_loop().call_later(seconds + 0.01, self.notify)

    def _untrack(self, key: SessionKey) -> None:
        """Give a chat's queued items back to the outbox (they are fetched again later)."""
        self._mark_stale(key)
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


def _up_to_erasures(items: list[OutboxItem]) -> list[OutboxItem]:
    """Each chat's items before its first erasure."""
    first: dict[SessionKey, int] = {}
    for item in items:
        if isinstance(item.action, DataErased):
            first.setdefault(item.key, item.id)
    return [item for item in items if item.id < first.get(item.key, item.id + 1)]
