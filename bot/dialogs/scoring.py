"""Pure scoring of one category: outcome, skill and category levels plus answer-quality flags."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Any

from bot.dialogs.content import BadgeRule, Content, Question
from bot.framework.session import Answer


class FlagCode(StrEnum):
    """Why a result should be looked at together with a counsellor (spocc.md §3.4)."""

    BORDERLINE = "borderline"
    INCONSISTENT = "inconsistent"
    SELF_RATING_GAP = "self_rating_gap"
    TOO_FAST = "too_fast"
    SAME_POSITION = "same_position"
    CEILING = "ceiling"
    TOO_MANY_SKIPS = "too_many_skips"


@dataclass(frozen=True, slots=True)
class Flag:
    """One open flag: a code from the closed set and a short detail for the counsellor."""

    code: FlagCode
    detail: str

    def to_json(self) -> dict[str, str]:
        """A plain dict."""
        return {"code": str(self.code), "detail": self.detail}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Flag:
        """The inverse of `to_json`."""
        return cls(FlagCode(data["code"]), str(data["detail"]))


@dataclass(frozen=True, slots=True)
class ScoringRules:
    """The thresholds of the flags (defaults from spocc.md §3.4).

    Attributes:
        top_level: The highest level of the scale.
        borderline_margin: Borderline when the outcome count is this close to the badge threshold.
        inconsistent_gap: Two levels of one outcome this far apart are inconsistent.
        self_rating_gap: A self-rating this far from the skill level is a gap.
        too_fast_ms: An answer faster than this is too fast.
        too_fast_count: This many too-fast answers raise the flag.
        same_position_run: This many equal positions in a row raise the flag.
        ceiling_min_answered: The ceiling flag needs at least this many answered scenarios.
        max_skipped: More than this share of scenarios skipped or unanswered raises the flag.
    """

    top_level: int = 3
    borderline_margin: int = 1
    inconsistent_gap: int = 2
    self_rating_gap: int = 2
    too_fast_ms: int = 2000
    too_fast_count: int = 2
    same_position_run: int = 6
    ceiling_min_answered: int = 5
    max_skipped: Fraction = Fraction(1, 3)


DEFAULT_RULES = ScoringRules()


@dataclass(frozen=True, slots=True)
class CategoryResult:
    """The score of one category; JSON-safe through `to_json`.

    Attributes:
        category: The category id.
        level: The category level (0-3), None without any answered scenario.
        outcome_levels: Outcome id → level, None without evidence.
        skill_levels: Skill id → level, None without evidence.
        self_ratings: Skill id → self-rated level, None when skipped or unanswered.
        outcomes_at_level: How many outcomes are at the badge rule's level or above.
        flags: The open flags, in a fixed order.
        badge_level: The level a self-assessment badge may show, or None.
        answered: Scenarios answered with an option.
        skipped: Scenarios explicitly skipped (unanswered ones are not counted).
    """

    category: str
    level: int | None
    outcome_levels: dict[str, int | None]
    skill_levels: dict[str, int | None]
    self_ratings: dict[str, int | None]
    outcomes_at_level: int
    flags: tuple[Flag, ...]
    badge_level: int | None
    answered: int
    skipped: int

    @property
    def needs_counsellor(self) -> bool:
        """Whether any flag is open."""
        return bool(self.flags)

    def to_json(self) -> dict[str, Any]:
        """A plain, JSON-safe dict."""
        return {
            "category": self.category,
            "level": self.level,
            "outcome_levels": dict(self.outcome_levels),
            "skill_levels": dict(self.skill_levels),
            "self_ratings": dict(self.self_ratings),
            "outcomes_at_level": self.outcomes_at_level,
            "flags": [f.to_json() for f in self.flags],
            "badge_level": self.badge_level,
            "answered": self.answered,
            "skipped": self.skipped,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CategoryResult:
        """The inverse of `to_json`."""
        return cls(
            category=str(data["category"]),
            level=data["level"],
            outcome_levels=dict(data["outcome_levels"]),
            skill_levels=dict(data["skill_levels"]),
            self_ratings=dict(data["self_ratings"]),
            outcomes_at_level=int(data["outcomes_at_level"]),
            flags=tuple(Flag.from_json(f) for f in data["flags"]),
            badge_level=data["badge_level"],
            answered=int(data["answered"]),
            skipped=int(data["skipped"]),
        )


@dataclass(frozen=True, slots=True)
class _Facts:
    """What the flag checks look at, computed once per category."""

    questions: tuple[Question, ...]  # asking order
    answers: Mapping[str, Answer]
    evidence: Mapping[str, tuple[int, ...]]  # outcome id → scenario levels, in asking order
    outcome_levels: Mapping[str, int | None]
    skill_levels: Mapping[str, int | None]
    self_ratings: Mapping[str, int | None]
    level: int | None
    outcomes_at_level: int
    badge_rule: BadgeRule
    rules: ScoringRules

    @property
    def scenarios(self) -> list[Question]:
        """The scenario questions, in asking order."""
        return [q for q in self.questions if q.kind == "scenario"]

    @property
    def chosen(self) -> list[Answer]:
        """The answers that chose an option (not skips), in asking order."""
        found = (self.answers.get(q.id) for q in self.questions)
        return [a for a in found if a is not None and a.level is not None]


def level_of(answer: Answer | None) -> int | None:
    """The level an answer gives, None for a skip or no answer."""
    return None if answer is None else answer.level


def median_level(levels: Iterable[int | None]) -> int | None:
    """The median of the known levels, rounded down; None when there are none."""
    known = [level for level in levels if level is not None]
    return statistics.median_low(known) if known else None


def outcome_evidence(
    content: Content,
    category_id: str,
    questions: Iterable[Question],
    answers: Mapping[str, Answer],
) -> dict[str, tuple[int, ...]]:
    """Outcome id → the levels its answered scenarios gave, for every outcome of the category."""
    found: dict[str, list[int]] = {o.id: [] for o in content.outcomes_of(category_id)}
    for question in (q for q in questions if q.kind == "scenario"):
        level = level_of(answers.get(question.id))
        for outcome_id in question.outcomes:
            if level is not None and outcome_id in found:
                found[outcome_id].append(level)
    return {outcome_id: tuple(levels) for outcome_id, levels in found.items()}


def skill_levels_of(
    content: Content, category_id: str, outcome_levels: Mapping[str, int | None]
) -> dict[str, int | None]:
    """Skill id → the median of its outcomes' levels, for every skill of the category."""
    outcomes = content.outcomes_of(category_id)
    return {
        skill_id: median_level(outcome_levels.get(o.id) for o in outcomes if o.skill == skill_id)
        for skill_id in content.category(category_id).skills
    }


