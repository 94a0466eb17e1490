"""The console in the counsellor's language: the chosen one after login, the browser's before."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bot.config import DEFAULT_LOCALES
from bot.framework.i18n import Catalogs
from tests.counsel.console_support import console_client, running_console
from tests.language_check import strays

CATALOGS = Catalogs(DEFAULT_LOCALES)
CONSOLE_LANGUAGES = ("en", "sl", "hr", "it", "el", "nl", "de")


class _Shown(HTMLParser):
    """The texts a person sees: text between tags, and the words of buttons and options."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append(data.strip())


def shown(page: str) -> list[str]:
    parser = _Shown()
    parser.feed(page)
    return parser.texts


def english_left(page: str, language: str) -> list[tuple[str, str]]:
    """Sentences of another catalog on the page, and whole English texts (a heading, a button)."""
    texts = shown(page)
    translated = CATALOGS.get(language).messages
    english = {msgid for (ctx, msgid), said in translated.items() if ctx is None and said != msgid}
    words = [(text, text) for text in texts if re.sub(r"^\W+", "", text) in english]
    return strays(texts, language) + words


async def test_a_counsellor_who_chose_slovenian_sees_the_console_in_slovenian(
    tmp_path: Path,
) -> None:
    sl = CATALOGS.get("sl")
    async with running_console(tmp_path) as app, console_client(app.url) as ana:
        case = await app.open_case("first")
        await app.open_case("second", {"category": "CRE", "level": 1, "language": "sl"})
        await ana.login()
        await ana.get("/counsellor")
        status, where, _ = await ana.post("/counsellor/language", {"language": "sl"})
        assert (status, where) == (303, "/counsellor?done=language")
        pages = [(await ana.get(where))[1]]
        pages.append((await ana.get(f"/counsellor/cases/{case.id}"))[1])  # not taken yet
        status, where, _ = await ana.post(f"/counsellor/cases/{case.id}/claim")
        pages.append((await ana.get(where))[1])  # taken: notice, buttons, decide, history
        await ana.post(f"/counsellor/cases/{case.id}/reply", {"text": "Živjo"})
        status, _, refused = await ana.post(f"/counsellor/cases/{case.id}/reply", {"text": " "})
        assert status == 400
        pages += [(await ana.get(f"/counsellor/cases/{case.id}"))[1], refused]
        counsellors = await app.cases.counsellors()

    assert [c.language for c in counsellors if c.name == "Ana Novak"] == ["sl"]
    queue, free, taken, talked, refused = pages
    assert all('<html lang="sl"' in page for page in pages)
    assert sl.gettext("The console speaks your language now.") in queue
    assert sl.gettext("Cases: {count}, oldest first.").format(count=2) in queue
    assert sl.gettext("Unclear result") in queue
    assert sl.gettext("Answered very fast") in queue  # a flag
    assert sl.gettext("Take this case") in free
    assert sl.gettext("Give back to the queue") in taken
    assert sl.gettext("Confirm this level and give the badge") in taken
    assert sl.pgettext("SOC.name", "Social") in taken  # a topic from the content catalog
    assert sl.pgettext("level.3.label", "") in taken
    assert sl.gettext("took the case") in talked
    assert (
        sl.gettext("Please write a message of 1 to {count} characters.").format(count=2000)
        in refused
    )
    for page in pages:
        assert english_left(page, "sl") == []


@pytest.mark.parametrize("language", CONSOLE_LANGUAGES)
async def test_the_login_page_follows_the_browsers_language(tmp_path: Path, language: str) -> None:
    t = CATALOGS.get(language)
    header = f"{language}-XX,{language};q=0.9,en;q=0.5" if language != "en" else "fr,en;q=0.8"
    async with running_console(tmp_path) as app, console_client(app.url) as browser:
        browser.http.headers["Accept-Language"] = header
        status, page = await browser.get("/counsellor/login")
        _, _, wrong = await browser.post(
            "/counsellor/login", {"name": "Ana Novak", "password": "not the one"}
        )

    assert status == 200
    assert f'<html lang="{language}"' in page
    assert f">{t.gettext('Log in')}</button>" in page
    assert t.gettext("The name or the password is wrong.") in wrong
    assert english_left(page, language) == []
    assert english_left(wrong, language) == []
