"""Bitstring Status List (W3C) for OB 3.0 revocation, served as an EdDSA VC-JWT.

The list credential is a small JWT rather than a Data Integrity document because
verifiers (e.g. openbadgeslib) verify a list's own signature only in JWT form.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bot.badges.canon import VC_V2
from bot.badges.ob2 import iso
from bot.badges.urls import BadgeUrls

LIST_BITS = 131072  # the spec's minimum size (16 KiB), for herd privacy


def encode_list(revoked: Iterable[int], size: int = LIST_BITS) -> str:
    """Encode set bits as a gzip'd, multibase base64url ``encodedList``.

    Args:
        revoked: Indexes whose bit is set (bit 0 is the left-most bit).
        size: Number of bits.

    Returns:
        The ``u``-prefixed encoded list.
    """
    bits = bytearray(size // 8)
    for index in revoked:
        bits[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def status_list_credential(
    urls: BadgeUrls, revoked: Iterable[int], now: datetime
) -> dict[str, Any]:
    """Build the BitstringStatusListCredential (valid for one day, re-signed on request)."""
    return {
        "@context": [VC_V2],
        "id": urls.status_list(),
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": urls.did,
        "validFrom": iso(now),
        "validUntil": iso(now + timedelta(days=1)),
        "credentialSubject": {
            "id": f"{urls.status_list()}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_list(revoked),
        },
    }


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def sign_jwt(payload: dict[str, Any], key: Ed25519PrivateKey, kid: str) -> str:
    """Sign a JSON payload as a compact EdDSA JWS.

    Args:
        payload: The claims (here, a whole VC).
        key: The Ed25519 key.
        kid: The DID URL of the key.

    Returns:
        The compact JWS.
    """
    header = {"alg": "EdDSA", "typ": "vc+jwt", "kid": kid}
    signing_input = ".".join(
        _b64(json.dumps(part, separators=(",", ":")).encode()) for part in (header, payload)
    )
    return signing_input + "." + _b64(key.sign(signing_input.encode()))


def signed_status_list(
    urls: BadgeUrls, revoked: Iterable[int], key: Ed25519PrivateKey, kid: str, now: datetime
) -> str:
    """Return the status list credential as a VC-JWT.

    Args:
        urls: The public URL builder.
        revoked: Revoked status indexes.
        key: The current signing key.
        kid: Its DID URL.
        now: The current time (aware).

    Returns:
        The compact JWS to serve as ``application/vc+jwt``.
    """
    vc = status_list_credential(urls, revoked, now)
    claims = {
        **vc,
        "iss": urls.did,
        "jti": urls.status_list(),
        "nbf": int(now.timestamp()),
        "exp": int((now + timedelta(days=1)).timestamp()),
    }
    return sign_jwt(claims, key, kid)
