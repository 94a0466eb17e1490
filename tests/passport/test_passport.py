"""The skills passport: the PDF's QR codes open the verification pages, the link can be revoked."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import aiohttp
import pytest
import zxingcpp
from PIL import Image

from bot.delivery.parts import PassportData
from bot.framework.actions import (
    BadgeEarned,
    DataErased,
    PassportRequested,
    PassportRevoked,
    SendDocument,
    SendText,
)
from bot.framework.session import SessionKey
from tests.passport.conftest import Served

ANA = SessionKey("web", "chat-ana")
SHARE = re.compile(r"https?://\S+/p/[A-Za-z0-9_-]+")


def pdf_pages(pdf: bytes, tmp_path: Path) -> list[Image.Image]:
    """The PDF's pages as pictures (pdftoppm, 150 dpi, greyscale as a printer would)."""
    source = tmp_path / "passport.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-gray", "-png", source, tmp_path / "page"], check=True
    )
    pages = []
    for path in sorted(tmp_path.glob("page*.png")):
        with Image.open(path) as page:
            pages.append(page.copy())
    return pages


def decoded(pages: list[Image.Image]) -> set[str]:
    return {result.text for page in pages for result in zxingcpp.read_barcodes(page)}


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
