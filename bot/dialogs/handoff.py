"""Handoff, the person's side: ask for a counsellor, talk through the bot, hear the outcome."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.dialogs.content import Content
from bot.dialogs.menu import category_name
from bot.framework.actions import BadgeEarned, HandoffRequested, RelayToCounsellor, SendAudio
from bot.framework.events import (
    ChoiceSelected,
    CommandReceived,
    CounsellorJoined,
    CounsellorLeft,
    CounsellorMessage,
    CounsellorVoice,
    LevelValidated,
    MediaReceived,
    Reconnected,
    TextReceived,
    ValidationRejected,
)
from bot.framework.session import Session
from bot.framework.turn import Turn

COUNSELLOR_EVENTS = (
    CounsellorJoined,
    CounsellorMessage,
    CounsellorVoice,
    CounsellorLeft,
    LevelValidated,
    ValidationRejected,
)
KEPT_WHILE_CLAIMED = frozenset({"delete", "export", "language", "human", "help"})
"""Commands that still work while a counsellor holds the case (the person's data rights)."""
KEPT_TAPS: tuple[str, ...] = ("del:", "lang:", "nav:human", "nav:help", "nav:more")
KEPT_TAPS += ("nav:language", "nav:delete", "nav:export", "nav:badges")
"""Buttons that still work while a counsellor holds the case: the same rights, by tap."""

GoOn = Callable[[Turn], None]


def case_summary(state: Session) -> dict[str, Any]:
    """What a counsellor sees first: levels, flags, language, invite; never a name or number.

    `category`, `level` and `flags` are of the topic in focus (the one just finished or open,
    else the last flagged one); `results` has every finished topic.
    """
    results = {
        category: {
            "level": result.get("level"),
            "flags": [flag["code"] for flag in result.get("flags", [])],
        }
        for category, result in state.results.items()
    }
    flagged = [category for category, r in results.items() if r["flags"]]
    focus = state.category if state.category in results else None
    focus = focus or (flagged[-1] if flagged else next(reversed(results), None))
    return {
        "category": focus,
        "level": results[focus]["level"] if focus else None,
        "flags": results[focus]["flags"] if focus else [],
        "results": results,
        "flagged": flagged,
        "validated": dict(state.validated),
        "language": state.locale,
        "invite": state.invite,
        **progress_summary(state),
    }


def progress_summary(state: Session) -> dict[str, Any]:
    """Earlier levels per topic and practice ticks per outcome, when the session keeps them.

    `history` and `practice` come with the tips work (Session.history, Session.practice);
    without them (or while they are empty) this adds nothing and the console shows the current
    results with their flags only.
    """
    history: dict[str, list[dict[str, Any]]] = getattr(state, "history", None) or {}
    practice: dict[str, list[str]] = getattr(state, "practice", None) or {}
    earlier = {cat: [row.get("level") for row in rows] for cat, rows in history.items() if rows}
    practised = {outcome: len(days) for outcome, days in practice.items() if days}
    shown: dict[str, Any] = {}
    if earlier:
        shown["earlier"] = earlier
    if practised:
        shown["practised"] = practised
    return shown


def request(turn: Turn, reason: str = "person") -> None:
    """Ask for a counsellor (again, harmlessly: the case service keeps one case per person)."""
    state, t = turn.state, turn.t
    if state.handoff == "claimed":
        turn.say("🧑‍🏫 " + t.gettext("A counsellor is with you. Write your message here."))
        return
    turn.emit(HandoffRequested(reason, case_summary(state)))
    if reason != "person":
        state.handoff = state.handoff or "waiting"
        return
    when = "🕑 " + t.gettext("A counsellor usually answers within one working day.")
    if state.handoff == "waiting":  # a case is open (asked before, or a flagged result)
        told = t.gettext("I told the counsellors again that you want to talk.")
        top = t.gettext("Your request is now at the top of their list.")
        turn.say(f"⏳ {told} {top}\n{when}\n💬 " + t.gettext("They will write to you here."))
    else:
        state.handoff = "waiting"
        turn.say(
            "🙋 "
            + t.gettext("I asked a counsellor to talk with you. They will write to you here.")
            + f"\n{when}\n👉 "
            + t.gettext("You can go on meanwhile.")
        )


def claimed(turn: Turn) -> bool:
    """True when a counsellor holds the case and this event is for them, not the dialogs."""
    event = turn.event
    if turn.session is None or turn.state.handoff != "claimed":
        return False
    if isinstance(event, CommandReceived):
        return event.command.lower() not in KEPT_WHILE_CLAIMED
    if isinstance(event, ChoiceSelected):
        return not event.payload.startswith(KEPT_TAPS)
    if isinstance(event, TextReceived) and event.text.strip().startswith("/"):
        command = event.text.strip()[1:].split(" ", 1)[0].split("@", 1)[0].lower()
        return command not in KEPT_WHILE_CLAIMED
    return isinstance(event, TextReceived | MediaReceived | Reconnected)


def relay(turn: Turn) -> None:
    """While claimed: pass texts and voice notes on; the bot itself says nothing else."""
    event = turn.event
    if isinstance(event, TextReceived) and event.text.strip() and not _is_command(event.text):
        turn.emit(RelayToCounsellor(event.text, "text", "", turn.new_id()))
    elif isinstance(event, MediaReceived) and event.kind in ("voice", "audio"):
        turn.emit(RelayToCounsellor("", "voice", event.file_ref, turn.new_id()))
    else:
        note = turn.t.gettext("A counsellor is with you. Write to them, or send a voice message.")
        turn.say("🧑‍🏫 " + note)


def on_counsellor(turn: Turn, content: Content, go_on: GoOn) -> None:
    """Tell the person what their counsellor did, in their language."""
    state, event, t = turn.state, turn.event, turn.t
    if state.step == "new":  # nobody to tell: an erased or unknown person
        turn.session = None
        return
    if isinstance(event, CounsellorJoined):
        state.handoff = "claimed"
        turn.say(
            "🧑‍🏫 "
            + t.gettext("A counsellor is here now. Write to them, or send a voice message.")
        )
    elif isinstance(event, CounsellorMessage):
        state.handoff = "claimed"
        turn.say("🧑‍🏫 " + event.text, speak=event.text)
    elif isinstance(event, CounsellorVoice):
        state.handoff = "claimed"
        caption = f"🧑‍🏫 {event.caption}".strip()
        turn.emit(SendAudio(event.content, event.mime_type, caption))
    elif isinstance(event, CounsellorLeft):
        _left(turn, event.closed, go_on)
    elif isinstance(event, LevelValidated):
        _validated(turn, content, event)
    elif isinstance(event, ValidationRejected):
        text = t.gettext("The counsellor did not confirm a level this time.")
        turn.say("🤝 " + _with_note(text, event.note))


def _left(turn: Turn, closed: bool, go_on: GoOn) -> None:
    state, t = turn.state, turn.t
    was_claimed, state.handoff = state.handoff == "claimed", None
    if was_claimed:
        turn.say("👋 " + t.gettext("The counsellor has left. You can go on."))
    elif closed:
        turn.say("✅ " + t.gettext("A counsellor has looked at your results. You can go on."))
    else:
        return
    go_on(turn)


def _validated(turn: Turn, content: Content, event: LevelValidated) -> None:
    known = {c.id for c in content.categories}
    if event.category not in known or not 0 <= event.level < len(content.levels):
        return
    turn.state.validated[event.category] = event.level
    t = turn.t
    scale = content.levels[event.level]
    level = f"{scale.emoji} {t.pgettext(f'level.{event.level}.label', scale.label)}"
    name = category_name(turn, content, event.category)
    said = t.gettext("A counsellor confirmed your level:") + f" {name}: {level}"
    turn.say("✅ " + _with_note(said, event.note))
    if event.level >= content.badge_rule.level:
        turn.emit(BadgeEarned(event.category, event.level, True, t.locale))


def _is_command(text: str) -> bool:
    return text.strip().startswith("/")


def _with_note(text: str, note: str) -> str:
    return f"{text}\n💬 {note}" if note.strip() else text
