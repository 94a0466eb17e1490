"""Progress over time: earlier results kept per topic, and one offer to retake a topic."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Final

from bot.dialogs.content import Content
from bot.dialogs.menu import category_name
from bot.framework.keyboards import Button, Keyboard
from bot.framework.turn import Turn

RETAKE_AFTER_DAYS: Final = 14
"""The default wait before a finished topic is offered again (RETAKE_AFTER_DAYS)."""


def store_result(turn: Turn, category_id: str, result: dict[str, Any]) -> None:
    """Keep a new result, moving the one it replaces into the topic's history."""
    state = turn.state
    earlier = state.results.get(category_id)
    if earlier is not None:
        state.history.setdefault(category_id, []).append(
            {
                "level": earlier.get("level"),
                "badge_level": earlier.get("badge_level"),
                "finished_at": earlier.get("finished_at"),
            }
        )
    state.results[category_id] = {**result, "finished_at": turn.now.isoformat()}
    if category_id in state.retake_offered:
        state.retake_offered.remove(category_id)


def earlier_levels(turn: Turn, content: Content) -> dict[str, int | None]:
    """Each topic's level before the latest result (None: taken once, or not at all)."""
    history = turn.state.history
    return {
        c.id: history[c.id][-1]["level"] if history.get(c.id) else None for c in content.categories
    }


def due_for_retake(turn: Turn, content: Content, after_days: int) -> str | None:
    """The first topic finished at least `after_days` ago and not offered again yet."""
    state = turn.state
    for category in content.categories:
        result = state.results.get(category.id)
        if result is None or category.id in state.retake_offered:
            continue
        finished = result.get("finished_at")
        if finished and turn.now - datetime.fromisoformat(finished) >= timedelta(days=after_days):
            return category.id
    return None


def offer_retake(turn: Turn, content: Content, after_days: int) -> bool:
    """Offer, once per result, to take a topic again; False when none is due."""
    category_id = due_for_retake(turn, content, after_days)
    if category_id is None:
        return False
    state, t = turn.state, turn.t
    state.retake_offered.append(category_id)
    state.step, state.category = "menu", None
    emoji = content.category(category_id).emoji
    text = "⏰ " + t.gettext("Some time has passed. Do you want to do this topic again?")
    text += f"\n{emoji} {category_name(turn, content, category_id)}"
    keyboard = Keyboard(
        (
            (Button("🔁 " + t.gettext("Yes, again"), f"cat:{category_id}"),),
            (Button("🏠 " + t.gettext("Not now"), "nav:menu"),),
        )
    )
    turn.say(text, keyboard, ref="retake")
    return True
