"""Open Badges 3.0 OpenBadgeCredential for one award (unsigned; see dataintegrity)."""

from __future__ import annotations

from typing import Any

from bot.badges.canon import OB_V3, VC_V2
from bot.badges.model import Award, BadgeSpec, IssuerInfo
from bot.badges.ob2 import criteria_narrative, default_description, iso
from bot.badges.urls import BadgeUrls

JsonDict = dict[str, Any]

# OB 3.0 IdentifierTypeEnum has no URL or telephone value: a URL is a generic
# "identifier"; a telephone number needs an extension type (not interoperable).
_IDENTITY_TYPES = {"url": "identifier", "email": "emailAddress", "telephone": "ext:telephone"}


def issuer_profile(issuer: IssuerInfo, urls: BadgeUrls) -> JsonDict:
    """Build the embedded issuer Profile, identified by the issuer's did:web."""
    profile: JsonDict = {
        "id": urls.did,
        "type": ["Profile"],
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
    }
    if issuer.description:
        profile["description"] = issuer.description
    return profile


def achievement(spec: BadgeSpec, urls: BadgeUrls) -> JsonDict:
    """Build the Achievement for a badge class."""
    doc: JsonDict = {
        "id": urls.badge_class(spec.class_id),
        "type": ["Achievement"],
        "achievementType": "Competency",
        "name": f"{spec.category_name}: {spec.level_label}",
        "description": spec.description or default_description(spec),
        "criteria": {"narrative": criteria_narrative(spec)},
        "image": {"id": urls.class_image(spec.class_id), "type": "Image"},
    }
    if spec.alignments:
        doc["alignment"] = [
            _alignment(a.name, a.url, a.framework, a.code) for a in spec.alignments
        ]
    return doc


def _alignment(name: str, url: str, framework: str, code: str) -> JsonDict:
    item: JsonDict = {"type": ["Alignment"], "targetName": name, "targetUrl": url}
    if framework:
        item["targetFramework"] = framework
    if code:
        item["targetCode"] = code
    return item


def credential(award: Award, issuer: IssuerInfo, urls: BadgeUrls) -> JsonDict:
    """Build the unsigned OpenBadgeCredential of an award.

    Args:
        award: The award (hash, salt, status index already set).
        issuer: Who issues.
        urls: The public URL builder.

    Returns:
        The credential, ready for ``dataintegrity.add_proof``.
    """
    subject: JsonDict = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": award.identity_hash,
                "identityType": _IDENTITY_TYPES[award.recipient_type],
                "hashed": True,
                "salt": award.salt,
            }
        ],
        "achievement": achievement(award.spec, urls),
    }
    doc: JsonDict = {
        "@context": [VC_V2, OB_V3],
        "id": urls.credential(award.assertion_id),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer_profile(issuer, urls),
        "validFrom": iso(award.issued_on),
        "name": f"{award.spec.category_name}: {award.spec.level_label}",
        "credentialSubject": subject,
        "credentialStatus": {
            "id": f"{urls.status_list()}#{award.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(award.status_index),
            "statusListCredential": urls.status_list(),
        },
    }
    if award.narrative:
        subject["narrative"] = award.narrative
    return doc
