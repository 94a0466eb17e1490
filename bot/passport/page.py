"""The passport's public page ``/p/<token>``: every badge with its verification QR code."""

from __future__ import annotations

import io
import secrets
from html import escape
from string import Template

from aiohttp import web

from bot.badges.employer import employer_lines, linkedin_url
from bot.badges.issue import BadgeIssuer
from bot.badges.model import Award
from bot.badges.page import _MISSING, _html, _link, _response, choose_language
from bot.badges.service import status_text
from bot.dialogs.content import Content
from bot.framework.i18n import Catalogs, Translator
from bot.outreach.flyer import qr_code
from bot.passport.service import Passports, award_names

_PAGE = Template("""<!doctype html>
<html lang="$lang" dir="$dir">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>$title</title>
<style nonce="$nonce">
body{margin:0;font:1.125rem/1.5 system-ui,sans-serif;color:#1a1a1a;background:#f6f6f4}
main{max-width:32rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:0 0 .5rem}h2{font-size:1.25rem;margin:0 0 .25rem}
.badge,.about{background:#fff;border-radius:.75rem;padding:.75rem 1rem;margin:0 0 1rem}
.badge{border-inline-start:.5rem solid #444}
.qr{display:block;width:12rem;max-width:100%;height:auto;margin:.5rem auto;background:#fff}
.about p,.badge p{margin:0 0 .5rem}
a{color:#0b4a8f;overflow-wrap:anywhere}.langs{font-size:1rem}.langs a{margin-inline-end:1rem}
</style>
</head>
<body>
<main>
<h1>$title</h1>
<section class="about"><h2>$employer_title</h2><p>$spocc</p></section>
$badges
<nav class="langs">$languages</nav>
</main>
</body>
</html>
""")

_BADGE = Template("""<article class="badge" data-testid="badge">
<h2>$name</h2>
<p>$how</p>
<p>$level_line</p>
<p>$earned</p>
$esco
<a href="$verify" data-testid="verify">$qr</a>
<p><a href="$verify">🔍 $check</a> · <a href="$linkedin" rel="noopener">➕ $add</a></p>
</article>
""")


def qr_svg_inline(url: str, title: str) -> str:
    """An inline SVG QR code of `url` (inline, so the page's image policy stays 'self')."""
    out = io.BytesIO()
    qr = qr_code(url)
    qr.save(out, kind="svg", scale=4, border=4, xmldecl=False, svgclass="qr", title=title)
    return out.getvalue().decode()


class PassportPage:
    """Serves the shared passport; an unknown or switched-off token gets a plain 404 page."""

    def __init__(
        self, passports: Passports, content: Content, catalogs: Catalogs, issuer: BadgeIssuer
    ) -> None:
        self._passports = passports
        self._content = content
        self._catalogs = catalogs
        self._organisation = issuer.issuer.name

    async def show(self, request: web.Request) -> web.Response:
        """Render the passport in the viewer's language (``?lang=`` or Accept-Language)."""
        lang = choose_language(
            self._catalogs, request.query.get("lang"), request.headers.get("Accept-Language")
        )
        t = self._catalogs.get(lang)
        key = await self._passports.links.holder(request.match_info["token"])
        if key is None:
            text = t.gettext(
                "This passport link does not work. The person may have switched it off."
            )
            body = _html(_MISSING, {"lang": t.locale, "text": text}, {})
            return _response(body, t, "", "'self'", status=404)
        awards = await self._passports.awards(key)
        nonce = secrets.token_urlsafe(16)
        badges = "".join(self._badge(award, t) for award in awards) or (
            "<p>" + escape(t.gettext("There are no valid badges in this passport.")) + "</p>"
        )
        languages = " ".join(
            _link(f"?lang={code}", self._catalogs.native_name(code), lang=code)
            for code in self._catalogs.languages
        )
        fields = {
            "lang": t.locale,
            "dir": "rtl" if t.rtl else "ltr",
            "nonce": nonce,
            "title": t.gettext("Skills passport"),
            "employer_title": t.gettext("For employers"),
            "spocc": _spocc_line(t),
        }
        body = _html(_PAGE, fields, {"badges": badges, "languages": languages})
        return _response(body, t, nonce, "'self'")

    def _badge(self, award: Award, t: Translator) -> str:
        name, level = award_names(award, self._content, t)
        verify = self._passports.verify(award)
        _, level_line, how_line = employer_lines(award, level, self._organisation, t)
        date = t.long_date(award.issued_on.date())
        esco = ", ".join(a.name for a in award.spec.alignments)
        text = {
            "name": f"{name}: {level}",
            "how": f"{status_text(award.spec, t)} · {date}",
            "level_line": level_line,
            "earned": how_line,
            "verify": verify,
            "check": t.gettext("Check this badge"),
            "linkedin": linkedin_url(award, f"SPOCC {name}: {level}", self._organisation, verify),
            "add": t.gettext("Add to LinkedIn"),
        }
        markup = {
            "qr": qr_svg_inline(verify, t.gettext("Check this badge")),
            "esco": f'<p dir="auto">ESCO: {escape(esco)}</p>' if esco else "",
        }
        return _html(_BADGE, text, markup)


def _spocc_line(t: Translator) -> str:
    return t.gettext(
        "SPOCC describes soft skills for work: talking with people, managing yourself, "
        "organising, working together and finding new ideas."
    )


def passport_routes(page: PassportPage, prefix: str = "") -> list[web.RouteDef]:
    """The public passport route (``prefix`` is ``BadgeUrls.path_prefix``)."""
    return [web.get(f"{prefix}/p/{{token}}", page.show)]
