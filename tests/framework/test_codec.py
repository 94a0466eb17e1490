"""The codec: today's outbox JSON still reads, and every registered type survives a round trip."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from typing import Any, get_type_hints

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.framework.actions import (
    BadgeEarned,
    DataErased,
    ExportRequested,
    HandoffRequested,
    MarkAnswered,
    PassportRequested,
    PassportRevoked,
    RelayToCounsellor,
    ResendBadges,
    SendAudio,
    SendDocument,
    SendImage,
    SendResultPicture,
    SendText,
    SendVoice,
)
from bot.framework.codec import (
    ACTIONS,
    COUNSELLOR_EVENTS,
    Codec,
    action_from_json,
    action_to_json,
    counsellor_event_from_json,
    counsellor_event_to_json,
)
from bot.framework.events import (
    CounsellorJoined,
    CounsellorLeft,
    CounsellorMessage,
    CounsellorVoice,
    LevelValidated,
    ValidationRejected,
)
from bot.framework.keyboards import Button, Keyboard

KEYS = [[{"label": "🙂 Yes", "payload": "a:1"}], [{"label": "No", "payload": "a:0"}]]
KEYBOARD = Keyboard(((Button("🙂 Yes", "a:1"),), (Button("No", "a:0"),)))

# Rows as the outbox held them before the registry (written by the hand-made encoder).
STORED_ACTIONS: list[tuple[dict[str, Any], object]] = [
    (
        {
            "type": "text",
            "text": "Hi",
            "ref": "q:1",
            "speak": "Hi!",
            "lang": "sl",
            "keyboard": KEYS,
        },
        SendText("Hi", KEYBOARD, "q:1", "Hi!", "sl"),
    ),
    (
        {"type": "text", "text": "Hi", "ref": "", "speak": "", "lang": "", "keyboard": None},
        SendText("Hi"),
    ),
    ({"type": "mark_answered", "ref": "q:1", "label": "Yes"}, MarkAnswered("q:1", "Yes")),
    ({"type": "voice", "text": "Hi", "lang": "sl"}, SendVoice("Hi", "sl")),
    (
        {
            "type": "result_picture",
            "levels": {"SOC": 2, "PER": None},
            "locale": "en",
            "caption": "",
            "flagged": ["PER"],
            "earlier": {"SOC": 1},
        },
        SendResultPicture({"SOC": 2, "PER": None}, "en", "", ("PER",), {"SOC": 1}),
    ),
    (
        {
            "type": "document",
            "filename": "a.json",
            "mime_type": "application/json",
            "caption": "📦",
            "content": "e30=",
        },
        SendDocument("a.json", b"{}", "application/json", "📦"),
    ),
    (
        {"type": "handoff", "reason": "borderline", "summary": {"SOC": [1, 2]}},
        HandoffRequested("borderline", {"SOC": [1, 2]}),
    ),
    (
        {"type": "relay", "text": "", "kind": "voice", "file_ref": "f-7", "ref": "r1"},
        RelayToCounsellor("", "voice", "f-7", "r1"),
    ),
    (
        {
            "type": "badge_earned",
            "category": "SOC",
            "level": 2,
            "validated": True,
            "locale": "en",
            "first_name": "Ana",
        },
        BadgeEarned("SOC", 2, True, "en", "Ana"),
    ),
    ({"type": "image", "caption": "🏅", "content": "iVBO"}, SendImage(b"\x89P\x4e", "🏅")),
    (
        {"type": "audio", "content": "T2dnUw==", "mime_type": "audio/ogg", "caption": "🧑‍🏫"},
        SendAudio(b"OggS", "audio/ogg", "🧑‍🏫"),
    ),
    ({"type": "resend_badges", "locale": "ar"}, ResendBadges("ar")),
    (
        {"type": "data_erased", "revoke_badges": False, "at": "2026-03-01T12:00:00.250000+00:00"},
        DataErased(False, datetime(2026, 3, 1, 12, 0, 0, 250_000, tzinfo=UTC)),
    ),
    ({"type": "export_requested", "locale": "uk"}, ExportRequested("uk")),
    (
        {"type": "passport_requested", "locale": "ar", "also": "sl", "first_name": "Amira"},
        PassportRequested("ar", "sl", "Amira"),
    ),
    ({"type": "passport_revoked", "locale": "de"}, PassportRevoked("de")),
]

# Older rows, from before some fields existed: the defaults fill them in.
OLDER_ACTIONS: list[tuple[dict[str, Any], object]] = [
    ({"type": "data_erased"}, DataErased()),  # before retention kept badges valid
    ({"type": "data_erased", "revoke_badges": True}, DataErased()),  # before it had a time
    (
        {"type": "result_picture", "levels": {"SOC": 2}, "locale": "en", "caption": ""},
        SendResultPicture({"SOC": 2}, "en"),
    ),
    ({"type": "text", "text": "Hi", "keyboard": None}, SendText("Hi")),
    ({"type": "handoff", "reason": "asked"}, HandoffRequested("asked")),
    ({"type": "relay", "text": "hello"}, RelayToCounsellor("hello")),
    (
        {
            "type": "badge_earned",
            "category": "CRE",
            "level": 1,
            "validated": False,
            "locale": "en",
        },
        BadgeEarned("CRE", 1, False, "en"),
    ),
]

STORED_EVENTS: list[tuple[dict[str, Any], object]] = [
    ({"type": "joined"}, CounsellorJoined()),
    ({"type": "message", "text": "Hello"}, CounsellorMessage("Hello")),
    (
        {"type": "voice", "content": "T2dnUw==", "mime_type": "audio/ogg", "caption": ""},
        CounsellorVoice(b"OggS", "audio/ogg"),
    ),
    ({"type": "left", "closed": True}, CounsellorLeft(True)),
    (
        {"type": "validated", "category": "SOC", "level": 3, "note": "ok"},
        LevelValidated("SOC", 3, "ok"),
    ),
    ({"type": "rejected", "note": "later", "category": "PER"}, ValidationRejected("later", "PER")),
]


@pytest.mark.parametrize(("stored", "action"), STORED_ACTIONS + OLDER_ACTIONS)
def test_outbox_rows_written_before_the_registry_still_decode(
    stored: dict[str, Any], action: object
) -> None:
    assert action_from_json(json.loads(json.dumps(stored))) == action


@pytest.mark.parametrize(("stored", "action"), STORED_ACTIONS)
def test_actions_are_written_in_the_same_shape_as_before(
    stored: dict[str, Any], action: Any
) -> None:
    assert action_to_json(action) == stored


@pytest.mark.parametrize(("stored", "event"), STORED_EVENTS)
def test_counsellor_events_keep_their_shape(stored: dict[str, Any], event: Any) -> None:
    assert counsellor_event_from_json(stored) == event
    assert counsellor_event_to_json(event) == stored


def test_every_action_and_event_type_has_a_stored_example() -> None:
    assert {data["type"] for data, _ in STORED_ACTIONS} == set(ACTIONS.types())
    assert {data["type"] for data, _ in STORED_EVENTS} == set(COUNSELLOR_EVENTS.types())


def test_unknown_types_and_missing_fields_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown action type 'fax'"):
        action_from_json({"type": "fax"})
    with pytest.raises(ValueError, match="lacks 'locale'"):
        action_from_json({"type": "resend_badges"})
    with pytest.raises(ValueError, match="unknown counsellor event type 'text'"):
        counsellor_event_from_json({"type": "text", "text": "actions are not events"})
    with pytest.raises(TypeError, match="not a registered action"):
        action_to_json(CounsellorJoined())  # type: ignore[arg-type]


def test_a_type_name_is_registered_once() -> None:
    codec: Codec[object] = Codec("thing", __name__)

    @codec.register("a")
    @dataclasses.dataclass(frozen=True)
    class A:
        x: int

    assert codec.decode(codec.encode(A(1))) == A(1)
    with pytest.raises(ValueError, match="registered twice"):
        codec.register("a")(A)


# -- property: every registered type survives JSON text ----------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)
PAYLOADS = st.text(max_size=16)  # a button payload is at most 64 bytes
KEYBOARDS = st.builds(
    Keyboard,
    st.lists(
        st.lists(st.builds(Button, st.text(), PAYLOADS), min_size=1, max_size=3).map(tuple),
        max_size=3,
    ).map(tuple),
)


def _field_strategy(hint: Any) -> st.SearchStrategy[Any]:
    if hint == dict[str, Any]:
        return st.dictionaries(st.text(), JSON_VALUES, max_size=4)
    if hint == Keyboard | None:
        return st.none() | KEYBOARDS
    return st.from_type(hint)


def _instances(cls: type) -> st.SearchStrategy[Any]:
    hints = get_type_hints(cls)
    fields = {f.name: _field_strategy(hints[f.name]) for f in dataclasses.fields(cls)}
    return st.builds(cls, **fields)


ANY_ACTION = st.one_of([_instances(cls) for cls in ACTIONS.types().values()])
ANY_EVENT = st.one_of([_instances(cls) for cls in COUNSELLOR_EVENTS.types().values()])


@given(ANY_ACTION)
def test_every_action_survives_a_round_trip_through_json_text(action: Any) -> None:
    assert action_from_json(json.loads(json.dumps(action_to_json(action)))) == action


@given(ANY_EVENT)
def test_every_counsellor_event_survives_a_round_trip(event: Any) -> None:
    assert (
        counsellor_event_from_json(json.loads(json.dumps(counsellor_event_to_json(event))))
        == event
    )
