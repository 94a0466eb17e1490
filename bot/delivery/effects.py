"""The effects stage: what the host does for an outbox row before any channel renders it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, get_args

from bot.framework.actions import Action, Effect, Reply
from bot.framework.session import SessionKey

EffectHandler = Callable[[SessionKey, Any], Awaitable[Sequence[Reply]]]
"""Carries out one effect for one person; returns the replies their channel shows, in order."""

EFFECT_TYPES: tuple[type, ...] = get_args(Effect)


class UnhandledEffect(LookupError):
    """An effect reached the sender and no handler is registered for its type."""


class EffectTable:
    """Effect type → its handlers, run in the order given; replies pass through unchanged.

    The sender runs a row's effect, then hands the replies it produced to the chat's channel,
    one by one, before the chat's next row. A row that fails is run again later (and after a
    crash), so every handler must be idempotent: issuing a badge that is held returns it,
    opening a case that is open updates it.
    """

    def __init__(self, handlers: Mapping[type, Sequence[EffectHandler]]) -> None:
        self._handlers = {kind: tuple(found) for kind, found in handlers.items() if found}

    def missing(self) -> list[str]:
        """The effect types with no handler (empty when the table is complete)."""
        return [kind.__name__ for kind in EFFECT_TYPES if kind not in self._handlers]

    def require_all(self) -> EffectTable:
        """Return the table; raise UnhandledEffect at start-up when an effect type lacks one."""
        if missing := self.missing():
            raise UnhandledEffect(f"no handler for effects: {', '.join(missing)}")
        return self

    async def replies(self, key: SessionKey, action: Action) -> list[Reply]:
        """Carry out `action` if it is an effect; the replies to show for it, in order.

        Raises:
            UnhandledEffect: The action is an effect no handler takes; the row stays in the
                outbox and the sender reports it.
        """
        if isinstance(action, Reply):
            return [action]
        handlers = self._handlers.get(type(action))
        if handlers is None:
            raise UnhandledEffect(f"no handler for effect {type(action).__name__}")
        shown: list[Reply] = []
        for handler in handlers:
            shown.extend(await handler(key, action))
        return shown
