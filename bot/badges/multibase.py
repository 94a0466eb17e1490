"""Base58btc multibase and Ed25519 Multikey encoding (no third-party code)."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_ED25519_PUB_PREFIX = b"\xed\x01"


def b58encode(data: bytes) -> str:
    """Encode bytes as base58 (Bitcoin alphabet).

    Args:
        data: The bytes.

    Returns:
        The base58 text.
    """
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, rem = divmod(number, 58)
        out.append(_ALPHABET[rem])
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    """Decode base58 (Bitcoin alphabet) text.

    Args:
        text: The base58 text.

    Returns:
        The bytes.
    """
    number = 0
    for char in text:
        number = number * 58 + _ALPHABET.index(char)
    pad = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * pad + body


def ed25519_multikey(key: Ed25519PublicKey) -> str:
    """Return an Ed25519 public key as ``publicKeyMultibase`` (``z6Mk…``).

    Args:
        key: The public key.

    Returns:
        The multibase (base58btc) multicodec-prefixed key.
    """
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + b58encode(_ED25519_PUB_PREFIX + raw)


def ed25519_from_multikey(value: str) -> Ed25519PublicKey:
    """Parse a ``z6Mk…`` Multikey back into an Ed25519 public key.

    Args:
        value: The ``publicKeyMultibase`` value.

    Returns:
        The key.

    Raises:
        ValueError: Not a base58btc Ed25519 Multikey.
    """
    data = b58decode(value[1:]) if value.startswith("z") else b""
    if not data.startswith(_ED25519_PUB_PREFIX) or len(data) != 34:
        raise ValueError("not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(data[2:])
