"""The golden transcripts replay unchanged; a changed expectation or a bad input is caught."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.framework.actions import BadgeEarned, HandoffRequested, RelayToCounsellor, SendText
from bot.framework.keyboards import Button, Keyboard
from tests.fakes.chat import ChatClient
from tests.transcripts.replay import HERE, button_payload, difference, replay, update, walks
from tests.transcripts.script import Line, Tap, TranscriptError

WALKS = walks()


def test_the_four_walks_are_stored() -> None:
    names = {path.stem for path in WALKS}
    assert {"clean_social_en", "flagged_personal_sl", "handoff_en", "delete_en"} <= names


@pytest.mark.parametrize("path", WALKS, ids=[path.stem for path in WALKS])
def test_transcript_replays_as_stored(path: Path, update_golden: bool) -> None:
    if update_golden:
        update(path)
    diff = difference(path)
    if diff:
        pytest.fail(
            f"{path.name} no longer replays as stored. If the change is intended, run\n"
            f"  pytest tests/transcripts --update-golden\nand review the diff.\n\n{diff}",
            pytrace=False,
        )


def test_a_changed_expectation_is_reported_as_a_diff(tmp_path: Path) -> None:
    altered = tmp_path / "altered.txt"
    stored = (HERE / "clean_social_en.txt").read_text(encoding="utf-8")
    altered.write_text(stored.replace("Your level: ✅ On my own", "Your level: ⭐ Expert"))
    diff = difference(altered)
    assert "-  Your level: ⭐ Expert\n" in diff
    assert "+  Your level: ✅ On my own\n" in diff


def test_update_rewrites_only_the_bot_lines(tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    shutil.copy(HERE / "delete_en.txt", copy)
    original = copy.read_text(encoding="utf-8")
    copy.write_text(original.replace("< ⚠️ Delete all", "< Delete all"), encoding="utf-8")
    assert update(copy)
    assert copy.read_text(encoding="utf-8") == original
    assert not update(copy)


def test_replay_is_byte_stable() -> None:
    script = (HERE / "flagged_personal_sl.txt").read_text(encoding="utf-8")
    assert replay(script).text == replay(script).text


def test_inputs_alone_give_the_whole_walk() -> None:
    stored = (HERE / "handoff_en.txt").read_text(encoding="utf-8")
    inputs = "\n".join(line for line in stored.splitlines() if line.startswith((">", "#")))
    assert replay(inputs).text == stored


def test_the_slovenian_walk_is_really_flagged() -> None:
    actions = replay((HERE / "flagged_personal_sl.txt").read_text(encoding="utf-8")).actions
    handoffs = [a for a in actions if isinstance(a, HandoffRequested)]
    assert [h.reason for h in handoffs] == ["flags", "person"]  # then 🙋 on the open case
    assert "same_position" in handoffs[0].summary["flags"]
    assert handoffs[0].summary["language"] == "sl"
    assert not any(isinstance(a, BadgeEarned) for a in actions)


def test_the_clean_walk_earns_a_badge_without_a_counsellor() -> None:
    actions = replay((HERE / "clean_social_en.txt").read_text(encoding="utf-8")).actions
    assert not any(isinstance(a, HandoffRequested) for a in actions)
    assert BadgeEarned("SOC", 2, False, "en") in actions


def test_the_handoff_walk_relays_and_validates() -> None:
    actions = replay((HERE / "handoff_en.txt").read_text(encoding="utf-8")).actions
    assert [a.kind for a in actions if isinstance(a, RelayToCounsellor)] == ["text", "voice"]
    assert BadgeEarned("SOC", 2, True, "en") in actions


@pytest.mark.parametrize(
    ("script", "problem"),
    [
        ("> /start\n> tap Klingon\n", "line 2: 0 buttons match in [🗣️ English], "),
        ("> /start\n> tap ✅\n", "line 2: 0 buttons match"),
        ("> wait soon\n", "line 1: a wait needs a number and a unit"),
        ("> counsellor dances\n", "line 1: a counsellor joins, says"),
        (">\n", "line 1: an empty input"),
        ("> tap \n", "line 1: tap needs a button's label"),
    ],
)
def test_bad_inputs_name_their_line(script: str, problem: str) -> None:
    with pytest.raises(TranscriptError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        replay(script)


def test_tap_prefers_the_exact_label_then_one_beginning() -> None:
    client = ChatClient()
    buttons = [Button("Yes", "a"), Button("Yes, start", "b"), Button("Yes, stop", "c")]
    client.sent.append(SendText("?", Keyboard.column(buttons)))
    line = Line(7, "> tap Yes")
    assert button_payload(client, line, Tap("Yes")) == "a"
    assert button_payload(client, line, Tap("Yes, sta")) == "b"
    with pytest.raises(TranscriptError, match="line 7: 2 buttons match"):
        button_payload(client, line, Tap("Yes, "))


def test_wait_moves_the_clock_between_inputs() -> None:
    script = "> /start\n> tap 🗣️ English\n> tap ✅\n> tap 💬\n> wait 1h\n> tap 1️⃣\n"
    assert "after 3606000 ms" in replay(script).text
