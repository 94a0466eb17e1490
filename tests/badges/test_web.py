"""Hosted documents: content types, 410 on revocation, status list, DID document."""

from __future__ import annotations

import base64
import gzip
import json

from bot.badges.ob2 import hash_identity
from tests.badges.conftest import LiveBadges


def _json(live: LiveBadges, url: str) -> tuple[int, dict[str, object]]:
    status, body = live.fetch(url)
    return status, json.loads(body)


def test_documents_are_served(live: LiveBadges) -> None:
    award = live.issue()
    status, assertion = _json(live, live.urls.assertion(award.assertion_id))
    assert status == 200
    assert assertion["issuedOn"] == award.issued_on.isoformat(timespec="seconds").replace(
        "+00:00", "Z"
    )
    recipient = assertion["recipient"]
    assert isinstance(recipient, dict)
    assert recipient["type"] == "url"
    assert recipient["hashed"] is True
    status, badge = _json(live, live.urls.badge_class(award.spec.class_id))
    assert status == 200
    assert badge["issuer"] == live.urls.issuer
    assert "Self-assessed" in str(badge["criteria"])
    status, issuer = _json(live, live.urls.issuer)
    assert status == 200
    assert issuer["email"] == "badges@example.org"
    status, png_bytes = live.fetch(live.urls.class_image(award.spec.class_id))
    assert status == 200
    assert png_bytes.startswith(b"\x89PNG")
    status, baked = live.fetch(live.urls.assertion_image(award.assertion_id))
    assert status == 200
    assert baked == award.png


def test_telephone_recipient_is_hashed(live: LiveBadges) -> None:
    from bot.badges.model import Recipient

    award = live.issue(recipient=Recipient("telephone", "+491701234567"))
    _, assertion = _json(live, live.urls.assertion(award.assertion_id))
    recipient = assertion["recipient"]
    assert isinstance(recipient, dict)
    assert recipient["identity"] == hash_identity("+491701234567", str(recipient["salt"]))
    assert "+491701234567" not in json.dumps(assertion) + json.dumps(award.credential)


def _revoked_bits(live: LiveBadges) -> bytes:
    status, token = live.fetch(live.urls.status_list())
    assert status == 200
    payload = token.decode().split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    encoded = claims["credentialSubject"]["encodedList"]
    assert encoded.startswith("u")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def _bit(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def test_revoked_assertion_is_gone_and_listed(live: LiveBadges) -> None:
    kept, gone = live.issue(), live.issue()
    assert not _bit(_revoked_bits(live), gone.status_index)
    assert live.run(live.issuer.revoke(gone.assertion_id, "Asked by the learner."))
    status, body = _json(live, live.urls.assertion(gone.assertion_id))
    assert status == 410
    assert body["revoked"] is True
    assert body["revocationReason"] == "Asked by the learner."
    assert set(body) == {"@context", "type", "id", "revoked", "revocationReason"}
    bits = _revoked_bits(live)
    assert _bit(bits, gone.status_index)
    assert not _bit(bits, kept.status_index)
    assert live.fetch(live.urls.assertion(kept.assertion_id))[0] == 200
    assert not live.run(live.issuer.revoke("missing", "x"))


def test_did_document_served(live: LiveBadges) -> None:
    status, doc = _json(live, live.urls.did_document)
    assert status == 200
    assert doc["id"] == live.urls.did


def test_validated_class_says_counsellor(live: LiveBadges) -> None:
    from dataclasses import replace

    from tests.badges.conftest import SPEC

    award = live.issue(spec=replace(SPEC, validated=True))
    assert award.spec.class_id == "social-2-validated"
    _, badge = _json(live, live.urls.badge_class(award.spec.class_id))
    assert "counsellor" in str(badge["criteria"])
    assert "validated" in str(badge["tags"])
