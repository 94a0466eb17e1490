"""Translatable texts of the content, keyed `<item id>.<property>`, and a Babel extractor."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

import yaml

from bot.dialogs.content import Content, Question
from bot.dialogs.definition import StrictLoader, parse_content

Message = tuple[int, str, tuple[str, str], list[str]]


def translatable_texts(content: Content) -> list[tuple[str, str]]:
    """Every text a person may see, as (msgctxt, English text), in file order.

    The context is `<item id>.<property>`: `level.2.label`, `SOC.name`,
    `SOC.communication.name`, `SOC-01.text`, `SOC-01.tip`, `SC-SOC-01.situation`,
    `SC-SOC-01.question` and `SC-SOC-01.a` for an option's text.
    """
    texts: list[tuple[str, str]] = []
    for level in content.levels:
        texts += [(f"level.{level.level}.label", level.label)]
        texts += [(f"level.{level.level}.meaning", level.meaning)]
    for category in content.categories:
        texts.append((f"{category.id}.name", category.name))
        texts += [(f"{skill}.name", content.skills[skill].name) for skill in category.skills]
    for outcome in content.outcomes.values():
        texts += [(f"{outcome.id}.text", outcome.text), (f"{outcome.id}.tip", outcome.tip)]
    for question in content.questions.values():
        texts += _question_texts(question)
    return texts


def _question_texts(question: Question) -> list[tuple[str, str]]:
    return [
        (f"{question.id}.situation", question.situation),
        (f"{question.id}.question", question.question),
        *((f"{question.id}.{option.key}", option.text) for option in question.options),
    ]


def extract_spocc(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Message]:
    """Babel extraction method for data/spocc.yaml (see babel.cfg).

    Yields each text as a `pgettext` call, so it lands in the catalog with its msgctxt.

    Args:
        fileobj: The content file, opened in binary mode.
        keywords: Babel's keyword table (unused: every text is a pgettext call).
        comment_tags: Babel's translator-comment tags (unused).
        options: Options from the mapping file (unused).

    Yields:
        (line number, "pgettext", (msgctxt, text), translator comments).

    Raises:
        ContentError: The file is not valid content.
    """
    text = fileobj.read().decode("utf-8")
    content = parse_content(text, getattr(fileobj, "name", "spocc.yaml"))
    lines = _ScalarLines(text)
    for context, message in translatable_texts(content):
        yield lines.find(message), "pgettext", (context, message), []


class _ScalarLines:
    """Finds the line of each text, searching forward through the file's scalars in order."""

    def __init__(self, text: str) -> None:
        self._scalars = list(_scalars(yaml.compose(text, Loader=StrictLoader)))
        self._next = 0

    def find(self, value: str) -> int:
        """The 1-based line of the next scalar equal to `value`, or 0 if there is none."""
        for index in range(self._next, len(self._scalars)):
            line, found = self._scalars[index]
            if found == value:
                self._next = index + 1
                return line
        return 0


def _scalars(node: yaml.Node | None) -> Iterator[tuple[int, str]]:
    if isinstance(node, yaml.ScalarNode):
        yield node.start_mark.line + 1, str(node.value)
    elif isinstance(node, yaml.SequenceNode):
        for child in node.value:
            yield from _scalars(child)
    elif isinstance(node, yaml.MappingNode):
        for _, child in node.value:
            yield from _scalars(child)
