"""Send pacing: how fast one channel may send, and a GCRA pacer per chat and per channel."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RateLimits:
    """How fast one channel may send: to one chat, and in total (Telegram: 1 and 30)."""

    per_chat_per_second: float
    global_per_second: float
    per_chat_burst: int = 3
    global_burst: int | None = None  # None: one second's worth


class Pacer:
    """Hands out send times: `rate` per second on average, up to `burst` at once (GCRA).

    Telegram tolerates a short burst in one chat (the answer's edit and the next question
    together) as long as the average stays near one message a second.
    """

    def __init__(self, rate: float, burst: int = 1) -> None:
        self._gap = 1.0 / rate
        self._slack = (max(burst, 1) - 1) * self._gap
        self._tat = 0.0  # theoretical arrival time of the next send

    def reserve(self, earliest: float) -> float:
        """The time of the next send at or after `earliest` (loop time, seconds)."""
        tat = max(self._tat, earliest)
        slot = max(earliest, tat - self._slack)
        self._tat = max(tat, slot) + self._gap
        return slot

    def idle_since(self, now: float) -> bool:
        """True when the pacer has fully recovered (it can be forgotten)."""
        return self._tat <= now
