"""The plain export: a small HTML page in the person's language, sent with the JSON file."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from bot.dialogs.content import Content
from bot.framework.i18n import Translator

FILENAME = "my-skills-summary.html"
_STYLE = (
    "body{font:18px/1.5 system-ui,sans-serif;margin:1em auto;max-width:36em;padding:0 1em}"
    "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.5em}li{margin:.4em 0}"
    "a{display:inline-block;min-height:44px;line-height:44px}"
)


def summary_page(data: Mapping[str, Any], t: Translator, content: Content) -> bytes:
    """The page: topics and levels, badges with their links, what is kept and how to delete it.

    Args:
        data: The complete export (the JSON file's content).
        t: The person's language.
        content: For the topics' and levels' names.

    Returns:
        A self-contained UTF-8 HTML document (no scripts, no outside files).
    """
    state = data.get("state") or {}
    title = t.gettext("My skills: a summary")
    made = str(data.get("exported_at", ""))[:10]
    body = [
        f"<h1>📄 {_e(title)}</h1>",
        f"<p>{_e(t.gettext('Made on'))} {_e(made)}</p>",
        f"<h2>📊 {_e(t.gettext('My results'))}</h2>",
        _topics(state, t, content),
        f"<h2>🏅 {_e(t.gettext('My badges'))}</h2>",
        _badges(data.get("badges", []), t, content),
        f"<h2>🔒 {_e(t.gettext('What the bot keeps about you'))}</h2>",
        "<p>"
        + _e(
            t.gettext(
                "Your language, your answers and results, your badges and your messages with"
                " a counsellor. Your name only if you gave one for your badges."
            )
        )
        + "</p>",
        "<p>" + _e(t.gettext("The other file has all of it, in a form for computers.")) + "</p>",
        f"<h2>🗑️ {_e(t.gettext('How to delete it'))}</h2>",
        "<p>"
        + _e(t.gettext("In the chat, tap ⚙️ More, then 🗑️ Delete my data. Or send /delete."))
        + " "
        + _e(t.gettext("Your badges will stop working: their links will say they were withdrawn."))
        + "</p>",
    ]
    direction = "rtl" if t.rtl else "ltr"
    page = (
        f'<!doctype html>\n<html lang="{_e(t.locale)}" dir="{direction}">\n<head>\n'
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
    return page.encode()


def _topics(state: Mapping[str, Any], t: Translator, content: Content) -> str:
    results: Mapping[str, Any] = state.get("results") or {}
    validated: Mapping[str, int] = state.get("validated") or {}
    items = []
    for category in content.categories:
        name = t.pgettext(f"{category.id}.name", category.name)
        result = results.get(category.id)
        if result is None:
            shown = t.gettext("Not done yet")
        elif category.id in validated:
            level = _level(int(validated[category.id]), t, content)
            shown = f"{level} ✅ " + t.gettext("confirmed by a counsellor")
        elif result.get("flags"):
            shown = "🧑‍🏫 " + t.gettext("With a counsellor")
        else:
            shown = _level(result.get("level"), t, content)
        items.append(f"<li>{_e(category.emoji)} <b>{_e(name)}</b>: {_e(shown)}</li>")
    return f"<ul>{''.join(items)}</ul>"


def _badges(badges: list[Mapping[str, Any]], t: Translator, content: Content) -> str:
    if not badges:
        return f"<p>{_e(t.gettext('You have no badges yet. Finish a topic to earn one.'))}</p>"
    items = []
    for badge in badges:
        category_id, _, rest = str(badge.get("badge_class", "")).partition("-")
        level_text = rest.split("-", 1)[0]
        category = next((c for c in content.categories if c.id.lower() == category_id), None)
        name = t.pgettext(f"{category.id}.name", category.name) if category else category_id
        level = _level(int(level_text), t, content) if level_text.isdecimal() else ""
        issued = str(badge.get("issued_on", ""))[:10]
        link = str(badge.get("verify_url", ""))
        note = " · " + t.gettext("withdrawn") if badge.get("revoked") else ""
        items.append(
            f"<li><b>{_e(name)}</b>, {_e(level)} · {_e(issued)}{_e(note)}<br>"
            f'<a href="{_e(link)}">{_e(t.gettext("Open the badge page"))}</a></li>'
        )
    return f"<ul>{''.join(items)}</ul>"


def _level(level: object, t: Translator, content: Content) -> str:
    if not isinstance(level, int) or not 0 <= level < len(content.levels):
        return "—"
    scale = content.levels[level]
    return f"{scale.emoji} {t.pgettext(f'level.{level}.label', scale.label)}"


def _e(value: str) -> str:
    return html.escape(value, quote=True)
