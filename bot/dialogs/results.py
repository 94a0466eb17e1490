"""Results: score a finished category, say it in a few words, and show the result picture."""

from __future__ import annotations

from bot.dialogs import handoff, progress
from bot.dialogs.content import Content
from bot.dialogs.menu import COUNSELLOR_MARK, category_name, with_counsellor
from bot.dialogs.scoring import CategoryResult, score_category
from bot.framework.actions import BadgeEarned, SendResultPicture
from bot.framework.turn import Turn, without_symbols


def finish_category(turn: Turn, content: Content) -> str:
    """Score the open category, keep the result with its flags, and return the summary."""
    state = turn.state
    category_id = state.category or ""
    result = score_category(content, category_id, state.answers.get(category_id, {}))
    progress.store_result(turn, category_id, result.to_json())
    # The answers stay in the answers log; the state keeps only the open category's, so it
    # stays small (it is read and written on every event).
    state.answers.pop(category_id, None)
    if result.flags:
        handoff.request(turn, "flags")
    return _summary(turn, content, result)


def award_badge(turn: Turn, category_id: str) -> None:
    """After the summary and picture: the badge, when the result earns one."""
    badge_level = turn.state.results[category_id].get("badge_level")
    if badge_level is not None:
        first_name = turn.state.first_name or ""
        turn.emit(BadgeEarned(category_id, int(badge_level), False, turn.t.locale, first_name))


def levels_of(turn: Turn, content: Content) -> dict[str, int | None]:
    """Each category's level, None where not finished."""
    results = turn.state.results
    return {c.id: results[c.id]["level"] if c.id in results else None for c in content.categories}


def show_picture(turn: Turn, content: Content, caption: str = "") -> None:
    """The picture with all five categories; a flagged one shows its own mark, not a level."""
    flagged = tuple(c.id for c in content.categories if with_counsellor(turn.state, c.id))
    earlier = progress.earlier_levels(turn, content)
    summary = all_summaries(turn, content)  # the picture's words: its alt text and its speech
    turn.emit(
        SendResultPicture(
            levels_of(turn, content), turn.t.locale, caption or summary, flagged, earlier
        )
    )
    turn.hear(without_symbols(summary))


def all_summaries(turn: Turn, content: Content) -> str:
    """One line per finished category."""
    lines = []
    for category in content.categories:
        data = turn.state.results.get(category.id)
        if data is not None:
            if with_counsellor(turn.state, category.id):
                shown = f"{COUNSELLOR_MARK} " + turn.t.gettext("With a counsellor")
            else:
                shown = _level_text(
                    turn, content, turn.state.validated.get(category.id, data["level"])
                )
            lines.append(f"{category.emoji} {category_name(turn, content, category.id)}: {shown}")
    return "\n".join(lines)


def _summary(turn: Turn, content: Content, result: CategoryResult) -> str:
    t = turn.t
    name = category_name(turn, content, result.category)
    if result.flags:  # no level and no cheering: what happened and what comes next
        return "\n".join(
            [
                "🏁 " + t.gettext("You finished this topic:") + f" {name}",
                f"{COUNSELLOR_MARK} "
                + t.gettext("A counsellor will look at your answers with you."),
                "💬 " + t.gettext("They will write to you here."),
                "👉 " + t.gettext("You can go on with another topic now."),
            ]
        )
    done, level = t.gettext("Well done! You finished:"), t.gettext("Your level")
    lines = [
        f"🎉 {done} {name}",
        f"{level}: {_level_text(turn, content, result.level)}",
    ]
    if result.badge_level is not None:
        lines.append("🏅 " + t.gettext("You can get a badge for this topic."))
    return "\n".join(lines)


def _level_text(turn: Turn, content: Content, level: int | None) -> str:
    if level is None:
        return "—"
    scale = content.levels[level]
    return f"{scale.emoji} {turn.t.pgettext(f'level.{level}.label', scale.label)}"
