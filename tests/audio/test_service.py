"""The audio service with the real espeak-ng and opusenc: cache, recordings, joined segments."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.audio import AudioService
from bot.audio.ogg import is_ogg_opus, seconds
from bot.audio.service import open_audio, recorded_name, segments
from bot.audio.tools import Tools
from bot.audio.voices import VOICES, installed_voices, voice_for
from bot.framework.i18n import Catalogs

ROOT = Path(__file__).resolve().parents[2]


def test_every_shipped_language_has_an_espeak_voice() -> None:
    languages = Catalogs(ROOT / "locales", "en").languages
    assert set(languages) <= set(VOICES), "add the language to bot/audio/voices.py"
    installed = installed_voices()
    missing = [code for code in languages if voice_for(code) not in installed]
    assert missing == []


def test_options_are_spoken_as_number_then_text() -> None:
    text = "A friend is late.\nWhat do you do?\n1: I wait.\n2. I call her."
    assert segments(text) == [
        "A friend is late.",
        "What do you do?",
        "1",
        "I wait.",
        "2",
        "I call her.",
    ]


async def test_a_message_is_spoken_as_ogg_opus_and_cached(audio: AudioService) -> None:
    text = "Ein Kollege ist heute traurig.\nWas tun Sie?\n1: Ich frage ihn.\n2: Ich warte."
    first = await audio.path("de", text)
    assert is_ogg_opus(first.read_bytes())
    assert 3.0 < seconds(first.read_bytes()) < 30.0
    assert first.parent == audio.cache_dir
    assert first.name == audio.name("de", text)
    made = first.stat().st_mtime_ns
    again = await audio.path("de", text)
    assert again == first
    assert again.stat().st_mtime_ns == made
    assert not list(audio.cache_dir.glob("*.part"))


async def test_the_cache_is_by_language_and_text(audio: AudioService) -> None:
    names = {audio.name("en", "Hello"), audio.name("de", "Hello"), audio.name("en", "Hello!")}
    assert len(names) == 3
    assert (await audio.path("en", "Hello")).name == audio.name("en", "Hello")


async def test_a_recording_wins_over_speech(audio: AudioService, recorded: Path) -> None:
    spoken = await audio.path("en", "I ask for help.")
    (recorded / "sl").mkdir()
    recording = recorded / "sl" / recorded_name("I ask for help.")
    shutil.copyfile(spoken, recording)
    assert await audio.path("sl", "I ask for help.") == recording


async def test_a_recorded_option_is_joined_into_the_question(
    audio: AudioService, recorded: Path
) -> None:
    long_option = await audio.path("en", "This recording is quite a bit longer than the text.")
    (recorded / "en").mkdir()
    shutil.copyfile(long_option, recorded / "en" / recorded_name("Yes."))
    plain = await audio.ogg("en", "Question?\n1: No.")
    with_recording = await audio.ogg("en", "Question?\n1: Yes.")
    assert seconds(with_recording) > seconds(plain) + 1.0


async def test_files_are_served_by_name_only_once_offered(audio: AudioService) -> None:
    assert await audio.file(audio.name("en", "Good morning")) is None
    name = audio.offer("en", "Good morning")
    path = await audio.file(name)
    assert path is not None
    assert is_ogg_opus(path.read_bytes())
    assert await audio.file("../../etc/passwd") is None


def test_without_espeak_audio_is_off_and_says_so_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no programs at all on this PATH
    assert open_audio(tmp_path, tmp_path) is None
    lines = [r.getMessage() for r in caplog.records if "audio is off" in r.getMessage()]
    assert len(lines) == 1
    assert "espeak-ng" in lines[0]


async def test_a_failing_voice_is_logged_and_skipped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    tools = Tools("false", "false", "false")  # programs that always fail
    audio = AudioService(tools, tmp_path / "cache", tmp_path / "recorded")
    assert await audio.speech("en", "Hello") is None
    assert await audio.speech("en", " \n ") is None  # nothing to say
    assert any("no speech for a en message" in r.getMessage() for r in caplog.records)
