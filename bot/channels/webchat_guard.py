"""The web chat socket's guards: allowed origins, a per-socket inbound limit, frame parsing."""

from __future__ import annotations

import enum
from typing import Any

import orjson


class Verdict(enum.Enum):
    """What to do with one inbound frame."""

    TAKE = "take"
    WARN = "warn"  # the first frame over the limit: drop it and say so once, kindly
    DROP = "drop"  # further frames over the limit: drop them silently
    CLOSE = "close"  # far over the limit: close the socket (policy violation)


class InboundLimit:
    """A token bucket per socket: `rate` frames a second, `burst` at once.

    Frames over the limit fill an excess count that drains at the same rate; past
    `close_after` the socket is closed. A person tapping and typing never comes near it, nor does
    a page sending the taps it kept while offline; a script that answers a whole topic as fast as
    the bot replies (about 20 frames, then more) must not either, or its last tap is dropped.
    """

    def __init__(self, rate: float = 10.0, burst: int = 60, close_after: int = 200) -> None:
        self._rate, self._burst, self._close_after = rate, float(burst), close_after
        self._tokens, self._excess, self._warned = float(burst), 0.0, False
        self._last: float | None = None

    def check(self, now: float) -> Verdict:
        """The verdict for a frame that arrives at `now` (monotonic seconds)."""
        elapsed = 0.0 if self._last is None else max(0.0, now - self._last)
        self._last = now
        self._tokens = min(self._burst, self._tokens + elapsed * self._rate)
        self._excess = max(0.0, self._excess - elapsed * self._rate)
        if self._excess == 0:
            self._warned = False
        if self._tokens >= 1:
            self._tokens -= 1
            return Verdict.TAKE
        self._excess += 1
        if self._excess > self._close_after:
            return Verdict.CLOSE
        if not self._warned:
            self._warned = True
            return Verdict.WARN
        return Verdict.DROP


def parse_frame(data: str) -> dict[str, Any] | None:
    """A JSON object, or None: not JSON, nested past orjson's depth limit, a lone surrogate."""
    try:
        frame = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    return frame if isinstance(frame, dict) else None
