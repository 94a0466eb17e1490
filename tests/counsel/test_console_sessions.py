"""Console sessions alone: signing, expiry, revocation, CSRF binding, the throttle, Origin."""

from __future__ import annotations

from pathlib import Path

from bot.counsel.console.sessions import (
    SIGNED_IN_SECONDS,
    LoginThrottle,
    SessionSigner,
    load_or_create_key,
)
from bot.host.origins import origin_allowed


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_signed_cookie_reads_back_and_a_changed_one_does_not() -> None:
    signer = SessionSigner(b"k" * 32)
    session, cookie = signer.issue("ana")
    assert signer.read(cookie) == session
    sid, expires, _subject, mac = cookie.split(".")
    forged = ".".join([sid, expires, "Ym9i", mac])  # "bob"
    assert signer.read(forged) is None
    assert SessionSigner(b"x" * 32).read(cookie) is None
    for garbage in (None, "", "a.b.c", "a.b.c.d", cookie + "x"):
        assert signer.read(garbage) is None


def test_sessions_expire() -> None:
    clock = Clock()
    signer = SessionSigner(b"k" * 32, clock)
    session, cookie = signer.issue("ana")
    clock.now += SIGNED_IN_SECONDS - 1
    assert signer.read(cookie) == session
    clock.now += 1
    assert signer.read(cookie) is None


def test_the_csrf_token_belongs_to_one_session() -> None:
    signer = SessionSigner(b"k" * 32)
    first, _ = signer.issue("ana")
    second, _ = signer.issue("ana")
    assert signer.csrf_ok(first, signer.csrf(first))
    assert not signer.csrf_ok(first, signer.csrf(second))
    assert not signer.csrf_ok(first, None)
    assert not signer.csrf_ok(first, "")


def test_the_key_is_made_once_and_kept_private(tmp_path: Path) -> None:
    key = load_or_create_key(tmp_path)
    assert len(key) == 32
    assert load_or_create_key(tmp_path) == key
    assert (tmp_path / "console-session.key").stat().st_mode & 0o077 == 0


def test_the_throttle_counts_failures_per_key_within_the_window() -> None:
    clock = Clock()
    throttle = LoginThrottle(limit=3, window=60, clock=clock)
    for _ in range(3):
        assert throttle.allowed(["name:ana", "address:1"])
        throttle.failed(["name:ana", "address:1"])
    assert not throttle.allowed(["name:ana"])
    assert not throttle.allowed(["name:bob", "address:1"])
    assert throttle.allowed(["name:bob", "address:2"])
    clock.now += 60
    assert throttle.allowed(["name:ana", "address:1"])
    throttle.failed(["name:ana"])
    throttle.succeeded("name:ana")
    assert throttle.allowed(["name:ana"])


def test_the_throttle_forgets_the_oldest_key_when_full() -> None:
    throttle = LoginThrottle(limit=1, max_keys=2)
    throttle.failed(["a"])
    throttle.failed(["b"])
    throttle.failed(["c"])
    assert throttle.allowed(["a"])
    assert not throttle.allowed(["b"])
    assert not throttle.allowed(["c"])


def test_origin_must_be_ours_when_sent() -> None:
    public = "https://bot.example.org"
    assert origin_allowed(None, "127.0.0.1:8080", public)
    assert origin_allowed("https://bot.example.org", "10.0.0.5:8080", public)
    assert origin_allowed("http://127.0.0.1:8080", "127.0.0.1:8080", public)
    assert not origin_allowed("https://evil.example", "127.0.0.1:8080", public)
    assert not origin_allowed("null", "127.0.0.1:8080", public)
    assert not origin_allowed("http://bot.example.org", "127.0.0.1:8080", public)
