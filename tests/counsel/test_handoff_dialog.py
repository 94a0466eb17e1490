"""The person's side of a handoff, through the pure engine on the shipped content."""

from __future__ import annotations

from datetime import timedelta

from bot.framework.actions import BadgeEarned, HandoffRequested, RelayToCounsellor
from bot.framework.events import (
    CounsellorJoined,
    CounsellorLeft,
    CounsellorMessage,
    LevelValidated,
    MediaReceived,
)
from tests.fakes.chat import ChatClient


def finish(client: ChatClient, category: str, option: str = "1️⃣") -> None:
    client.tap(category)
    while client.session is not None and client.session.step == "question":
        client.tap(option)


def finish_at_level(client: ChatClient, category: str, level: int) -> None:
    """Answer every question with its option at `level`: a consistent, unflagged result."""
    client.tap(category)
    while client.session is not None and client.session.step == "question":
        state = client.session
        question = client.content.questions_of(state.category or "")[state.position]
        key = next(k for k in state.shown_order if question.option(k).level == level)  # type: ignore[union-attr]
        client.tap_payload(f"q:{state.question_token}:{key}")


def handoffs(client: ChatClient) -> list[HandoffRequested]:
    return [a for a in client.sent if isinstance(a, HandoffRequested)]


def test_an_unflagged_result_opens_no_case() -> None:
    client = ChatClient(step=timedelta(seconds=20))
    client.onboard()
    finish_at_level(client, "Social", 2)
    assert client.session is not None
    assert not client.session.results["SOC"]["flags"]
    assert handoffs(client) == []


def test_a_flagged_result_asks_for_a_counsellor_with_a_summary() -> None:
    client = ChatClient(step=timedelta(milliseconds=300))  # too fast: flagged
    client.send("/start outreach_9")
    client.tap("English")
    client.tap("✅")
    finish(client, "Social")
    [handoff] = handoffs(client)
    assert handoff.reason == "flags"
    assert handoff.summary["category"] == "SOC"
    assert "too_fast" in handoff.summary["flags"]
    assert handoff.summary["invite"] == "outreach_9"
    assert handoff.summary["language"] == "en"
    assert client.session is not None
    assert client.session.handoff == "waiting"


def test_talk_to_a_person_is_on_menus_and_questions_and_a_command() -> None:
    client = ChatClient()
    client.onboard()
    assert any(b.payload == "nav:human" for b in client.last_keyboard_buttons())
    client.tap("Social")
    assert any(b.payload == "nav:human" for b in client.last_keyboard_buttons())
    client.tap("Talk to a person")
    assert handoffs(client)[-1].reason == "person"
    assert "I asked a counsellor" in client.sent[-2].text  # type: ignore[union-attr]
    assert client.session is not None
    assert client.session.step == "question"  # the question is asked again: go on meanwhile
    client.send("/human")
    assert "told the counsellors again" in client.sent[-2].text  # type: ignore[union-attr]


def test_while_claimed_the_bot_is_quiet_and_relays() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("Social")
    client.send("/human")
    client.apply(CounsellorJoined())
    assert "A counsellor is here now" in client.last_text().text
    assert client.apply(CounsellorMessage("Hello, I am Ana.")) == [client.last_text()]
    assert client.last_text().text == "🧑‍🏫 Hello, I am Ana."
    [relay] = client.send("I like my team")
    assert isinstance(relay, RelayToCounsellor)
    assert (relay.text, relay.kind) == ("I like my team", "text")
    [voice] = client.apply(MediaReceived("voice", "file-7"))
    assert isinstance(voice, RelayToCounsellor)
    assert voice == RelayToCounsellor("", "voice", "file-7", voice.ref)
    assert voice.ref != relay.ref
    client.apply(CounsellorLeft())
    assert "The counsellor has left" in client.sent[-2].text  # type: ignore[union-attr]
    assert client.session is not None
    assert client.session.handoff is None
    assert client.session.step == "question"


def test_a_validated_level_is_kept_and_earns_a_validated_badge() -> None:
    client = ChatClient()
    client.onboard()
    client.send("/human")
    client.apply(CounsellorJoined())
    actions = client.apply(LevelValidated("SOC", 2, "We talked about your work."))
    assert BadgeEarned("SOC", 2, True, "en") in actions
    assert "We talked about your work." in client.last_text().text
    assert client.session is not None
    assert client.session.validated == {"SOC": 2}


def test_counsellor_events_for_an_unknown_person_keep_nothing() -> None:
    client = ChatClient()
    assert client.apply(CounsellorMessage("hi")) == []
    assert client.session is None


def test_talk_to_a_person_before_consent_asks_for_agreement_first() -> None:
    client = ChatClient()
    client.send("/start")
    client.tap("English")
    actions = client.send("/human")
    assert not any(isinstance(a, HandoffRequested) for a in actions)
    assert "say yes" in actions[0].text  # type: ignore[union-attr]
    assert client.session is not None
    assert client.session.step == "consent"
