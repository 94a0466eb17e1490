"""aiohttp handlers for badge documents, DID document, status list and images."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from bot.badges import ob2
from bot.badges.did import did_document
from bot.badges.issue import BadgeIssuer, default_texts
from bot.badges.status import signed_status_list
from bot.pictures.badge import render

LD_JSON = "application/ld+json"
_NO_INDEX = {"X-Robots-Tag": "noindex", "Access-Control-Allow-Origin": "*"}


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _json(doc: Any, status: int = 200, content_type: str = LD_JSON) -> web.Response:
    body = json.dumps(doc, ensure_ascii=False, indent=1)
    return web.Response(
        text=body, status=status, content_type=content_type, charset="utf-8", headers=_NO_INDEX
    )


class BadgeHandlers:
    """Route handlers over a BadgeIssuer (and so its repository).

    Attributes:
        issuer: The issuing service; replace it after a key rotation.
    """

    def __init__(self, issuer: BadgeIssuer, clock: Callable[[], datetime] = _utcnow) -> None:
        self.issuer = issuer
        self._clock = clock
        self._class_images: dict[str, bytes] = {}

    async def issuer_profile(self, request: web.Request) -> web.Response:
        """Serve the Open Badges 2.0 issuer Profile."""
        return _json(ob2.issuer_document(self.issuer.issuer, self.issuer.urls))

    async def badge_class(self, request: web.Request) -> web.Response:
        """Serve a BadgeClass document."""
        spec = await self.issuer.repository.get_badge_class(request.match_info["class_id"])
        if spec is None:
            raise web.HTTPNotFound()
        return _json(ob2.badge_class_document(spec, self.issuer.urls))

    async def class_image(self, request: web.Request) -> web.Response:
        """Serve the generic PNG of a badge class (rendered once, then cached)."""
        class_id = request.match_info["class_id"]
        if class_id not in self._class_images:
            spec = await self.issuer.repository.get_badge_class(class_id)
            if spec is None:
                raise web.HTTPNotFound()
            texts = default_texts(spec, self.issuer.issuer.name)
            self._class_images[class_id] = render(spec, texts)
        return web.Response(body=self._class_images[class_id], content_type="image/png")

    async def assertion(self, request: web.Request) -> web.Response:
        """Serve a hosted Assertion, or HTTP 410 with ``revoked: true``."""
        award = await self.issuer.repository.get_award(request.match_info["assertion_id"])
        if award is None:
            raise web.HTTPNotFound()
        doc = ob2.assertion_document(award, self.issuer.urls)
        return _json(doc, status=410 if award.revoked else 200)

    async def assertion_image(self, request: web.Request) -> web.Response:
        """Serve the baked PNG (as a download when ``?download=1``)."""
        award = await self.issuer.repository.get_award(request.match_info["assertion_id"])
        if award is None or award.revoked:
            raise web.HTTPNotFound()
        headers = dict(_NO_INDEX)
        if request.query.get("download"):
            name = f"badge-{award.spec.class_id}.png"
            headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return web.Response(body=award.png, content_type="image/png", headers=headers)

    async def credential(self, request: web.Request) -> web.Response:
        """Serve the signed Open Badges 3.0 credential."""
        award = await self.issuer.repository.get_award(request.match_info["assertion_id"])
        if award is None:
            raise web.HTTPNotFound()
        return _json(award.credential, content_type="application/vc+ld+json")

    async def did(self, request: web.Request) -> web.Response:
        """Serve the did:web DID document with every published key."""
        doc = did_document(self.issuer.urls, self.issuer.keys.public_keys)
        return _json(doc, content_type="application/did+ld+json")

    async def status_list(self, request: web.Request) -> web.Response:
        """Serve the Bitstring Status List credential as a freshly signed VC-JWT."""
        if request.match_info["list_id"] != "1":
            raise web.HTTPNotFound()
        keys, urls = self.issuer.keys, self.issuer.urls
        revoked = await self.issuer.repository.revoked_status_indexes()
        token = signed_status_list(
            urls, revoked, keys.private_key, urls.verification_method(keys.kid), self._clock()
        )
        return web.Response(text=token, content_type="application/vc+jwt", headers=_NO_INDEX)


def badge_routes(handlers: BadgeHandlers, prefix: str = "") -> list[web.RouteDef]:
    """Return the routes to mount (``prefix`` is ``BadgeUrls.path_prefix``).

    Args:
        handlers: The handlers.
        prefix: The path part of ``PUBLIC_URL`` ("" at the root).

    Returns:
        Route definitions for ``app.add_routes``.
    """
    did_path = f"{prefix}/did.json" if prefix else "/.well-known/did.json"
    return [
        web.get(f"{prefix}/badges/issuer", handlers.issuer_profile),
        web.get(f"{prefix}/badges/class/{{class_id}}", handlers.badge_class),
        web.get(f"{prefix}/badges/class/{{class_id}}/image.png", handlers.class_image),
        web.get(f"{prefix}/badges/assertions/{{assertion_id}}", handlers.assertion),
        web.get(
            f"{prefix}/badges/assertions/{{assertion_id}}/image.png", handlers.assertion_image
        ),
        web.get(f"{prefix}/badges/credentials/{{assertion_id}}", handlers.credential),
        web.get(f"{prefix}/badges/status/{{list_id}}", handlers.status_list),
        web.get(did_path, handlers.did),
    ]
