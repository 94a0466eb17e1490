"""Typed, key-checked reading of parsed YAML mappings, naming the item in every error."""

from __future__ import annotations

from collections.abc import Sequence


class ContentError(ValueError):
    """The content file cannot be used; the message names the file and the offending item."""


class Fields:
    """One YAML mapping being read, with getters that check types and name the item on error."""

    def __init__(self, data: dict[object, object], where: str) -> None:
        self.data = data
        self.where = where

    def allow(self, required: Sequence[str], optional: Sequence[str] = ()) -> None:
        """Reject keys that are not listed, and require the `required` ones."""
        unknown = sorted(str(key) for key in self.data if key not in (*required, *optional))
        if unknown:
            raise ContentError(f"{self.where}: unknown key(s): {', '.join(unknown)}")
        missing = [key for key in required if key not in self.data]
        if missing:
            raise ContentError(f"{self.where}: missing key(s): {', '.join(missing)}")

    def raw(self, key: str) -> object:
        """The value as parsed, or None if absent."""
        return self.data.get(key)

    def text(self, key: str) -> str:
        """A non-empty string."""
        value = self.data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ContentError(f"{self.where}: {key}: expected text, got {_kind(value)}")
        return value

    def optional_text(self, key: str) -> str | None:
        """A non-empty string, or None if the key is absent or null."""
        return None if self.data.get(key) is None else self.text(key)

    def integer(self, key: str) -> int:
        """A whole number (true/false are not numbers here)."""
        value = self.data.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise ContentError(f"{self.where}: {key}: expected a whole number, got {_kind(value)}")
        return value

    def flag(self, key: str) -> bool:
        """True or false."""
        value = self.data.get(key)
        if not isinstance(value, bool):
            raise ContentError(f"{self.where}: {key}: expected true or false, got {_kind(value)}")
        return value

    def sequence(self, key: str, *, required: bool = True) -> list[object]:
        """A list; an absent key gives an empty list unless `required`."""
        value = self.data.get(key)
        if value is None and not required:
            return []
        if not isinstance(value, list):
            raise ContentError(f"{self.where}: {key}: expected a list, got {_kind(value)}")
        return value

    def texts(self, key: str, *, required: bool = True) -> list[str]:
        """A list of non-empty strings."""
        values = self.sequence(key, required=required)
        if not all(isinstance(value, str) and value.strip() for value in values):
            raise ContentError(f"{self.where}: {key}: expected a list of texts")
        return [str(value) for value in values]


def fields(
    value: object, where: str, required: Sequence[str] = (), optional: Sequence[str] = ()
) -> Fields:
    """Wrap a parsed mapping, checking its keys if `required` is given."""
    if not isinstance(value, dict):
        raise ContentError(f"{where}: expected a mapping, got {_kind(value)}")
    mapping = Fields(value, where)
    if required:
        mapping.allow(required, optional)
    return mapping


def items(
    parent: Fields, key: str, kind: str, *, id_key: str = "id", nested: bool = False
) -> list[Fields]:
    """The mappings in a list, each named `<kind> <id>` (after the parent's name if `nested`)."""
    found = []
    for number, value in enumerate(parent.sequence(key), start=1):
        label = value.get(id_key) if isinstance(value, dict) else None
        name = f"{kind} {label}" if isinstance(label, str | int) else f"{kind} #{number}"
        found.append(fields(value, f"{parent.where}: {name}" if nested else name))
    return found


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return "empty text" if not value.strip() else "text"
    return {bool: "true/false", int: "a number", float: "a number", list: "a list"}.get(
        type(value), "a mapping" if isinstance(value, dict) else type(value).__name__
    )
