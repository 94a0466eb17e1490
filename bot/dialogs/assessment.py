"""The assessment of one category: one question per message, answers by tap or by typing."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime

from bot.dialogs.content import Content, Question
from bot.dialogs.matching import match_option
from bot.dialogs.ui import NUMBER_EMOJI, back_button, help_button, human_button
from bot.framework.actions import MarkAnswered
from bot.framework.engine_types import AnswerRecord
from bot.framework.i18n import Translator
from bot.framework.keyboards import Button, Keyboard
from bot.framework.session import Answer
from bot.framework.turn import Turn

SKIP = "-"
MAX_BAR = 20
"""A category with more questions than this shows a scaled bar."""
CHOSEN = "✔️"
"""Marks the answer given before, when the person comes back to a question."""


def start_category(turn: Turn, content: Content, category_id: str) -> None:
    """Open a category at its first unanswered question (or from the top to do it again)."""
    state = turn.state
    questions = content.questions_of(category_id)
    answered = state.answers.get(category_id, {})
    first_open = next((i for i, q in enumerate(questions) if q.id not in answered), 0)
    state.category = category_id
    state.position = 0 if category_id in state.results else first_open
    ask(turn, content)


def current_question(turn: Turn, content: Content) -> Question:
    """The question that is open now."""
    state = turn.state
    return content.questions_of(state.category or "")[state.position]


def ask(turn: Turn, content: Content) -> None:
    """Send the open question, its options in this person's order (the same on every showing)."""
    state = turn.state
    question = current_question(turn, content)
    token = turn.new_id()[:10]
    order = shown_order(str(state.key), question)
    state.step, state.question_token, state.shown_order = "question", token, order
    state.asked_at = turn.now.isoformat()
    total = len(content.questions_of(question.category))
    _say_question(turn, question, state.position, total)


def shown_order(person: str, question: Question) -> tuple[str, ...]:
    """The order of a question's options for one person: shuffled once, seeded, always the same.

    A self-rating is a scale, so it keeps its order. Language switches, Back and reloads show
    the same order, so the person finds their answer where it was.
    """
    order = [option.key for option in question.options]
    if question.kind == "scenario":
        random.Random(f"{person}|{question.id}").shuffle(order)
    return tuple(order)


def repeat_question(turn: Turn, content: Content) -> None:
    """Send the open question again with the same order and token (old copies stay valid)."""
    state = turn.state
    question = current_question(turn, content)
    total = len(content.questions_of(question.category))
    _say_question(turn, question, state.position, total)


def on_choice(turn: Turn, content: Content, payload: str) -> bool:
    """Apply a tapped answer; False when the button belongs to another question."""
    _, token, key = [*payload.split(":"), "", ""][:3]
    if token != turn.state.question_token:
        return False
    question = current_question(turn, content)
    if key != SKIP and question.option(key) is None:
        return False
    record_answer(turn, content, None if key == SKIP else key)
    return True


def on_text(turn: Turn, content: Content, text: str) -> bool:
    """Apply a typed answer ("2", "B", "٢", the option's words); False if not understood."""
    question = current_question(turn, content)
    labels = [option_text(turn, question, key) for key in turn.state.shown_order]
    labels.append(skip_label(turn))
    index = match_option(text, labels)
    if index is None:
        return False
    keys = [*turn.state.shown_order, SKIP]
    record_answer(turn, content, None if keys[index] == SKIP else keys[index])
    return True


def record_answer(turn: Turn, content: Content, key: str | None) -> None:
    """Keep the answer (latest wins; the log keeps all), mark it, and move on."""
    state = turn.state
    question = current_question(turn, content)
    option = question.option(key) if key else None
    answer = Answer(
        question_id=question.id,
        option_key=key,
        level=option.level if option else None,
        position=state.shown_order.index(key) if key else None,
        shown_order=state.shown_order,
        elapsed_ms=_elapsed_ms(state.asked_at, turn.now),
        answered_at=turn.now.isoformat(),
    )
    state.answers.setdefault(question.category, {})[question.id] = answer
    turn.answers.append(AnswerRecord(question.category, answer))
    label = option_text(turn, question, key) if key else skip_label(turn)
    turn.emit(MarkAnswered(f"q:{state.question_token}", label))
    state.position += 1
    state.strikes = 0


def category_finished(turn: Turn, content: Content) -> bool:
    """True when the last question of the open category has been answered."""
    state = turn.state
    return state.position >= len(content.questions_of(state.category or ""))


def option_text(turn: Turn, question: Question, key: str) -> str:
    """An option's text in the person's language."""
    return turn.t.pgettext(f"{question.id}.{key}", _option_source(question, key))


def _option_source(question: Question, key: str) -> str:
    option = question.option(key)
    return option.text if option else key


def skip_label(turn: Turn) -> str:
    """The always-present way out of a question."""
    return "🤷 " + turn.t.gettext("This never happens to me / I don't know")


def question_speech(t: Translator, question: Question, order: Sequence[str]) -> str:
    """What is read aloud: the situation, the question, then each option with its number."""
    options = [t.pgettext(f"{question.id}.{key}", _option_source(question, key)) for key in order]
    spoken = [
        t.pgettext(f"{question.id}.situation", question.situation),
        t.pgettext(f"{question.id}.question", question.question),
        *(f"{number}. {text}" for number, text in enumerate(options, start=1)),
    ]
    return "\n".join(spoken)


def _say_question(turn: Turn, question: Question, position: int, total: int) -> None:
    spoken = question_speech(turn.t, question, turn.state.shown_order)
    turn.hear(spoken)
    turn.say(
        _question_text(turn, question, position, total),
        _keyboard(turn, question),
        ref=f"q:{turn.state.question_token}",
        speak=spoken,
    )


def progress_bar(position: int, total: int) -> str:
    """One mark per question, this one filled: `●●●●○○○○○○○○○ 4 / 13`, full on the last."""
    number = position + 1
    width = min(total, MAX_BAR)
    done = width if number >= total else min(width - 1, round(width * number / total))
    return f"{'●' * done}{'○' * (width - done)} {number} / {total}"


def _question_text(turn: Turn, question: Question, position: int, total: int) -> str:
    t = turn.t
    progress = progress_bar(position, total)
    situation = t.pgettext(f"{question.id}.situation", question.situation)
    prompt = t.pgettext(f"{question.id}.question", question.question)
    return f"{progress}\n\n{question.emoji} {situation}\n\n👉 {prompt}"


def _keyboard(turn: Turn, question: Question) -> Keyboard:
    token = turn.state.question_token
    before = turn.state.answers.get(question.category, {}).get(question.id)
    chosen = (before.option_key or SKIP) if before else None

    def mark(key: str) -> str:
        return f" {CHOSEN}" if key == chosen else ""

    rows: list[tuple[Button, ...]] = [
        (
            Button(
                f"{NUMBER_EMOJI[i]}{mark(key)} {option_text(turn, question, key)}",
                f"q:{token}:{key}",
            ),
        )
        for i, key in enumerate(turn.state.shown_order)
    ]
    rows.append((Button(f"{skip_label(turn)}{mark(SKIP)}", f"q:{token}:{SKIP}"),))
    rows.append((back_button(turn.t), help_button(turn.t), human_button(turn.t)))
    return Keyboard(tuple(rows))


def _elapsed_ms(asked_at: str | None, now: datetime) -> int:
    if not asked_at:
        return 0
    return max(0, int((now - datetime.fromisoformat(asked_at)).total_seconds() * 1000))
