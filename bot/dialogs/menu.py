"""The category menu: five topics, the finished ones ticked."""

from __future__ import annotations

from bot.dialogs.content import Content
from bot.dialogs.second_language import toggle_button
from bot.dialogs.ui import help_button, human_button
from bot.framework.keyboards import Button, Keyboard
from bot.framework.session import Session
from bot.framework.turn import Turn

COUNSELLOR_MARK = "🧑‍🏫"
"""A finished topic a counsellor will look at with the person (not ✅ until they confirm it)."""


def show_menu(turn: Turn, content: Content, intro: str = "") -> None:
    """Send the menu; a finished category shows ✅ (🧑‍🏫 when flagged), one begun ⏸️."""
    state = turn.state
    state.step, state.category = "menu", None
    t = turn.t
    rows: list[tuple[Button, ...]] = [
        (Button(_label(turn, content, category.id), f"cat:{category.id}"),)
        for category in content.categories
    ]
    if state.results:
        rows.append((Button("📊 " + t.gettext("My results"), "nav:results"),))
    rows.append((Button("🌐 " + t.gettext("Language"), "nav:language"), help_button(t)))
    rows.append((toggle_button(turn), human_button(t)))
    text = "🏠 " + t.gettext("Choose a topic. Each takes about 5 minutes.")
    turn.say(f"{intro}\n\n{text}" if intro else text, Keyboard(tuple(rows)), ref="menu")


def category_name(turn: Turn, content: Content, category_id: str) -> str:
    """A category's name in the person's language."""
    return turn.t.pgettext(f"{category_id}.name", content.category(category_id).name)


def with_counsellor(state: Session, category_id: str) -> bool:
    """A finished category that was flagged and that no counsellor has confirmed yet."""
    result = state.results.get(category_id)
    return bool(result and result.get("flags")) and category_id not in state.validated


def _label(turn: Turn, content: Content, category_id: str) -> str:
    category = content.category(category_id)
    name = category_name(turn, content, category_id)
    if with_counsellor(turn.state, category_id):
        return f"{category.emoji} {name} {COUNSELLOR_MARK}"
    if category_id in turn.state.results:
        return f"{category.emoji} {name} ✅"
    if turn.state.answers.get(category_id):
        return f"{category.emoji} {name} ⏸️"
    return f"{category.emoji} {name}"
