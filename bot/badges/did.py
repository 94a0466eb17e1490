"""The issuer's did:web DID document, listing every key ever used to sign."""

from __future__ import annotations

from typing import Any

from bot.badges.keys import PublicKey
from bot.badges.urls import BadgeUrls

DID_CONTEXT = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]


def did_document(urls: BadgeUrls, keys: tuple[PublicKey, ...]) -> dict[str, Any]:
    """Build the DID document; retired keys stay listed so old badges still verify.

    Args:
        urls: The public URL builder (gives the DID).
        keys: All published keys, current first.

    Returns:
        The DID document.
    """
    methods = [
        {
            "id": urls.verification_method(key.kid),
            "type": "Multikey",
            "controller": urls.did,
            "publicKeyMultibase": key.multikey,
        }
        for key in keys
    ]
    ids = [method["id"] for method in methods]
    return {
        "@context": DID_CONTEXT,
        "id": urls.did,
        "verificationMethod": methods,
        "assertionMethod": ids,
        "authentication": ids[:1],
    }
