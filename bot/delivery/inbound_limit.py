"""The per-person inbound limit: a token bucket per chat, so one person cannot flood the bot."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bot.framework.session import SessionKey


class Verdict(enum.Enum):
    """What to do with one inbound event."""

    ACCEPT = "accept"  # apply it
    WARN = "warn"  # the first one over the limit: do not apply it, say "slow down" once
    DROP = "drop"  # over the limit and already told: do not apply it, say nothing


@dataclass(slots=True)
class _Bucket:
    tokens: float
    at: float  # when `tokens` was last brought up to date (monotonic seconds)
    warned: bool = False


class InboundLimit:
    """Lets each person through at `rate` events a second on average, `burst` at once.

    Nobody tapping or typing by hand comes near it (the defaults allow 60 at once and 20 a
    second after that); a script that sends thousands of frames does. The person is told
    once per flood; the bucket must fill up again before they are told a second time.
    """

    def __init__(self, rate: float = 20.0, burst: int = 60, max_people: int = 10_000) -> None:
        self.rate, self.burst = rate, float(burst)
        self._buckets: dict[SessionKey, _Bucket] = {}
        self._max_people = max_people

    def check(self, key: SessionKey, now: float) -> Verdict:
        """Take one token for `key` at monotonic time `now`, if there is one."""
        bucket = self._buckets.get(key)
        if bucket is None:
            self._forget_full(now)
            bucket = self._buckets[key] = _Bucket(self.burst, now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)
        bucket.at = now
        if bucket.tokens >= self.burst:
            bucket.warned = False
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return Verdict.ACCEPT
        if bucket.warned:
            return Verdict.DROP
        bucket.warned = True
        return Verdict.WARN

    def _forget_full(self, now: float) -> None:
        """Keep memory bounded: drop the buckets that have filled up again (idle people)."""
        if len(self._buckets) < self._max_people:
            return
        refill = self.burst / self.rate
        self._buckets = {k: b for k, b in self._buckets.items() if now - b.at < refill}