def self_ratings_of(
    questions: Iterable[Question], answers: Mapping[str, Answer]
) -> dict[str, int | None]:
    """Skill id → the self-rated level, for every self-rating question."""
    return {q.skill: level_of(answers.get(q.id)) for q in questions if q.kind == "self_rating"}


def count_at_least(levels: Iterable[int | None], threshold: int) -> int:
    """How many known levels are at `threshold` or above."""
    return sum(1 for level in levels if level is not None and level >= threshold)


def category_level(levels: Sequence[int | None], min_outcomes: int, top_level: int = 3) -> int:
    """The highest level L ≥ 1 with at least `min_outcomes` levels at L or above, else 0."""
    reached = (n for n in range(1, top_level + 1) if count_at_least(levels, n) >= min_outcomes)
    return max(reached, default=0)


def _check_borderline(facts: _Facts) -> list[Flag]:
    """The outcome count is within the margin of the badge threshold."""
    rule = facts.badge_rule
    gap = abs(facts.outcomes_at_level - rule.min_outcomes)
    if facts.level is None or gap > facts.rules.borderline_margin:
        return []
    count, needed = facts.outcomes_at_level, rule.min_outcomes
    detail = f"{count} outcomes at level {rule.level}+, badge needs {needed}"
    return [Flag(FlagCode.BORDERLINE, detail)]


def _check_inconsistent(facts: _Facts) -> list[Flag]:
    """One flag per outcome whose scenario levels lie too far apart."""
    return [
        Flag(FlagCode.INCONSISTENT, f"{oid}: levels {', '.join(map(str, levels))}")
        for oid, levels in facts.evidence.items()
        if levels and max(levels) - min(levels) >= facts.rules.inconsistent_gap
    ]


def _check_self_rating_gap(facts: _Facts) -> list[Flag]:
    """One flag per skill whose self-rating is too far from its scenario level."""
    pairs = (
        (sid, rated, facts.skill_levels.get(sid)) for sid, rated in facts.self_ratings.items()
    )
    return [
        Flag(FlagCode.SELF_RATING_GAP, f"{sid}: self {rated}, scenarios {scored}")
        for sid, rated, scored in pairs
        if rated is not None
        and scored is not None
        and abs(rated - scored) >= facts.rules.self_rating_gap
    ]


def _check_too_fast(facts: _Facts) -> list[Flag]:
    """Too many options chosen faster than the threshold (skips do not count)."""
    limit = facts.rules.too_fast_ms
    fast = sum(1 for answer in facts.chosen if answer.elapsed_ms < limit)
    if fast < facts.rules.too_fast_count:
        return []
    return [Flag(FlagCode.TOO_FAST, f"{fast} answers under {limit} ms")]


