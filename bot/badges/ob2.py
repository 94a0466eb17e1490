"""Open Badges 2.0 hosted JSON-LD documents: Issuer, BadgeClass, Assertion."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Any

from bot.badges.model import Award, BadgeSpec, IssuerInfo
from bot.badges.urls import BadgeUrls

CONTEXT = "https://w3id.org/openbadges/v2"
JsonDict = dict[str, Any]


def new_salt() -> str:
    """Return a fresh random salt (16 bytes, hex)."""
    return secrets.token_hex(16)


def hash_identity(identity: str, salt: str) -> str:
    """Return the Open Badges identity hash ``sha256$<hex>`` of identity + salt.

    Args:
        identity: The plaintext identity (URL, E.164 number or email).
        salt: The per-assertion salt.

    Returns:
        The IdentityHash string.
    """
    return "sha256$" + hashlib.sha256((identity + salt).encode()).hexdigest()


def iso(moment: datetime) -> str:
    """Format a timezone-aware datetime as ISO 8601 with an offset (``Z`` for UTC).

    Args:
        moment: An aware datetime.

    Returns:
        The ISO 8601 text, seconds precision.

    Raises:
        ValueError: The datetime is naive.
    """
    if moment.tzinfo is None:
        raise ValueError("datetime must have a time zone")
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def issuer_document(issuer: IssuerInfo, urls: BadgeUrls) -> JsonDict:
    """Build the issuer Profile.

    Args:
        issuer: Who issues.
        urls: The public URL builder.

    Returns:
        The JSON-LD document.
    """
    doc: JsonDict = {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": urls.issuer,
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
    }
    if issuer.description:
        doc["description"] = issuer.description
    return doc


def default_description(spec: BadgeSpec) -> str:
    """Return a plain description naming the category, level and assessment method."""
    how = "validated by a counsellor" if spec.validated else "self-assessed"
    return (
        f"{spec.category_name} soft skills, level {spec.level} ({spec.level_label}), {how}. "
        "Inspired by the SPOCC soft-skills framework."
    )


def default_criteria(spec: BadgeSpec) -> str:
    """Return criteria that say plainly how the level was reached."""
    if spec.validated:
        how = (
            "The person answered short everyday-scenario questions in a chat, and a "
            "counsellor then talked with them and validated the level."
        )
    else:
        how = (
            "Self-assessed: the person answered short everyday-scenario questions and "
            "self-rating questions in a chat. Nobody else checked the result."
        )
    return f"Level {spec.level} ({spec.level_label}) in {spec.category_name}. {how}"


def criteria_narrative(spec: BadgeSpec) -> str:
    """Return the caller's criteria text, always followed by the assessment method."""
    base = default_criteria(spec)
    return f"{spec.criteria_text}\n\n{base}" if spec.criteria_text else base


def badge_class_document(spec: BadgeSpec, urls: BadgeUrls) -> JsonDict:
    """Build the BadgeClass for a category and level.

    Args:
        spec: The badge class spec.
        urls: The public URL builder.

    Returns:
        The JSON-LD document.
    """
    doc: JsonDict = {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": urls.badge_class(spec.class_id),
        "name": f"{spec.category_name}: {spec.level_label}",
        "description": spec.description or default_description(spec),
        "image": urls.class_image(spec.class_id),
        "criteria": {"narrative": criteria_narrative(spec)},
        "issuer": urls.issuer,
        "tags": [
            "soft skills",
            "SPOCC",
            spec.category_id,
            "validated" if spec.validated else "self-assessed",
        ],
    }
    alignment = [_alignment(a.name, a.url, a.framework, a.code) for a in spec.alignments]
    if alignment:
        doc["alignment"] = alignment
    return doc


def _alignment(name: str, url: str, framework: str, code: str) -> JsonDict:
    item: JsonDict = {"targetName": name, "targetUrl": url}
    if framework:
        item["targetFramework"] = framework
    if code:
        item["targetCode"] = code
    return item


def assertion_document(award: Award, urls: BadgeUrls) -> JsonDict:
    """Build the hosted Assertion (or its revoked stub).

    Args:
        award: The stored award.
        urls: The public URL builder.

    Returns:
        The JSON-LD document; when revoked only ``id``, ``revoked`` and the reason.
    """
    if award.revoked:
        return revoked_document(award, urls)
    doc: JsonDict = {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": urls.assertion(award.assertion_id),
        "recipient": {
            "type": award.recipient_type,
            "hashed": True,
            "salt": award.salt,
            "identity": award.identity_hash,
        },
        "badge": urls.badge_class(award.spec.class_id),
        "verification": {"type": "HostedBadge"},
        "issuedOn": iso(award.issued_on),
        "image": urls.assertion_image(award.assertion_id),
    }
    if award.narrative:
        doc["evidence"] = {"narrative": award.narrative}
    return doc


def revoked_document(award: Award, urls: BadgeUrls) -> JsonDict:
    """Build the body served with HTTP 410 for a revoked assertion."""
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": urls.assertion(award.assertion_id),
        "revoked": True,
        "revocationReason": award.revocation_reason or "Revoked by the issuer.",
    }
