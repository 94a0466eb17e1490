"""W3C Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite.

Why Data Integrity and not VC-JWT: the issuer key is Ed25519, and 1EdTech lists
``eddsa-rdfc-2022`` as the Linked Data proof for OB 3.0 conformance, while its
validator accepts only RS256/ES256 for VC-JWT, so an EdDSA JWT would not pass.
The credential also stays plain JSON, readable when unbaked.

Algorithm (vc-di-eddsa §3.3): canonicalize the proof options (with the document's
``@context``) and the document without ``proof``; hashData = SHA-256(options) ||
SHA-256(document); sign with Ed25519; ``proofValue`` is base58btc multibase.
"""

from __future__ import annotations

import copy
import hashlib
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from bot.badges.canon import canonicalize
from bot.badges.multibase import b58decode, b58encode
from bot.badges.ob2 import iso

JsonDict = dict[str, Any]


def _hash_data(unsecured: JsonDict, options: JsonDict) -> bytes:
    config = {**options, "@context": unsecured["@context"]}
    return (
        hashlib.sha256(canonicalize(config).encode()).digest()
        + hashlib.sha256(canonicalize(unsecured).encode()).digest()
    )


def add_proof(
    document: JsonDict, key: Ed25519PrivateKey, verification_method: str, created: datetime
) -> JsonDict:
    """Return a copy of ``document`` with an ``eddsa-rdfc-2022`` proof.

    Args:
        document: The unsecured credential (no ``proof``).
        key: The issuer's signing key.
        verification_method: The DID URL of the key (``did:web:…#kid``).
        created: Proof creation time (aware).

    Returns:
        The secured credential.
    """
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    options: JsonDict = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": iso(created),
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = key.sign(_hash_data(unsecured, options))
    return {
        **copy.deepcopy(unsecured),
        "proof": {**options, "proofValue": "z" + b58encode(signature)},
    }


def verify_proof(document: JsonDict, public_key: Ed25519PublicKey) -> bool:
    """Check the ``eddsa-rdfc-2022`` proof of a secured document.

    Args:
        document: The secured credential.
        public_key: The key the proof's verification method names.

    Returns:
        True when the signature is valid.
    """
    proof = document.get("proof")
    if not isinstance(proof, dict) or proof.get("cryptosuite") != "eddsa-rdfc-2022":
        return False
    value = proof.get("proofValue", "")
    if not isinstance(value, str) or not value.startswith("z"):
        return False
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    try:
        public_key.verify(b58decode(value[1:]), _hash_data(unsecured, options))
    except (InvalidSignature, ValueError):
        return False
    return True
