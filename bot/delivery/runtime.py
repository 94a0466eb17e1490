"""The conversation runtime: each chat's events applied in order, replies passed to the sender."""

from __future__ import annotations

import gc
import logging
import uuid
from collections.abc import Callable
from typing import Protocol

from bot.framework.engine import Engine
from bot.framework.engine_types import Sprint
from bot.framework.events import Inbound
from bot.framework.session import Session, SessionKey

log = logging.getLogger(__name__)


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
    """

    def __init__(
        self,
        store: ConversationStore,
        engine: Engine,
        on_commit: Callable[[], None],
        new_id: Callable[[], str] = lambda: uuid.uuid4().hex,
    ) -> None:
        self.store = store
        self.engine = engine
        self._on_commit = on_commit
        self._new_id = new_id

    async def handle(self, inbound: Inbound) -> bool:
        """Apply one event; False when it had been applied before (a repeat)."""
        outbox_ids = await self.store.process(inbound, self._step(inbound))
        if outbox_ids is None:
            log.info("repeated event ignored: channel=%s", inbound.key.channel)
            return False
        if outbox_ids:
            self._on_commit()
        return True

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
