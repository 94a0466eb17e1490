"""Public URLs of badge documents under the PUBLIC_URL base, and the issuer's did:web."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit


@dataclass(frozen=True)
class BadgeUrls:
    """Builds every public badge URL from one base (``PUBLIC_URL``).

    Attributes:
        base: The public base URL, without a trailing slash.
    """

    base: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "base", self.base.rstrip("/"))

    @property
    def path_prefix(self) -> str:
        """Return the path part of the base ("" at the root), for mounting routes."""
        return urlsplit(self.base).path.rstrip("/")

    @property
    def issuer(self) -> str:
        """Return the Open Badges 2.0 issuer Profile URL."""
        return f"{self.base}/badges/issuer"

    def badge_class(self, class_id: str) -> str:
        """Return the BadgeClass (2.0) / Achievement (3.0) URL."""
        return f"{self.base}/badges/class/{class_id}"

    def class_image(self, class_id: str) -> str:
        """Return the generic (not personal) PNG of a badge class."""
        return f"{self.base}/badges/class/{class_id}/image.png"

    def assertion(self, assertion_id: str) -> str:
        """Return the hosted Assertion URL."""
        return f"{self.base}/badges/assertions/{assertion_id}"

    def assertion_image(self, assertion_id: str) -> str:
        """Return the baked PNG download URL."""
        return f"{self.base}/badges/assertions/{assertion_id}/image.png"

    def credential(self, assertion_id: str) -> str:
        """Return the Open Badges 3.0 credential URL."""
        return f"{self.base}/badges/credentials/{assertion_id}"

    def status_list(self, list_id: str = "1") -> str:
        """Return the Bitstring Status List credential URL."""
        return f"{self.base}/badges/status/{list_id}"

    def person(self, token: str) -> str:
        """Return the opaque per-person URL used as the default recipient identity."""
        return f"{self.base}/people/{token}"

    def verify_page(self, assertion_id: str) -> str:
        """Return the human verification page URL."""
        return f"{self.base}/v/{assertion_id}"

    @property
    def did(self) -> str:
        """Return the issuer's ``did:web`` for this base (port and path encoded)."""
        parts = urlsplit(self.base)
        authority = parts.hostname or ""
        if parts.port is not None:
            authority += f":{parts.port}"
        pieces = [quote(authority, safe="")]
        pieces += [quote(seg, safe="") for seg in parts.path.split("/") if seg]
        return "did:web:" + ":".join(pieces)

    @property
    def did_document(self) -> str:
        """Return where did:web resolution fetches the DID document."""
        if self.path_prefix:
            return f"{self.base}/did.json"
        return f"{self.base}/.well-known/did.json"

    def verification_method(self, kid: str) -> str:
        """Return the DID URL of one key (``did:web:…#kid``)."""
        return f"{self.did}#{kid}"
