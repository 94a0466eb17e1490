"""Same-origin checks for browser requests: the web chat socket and the console's forms."""

from __future__ import annotations

from urllib.parse import urlsplit


def origin_allowed(origin: str | None, host: str, public_url: str) -> bool:
    """An Origin header must be PUBLIC_URL's origin or the host the request came to.

    A missing Origin passes: browsers send one on every WebSocket handshake and cross-site
    POST, so its absence means a script or an app of its own (the console's forms still need
    their CSRF token). Opaque origins ("null") never pass.
    """
    if origin is None:
        return True
    parts, public = urlsplit(origin), urlsplit(public_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    same_public = (parts.scheme, parts.netloc) == (public.scheme, public.netloc)
    return same_public or parts.netloc == host
