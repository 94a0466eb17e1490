"""The counsellors' words for a case (why, flags, topics, levels, waiting time) in one language."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.dialogs.content import Content
from bot.framework.i18n import Translator, gettext

FLAGS = {
    "borderline": gettext("Close to the next level"),
    "inconsistent": gettext("Answers about the same thing disagree"),
    "self_rating_gap": gettext("Own rating differs from the answers"),
    "too_fast": gettext("Answered very fast"),
    "same_position": gettext("Often tapped the same button position"),
    "ceiling": gettext("Chose the top answer almost every time"),
    "too_many_skips": gettext("Skipped many questions"),
}
REASONS = {"flags": gettext("Unclear result"), "person": gettext("Asked for a person")}
REASON_EMOJI = {"flags": "⚠️", "person": "🙋"}


def reason(t: Translator, code: str) -> str:
    """Why the case was opened, in plain words."""
    return t.gettext(REASONS[code]) if code in REASONS else code


def flag_codes(summary: Mapping[str, Any]) -> list[str]:
    """The flag codes of a case summary (plain codes or ``{"code": …}`` dicts)."""
    flags = summary.get("flags") or []
    return [str(f.get("code", "")) if isinstance(f, Mapping) else str(f) for f in flags]


def flag_list(t: Translator, summary: Mapping[str, Any]) -> list[str]:
    """The flags in plain words, each once (with a count when repeated)."""
    counts = Counter(flag_codes(summary))
    return [
        (t.gettext(FLAGS[code]) if code in FLAGS else code) + (f" ({n}×)" if n > 1 else "")
        for code, n in counts.items()
    ]


def flag_words(t: Translator, summary: Mapping[str, Any]) -> str:
    """The flags in plain words, comma-separated, or an empty string."""
    return ", ".join(flag_list(t, summary))


def category_name(t: Translator, content: Content, category: str) -> str:
    """A topic's emoji and name (its id when unknown)."""
    found = next((c for c in content.categories if c.id == category), None)
    if found is None:
        return category
    return f"{found.emoji} {t.pgettext(f'{found.id}.name', found.name)}"


def level_name(t: Translator, content: Content, level: object) -> str:
    """A level's emoji, number and label ("—" when there is none)."""
    if isinstance(level, int) and 0 <= level < len(content.levels):
        scale = content.levels[level]
        return f"{scale.emoji} {level}: {t.pgettext(f'level.{level}.label', scale.label)}"
    return "—"


def age(t: Translator, since: datetime, now: datetime) -> str:
    """How long ago, in short words: ``5 min``, ``3 h 10 min``, ``2 d``."""
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 60:
        return t.gettext("{minutes} min").format(minutes=minutes)
    if minutes < 48 * 60:
        return t.gettext("{hours} h {minutes} min").format(
            hours=minutes // 60, minutes=minutes % 60
        )
    return t.gettext("{days} d").format(days=minutes // (24 * 60))
