"""The per-person inbound limit: a burst goes through, a flood is told once, then dropped."""

from __future__ import annotations

from bot.delivery.inbound_limit import InboundLimit, Verdict
from bot.framework.session import SessionKey

A = SessionKey("web", "a")
B = SessionKey("web", "b")


def test_a_burst_passes_then_one_warning_then_drops_and_others_are_untouched() -> None:
    limit = InboundLimit(rate=2.0, burst=3)
    verdicts = [limit.check(A, 0.0) for _ in range(6)]
    assert verdicts == [Verdict.ACCEPT] * 3 + [Verdict.WARN] + [Verdict.DROP] * 2
    assert limit.check(B, 0.0) is Verdict.ACCEPT


def test_tokens_come_back_at_the_rate_and_the_warning_only_after_a_full_refill() -> None:
    limit = InboundLimit(rate=2.0, burst=3)
    for _ in range(4):
        limit.check(A, 0.0)
    assert limit.check(A, 0.5) is Verdict.ACCEPT  # one token back
    assert limit.check(A, 0.5) is Verdict.DROP  # still the same flood: not told again
    assert [limit.check(A, 2.0) for _ in range(4)][-1] is Verdict.WARN  # full again: a new flood
