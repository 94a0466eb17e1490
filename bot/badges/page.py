"""The human badge verification page: mobile-first, localized, plain words, no personal data."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from html import escape
from string import Template
from typing import Literal
from urllib.parse import urlsplit

from aiohttp import web

from bot.badges.employer import employer_lines, linkedin_url
from bot.badges.issue import BadgeIssuer
from bot.badges.model import Award
from bot.badges.service import slug, status_text
from bot.dialogs.content import Content
from bot.framework.i18n import Catalogs, Translator

State = Literal["valid", "revoked", "expired"]
STATE_ICONS: dict[State, str] = {"valid": "✅", "revoked": "⛔", "expired": "⌛"}

_PAGE = Template("""<!doctype html>
<html lang="$lang" dir="$dir">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>$title</title>
<meta property="og:type" content="website">
<meta property="og:title" content="$title">
<meta property="og:description" content="$summary">
<meta property="og:image" content="$image">
<meta property="og:url" content="$page_url">
<meta name="twitter:card" content="summary">
<style nonce="$nonce">
body{margin:0;font:1.125rem/1.5 system-ui,sans-serif;color:#1a1a1a;background:#f6f6f4}
main{max-width:32rem;margin:0 auto;padding:1rem}
.state{font-size:1.5rem;font-weight:700;padding:.75rem 1rem;border-radius:.75rem;margin:0 0 1rem}
.valid{background:#d8f3dc;color:#0b4d1f}.revoked{background:#ffe0e0;color:#8a0f0f}
.expired{background:#fff1c9;color:#6b4a00}
img{display:block;width:100%;max-width:300px;height:auto;margin:0 auto 1rem}
.revoked-img{filter:grayscale(1);opacity:.5}
h1{font-size:1.5rem;margin:0 0 .75rem;text-align:center}
ul{list-style:none;padding:0;margin:0 0 1rem}
li{background:#fff;border-radius:.75rem;padding:.75rem 1rem;margin:0 0 .5rem}
a{color:#0b4a8f;overflow-wrap:anywhere}
.employer{background:#fff;border-radius:.75rem;padding:.75rem 1rem;margin:0 0 1rem}
.employer h2{font-size:1.125rem;margin:0 0 .5rem}.employer p{margin:0 0 .5rem}
.links,.langs{font-size:1rem}.langs a{margin-inline-end:1rem}
a{display:inline-flex;align-items:center;min-height:44px}
</style>
</head>
<body>
<main>
<p class="state $state" role="status"><span aria-hidden="true">$state_icon</span> $state_text</p>
<img class="$image_class" src="$image" alt="$title" width="300" height="300">
<h1>$title</h1>
<ul>
<li><span aria-hidden="true">$level_emoji</span> <b>$level_word:</b> $level_label.
 $level_meaning</li>
<li><span aria-hidden="true">$kind_icon</span> <b>$kind_text.</b> $kind_note</li>
<li><span aria-hidden="true">📅</span> <b>$date_word:</b>
 <time datetime="$date_iso">$date</time></li>
<li><span aria-hidden="true">🏛️</span> <b>$issuer_word:</b>
 <a href="$issuer_url" rel="noopener">$issuer_name</a></li>
</ul>
<p>$state_note</p>
<section class="employer"><h2>$employer_title</h2>$employer</section>
<p class="links">$links</p>
<nav class="langs">$languages</nav>
</main>
</body>
</html>
""")

_MISSING = Template("""<!doctype html>
<html lang="$lang"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>$text</title></head>
<body><main><p>❓ $text</p></main></body></html>
""")


def _utcnow() -> datetime:
    return datetime.now(UTC)


def badge_state(award: Award, now: datetime) -> State:
    """Whether an award is valid now, revoked, or past its ``validUntil``."""
    if award.revoked:
        return "revoked"
    until = award.credential.get("validUntil")
    if isinstance(until, str) and datetime.fromisoformat(until.replace("Z", "+00:00")) < now:
        return "expired"
    return "valid"


def choose_language(catalogs: Catalogs, asked: str | None, accept: str | None) -> str:
    """The page language: ``?lang=``, else the best Accept-Language match, else the source."""
    if asked and asked in catalogs.languages:
        return asked
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept or "").split(",")):
        tag, _, params = part.strip().partition(";")
        weight = params.strip().removeprefix("q=")
        try:
            quality = float(weight) if weight else 1.0
        except ValueError:
            quality = 0.0
        ranked.append((-quality, position, tag))
    for negative_quality, _, tag in sorted(ranked):
        match = catalogs.best_match(tag)
        if match and negative_quality < 0:
            return match
    return catalogs.source_language


def _html(template: Template, text: Mapping[str, str], markup: Mapping[str, str]) -> str:
    """Fill a template: plain `text` values are escaped, `markup` is already-safe HTML."""
    return template.substitute({k: escape(v, quote=True) for k, v in text.items()}, **markup)


class VerifyPage:
    """Serves ``GET /v/{assertion_id}`` for people (employers, the holder, a counsellor)."""

    def __init__(
        self,
        issuer: BadgeIssuer,
        content: Content,
        catalogs: Catalogs,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self._issuer = issuer
        self._content = content
        self._catalogs = catalogs
        self._clock = clock
        self._images = origin_of(issuer.urls.base)

    async def show(self, request: web.Request) -> web.Response:
        """Render the page for one award (404 page when unknown)."""
        lang = choose_language(
            self._catalogs, request.query.get("lang"), request.headers.get("Accept-Language")
        )
        t = self._catalogs.get(lang)
        award = await self._issuer.repository.get_award(request.match_info["assertion_id"])
        if award is None:
            text = t.gettext("This badge does not exist. Please check the link.")
            body = _html(_MISSING, {"lang": t.locale, "text": text}, {})
            return _response(body, t, "", self._images, status=404)
        nonce = secrets.token_urlsafe(16)
        body = _html(_PAGE, self._fields(award, t, nonce), self._markup(award, t))
        return _response(body, t, nonce, self._images)

    def _fields(self, award: Award, t: Translator, nonce: str) -> dict[str, str]:
        state = badge_state(award, self._clock())
        spec, urls = award.spec, self._issuer.urls
        title, level_label, level_meaning = self._names(award, t)
        state_text = _state_text(state, t)
        kind = status_text(spec, t)
        date = t.long_date(award.issued_on.date())
        valid = state == "valid"
        return {
            "lang": t.locale,
            "dir": "rtl" if t.rtl else "ltr",
            "nonce": nonce,
            "title": title,
            "summary": f"{STATE_ICONS[state]} {state_text} · {kind} · {date}",
            "image": urls.assertion_image(award.assertion_id)
            if valid
            else urls.class_image(spec.class_id),
            "image_class": "" if valid else "revoked-img",
            "page_url": urls.verify_page(award.assertion_id),
            "state": state,
            "state_icon": STATE_ICONS[state],
            "state_text": state_text,
            "state_note": _state_note(state, t),
            "level_emoji": self._content.levels[spec.level].emoji,
            "level_word": t.gettext("Level"),
            "level_label": level_label,
            "level_meaning": level_meaning,
            "kind_icon": "🧑‍🏫" if spec.validated else "🙋",
            "kind_text": kind,
            "kind_note": _kind_note(spec.validated, t),
            "date_word": t.gettext("Date"),
            "date": date,
            "date_iso": award.issued_on.date().isoformat(),
            "issuer_word": t.gettext("Issued by"),
            "issuer_url": self._issuer.issuer.url,
            "issuer_name": self._issuer.issuer.name,
            "employer_title": t.gettext("For employers"),
        }

    def _names(self, award: Award, t: Translator) -> tuple[str, str, str]:
        spec = award.spec
        category = next(
            (c for c in self._content.categories if slug(c.id) == spec.category_id), None
        )
        name = t.pgettext(f"{category.id}.name", category.name) if category else spec.category_name
        level = self._content.levels[spec.level]
        label = t.pgettext(f"level.{spec.level}.label", level.label)
        return f"{name}: {label}", label, t.pgettext(f"level.{spec.level}.meaning", level.meaning)

    def _markup(self, award: Award, t: Translator) -> dict[str, str]:
        urls = self._issuer.urls
        links = []
        title, level_label, _ = self._names(award, t)
        organisation = self._issuer.issuer.name
        if not award.revoked:
            download = urls.assertion_image(award.assertion_id) + "?download=1"
            links.append(_link(download, "⬇️ " + t.gettext("Download the badge")))
            linkedin = linkedin_url(
                award, f"SPOCC {title}", organisation, urls.verify_page(award.assertion_id)
            )
            links.append(_link(linkedin, "➕ " + t.gettext("Add to LinkedIn")))
        links.append(_link(urls.assertion(award.assertion_id), "Open Badges 2.0"))
        links.append(_link(urls.credential(award.assertion_id), "Open Badges 3.0"))
        languages = [
            _link(f"?lang={code}", self._catalogs.native_name(code), lang=code)
            for code in self._catalogs.languages
        ]
        lines = employer_lines(award, level_label, organisation, t)
        return {
            "links": " · ".join(links),
            "languages": " ".join(languages),
            "employer": "".join(f"<p>{escape(line)}</p>" for line in lines),
        }


def _link(href: str, text: str, lang: str = "") -> str:
    attribute = f' lang="{escape(lang, quote=True)}"' if lang else ""
    return f'<a href="{escape(href, quote=True)}"{attribute}>{escape(text)}</a>'


def _state_text(state: State, t: Translator) -> str:
    if state == "revoked":
        return t.gettext("Revoked")
    if state == "expired":
        return t.gettext("Expired")
    return t.gettext("Valid")


def _state_note(state: State, t: Translator) -> str:
    if state == "revoked":
        return t.gettext("The issuer withdrew this badge. It is not valid any more.")
    if state == "expired":
        return t.gettext("This badge is too old. It is not valid any more.")
    return t.gettext("This badge is real. We issued it and it is still valid.")


def _kind_note(validated: bool, t: Translator) -> str:
    if validated:
        return t.gettext("A counsellor talked with the person and confirmed the level.")
    return t.gettext("The person answered questions in a chat. Nobody else checked the result.")


def _response(
    body: str, t: Translator, nonce: str, images: str, status: int = 200
) -> web.Response:
    style = f"'nonce-{nonce}'" if nonce else "'none'"
    policy = (
        f"default-src 'none'; img-src 'self' {images}; style-src {style}; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    headers = {
        "Content-Security-Policy": policy,
        "X-Frame-Options": "DENY",  # frame-ancestors for browsers without CSP level 2
        "X-Robots-Tag": "noindex",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-cache",
        "Content-Language": t.locale,
        "Vary": "Accept-Language",
        "X-Content-Type-Options": "nosniff",
    }
    return web.Response(
        text=body, status=status, content_type="text/html", charset="utf-8", headers=headers
    )


def page_routes(page: VerifyPage, prefix: str = "") -> list[web.RouteDef]:
    """The verification page route (``prefix`` is ``BadgeUrls.path_prefix``)."""
    return [web.get(f"{prefix}/v/{{assertion_id}}", page.show)]


def origin_of(url: str) -> str:
    """Return ``scheme://host[:port]`` of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
