"""OB 3.0 credentials checked by openbadgeslib, an independent implementation."""

from __future__ import annotations

import copy
import json

import pytest
from openbadgeslib.ob3.credential import OpenBadgeCredential
from openbadgeslib.ob3.ldp import OB3LdpVerifier
from openbadgeslib.ob3.verifier import OB3VerificationError

from bot.badges.bake import OB3_KEYWORD, unbake
from bot.badges.keys import load_or_create, rotate
from tests.badges.conftest import LiveBadges


def _verify(
    live: LiveBadges, credential: object, check_status: bool = True
) -> OpenBadgeCredential:
    verifier = OB3LdpVerifier.for_issuer_did(live.urls.did)
    return verifier.verify(
        json.dumps(credential), check_status=check_status, download=live.download
    )


def test_credential_verifies_with_did_web_and_status(live: LiveBadges) -> None:
    award = live.issue()
    result = _verify(live, award.credential)
    assert result.issuer.id == live.urls.did


def test_baked_credential_verifies(live: LiveBadges) -> None:
    award = live.issue()
    baked = unbake(award.png, OB3_KEYWORD)
    assert baked is not None
    assert json.loads(baked) == award.credential
    _verify(live, json.loads(baked))


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("name",), "Creative: Also in new situations"),
        (("credentialSubject", "achievement", "criteria", "narrative"), "Validated."),
        (("credentialSubject", "identifier", 0, "salt"), "00"),
        (("validFrom",), "2020-01-01T00:00:00Z"),
    ],
)
def test_tampered_credential_fails(live: LiveBadges, path: tuple[object, ...], value: str) -> None:
    tampered = copy.deepcopy(live.issue().credential)
    node: object = tampered
    for key in path[:-1]:
        node = node[key]  # type: ignore[index]
    node[path[-1]] = value  # type: ignore[index]
    with pytest.raises(OB3VerificationError):
        _verify(live, tampered, check_status=False)


def test_wrong_signature_fails(live: LiveBadges) -> None:
    tampered = copy.deepcopy(live.issue().credential)
    proof = tampered["proof"]
    assert isinstance(proof, dict)
    value = proof["proofValue"]
    proof["proofValue"] = value[:-3] + ("111" if not value.endswith("111") else "222")
    with pytest.raises(OB3VerificationError):
        _verify(live, tampered, check_status=False)


def test_rotation_keeps_old_credentials_verifiable(live: LiveBadges) -> None:
    old = live.issue()
    old_kid = live.issuer.keys.kid
    rotated = rotate(live.data_dir)
    assert rotated.kid != old_kid
    assert [k.kid for k in rotated.public_keys] == [rotated.kid, old_kid]
    live.handlers.issuer = live.issuer.__class__(
        live.issuer.issuer, live.urls, load_or_create(live.data_dir), live.issuer.repository
    )
    new = live.issue()
    assert new.credential["proof"]["verificationMethod"].endswith(rotated.kid)  # type: ignore[index]
    _verify(live, old.credential)
    _verify(live, new.credential)


def test_revoked_credential_fails_status_check(live: LiveBadges) -> None:
    award = live.issue()
    other = live.issue()
    assert live.run(live.issuer.revoke(award.assertion_id, "Issued in error."))
    with pytest.raises(OB3VerificationError, match="revocation"):
        _verify(live, award.credential)
    _verify(live, other.credential)