def longest_run(items: Iterable[int | None]) -> tuple[int | None, int]:
    """The value and length of the longest run of equal non-None items (first one wins a tie)."""
    best: tuple[int | None, int] = (None, 0)
    run, previous = 0, None
    for item in items:
        run = run + 1 if item is not None and item == previous else int(item is not None)
        previous = item
        if run > best[1]:
            best = (item, run)
    return best


def _check_same_position(facts: _Facts) -> list[Flag]:
    """The same position chosen too often in a row, in asking order; a skip breaks the run."""
    positions = [_chosen_position(facts.answers.get(q.id)) for q in facts.questions]
    position, run = longest_run(positions)
    if run < facts.rules.same_position_run:
        return []
    return [Flag(FlagCode.SAME_POSITION, f"position {position} chosen {run} times in a row")]


def _chosen_position(answer: Answer | None) -> int | None:
    """Where the chosen option stood, None for a skip or no answer."""
    return None if answer is None or answer.level is None else answer.position


def _check_ceiling(facts: _Facts) -> list[Flag]:
    """Every answered scenario at the top level, with enough of them answered."""
    levels = [lv for q in facts.scenarios if (lv := level_of(facts.answers.get(q.id))) is not None]
    top = facts.rules.top_level
    if len(levels) < facts.rules.ceiling_min_answered or any(lv != top for lv in levels):
        return []
    return [Flag(FlagCode.CEILING, f"all {len(levels)} answers at level {top}")]


def _check_too_many_skips(facts: _Facts) -> list[Flag]:
    """More than the allowed share of scenarios skipped or unanswered."""
    scenarios = facts.scenarios
    missing = sum(1 for q in scenarios if level_of(facts.answers.get(q.id)) is None)
    if missing <= facts.rules.max_skipped * len(scenarios):
        return []
    return [Flag(FlagCode.TOO_MANY_SKIPS, f"{missing} of {len(scenarios)} scenarios not answered")]


_FLAG_CHECKS: tuple[Callable[[_Facts], list[Flag]], ...] = (
    _check_borderline,
    _check_inconsistent,
    _check_self_rating_gap,
    _check_too_fast,
    _check_same_position,
    _check_ceiling,
    _check_too_many_skips,
)


def _facts(
    content: Content, category_id: str, answers: Mapping[str, Answer], rules: ScoringRules
) -> _Facts:
    """Everything the result and the flags are built from."""
    questions = tuple(content.questions_of(category_id))
    evidence = outcome_evidence(content, category_id, questions, answers)
    outcome_levels = {oid: median_level(levels) for oid, levels in evidence.items()}
    rule = content.badge_rule
    return _Facts(
        questions=questions,
        answers=answers,
        evidence=evidence,
        outcome_levels=outcome_levels,
        skill_levels=skill_levels_of(content, category_id, outcome_levels),
        self_ratings=self_ratings_of(questions, answers),
        level=_level_if_evidence(outcome_levels, rule.min_outcomes, rules.top_level),
        outcomes_at_level=count_at_least(outcome_levels.values(), rule.level),
        badge_rule=rule,
        rules=rules,
    )


def _level_if_evidence(
    outcome_levels: Mapping[str, int | None], min_outcomes: int, top_level: int
) -> int | None:
    """The category level, or None when no answered scenario gave any evidence."""
    levels = list(outcome_levels.values())
    if all(level is None for level in levels):
        return None
    return category_level(levels, min_outcomes, top_level)


def badge_level(level: int | None, flags: Sequence[Flag], content: Content) -> int | None:
    """The category level if it earns a badge under the content's badge rule, else None."""
    rule = content.badge_rule
    if level is None or level < rule.level or (rule.requires_no_open_flags and flags):
        return None
    return level


def score_category(
    content: Content,
    category_id: str,
    answers: Mapping[str, Answer],
    rules: ScoringRules = DEFAULT_RULES,
) -> CategoryResult:
    """Score one category from the latest answer to each of its questions.

    Args:
        content: The framework and its questions.
        category_id: Which category to score.
        answers: Question id → latest answer; answers to other categories' questions are ignored.
        rules: The flag thresholds.

    Returns:
        The levels, the open flags and the badge decision.
    """
    facts = _facts(content, category_id, answers, rules)
    flags = tuple(flag for check in _FLAG_CHECKS for flag in check(facts))
    scenario_answers = [answers[q.id] for q in facts.scenarios if q.id in answers]
    return CategoryResult(
        category=category_id,
        level=facts.level,
        outcome_levels=dict(facts.outcome_levels),
        skill_levels=dict(facts.skill_levels),
        self_ratings=dict(facts.self_ratings),
        outcomes_at_level=facts.outcomes_at_level,
        flags=flags,
        badge_level=badge_level(facts.level, flags, content),
        answered=sum(1 for a in scenario_answers if a.level is not None),
        skipped=sum(1 for a in scenario_answers if a.level is None),
    )


SCORERS: dict[str, Callable[..., CategoryResult]] = {"median_v1": score_category}
