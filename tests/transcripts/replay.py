"""Replay a transcript through the real engine and compare it with the stored expectation."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from bot.framework.actions import Action, SendText
from bot.framework.events import ChoiceSelected
from tests.fakes.chat import ChatClient
from tests.transcripts.render import EFFECT, render_action, render_answer, render_result
from tests.transcripts.script import Line, Tap, TranscriptError, Wait, parse

HERE = Path(__file__).parent
SUFFIX = ".txt"


@dataclass(frozen=True, slots=True)
class Replay:
    """The transcript as the engine plays it today, and everything the engine returned."""

    text: str
    actions: list[Action]


def walks(folder: Path = HERE) -> list[Path]:
    """The stored transcripts, by name."""
    return sorted(folder.glob(f"*{SUFFIX}"))


def replay(transcript: str) -> Replay:
    """Run a transcript's inputs with a fixed clock and sequential ids; render the whole walk.

    Comments and inputs are kept as written; every other line is the bot's, rendered anew.
    Each input comes 6 seconds after the one before (plus any `wait`), from 2026-11-28 09:00 UTC.

    Raises:
        TranscriptError: An input that cannot be parsed or applied (such as a missing button).
    """
    client = ChatClient()
    out: list[str] = []
    after_comment = False
    for line in parse(transcript):
        if out and not after_comment:
            out.append("")
        out.append(line.text)
        after_comment = line.step is None
        out += _run(client, line)
    return Replay("\n".join(out) + "\n", client.sent)


def difference(path: Path) -> str:
    """A unified diff from the stored transcript to its replay; empty when they agree."""
    stored = path.read_text(encoding="utf-8")
    replayed = replay(stored).text
    return "".join(
        difflib.unified_diff(
            stored.splitlines(keepends=True),
            replayed.splitlines(keepends=True),
            fromfile=f"{path.name} (stored)",
            tofile=f"{path.name} (replayed)",
        )
    )


def update(path: Path) -> bool:
    """Write the replay over the stored transcript; True when that changed it."""
    stored = path.read_text(encoding="utf-8")
    replayed = replay(stored).text
    if replayed == stored:
        return False
    path.write_text(replayed, encoding="utf-8")
    return True


def _run(client: ChatClient, line: Line) -> list[str]:
    step = line.step
    if step is None:
        return []
    if isinstance(step, Wait):
        client.now += step.delta
        return []
    event = ChoiceSelected(button_payload(client, line, step)) if isinstance(step, Tap) else step
    before, logged = client.session, len(client.logged)
    results = dict(before.results) if before else {}
    actions = client.apply(event)
    lines = [render_answer(record) for record in client.logged[logged:]]
    after = client.session.results if client.session else {}
    lines += [render_result(c, r) for c, r in after.items() if results.get(c) != r]
    lines += [text for action in actions for text in render_action(action)]
    if before is not None and client.session is None:
        lines.append(EFFECT + "conversation state erased")
    return lines


def button_payload(client: ChatClient, line: Line, tap: Tap) -> str:
    """The payload of the last keyboard's button with that label, or the one it begins.

    Raises:
        TranscriptError: No button, or more than one, fits.
    """
    keyboards = (a.keyboard for a in reversed(client.sent) if isinstance(a, SendText))
    keyboard = next((k for k in keyboards if k is not None), None)
    buttons = keyboard.buttons() if keyboard else []
    exact = [b for b in buttons if b.label == tap.label]
    found = exact or [b for b in buttons if b.label.startswith(tap.label)]
    if len(found) != 1:
        labels = ", ".join(f"[{b.label}]" for b in buttons) or "no buttons"
        raise TranscriptError(line.number, line.text, f"{len(found)} buttons match in {labels}")
    return found[0].payload
