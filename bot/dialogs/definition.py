"""Load data/spocc.yaml into frozen Content objects, rejecting anything malformed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Final

import yaml

from bot.dialogs.content import (
    Alignment,
    BadgeRule,
    Category,
    CategoryId,
    Content,
    Level,
    Option,
    Outcome,
    OutcomeId,
    Question,
    QuestionId,
    Skill,
    SkillId,
)
from bot.dialogs.esco import ESCO_CONCEPTS, ESCO_FRAMEWORK, esco_uri
from bot.dialogs.reader import ContentError, Fields, fields, items
from bot.dialogs.validation import validate

__all__ = ["SPEC_VERSION", "ContentError", "StrictLoader", "load_content", "parse_content"]

SPEC_VERSION: Final = 1
"""The content format this loader reads; bump it (and migrate the file) on breaking changes."""

_TOP = (
    "spec_version",
    "meta",
    "levels",
    "badge_rule",
    "categories",
    "outcomes",
    "scenarios",
    "self_ratings",
)


class StrictLoader(yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):  # type: ignore[misc]
    """PyYAML's safe loader (libyaml's when present) that also rejects a key given twice."""


def _construct_mapping(loader: StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[object] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.MarkedYAMLError(
                problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark
            )
        seen.add(key)
    mapping: dict[Any, Any] = loader.construct_mapping(node, deep=True)
    return mapping


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_content(path: Path) -> Content:
    """Read, build and validate the content file.

    Args:
        path: The YAML file, normally `data/spocc.yaml`.

    Returns:
        The whole framework as frozen objects.

    Raises:
        ContentError: The file cannot be parsed or breaks a rule; the message names the file and
            every offending item.
    """
    return parse_content(path.read_text(encoding="utf-8"), str(path))


def parse_content(text: str, source: str) -> Content:
    """Build and validate content from YAML text; `source` names it in error messages."""
    try:
        content = _build(_parse_yaml(text))
    except ContentError as error:
        raise ContentError(f"{source}: {error}") from None
    problems = validate(content)
    if problems:
        raise ContentError("\n".join(f"{source}: {problem}" for problem in problems))
    return content


def _parse_yaml(text: str) -> object:
    try:
        return yaml.load(text, Loader=StrictLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise ContentError(f"{where}{error.problem or error.context}") from None
    except yaml.YAMLError as error:
        raise ContentError(f"not valid YAML: {error}") from None


def _build(data: object) -> Content:
    top = fields(data, "file", _TOP)
    if top.integer("spec_version") != SPEC_VERSION:
        raise ContentError(f"spec_version {top.raw('spec_version')!r} is not {SPEC_VERSION}")
    meta = fields(top.raw("meta"), "meta", ("id", "version", "source_language", "source_note"))
    meta.text("id")
    meta.text("source_note")
    categories, skills = _categories(top)
    outcomes = [_outcome(item, skills) for item in items(top, "outcomes", "outcome")]
    questions = [_scenario(item) for item in items(top, "scenarios", "scenario")]
    questions += [_self_rating(item, skills) for item in items(top, "self_ratings", "self-rating")]
    _check_unique(
        [c.id for c in categories]
        + list(skills)
        + [o.id for o in outcomes]
        + [q.id for q in questions]
    )
    return Content(
        version=meta.text("version"),
        source_language=meta.text("source_language"),
        levels=tuple(_level(item) for item in items(top, "levels", "level", id_key="level")),
        badge_rule=_badge_rule(top),
        categories=tuple(categories),
        skills=skills,
        outcomes={o.id: o for o in outcomes},
        questions={q.id: q for q in questions},
    )


def _check_unique(ids: list[str]) -> None:
    repeated = sorted(item for item, count in Counter(ids).items() if count > 1)
    if repeated:
        raise ContentError(f"duplicate id(s): {', '.join(repeated)}")


def _level(item: Fields) -> Level:
    item.allow(("level", "key", "label", "emoji", "meaning"))
    return Level(
        level=item.integer("level"),
        key=item.text("key"),
        label=item.text("label"),
        emoji=item.text("emoji"),
        meaning=item.text("meaning"),
    )


def _badge_rule(top: Fields) -> BadgeRule:
    rule = fields(
        top.raw("badge_rule"), "badge_rule", ("min_outcomes", "level", "requires_no_open_flags")
    )
    return BadgeRule(
        min_outcomes=rule.integer("min_outcomes"),
        level=rule.integer("level"),
        requires_no_open_flags=rule.flag("requires_no_open_flags"),
    )


def _categories(top: Fields) -> tuple[list[Category], dict[SkillId, Skill]]:
    categories: list[Category] = []
    skills: list[Skill] = []
    for item in items(top, "categories", "category"):
        item.allow(("id", "name", "emoji", "color", "skills"))
        category_id = CategoryId(item.text("id"))
        own = [_skill(raw, category_id) for raw in items(item, "skills", "skill")]
        skills += own
        categories.append(
            Category(
                id=category_id,
                name=item.text("name"),
                emoji=item.text("emoji"),
                color=item.text("color"),
                skills=tuple(skill.id for skill in own),
            )
        )
    _check_unique([skill.id for skill in skills])
    return categories, {skill.id: skill for skill in skills}


def _skill(item: Fields, category: CategoryId) -> Skill:
    item.allow(("id", "name", "alignments"))
    return Skill(
        id=SkillId(item.text("id")),
        category=category,
        name=item.text("name"),
        alignments=tuple(
            _alignment(raw) for raw in items(item, "alignments", "alignment", nested=True)
        ),
    )


def _alignment(item: Fields) -> Alignment:
    item.allow(("framework", "name", "url"), optional=("code", "match"))
    return Alignment(
        framework=item.text("framework"),
        name=item.text("name"),
        url=item.text("url"),
        code=item.optional_text("code"),
        match=item.optional_text("match") or "close",
    )


def _outcome(item: Fields, skills: dict[SkillId, Skill]) -> Outcome:
    item.allow(("id", "skill", "text", "tip"), optional=("esco",))
    skill = skills.get(SkillId(item.text("skill")))
    if skill is None:
        raise ContentError(f"{item.where}: unknown skill {item.text('skill')!r}")
    return Outcome(
        id=OutcomeId(item.text("id")),
        skill=skill.id,
        category=skill.category,
        text=item.text("text"),
        tip=item.text("tip"),
        alignments=tuple(_esco(uuid, item.where) for uuid in item.texts("esco", required=False)),
    )


def _esco(uuid: str, where: str) -> Alignment:
    concept = ESCO_CONCEPTS.get(uuid)
    if concept is None:
        raise ContentError(f"{where}: ESCO concept {uuid!r} is not in the pinned ESCO v1.2.0 list")
    return Alignment(
        framework=ESCO_FRAMEWORK, name=concept.label, url=esco_uri(uuid), code=concept.code
    )


def _scenario(item: Fields) -> Question:
    item.allow(
        ("id", "category", "skill", "outcomes", "emoji", "situation", "question", "options")
    )
    return Question(
        id=QuestionId(item.text("id")),
        kind="scenario",
        category=CategoryId(item.text("category")),
        skill=SkillId(item.text("skill")),
        outcomes=tuple(OutcomeId(outcome) for outcome in item.texts("outcomes")),
        emoji=item.text("emoji"),
        situation=item.text("situation"),
        question=item.text("question"),
        options=_options(item),
    )


def _self_rating(item: Fields, skills: dict[SkillId, Skill]) -> Question:
    item.allow(("id", "skill", "emoji", "situation", "question", "options"))
    skill = skills.get(SkillId(item.text("skill")))
    if skill is None:
        raise ContentError(f"{item.where}: unknown skill {item.text('skill')!r}")
    return Question(
        id=QuestionId(item.text("id")),
        kind="self_rating",
        category=skill.category,
        skill=skill.id,
        outcomes=(),
        emoji=item.text("emoji"),
        situation=item.text("situation"),
        question=item.text("question"),
        options=_options(item),
    )


def _options(item: Fields) -> tuple[Option, ...]:
    options = []
    for raw in items(item, "options", "option", id_key="key", nested=True):
        raw.allow(("key", "level", "text"))
        options.append(
            Option(key=raw.text("key"), level=raw.integer("level"), text=raw.text("text"))
        )
    return tuple(options)
