"""Each catalog in locales/ has every string of the code and the content, placeholders intact."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from bot.config import DEFAULT_LOCALES

ROOT = Path(__file__).resolve().parent.parent
METHODS = [("bot/**.py", "python"), ("data/spocc.yaml", "bot.dialogs.extract:extract_spocc")]
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%(?:\([^)]*\))?[sd]")
LANGUAGES = sorted(p.parent.parent.name for p in DEFAULT_LOCALES.glob("*/LC_MESSAGES/messages.po"))

Key = tuple[str | None, str]


def extracted() -> set[Key]:
    """What the code and the content ask to be translated, freshly extracted."""
    found: set[Key] = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(ROOT), METHODS, keywords=DEFAULT_KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        found.add((context, msgid))
    return found


def catalog(language: str) -> dict[Key, str]:
    with (DEFAULT_LOCALES / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        po = read_po(handle)
    return {(m.context, str(m.id)): str(m.string) for m in po if m.id and not m.fuzzy}


@pytest.fixture(scope="module")
def wanted() -> set[Key]:
    return extracted()


def test_english_and_slovenian_are_shipped() -> None:
    assert {"en", "sl"} <= set(LANGUAGES)


def test_extraction_finds_ui_strings_and_content(wanted: set[Key]) -> None:
    assert (None, "Help") in wanted
    assert any(context == "SC-SOC-01.situation" for context, _ in wanted)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_has_every_string(language: str, wanted: set[Key]) -> None:
    have = catalog(language)
    missing = sorted(f"{ctx or ''}|{msgid}" for ctx, msgid in wanted if not have.get((ctx, msgid)))
    assert not missing, f"{language}: {len(missing)} untranslated, e.g. {missing[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_match(language: str) -> None:
    wrong = [
        msgid
        for (_, msgid), text in catalog(language).items()
        if text and sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(text))
    ]
    assert not wrong, f"{language}: placeholders differ in {wrong[:5]}"


def test_status_command_prints_every_catalog_with_its_review_state() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "i18n_status.py")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = {line.split()[0]: line for line in done.stdout.splitlines()[1:]}
    assert set(lines) == set(LANGUAGES)
    assert "not yet reviewed" in lines["ar"]
    assert lines["en"].split()[2] == "0"
