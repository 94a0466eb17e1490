"""The SPOCC content as typed, frozen objects (loaded and validated by bot.dialogs.definition)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NewType

CategoryId = NewType("CategoryId", str)
SkillId = NewType("SkillId", str)
OutcomeId = NewType("OutcomeId", str)
QuestionId = NewType("QuestionId", str)


@dataclass(frozen=True, slots=True)
class Level:
    """One step of the 4-level scale (0 not yet … 3 also in new situations)."""

    level: int
    key: str
    label: str
    emoji: str
    meaning: str


@dataclass(frozen=True, slots=True)
class Alignment:
    """A link to an external framework (ESCO v1.2.0 URIs only where verified)."""

    framework: str
    name: str
    url: str
    code: str | None = None
    match: str = "close"


@dataclass(frozen=True, slots=True)
class Category:
    """One of the five SPOCC categories."""

    id: CategoryId
    name: str
    emoji: str
    color: str  # "#rrggbb", used by the result picture and badges
    skills: tuple[SkillId, ...]


@dataclass(frozen=True, slots=True)
class Skill:
    """One of the three skills of a category."""

    id: SkillId
    category: CategoryId
    name: str
    alignments: tuple[Alignment, ...]


@dataclass(frozen=True, slots=True)
class Outcome:
    """A can-do learning outcome; five per skill, fifteen per category."""

    id: OutcomeId
    skill: SkillId
    category: CategoryId
    text: str
    tip: str
    alignments: tuple[Alignment, ...]


@dataclass(frozen=True, slots=True)
class Option:
    """One answer to a question; each maps to exactly one level."""

    key: str
    level: int
    text: str


@dataclass(frozen=True, slots=True)
class Question:
    """A scenario (evidence for outcomes) or a self-rating (one per skill, a check only)."""

    id: QuestionId
    kind: Literal["scenario", "self_rating"]
    category: CategoryId
    skill: SkillId
    outcomes: tuple[OutcomeId, ...]
    emoji: str
    situation: str
    question: str
    options: tuple[Option, ...]

    def option(self, key: str) -> Option | None:
        """The option with this key, if any."""
        return next((o for o in self.options if o.key == key), None)


@dataclass(frozen=True, slots=True)
class BadgeRule:
    """A category badge needs `min_outcomes` of its outcomes at `level` or above."""

    min_outcomes: int
    level: int
    requires_no_open_flags: bool


@dataclass(frozen=True, slots=True)
class Content:
    """The whole framework: categories in display order, and everything by id."""

    version: str
    source_language: str
    levels: tuple[Level, ...]
    badge_rule: BadgeRule
    categories: tuple[Category, ...]
    skills: dict[SkillId, Skill]
    outcomes: dict[OutcomeId, Outcome]
    questions: dict[QuestionId, Question]
    asking_order: dict[str, tuple[Question, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )  # filled on first use by questions_of

    def category(self, category_id: str) -> Category:
        """The category with this id (KeyError if unknown)."""
        return next(c for c in self.categories if c.id == category_id)

    def questions_of(self, category_id: str) -> list[Question]:
        """A category's questions in asking order: scenarios first, then the self-ratings."""
        order = self.asking_order.get(category_id)
        if order is None:
            found = [q for q in self.questions.values() if q.category == category_id]
            order = tuple(sorted(found, key=lambda q: (q.kind != "scenario", q.id)))
            self.asking_order[category_id] = order
        return list(order)

    def outcomes_of(self, category_id: str) -> list[Outcome]:
        """A category's outcomes in id order."""
        return sorted(
            (o for o in self.outcomes.values() if o.category == category_id), key=lambda o: o.id
        )
