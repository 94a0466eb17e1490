"""Console passwords: hashed with scrypt, never kept plain."""

from __future__ import annotations

import hashlib
import hmac
import secrets

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
DECOY_SALT = bytes(16)  # for the scrypt run that stands in when there is no stored hash


def hash_password(password: str) -> str:
    """`scrypt$n$r$p$salt$hash` (hex), with a fresh random salt."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str | None) -> bool:
    """Whether `password` matches a `hash_password` result (constant-time compare).

    Without a usable stored hash (an unknown name, a counsellor without a console password)
    the same scrypt work runs anyway, so the time taken does not tell which names exist.
    """
    parsed = _parse(stored)
    if parsed is None:
        _scrypt(password, DECOY_SALT, SCRYPT_N, SCRYPT_R, SCRYPT_P)
        return False
    salt, n, r, p, expected = parsed
    return hmac.compare_digest(_scrypt(password, salt, n, r, p).hex(), expected)


def _parse(stored: str | None) -> tuple[bytes, int, int, int, str] | None:
    parts = (stored or "").split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return None
    try:
        return bytes.fromhex(parts[4]), int(parts[1]), int(parts[2]), int(parts[3]), parts[5]
    except ValueError:
        return None


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=2**26)
