"""The build command makes every segment a voice message is joined from, in every language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.audio.__main__ import main
from bot.audio.content import spoken_segments
from bot.audio.service import recorded_name, segments
from bot.framework.actions import SendResultPicture, SendText, SendVoice
from bot.framework.turn import without_symbols
from tests.fakes.chat import ChatClient


@pytest.mark.parametrize("lang", ["de", "ar", "uk"])
def test_every_voice_of_a_walk_is_made_of_built_segments(lang: str) -> None:
    client = ChatClient()
    client.send("/start")
    client.tap_payload(f"lang:{lang}")
    client.tap_payload("audio:on")
    client.tap_payload("consent:yes")
    client.tap_payload("cat:PER")
    for _ in client.content.questions_of("PER"):
        client.tap("2️⃣")
    pictures = [a for a in client.sent if isinstance(a, SendResultPicture)]
    summary = without_symbols(pictures[-1].caption)  # the results picture, spoken as made
    voices = [a for a in client.sent if isinstance(a, SendVoice) and a.text != summary]
    tips = [a for a in client.sent if isinstance(a, SendText) and a.ref.startswith("tip:")]
    built = set(spoken_segments(client.content, client.catalogs.get(lang)))

    # the consent, each question, each tip to practise (besides the picture's summary)
    assert any(isinstance(a, SendVoice) and a.text == summary for a in client.sent)
    assert len(voices) == 1 + len(client.content.questions_of("PER")) + len(tips)
    assert {v.lang for v in voices} == {lang}
    assert {part for v in voices for part in segments(v.text)} <= built


def test_the_recording_script_names_each_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["script", "sl"]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert len(rows) > 100
    assert all(name == recorded_name(text) for name, text in rows)


def test_build_reports_count_size_and_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path))
    assert main(["build", "tr"]) == 0
    out = capsys.readouterr().out
    count = len(spoken_segments_of("tr"))
    assert re.search(rf"^tr: {count} files, [\d.]+ MB, [\d.]+ min of speech, [\d.]+ s$", out, re.M)
    assert re.search(rf"^all: {count} files", out, re.M)
    assert len(list((tmp_path / "audio").glob("*.ogg"))) == count


def spoken_segments_of(lang: str) -> list[str]:
    """The shipped content's segments in `lang`."""
    client = ChatClient()
    return spoken_segments(client.content, client.catalogs.get(lang))
