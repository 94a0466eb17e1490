"""The category menu: five topics, the finished ones ticked."""

from __future__ import annotations

from bot.dialogs.content import Content
from bot.dialogs.second_language import toggle_button
from bot.dialogs.ui import audio_button, help_button, human_button
from bot.framework.keyboards import Button, Keyboard
from bot.framework.turn import Turn


def show_menu(turn: Turn, content: Content, intro: str = "") -> None:
    """Send the menu; a finished category shows ✅, one begun shows ⏸️."""
    state = turn.state
    state.step, state.category = "menu", None
    t = turn.t
    rows: list[tuple[Button, ...]] = [
        (Button(_label(turn, content, category.id), f"cat:{category.id}"),)
        for category in content.categories
    ]
    if state.results:
        rows.append((Button("📊 " + t.gettext("My results"), "nav:results"),))
        rows.append((Button("🌱 " + t.gettext("What to practise"), "nav:practice"),))
    language = Button("🌐 " + t.gettext("Language"), "nav:language")
    rows.append((language, audio_button(t, state), help_button(t)))
    rows.append((toggle_button(turn), human_button(t)))
    text = "🏠 " + t.gettext("Choose a topic. Each takes about 5 minutes.")
    turn.say(f"{intro}\n\n{text}" if intro else text, Keyboard(tuple(rows)), ref="menu")


def category_name(turn: Turn, content: Content, category_id: str) -> str:
    """A category's name in the person's language."""
    return turn.t.pgettext(f"{category_id}.name", content.category(category_id).name)


def _label(turn: Turn, content: Content, category_id: str) -> str:
    category = content.category(category_id)
    name = category_name(turn, content, category_id)
    if category_id in turn.state.results:
        return f"{category.emoji} {name} ✅"
    if turn.state.answers.get(category_id):
        return f"{category.emoji} {name} ⏸️"
    return f"{category.emoji} {name}"
