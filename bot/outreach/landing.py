"""The invite landing page `/i/<code>`: a big button for each open door, no personal data."""

from __future__ import annotations

import base64
import functools
import io
import secrets
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING
from urllib.parse import quote

from aiohttp import web

from bot.framework.i18n import Catalogs
from bot.outreach.flyer import pictogram_row
from bot.outreach.service import OutreachService
from bot.outreach.words import Words, words

if TYPE_CHECKING:
    pass

PAGE = """<!doctype html>
<html lang="{lang}" dir="{dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<style nonce="{nonce}">
*{{box-sizing:border-box}}
body{{margin:0;font:1.15rem/1.45 system-ui,"Noto Sans","Noto Sans Arabic",sans-serif;
 color:#111;background:#f6f6f4}}
main{{max-width:30rem;margin:0 auto;padding:1rem}}
img{{display:block;width:100%;height:auto;margin:0 0 .75rem}}
h1{{font-size:1.6rem;line-height:1.2;margin:.25rem 0 .75rem}}
ul{{list-style:none;padding:0;margin:0 0 1rem}}li{{margin:.4rem 0}}
.notice{{padding:.75rem 1rem;border-radius:.75rem;background:#fff3d6;margin:0 0 1rem}}
a.door{{display:flex;align-items:center;gap:.75rem;min-height:4rem;padding:.75rem 1rem;
 margin:.6rem 0;border-radius:1rem;color:#fff;font-weight:700;font-size:1.25rem;
 text-decoration:none}}
a.door span{{font-size:1.8rem}}
.telegram{{background:#1c6fa8}}.whatsapp{{background:#137a3a}}.web{{background:#12355b}}
a.door:focus-visible{{outline:4px solid #e08600;outline-offset:2px}}
</style>
</head>
<body><main>
<img src="{pictures}" alt="">
<h1>{title}</h1>
{notice}<ul>{lines}</ul>
<p>{choose}</p>
{doors}
</main></body>
</html>
"""


@dataclass(frozen=True)
class Doors:
    """Where a person can start: each is None when that channel is off."""

    public_url: str
    telegram_bot: str | None = None
    whatsapp_number: str | None = None

    def links(self, code: str | None, w: Words) -> list[tuple[str, str, str, str]]:
        """(css class, emoji, label, address) for each open door, the code in each address."""
        found = []
        if self.telegram_bot:
            start = f"?start={code}" if code else ""
            found.append(("telegram", "✈️", w.telegram, f"https://t.me/{self.telegram_bot}{start}"))
        if self.whatsapp_number:
            text = f"?text={quote(code)}" if code else ""
            found.append(
                ("whatsapp", "💬", w.whatsapp, f"https://wa.me/{self.whatsapp_number}{text}")
            )
        web_link = f"{self.public_url}/?invite={code}" if code else f"{self.public_url}/"
        found.append(("web", "🌐", w.web, web_link))
        return found


@functools.cache
def pictures_data_url() -> str:
    """The five pictograms in a row, as a PNG data URL (drawn once)."""
    from PIL import Image, ImageDraw  # Pillow is loaded with the first picture drawn

    image = Image.new("RGB", (600, 124), "#f6f6f4")
    pictogram_row(ImageDraw.Draw(image), 0, 4, 600)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


class Landing:
    """Serves `/i/{code}`; a visit to a known code is counted, the visitor is not recorded."""

    def __init__(self, service: OutreachService, catalogs: Catalogs, doors: Doors) -> None:
        self._service, self._catalogs, self._doors = service, catalogs, doors

    def routes(self) -> list[web.RouteDef]:
        """The landing page route."""
        return [web.get(r"/i/{code:[A-Za-z0-9_-]{1,64}}", self.page)]

    async def page(self, request: web.Request) -> web.Response:
        """The page in the invite's language (else the browser's); a bad code still helps."""
        code = request.match_info["code"]
        invite, refusal = await self._service.look_up(code, request.remote or "?")
        if invite is not None:
            await self._service.visited(code)
        ok = invite is not None and refusal is None
        hint = request.headers.get("Accept-Language", "").split(",")[0]
        lang = invite.language if invite and invite.language else None
        w = words(self._catalogs.get(lang or self._catalogs.best_match(hint)))
        return _html(render(w, self._doors.links(code if ok else None, w), ok))


def render(w: Words, links: list[tuple[str, str, str, str]], ok: bool) -> tuple[str, str]:
    """The page's HTML and its style nonce."""
    nonce = secrets.token_urlsafe(16)
    doors = "\n".join(
        f'<a class="door {kind}" href="{escape(href)}"><span aria-hidden="true">{emoji}</span>'
        f"{escape(label)}</a>"
        for kind, emoji, label, href in links
    )
    page = PAGE.format(
        lang=escape(w.lang),
        dir="rtl" if w.rtl else "ltr",
        title=escape(w.title),
        nonce=nonce,
        pictures=pictures_data_url(),
        choose=escape(w.choose),
        doors=doors,
        lines="".join(f"<li>{escape(line)}</li>" for line in w.lines),
        notice="" if ok else f'<p class="notice" role="status">{escape(w.not_valid)}</p>',
    )
    return page, nonce


def _html(page: tuple[str, str]) -> web.Response:
    body, nonce = page
    policy = (
        f"default-src 'none'; style-src 'nonce-{nonce}'; img-src data:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    headers = {
        "Content-Security-Policy": policy,
        "Referrer-Policy": "no-referrer",
        "X-Robots-Tag": "noindex",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
    return web.Response(text=body, content_type="text/html", charset="utf-8", headers=headers)
