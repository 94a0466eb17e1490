"""Issue 12 item 13: the read-aloud switch says "On"/"Off" in the person's language."""

from __future__ import annotations

from pathlib import Path

from bot.channels.webchat_labels import page_labels
from bot.config import DEFAULT_LOCALES
from bot.framework.i18n import Catalogs

SCRIPT = Path(__file__).parents[2] / "bot" / "channels" / "webchat_static" / "chat.js"


def test_the_switch_words_are_translated() -> None:
    catalogs = Catalogs(DEFAULT_LOCALES, "en")
    english = page_labels(catalogs.get("en"))
    slovenian = page_labels(catalogs.get("sl"))
    assert (english["on"], english["off"]) == ("On", "Off")
    assert (slovenian["on"], slovenian["off"]) == ("Vklopljeno", "Izklopljeno")
    for language in catalogs.languages:
        labels = page_labels(catalogs.get(language))
        assert labels["on"] != labels["off"]


def test_the_page_shows_no_fixed_english_switch_word() -> None:
    page = (SCRIPT.parent / "index.html").read_text(encoding="utf-8")
    script = SCRIPT.read_text(encoding="utf-8")
    assert ">Off<" not in page
    assert '"Off"' not in script
