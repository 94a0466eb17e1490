"""The skills passport: the PDF's QR codes open the verification pages, the link can be revoked."""

from __future__ import annotations

import re
from pathlib import Path

import aiohttp
import pytest
import zxingcpp

from bot.config import DEFAULT_CONTENT, DEFAULT_LOCALES
from bot.delivery.parts import PassportData
from bot.dialogs.definition import load_content
from bot.framework.actions import (
    BadgeEarned,
    DataErased,
    PassportRequested,
    PassportRevoked,
    SendDocument,
    SendText,
)
from bot.framework.i18n import Catalogs
from bot.framework.session import SessionKey
from bot.passport.service import award_names
from tests.passport.conftest import Served
from tests.passport.pdfs import decoded, embedded_fonts, link_targets, pdf_pages, pdf_text

ANA = SessionKey("web", "chat-ana")
SHARE = re.compile(r"https?://\S+/p/[A-Za-z0-9_-]+")
CONTENT = load_content(DEFAULT_CONTENT)
CATALOGS = Catalogs(DEFAULT_LOCALES, CONTENT.source_language)
SOCIAL = {"en": "Social skills", "sl": "Socialne spretnosti", "ar": "المهارات الاجتماعية"}
"""The first badge's topic as the catalogs say it: the words the PDF's text must hold."""


async def get(url: str, **headers: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(url, headers=headers) as response:
        return response.status, await response.text()


async def earn_three(served: Served) -> list[str]:
    awards = [
        await served.badges.earn(ANA, BadgeEarned(category, level, validated, "en"))
        for category, level, validated in (("SOC", 2, False), ("PER", 3, True), ("ORG", 1, False))
    ]
    return [served.passports.verify(award) for award in awards]


@pytest.mark.parametrize("locale", ["en", "ar"])
async def test_every_qr_code_in_the_pdf_opens_a_badge_verification_page(
    served: Served, tmp_path: Path, locale: str
) -> None:
    verify = await earn_three(served)
    document, text = await served.passports.build(ANA, PassportRequested(locale, also="sl"))
    assert isinstance(document, SendDocument)
    assert document.mime_type == "application/pdf"
    assert isinstance(text, SendText)
    assert SHARE.search(text.text)
    pages = pdf_pages(document.content, tmp_path)
    assert abs(pages[0].width - 1240) <= 1
    assert abs(pages[0].height - 1754) <= 1
    assert decoded(pages) == set(verify)
    # The codes stand at the end of the content column: right on an English page, left on Arabic.
    for code in zxingcpp.read_barcodes(pages[0]):
        x = code.position.top_left.x
        assert x > 1240 * 0.7 if locale == "en" else x < 1240 * 0.3
    for url in verify:
        status, html = await get(url)
        assert status == 200
        assert "✅" in html


async def test_the_share_link_shows_every_badge_and_stops_when_revoked(served: Served) -> None:
    verify = await earn_three(served)
    _, text = await served.passports.build(ANA, PassportRequested("en"))
    assert isinstance(text, SendText)
    match = SHARE.search(text.text)
    assert match
    link = match.group(0)
    _, again = await served.passports.build(ANA, PassportRequested("en"))
    assert isinstance(again, SendText)
    assert link in again.text
    status, html = await get(link)
    assert status == 200
    assert all(url in html for url in verify)
    assert html.count("<svg") == 3
    assert html.count("linkedin.com/profile/add") == 3
    assert ANA.chat_id not in html
    [note] = await served.passports.revoke(ANA, PassportRevoked("en"))
    assert isinstance(note, SendText)
    status, _ = await get(link)
    assert status == 404


async def test_erasing_the_person_switches_the_link_off(served: Served) -> None:
    await earn_three(served)
    _, text = await served.passports.build(ANA, PassportRequested("en"))
    assert isinstance(text, SendText)
    match = SHARE.search(text.text)
    assert match
    part = PassportData(served.passports.links)
    assert (await part.export(ANA))["passport_link"]["token"] in match.group(0)
    await part.erase(ANA, DataErased())
    assert (await part.export(ANA))["passport_link"] is None
    assert (await get(match.group(0)))[0] == 404


async def test_a_passport_without_badges_is_one_kind_page(served: Served, tmp_path: Path) -> None:
    [document, _] = await served.passports.build(ANA, PassportRequested("en"))
    assert isinstance(document, SendDocument)
    pages = pdf_pages(document.content, tmp_path)
    assert len(pages) == 1
    assert decoded(pages) == set()


@pytest.mark.parametrize(("locale", "also"), [("en", ""), ("sl", ""), ("ar", ""), ("ar", "sl")])
async def test_the_pdf_is_text_with_every_badge_title_and_verification_link(
    served: Served, locale: str, also: str
) -> None:
    verify = await earn_three(served)
    document, _ = await served.passports.build(ANA, PassportRequested(locale, also=also))
    assert isinstance(document, SendDocument)
    text = pdf_text(document.content)
    assert SOCIAL[locale] in text
    for language in filter(None, (locale, also)):
        t = CATALOGS.get(language)
        assert t.gettext("Skills passport") in text
        for award in await served.passports.awards(ANA):
            title, level = award_names(award, CONTENT, t)
            assert title in text
            assert level in text
    for url in verify:
        assert url in text


@pytest.mark.parametrize("locale", ["en", "ar"])
async def test_the_text_and_the_code_of_each_badge_link_to_its_verification_page(
    served: Served, locale: str
) -> None:
    verify = await earn_three(served)
    document, _ = await served.passports.build(ANA, PassportRequested(locale))
    assert isinstance(document, SendDocument)
    targets = link_targets(document.content)
    assert set(targets) == set(verify)
    # The code, and the link's text (one annotation per line it wraps onto).
    assert all(targets.count(url) >= 2 for url in verify)


async def test_the_fonts_are_embedded_and_arabic_only_where_the_page_has_arabic(
    served: Served,
) -> None:
    await earn_three(served)
    english, _ = await served.passports.build(ANA, PassportRequested("en", also="el"))
    arabic, _ = await served.passports.build(ANA, PassportRequested("ar"))
    assert isinstance(english, SendDocument)
    assert isinstance(arabic, SendDocument)
    assert embedded_fonts(english.content) == {"NotoSans", "NotoSansBold"}
    assert {"NotoSansArabic", "NotoSansArabicBold"} <= embedded_fonts(arabic.content)


async def test_the_pdf_is_a_fraction_of_the_picture_pdf(served: Served) -> None:
    """The passport drawn as one picture per page was 137 KB for two badges in English.

    And 175 KB in Arabic with Slovenian (bench/passport_pdf.py on the picture version).
    """
    for category, level in (("SOC", 2), ("PER", 3)):
        await served.badges.earn(ANA, BadgeEarned(category, level, False, "en"))
    for locale, also, most in (("en", "", 40_000), ("ar", "sl", 64_000)):
        document, _ = await served.passports.build(ANA, PassportRequested(locale, also=also))
        assert isinstance(document, SendDocument)
        assert len(document.content) < most, (locale, also, len(document.content))
