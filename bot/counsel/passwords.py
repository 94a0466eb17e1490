"""Console passwords: hashed with scrypt, never kept plain."""

from __future__ import annotations

import hashlib
import hmac
import secrets

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


def hash_password(password: str) -> str:
    """`scrypt$n$r$p$salt$hash` (hex), with a fresh random salt."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str | None) -> bool:
    """Whether `password` matches a `hash_password` result (constant-time compare)."""
    parts = (stored or "").split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return False
    n, r, p = (int(value) for value in parts[1:4])
    digest = hashlib.scrypt(
        password.encode(), salt=bytes.fromhex(parts[4]), n=n, r=r, p=p, maxmem=2**26
    )
    return hmac.compare_digest(digest.hex(), parts[5])
