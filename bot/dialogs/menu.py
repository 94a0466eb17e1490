"""The category menu: five topics, the finished ones ticked, and a "More" page for the rest.

The menu is flattened to a WhatsApp list of at most 10 rows, so it stays short: topics,
results, help, talk to a person and "⚙️ More". Entries used now and then go on the More page
(`MORE`): one line each.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.dialogs.content import Content
from bot.dialogs.second_language import toggle_button
from bot.dialogs.ui import audio_button, help_button, human_button, menu_button
from bot.framework.keyboards import Button, Keyboard
from bot.framework.session import Session
from bot.framework.turn import Turn

COUNSELLOR_MARK = "🧑‍🏫"
"""A finished topic a counsellor will look at with the person (not ✅ until they confirm it)."""


def badges_button(turn: Turn) -> Button:
    """🏅 My badges (sends them again)."""
    return Button("🏅 " + turn.t.gettext("My badges"), "nav:badges")


def export_button(turn: Turn) -> Button:
    """💾 Save my data (the export)."""
    return Button("💾 " + turn.t.gettext("Save my data"), "nav:export")


def delete_button(turn: Turn) -> Button:
    """🗑️ Delete my data (asks first)."""
    return Button("🗑️ " + turn.t.gettext("Delete my data"), "nav:delete")


def language_button(turn: Turn) -> Button:
    """🌐 Language."""
    return Button("🌐 " + turn.t.gettext("Language"), "nav:language")


def pause_button(turn: Turn) -> Button:
    """⏸️ Take a break."""
    return Button("⏸️ " + turn.t.gettext("Take a break"), "nav:stop")


def more_button(turn: Turn) -> Button:
    """⚙️ More: the page with the entries used now and then."""
    return Button("⚙️ " + turn.t.gettext("More"), "nav:more")


def hearing_button(turn: Turn) -> Button:
    """🔇/🔊 Read messages aloud: turns the person's audio on or off."""
    return audio_button(turn.t, turn.state)


def passport_button(turn: Turn) -> Button:
    """🪪 Skills passport (a PDF and a link to share)."""
    return Button("🪪 " + turn.t.gettext("Skills passport"), "nav:passport")


def practice_button(turn: Turn) -> Button:
    """🌱 What to practise (tips for the weaker outcomes)."""
    return Button("🌱 " + turn.t.gettext("What to practise"), "nav:practice")


MORE: tuple[Callable[[Turn], Button], ...] = (
    practice_button,
    hearing_button,
    badges_button,
    passport_button,
    export_button,
    language_button,
    toggle_button,
    pause_button,
    delete_button,
)
"""The More page, one row each, in this order (a new entry is one line here)."""


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
    rows.append((help_button(t), more_button(turn)))
    rows.append((human_button(t),))
    text = "🏠 " + t.gettext("Choose a topic. Each takes about 5 minutes.")
    turn.say(f"{intro}\n\n{text}" if intro else text, Keyboard(tuple(rows)), ref="menu")


def more_keyboard(turn: Turn) -> Keyboard:
    """The More page's buttons, with the way back to the topics."""
    rows = [(entry(turn),) for entry in MORE]
    return Keyboard((*rows, (menu_button(turn.t),)))


def show_more(turn: Turn) -> None:
    """The More page: badges, saving and deleting the data, language, a break."""
    turn.say("⚙️ " + turn.t.gettext("What would you like to do?"), more_keyboard(turn), ref="more")


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
