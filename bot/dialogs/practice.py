"""What to practise next: up to three short tips for weak outcomes, and "I tried it" ticks."""

from __future__ import annotations

from typing import Any, Final

from bot.dialogs.content import Content, OutcomeId
from bot.framework.keyboards import Button, Keyboard
from bot.framework.turn import Turn, without_symbols

MAX_TIPS: Final = 3
ON_MY_OWN: Final = 2


def weak_outcomes(content: Content, result: dict[str, Any]) -> list[OutcomeId]:
    """Outcomes below "on my own": by scenario answers, or the person's own rating of the skill.

    Lowest levels come first; an outcome without any evidence is not a weakness.
    """
    levels: dict[str, int | None] = result.get("outcome_levels", {})
    rated: dict[str, int | None] = result.get("self_ratings", {})
    found: list[tuple[int, OutcomeId]] = []
    for outcome in content.outcomes_of(result["category"]):
        level, own = levels.get(outcome.id), rated.get(outcome.skill)
        lows = [x for x in (level, own) if x is not None and x < ON_MY_OWN]
        if lows:
            found.append((min(lows), outcome.id))
    return [outcome_id for _, outcome_id in sorted(found)]


def next_tips(turn: Turn, content: Content, category_id: str | None = None) -> list[OutcomeId]:
    """At most three tips, from one topic or all finished ones; tips not yet tried first."""
    results = turn.state.results
    topics = [category_id] if category_id else [c.id for c in content.categories]
    weak = [
        o for topic in topics if topic in results for o in weak_outcomes(content, results[topic])
    ]
    tried = turn.state.practice
    return sorted(weak, key=lambda outcome_id: len(tried.get(outcome_id, [])))[:MAX_TIPS]


def tip_text(turn: Turn, content: Content, outcome_id: str) -> str:
    """An outcome's tip in the person's language."""
    outcome = content.outcomes[OutcomeId(outcome_id)]
    return turn.t.pgettext(f"{outcome_id}.tip", outcome.tip)


def offer_tips(turn: Turn, content: Content, category_id: str | None = None) -> bool:
    """Send up to three tips, each with its "I tried it" button; False when there is none."""
    tips = next_tips(turn, content, category_id)
    if not tips:
        return False
    t = turn.t
    turn.say("🌱 " + t.gettext("Something to practise next:"))
    for outcome_id in tips:
        text = tip_text(turn, content, outcome_id)
        turn.hear(without_symbols(text))
        tried = Button("👍 " + t.gettext("I tried it"), f"tip:{outcome_id}")
        turn.say(text, Keyboard(((tried,),)), ref=f"tip:{outcome_id}")
    return True


def show_practice(turn: Turn, content: Content) -> None:
    """The menu entry: the tips, or a kind word when there is nothing to practise."""
    count = tried_count(turn)
    if count:
        turn.say(tried_line(turn, count))
    if not offer_tips(turn, content):
        turn.say("🌟 " + turn.t.gettext("No tips right now. Finish a topic to get some."))


def tried_count(turn: Turn) -> int:
    """How many times the person said they tried a tip."""
    return sum(len(days) for days in turn.state.practice.values())


def tried_line(turn: Turn, count: int) -> str:
    """The count of tried tips as "Tips you tried: 3" (no plural forms to get wrong)."""
    return "👍 " + turn.t.gettext("Tips you tried: {count}").format(count=count)


def on_tried(turn: Turn, content: Content, outcome_id: str) -> bool:
    """Record a tick with today's date; False for an unknown outcome."""
    if outcome_id not in content.outcomes:
        return False
    turn.state.practice.setdefault(outcome_id, []).append(turn.now.date().isoformat())
    count = tried_count(turn)
    t = turn.t
    thanks = "🌟 " + t.gettext("Well done! Keep practising.")
    turn.say(f"{thanks}\n{tried_line(turn, count)}")
    return True
