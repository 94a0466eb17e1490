"""The conversation runtime: each chat's events applied in order, replies passed to the sender."""

from __future__ import annotations

import gc
import logging
import time
import uuid
from collections.abc import Callable
from typing import Protocol, get_args

from bot.delivery.inbound_limit import InboundLimit, Verdict
from bot.framework.actions import SendText
from bot.framework.engine import Engine
from bot.framework.engine_types import Sprint
from bot.framework.events import CounsellorEvent, Inbound
from bot.framework.session import Session, SessionKey
from bot.framework.turn import without_symbols

log = logging.getLogger(__name__)

_COUNSELLOR_EVENTS = get_args(CounsellorEvent)


class ConversationStore(Protocol):
    """What the runtime needs from storage (bot.db.store.SqlStore).

    `process` applies one chat's events one at a time, in arrival order.
    """

    async def process(
        self, inbound: Inbound, step: Callable[[Session | None], Sprint]
    ) -> list[int] | None:
        """Apply one event in one transaction; None when the event was seen before."""

    async def load(self, key: SessionKey) -> Session | None:
        """The stored session, if any."""


class Conversations:
    """Applies inbound events through the engine and the store, in order per chat.

    `on_commit` is called when new replies wait in the outbox (the sender's `notify`).
    A person's events beyond `limit` are not applied: the first of a flood is answered with
    a kind "slow down" (committed like any reply), the rest are dropped. A counsellor's
    events are never limited.
    """

    def __init__(
        self,
        store: ConversationStore,
        engine: Engine,
        on_commit: Callable[[], None],
        new_id: Callable[[], str] = lambda: uuid.uuid4().hex,
        *,
        limit: InboundLimit | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.engine = engine
        self._on_commit = on_commit
        self._new_id = new_id
        self._limit = limit or InboundLimit()
        self._monotonic = monotonic

    async def handle(self, inbound: Inbound) -> bool:
        """Apply one event; False when it was not applied (a repeat, or over the limit)."""
        verdict = self._verdict(inbound)
        if verdict is Verdict.DROP:
            return False
        step = self._step(inbound) if verdict is Verdict.ACCEPT else self._slow_down(inbound)
        outbox_ids = await self.store.process(inbound, step)
        if outbox_ids is None:
            log.info("repeated event ignored: channel=%s", inbound.key.channel)
            return False
        if outbox_ids:
            self._on_commit()
        return verdict is Verdict.ACCEPT

    def _verdict(self, inbound: Inbound) -> Verdict:
        if isinstance(inbound.event, _COUNSELLOR_EVENTS):
            return Verdict.ACCEPT
        verdict = self._limit.check(inbound.key, self._monotonic())
        if verdict is Verdict.WARN:
            log.warning("inbound limit reached: channel=%s", inbound.key.channel)
        return verdict

    def _slow_down(self, inbound: Inbound) -> Callable[[Session | None], Sprint]:
        """A step that changes nothing and asks the person to slow down."""

        def step(session: Session | None) -> Sprint:
            session = session or Session(inbound.key)
            t = self.engine.translator(session)
            text = t.gettext("⏳ Please slow down. I am still answering your earlier messages.")
            return Sprint(session, [SendText(text, speak=without_symbols(text), lang=t.locale)])

        return step

    def _step(self, inbound: Inbound) -> Callable[[Session | None], Sprint]:
        def step(session: Session | None) -> Sprint:
            return self.engine.resume(session, inbound, self._new_id)

        return step


def settle_heap() -> None:
    """Call once start-up is done: keep the long-lived heap out of garbage-collector passes.

    Content, catalogs, SQLAlchemy metadata and the like never die; without this, every full
    collection walks them all and stops each event for 60-130 ms (measured with bench/engine.py).
    Young collections are also made rarer, since an event allocates a few thousand objects.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(2_000, 10, 10)
