"""JSON for the outbox and the counsellor audit: registered dataclasses by their type name."""

from __future__ import annotations

import base64
import dataclasses
import importlib
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import (
    TYPE_CHECKING,
    Any,
    Generic,
    TypeVar,
    Union,
    get_args,
    get_origin,
    get_type_hints,
)

if TYPE_CHECKING:
    from bot.framework.actions import Action
    from bot.framework.events import CounsellorEvent

T = TypeVar("T")
C = TypeVar("C", bound=type)

Convert = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class _Field:
    name: str
    encode: Convert
    decode: Convert
    required: bool


class Codec(Generic[T]):
    """Registered dataclasses to plain JSON dicts with a `type` field, and back.

    Each class registers once, with its type name (`@ACTIONS.register("text")`). Fields are
    converted by their annotation: `bytes` as base64, a class with `to_json`/`from_json` (a
    Keyboard) through those, `str`/`int`/`bool` as they are, `datetime` in ISO 8601, dicts as
    plain objects, `X | None` as X or null. A field missing from the JSON takes its default,
    so rows written before a field was added still decode; unknown keys are ignored.

    Args:
        what: What the values are, for error messages ("action").
        home: The module whose classes register here; it is imported on first use, so
            decoding works even where nothing imported the classes yet.
    """

    def __init__(self, what: str, home: str) -> None:
        self._what = what
        self._home = home
        self._by_name: dict[str, type] = {}
        self._names: dict[type, str] = {}
        self._fields: dict[type, tuple[_Field, ...]] = {}

    def register(self, name: str) -> Callable[[C], C]:
        """A class decorator: encode the class under the type name `name`."""

        def add(cls: C) -> C:
            if name in self._by_name:
                raise ValueError(f"{self._what} type {name!r} registered twice")
            self._by_name[name] = cls
            self._names[cls] = name
            return cls

        return add

    def types(self) -> dict[str, type]:
        """Every registered type name and its class."""
        return dict(self._registered())

    def _registered(self) -> dict[str, type]:
        importlib.import_module(self._home)  # a no-op once the home module is loaded
        return self._by_name

    def encode(self, value: T) -> dict[str, Any]:
        """A plain dict: `type` plus each field in its JSON form."""
        cls = type(value)
        name = self._names.get(cls)
        if name is None:
            raise TypeError(f"not a registered {self._what}: {value!r}")
        data: dict[str, Any] = {"type": name}
        for field in self._fields_of(cls):
            data[field.name] = field.encode(getattr(value, field.name))
        return data

    def decode(self, data: Mapping[str, Any]) -> T:
        """The inverse of `encode`."""
        cls = self._registered().get(data["type"])
        if cls is None:
            raise ValueError(f"unknown {self._what} type {data['type']!r}")
        kwargs: dict[str, Any] = {}
        for field in self._fields_of(cls):
            if field.name in data:
                kwargs[field.name] = field.decode(data[field.name])
            elif field.required:
                raise ValueError(f"{self._what} {data['type']!r} lacks {field.name!r}")
        value: T = cls(**kwargs)
        return value

    def _fields_of(self, cls: type) -> tuple[_Field, ...]:
        found = self._fields.get(cls)
        if found is None:
            hints = get_type_hints(cls)
            found = self._fields[cls] = tuple(
                _Field(f.name, *_converters(hints[f.name]), required=_required(f))
                for f in dataclasses.fields(cls)
            )
        return found


def _required(field: dataclasses.Field[Any]) -> bool:
    no_default = field.default is dataclasses.MISSING
    return no_default and field.default_factory is dataclasses.MISSING


def _identity(value: Any) -> Any:
    return value


def _b64encode(value: bytes) -> str:
    return base64.b64encode(value).decode()


def _converters(hint: Any) -> tuple[Convert, Convert]:
    """(encode, decode) for a field annotated `hint`."""
    if get_origin(hint) in (Union, types.UnionType):
        inner = [arg for arg in get_args(hint) if arg is not type(None)]
        if len(inner) != 1:
            raise TypeError(f"no JSON form for {hint!r}")
        encode, decode = _converters(inner[0])
        return _or_none(encode), _or_none(decode)
    if hint is bytes:
        return _b64encode, base64.b64decode
    if hasattr(hint, "from_json") and hasattr(hint, "to_json"):
        return (lambda value: value.to_json()), hint.from_json
    if hint in (str, int, bool):
        return _identity, hint
    if hint is datetime:
        return datetime.isoformat, datetime.fromisoformat
    if get_origin(hint) is dict:
        return dict, dict
    if (
        get_origin(hint) is tuple
        and get_args(hint)[1:] == (Ellipsis,)
        and get_args(hint)[0] is str
    ):
        return list, tuple
    raise TypeError(f"no JSON form for {hint!r}")


def _or_none(convert: Convert) -> Convert:
    return lambda value: None if value is None else convert(value)


ACTIONS: Codec[Action] = Codec("action", "bot.framework.actions")
COUNSELLOR_EVENTS: Codec[CounsellorEvent] = Codec("counsellor event", "bot.framework.events")


def action_to_json(action: Action) -> dict[str, Any]:
    """An outbox action as a plain dict with a `type` field."""
    return ACTIONS.encode(action)


def action_from_json(data: Mapping[str, Any]) -> Action:
    """The inverse of `action_to_json`."""
    return ACTIONS.decode(data)


def counsellor_event_to_json(event: CounsellorEvent) -> dict[str, Any]:
    """A counsellor's event as a plain dict with a `type` field (kept until it is applied)."""
    return COUNSELLOR_EVENTS.encode(event)


def counsellor_event_from_json(data: Mapping[str, Any]) -> CounsellorEvent:
    """The inverse of `counsellor_event_to_json`."""
    return COUNSELLOR_EVENTS.decode(data)
