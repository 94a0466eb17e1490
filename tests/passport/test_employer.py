"""For employers: three lines and an "Add to LinkedIn" link on the verification page."""

from __future__ import annotations

from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from bot.config import DEFAULT_LOCALES
from bot.framework.actions import BadgeEarned
from bot.framework.i18n import Catalogs
from tests.passport.conftest import Served
from tests.passport.test_passport import ANA, get

LINKEDIN = "https://www.linkedin.com/profile/add?"


def linkedin_links(html: str) -> list[dict[str, list[str]]]:
    hrefs = [unescape(part.split('"', 1)[0]) for part in html.split('href="')[1:]]
    return [parse_qs(urlsplit(h).query) for h in hrefs if h.startswith(LINKEDIN)]


@pytest.mark.parametrize(
    ("accept", "lang"), [("en", "en"), ("sl-SI,sl;q=0.9", "sl"), ("de", "de")]
)
async def test_the_verification_page_explains_the_badge_to_an_employer(
    served: Served, accept: str, lang: str
) -> None:
    award = await served.badges.earn(ANA, BadgeEarned("PER", 3, True, "en"))
    status, html = await get(served.passports.verify(award), **{"Accept-Language": accept})
    assert status == 200
    t = Catalogs(DEFAULT_LOCALES, "en").get(lang)
    for text in (
        "For employers",
        "SPOCC describes soft skills for work: talking with people, managing yourself, "
        "organising, working together and finding new ideas.",
        'The level goes from 0 to 3. This badge is level {n}: "{label}".',
        "A counsellor of {organisation} talked with the person and confirmed it.",
        "Add to LinkedIn",
    ):
        first_words = t.gettext(text).split("{")[0].strip()
        assert first_words
        assert first_words in unescape(html), (lang, text)
    if lang != "en":
        assert t.gettext("For employers") != "For employers"
    [query] = linkedin_links(html)
    assert query["startTask"] == ["CERTIFICATION_NAME"]
    assert query["certUrl"] == [served.passports.verify(award)]
    assert query["certId"] == [award.assertion_id]
    assert query["organizationName"] == ["SPOCC Skills Bot"]
    assert query["issueYear"] == [str(award.issued_on.year)]
    assert query["issueMonth"] == [str(award.issued_on.month)]
    assert query["name"][0].startswith("SPOCC ")


async def test_a_self_assessed_badge_says_nobody_else_checked_it(served: Served) -> None:
    award = await served.badges.earn(ANA, BadgeEarned("SOC", 1, False, "en"))
    _, html = await get(served.passports.verify(award), **{"Accept-Language": "en"})
    assert "Nobody else checked it." in html
