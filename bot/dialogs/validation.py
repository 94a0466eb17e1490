"""The rules SPOCC content must meet: counts, references, sizes, coverage and alignments."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Final

from bot.dialogs.content import Alignment, Category, Content, Question
from bot.dialogs.esco import ESCO_CONCEPTS, ESCO_FRAMEWORK, esco_uuid

CATEGORIES: Final = 5
SKILLS_PER_CATEGORY: Final = 3
OUTCOMES_PER_SKILL: Final = 5
SCENARIOS_PER_CATEGORY: Final = (8, 12)
OPTIONS_PER_SCENARIO: Final = (3, 4)
LEVELS: Final = (0, 1, 2, 3)
MAX_SITUATION_WORDS: Final = 25
MAX_SENTENCE_WORDS: Final = 12
MAX_OPTION_WORDS: Final = 15
MAX_OUTCOME_WORDS: Final = 15
MAX_TIP_WORDS: Final = 25
MAX_TIP_SENTENCE_WORDS: Final = 15
TWICE_EVIDENCED_PER_CATEGORY: Final = 5
MIN_WHITE_TEXT_CONTRAST: Final = 4.5
MATCHES: Final = ("exact", "close", "partial")

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'’”]*\s+")
_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
_LANGUAGE = re.compile(r"[a-z]{2,3}")


def validate(content: Content) -> list[str]:
    """Every rule the content breaks, one line each, naming the offending item."""
    return [
        *_meta(content),
        *_levels(content),
        *_badge_rule(content),
        *_categories(content),
        *_skills(content),
        *_outcomes(content),
        *_questions(content),
        *_coverage(content),
    ]


def words(text: str) -> int:
    """The number of words in a text."""
    return len(text.split())


def split_sentences(text: str) -> list[str]:
    """A text split after each full stop, question mark or exclamation mark."""
    return [part for part in _SENTENCE_END.split(text.strip()) if part]


def contrast_with_white(color: str) -> float:
    """The WCAG 2 contrast ratio of white text on a "#rrggbb" background."""
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def _meta(content: Content) -> Iterator[str]:
    # Which languages ship is decided by the catalogs under locales/, not by the content.
    if not _LANGUAGE.fullmatch(content.source_language):
        yield f"meta: source_language must be a lower-case code, got {content.source_language!r}"


def _levels(content: Content) -> Iterator[str]:
    numbers = tuple(level.level for level in content.levels)
    if numbers != LEVELS:
        yield f"levels: expected levels {list(LEVELS)} in order, got {list(numbers)}"
    yield from _repeats("levels: key", [level.key for level in content.levels])


def _badge_rule(content: Content) -> Iterator[str]:
    rule = content.badge_rule
    per_category = SKILLS_PER_CATEGORY * OUTCOMES_PER_SKILL
    if not 1 <= rule.min_outcomes <= per_category:
        yield f"badge_rule: min_outcomes {rule.min_outcomes}, expected 1 to {per_category}"
    if rule.level not in LEVELS:
        yield f"badge_rule: level {rule.level}, expected one of {list(LEVELS)}"


def _categories(content: Content) -> Iterator[str]:
    if len(content.categories) != CATEGORIES:
        yield f"categories: {len(content.categories)} categories, expected {CATEGORIES}"
    for category in content.categories:
        yield from _category(category)
    yield from _repeats("categories: color", [c.color.lower() for c in content.categories])


def _category(category: Category) -> Iterator[str]:
    where = f"category {category.id}"
    if not re.fullmatch(r"[A-Z]{3}", category.id):
        yield f"{where}: id must be three capital letters"
    if len(category.skills) != SKILLS_PER_CATEGORY:
        yield f"{where}: {len(category.skills)} skills, expected {SKILLS_PER_CATEGORY}"
    if not _COLOR.fullmatch(category.color):
        yield f"{where}: color {category.color!r} is not of the form #rrggbb"
    elif (ratio := contrast_with_white(category.color)) < MIN_WHITE_TEXT_CONTRAST:
        yield f"{where}: color {category.color}: white text contrast {ratio:.1f}, below 4.5"


def _skills(content: Content) -> Iterator[str]:
    for skill in content.skills.values():
        where = f"skill {skill.id}"
        if not re.fullmatch(rf"{re.escape(skill.category)}\.[a-z_]+", skill.id):
            yield f"{where}: id must be '{skill.category}.<lower-case name>'"
        count = sum(outcome.skill == skill.id for outcome in content.outcomes.values())
        if count != OUTCOMES_PER_SKILL:
            yield f"{where}: {count} outcomes, expected {OUTCOMES_PER_SKILL}"
        yield from _alignments(where, skill.alignments)


def _outcomes(content: Content) -> Iterator[str]:
    for outcome in content.outcomes.values():
        where = f"outcome {outcome.id}"
        if not re.fullmatch(rf"{re.escape(outcome.category)}-\d\d", outcome.id):
            yield f"{where}: id must be '{outcome.category}-<two digits>'"
        yield from _limit(f"{where}: text", outcome.text, MAX_OUTCOME_WORDS, sentences=False)
        yield from tip_problems(f"{where}: tip", outcome.tip)
        yield from _alignments(where, outcome.alignments)


def tip_problems(where: str, tip: str) -> Iterator[str]:
    """What breaks the tip rules: a pictogram first, short sentences, a short whole."""
    first = tip.split(" ", 1)[0]
    if not first or any(char.isalnum() for char in first) or first.isascii():
        yield f"{where}: must start with a pictogram and a space"
    if (count := words(tip)) > MAX_TIP_WORDS:
        yield f"{where}: {count} words, at most {MAX_TIP_WORDS}"
    for sentence in split_sentences(tip):
        if (count := words(sentence)) > MAX_TIP_SENTENCE_WORDS:
            yield (
                f"{where}: sentence {sentence!r} has {count} words, "
                f"at most {MAX_TIP_SENTENCE_WORDS}"
            )


def _alignments(where: str, alignments: tuple[Alignment, ...]) -> Iterator[str]:
    yield from _repeats(f"{where}: alignment", [alignment.url for alignment in alignments])
    for alignment in alignments:
        yield from _alignment(f"{where}: alignment {alignment.url}", alignment)


def _alignment(where: str, alignment: Alignment) -> Iterator[str]:
    if alignment.framework != ESCO_FRAMEWORK:
        yield f"{where}: framework {alignment.framework!r}, expected {ESCO_FRAMEWORK!r}"
    if alignment.match not in MATCHES:
        yield f"{where}: match {alignment.match!r}, expected one of {', '.join(MATCHES)}"
    uuid = esco_uuid(alignment.url)
    concept = ESCO_CONCEPTS.get(uuid) if uuid else None
    if uuid is None:
        yield f"{where}: not an ESCO URI of the form http://data.europa.eu/esco/skill/<uuid>"
    elif concept is None:
        yield f"{where}: not in the pinned list of verified ESCO v1.2.0 concepts"
    elif (alignment.name, alignment.code) != concept:
        yield (
            f"{where}: name and code must be the ESCO v1.2.0 ones, "
            f"{concept.label!r} and {concept.code!r}"
        )


def _questions(content: Content) -> Iterator[str]:
    for category in content.categories:
        scenarios = sum(
            q.kind == "scenario" and q.category == category.id for q in content.questions.values()
        )
        low, high = SCENARIOS_PER_CATEGORY
        if not low <= scenarios <= high:
            yield f"category {category.id}: {scenarios} scenarios, expected {low} to {high}"
    for skill in content.skills:
        ratings = [
            q.id
            for q in content.questions.values()
            if q.kind == "self_rating" and q.skill == skill
        ]
        if len(ratings) != 1:
            yield f"skill {skill}: {len(ratings)} self-rating questions, expected 1"
    for question in content.questions.values():
        yield from _question(content, question)


def _question(content: Content, question: Question) -> Iterator[str]:
    where = f"{_noun(question)} {question.id}"
    yield from _question_id(where, question)
    yield from _question_refs(content, where, question)
    yield from _situation(where, question)
    yield from _options(where, question)


def _noun(question: Question) -> str:
    return "scenario" if question.kind == "scenario" else "self-rating"


def _question_id(where: str, question: Question) -> Iterator[str]:
    if question.kind == "scenario":
        pattern, shape = rf"SC-{re.escape(question.category)}-\d\d", f"SC-{question.category}-NN"
    else:
        pattern, shape = rf"SR-{re.escape(question.skill)}", f"SR-{question.skill}"
    if not re.fullmatch(pattern, question.id):
        yield f"{where}: id must be {shape!r}"


def _question_refs(content: Content, where: str, question: Question) -> Iterator[str]:
    skill = content.skills.get(question.skill)
    if skill is None:
        yield f"{where}: unknown skill {question.skill!r}"
    elif skill.category != question.category:
        yield f"{where}: category {question.category}, but skill {skill.id} is in {skill.category}"
    if question.kind == "scenario" and not question.outcomes:
        yield f"{where}: outcomes: a scenario must give evidence for at least one outcome"
    yield from _repeats(f"{where}: outcome", question.outcomes)
    yield from _question_outcomes(content, where, question)


def _question_outcomes(content: Content, where: str, question: Question) -> Iterator[str]:
    outcomes = [content.outcomes.get(outcome_id) for outcome_id in question.outcomes]
    for outcome_id, outcome in zip(question.outcomes, outcomes, strict=True):
        if outcome is None:
            yield f"{where}: unknown outcome {outcome_id!r}"
        elif outcome.category != question.category:
            yield f"{where}: outcome {outcome_id} is not in category {question.category}"
    if outcomes and all(o is None or o.skill != question.skill for o in outcomes):
        yield f"{where}: none of its outcomes belongs to its skill {question.skill}"


def _situation(where: str, question: Question) -> Iterator[str]:
    yield from _limit(f"{where}: situation", question.situation, MAX_SITUATION_WORDS)
    yield from _limit(f"{where}: question", question.question, MAX_SENTENCE_WORDS)


def _options(where: str, question: Question) -> Iterator[str]:
    options = question.options
    low, high = (4, 4) if question.kind == "self_rating" else OPTIONS_PER_SCENARIO
    if not low <= len(options) <= high:
        expected = f"{low}" if low == high else f"{low} to {high}"
        yield f"{where}: {len(options)} options, expected {expected}"
    keys = [option.key for option in options]
    if keys != list("abcd"[: len(keys)]):
        yield f"{where}: option keys must be a, b, c, d in order, got {', '.join(keys)}"
    yield from _repeats(f"{where}: option level", [option.level for option in options])
    for option in options:
        yield from _option(f"{where}: option {option.key}", option.level, option.text, question)


def _option(where: str, level: int, text: str, question: Question) -> Iterator[str]:
    if level not in LEVELS:
        yield f"{where}: level {level}, expected one of {list(LEVELS)}"
    if question.kind == "scenario" and not text.startswith("I "):
        yield f"{where}: must start with 'I '"
    yield from _limit(where, text, MAX_OPTION_WORDS, sentences=False)


def _limit(where: str, text: str, max_words: int, *, sentences: bool = True) -> Iterator[str]:
    if (count := words(text)) > max_words:
        yield f"{where}: {count} words, at most {max_words}"
    if not sentences:
        return
    for sentence in split_sentences(text):
        if (count := words(sentence)) > MAX_SENTENCE_WORDS:
            yield f"{where}: sentence {sentence!r} has {count} words, at most {MAX_SENTENCE_WORDS}"


def _coverage(content: Content) -> Iterator[str]:
    evidence = Counter(
        outcome
        for question in content.questions.values()
        if question.kind == "scenario"
        for outcome in question.outcomes
    )
    for outcome in content.outcomes.values():
        if not evidence[outcome.id]:
            yield f"outcome {outcome.id}: no scenario gives evidence for it"
    for category in content.categories:
        twice = sum(evidence[o.id] >= 2 for o in content.outcomes_of(category.id))
        if twice < TWICE_EVIDENCED_PER_CATEGORY:
            yield (
                f"category {category.id}: {twice} outcomes have two or more scenarios, "
                f"expected at least {TWICE_EVIDENCED_PER_CATEGORY}"
            )


def _repeats(where: str, values: Iterable[object]) -> Iterator[str]:
    for value, count in Counter(values).items():
        if count > 1:
            yield f"{where} {value} is repeated"
