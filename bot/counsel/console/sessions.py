"""Console sessions: signed cookies, CSRF tokens bound to them, a login throttle, Origin checks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.host.keyfiles import create_once, read_key

KEY_FILE = "console-session.key"
KEY_BYTES = 32
SIGNED_IN_SECONDS = 8 * 3600  # one working day, then log in again
ANONYMOUS_SECONDS = 3600  # the login form's own session, for its CSRF token


@dataclass(frozen=True, slots=True)
class ConsoleSession:
    """One browser's session: a random id, who signed in (None before login), when it ends."""

    sid: str
    counsellor_id: str | None
    expires: int


def load_or_create_key(data_dir: Path) -> bytes:
    """The HMAC key under `data_dir` (KEY_BYTES random bytes, mode 0600), made on first use.

    Every worker that shares the data directory shares the key, so a session cookie
    is good on any of them. The key is written atomically (bot.host.keyfiles).

    Raises:
        KeyFileError: the file exists but is shorter than KEY_BYTES (an empty key would
            let anyone sign a session cookie).
    """
    path = data_dir / KEY_FILE
    if not path.exists():
        create_once(path, secrets.token_bytes(KEY_BYTES))
    hint = "delete it to make a new key (every counsellor logs in again)"
    return read_key(path, KEY_BYTES, hint)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionSigner:
    """Issues and reads ``sid.expires.subject.mac`` cookie values (HMAC-SHA256, no server state).

    Whether a signed-in session was ended since (logout, new password, removal) is kept in
    the database, not here (Allowlist.session_live), so every worker agrees.
    """

    def __init__(self, key: bytes, clock: Callable[[], float] = time.time) -> None:
        self._key = key
        self._clock = clock

    def issue(self, counsellor_id: str | None) -> tuple[ConsoleSession, str]:
        """A fresh session (new id) and its cookie value."""
        lifetime = SIGNED_IN_SECONDS if counsellor_id else ANONYMOUS_SECONDS
        session = ConsoleSession(
            secrets.token_urlsafe(18), counsellor_id, int(self._clock()) + lifetime
        )
        body = f"{session.sid}.{session.expires}.{_b64((counsellor_id or '').encode())}"
        return session, f"{body}.{self._mac('session', body)}"

    def read(self, value: str | None) -> ConsoleSession | None:
        """The session a cookie value carries, or None if forged, expired or garbled."""
        parts = (value or "").split(".")
        if len(parts) != 4 or not parts[1].isdigit():
            return None
        body, mac = ".".join(parts[:3]), parts[3]
        if not hmac.compare_digest(mac, self._mac("session", body)):
            return None
        sid, expires = parts[0], int(parts[1])
        if expires <= self._clock():
            return None
        subject = _unb64(parts[2]).decode()
        return ConsoleSession(sid, subject or None, expires)

    def csrf(self, session: ConsoleSession) -> str:
        """The form token of a session: a MAC of its id, so it dies with the session."""
        return self._mac("csrf", session.sid)

    def csrf_ok(self, session: ConsoleSession, token: object) -> bool:
        """Whether a submitted token belongs to this session (constant-time)."""
        return isinstance(token, str) and hmac.compare_digest(token, self.csrf(session))

    def _mac(self, purpose: str, text: str) -> str:
        digest = hmac.new(self._key, f"{purpose}:{text}".encode(), hashlib.sha256).digest()
        return _b64(digest)


class LoginThrottle:
    """At most `limit` failed logins per key (a name, an address) in any `window` seconds."""

    def __init__(
        self,
        limit: int = 5,
        window: float = 900.0,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        self._limit, self._window, self._clock, self._max_keys = limit, window, clock, max_keys
        self._failures: dict[str, deque[float]] = {}

    def allowed(self, keys: Iterable[str]) -> bool:
        """Whether none of the keys has used up its failures."""
        return all(len(self._recent(key)) < self._limit for key in keys if key in self._failures)

    def failed(self, keys: Iterable[str]) -> None:
        """Count one failure against each key."""
        for key in keys:
            if key not in self._failures and len(self._failures) >= self._max_keys:
                self._failures.pop(next(iter(self._failures)))  # forget the oldest key
            self._recent(key).append(self._clock())

    def succeeded(self, key: str) -> None:
        """Forget a key's failures (a name that just logged in)."""
        self._failures.pop(key, None)

    def _recent(self, key: str) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] <= self._clock() - self._window:
            times.popleft()
        return times
