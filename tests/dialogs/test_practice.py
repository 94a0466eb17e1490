"""What to practise next, the "I tried it" tick, the retake offer and the kept history."""

from __future__ import annotations

from datetime import timedelta

from bot.framework.actions import SendResultPicture, SendText, SendVoice
from bot.framework.events import Reconnected
from bot.framework.turn import without_symbols
from tests.fakes.chat import ChatClient


def answer_at(client: ChatClient, lowest: bool) -> None:
    """Answer every question of the open topic with its lowest (or highest) level option."""
    while client.session is not None and client.session.step == "question":
        session = client.session
        question = client.content.questions_of(session.category or "")[session.position]
        levels = {o.key: o.level for o in question.options}
        pick = (min if lowest else max)(session.shown_order, key=lambda key: levels[key])
        client.tap_payload(f"q:{session.question_token}:{pick}")


def tips_sent(client: ChatClient, since: int = 0) -> list[SendText]:
    return [
        a
        for a in client.sent[since:]
        if isinstance(a, SendText) and a.ref.startswith("tip:") and a.keyboard
    ]


def test_a_weak_topic_gets_at_most_three_tips_with_a_tried_button() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("Social")
    answer_at(client, lowest=True)
    tips = tips_sent(client)
    assert 1 <= len(tips) <= 3
    tip_ids = [a.ref.removeprefix("tip:") for a in tips]
    for action, outcome_id in zip(tips, tip_ids, strict=True):
        assert action.text == client.content.outcomes[outcome_id].tip  # type: ignore[index]
        assert outcome_id.startswith("SOC-")
        assert action.keyboard is not None
        assert [b.payload for b in action.keyboard.buttons()] == [f"tip:{outcome_id}"]
        assert "I tried it" in action.keyboard.buttons()[0].label
    assert any("practise" in a.text for a in client.sent if isinstance(a, SendText))


def test_a_strong_topic_gets_no_tips() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("Social")
    answer_at(client, lowest=False)
    assert tips_sent(client) == []


def test_tips_come_in_arabic_and_are_heard_when_audio_is_on() -> None:
    client = ChatClient(locale_hint="ar")
    client.onboard("العربية")
    assert client.session is not None
    client.session.audio = True
    client.tap_payload("cat:ORG")
    answer_at(client, lowest=True)
    tips = tips_sent(client)
    assert tips
    arabic = client.catalogs.get("ar")
    outcome_id = tips[0].ref.removeprefix("tip:")
    source = client.content.outcomes[outcome_id].tip  # type: ignore[index]
    assert tips[0].text == arabic.pgettext(f"{outcome_id}.tip", source) != source
    heard = [a.text for a in client.sent if isinstance(a, SendVoice)]
    assert without_symbols(tips[0].text) in heard
    assert tips[0].text.split(" ", 1)[0] not in " ".join(heard)  # no pictogram read aloud


def test_i_tried_it_is_kept_with_the_date_and_counted() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("Social")
    answer_at(client, lowest=True)
    first = tips_sent(client)[0]
    outcome_id = first.ref.removeprefix("tip:")
    client.tap_payload(f"tip:{outcome_id}")
    assert client.session is not None
    assert client.session.practice == {outcome_id: ["2026-11-28"]}
    assert "Tips you tried: 1" in client.last_text().text
    client.now += timedelta(days=1)
    client.tap_payload(f"tip:{outcome_id}")
    assert client.session.practice[outcome_id] == ["2026-11-28", "2026-11-29"]
    assert "Tips you tried: 2" in client.last_text().text


def test_the_menu_entry_shows_tips_and_the_count() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("Social")
    answer_at(client, lowest=True)
    client.tap_payload(f"tip:{tips_sent(client)[0].ref.removeprefix('tip:')}")
    client.send("/menu")
    client.tap("⚙️")  # the More page
    mark = len(client.sent)
    client.tap("🌱")
    assert 1 <= len(tips_sent(client, mark)) <= 3
    assert any(
        "Tips you tried: 1" in a.text for a in client.sent[mark:] if isinstance(a, SendText)
    )


def test_an_unknown_tip_button_is_answered_kindly() -> None:
    client = ChatClient()
    client.onboard()
    sent = client.tap_payload("tip:XYZ-99")
    assert any("earlier message" in a.text for a in sent if isinstance(a, SendText))
    assert client.session is not None
    assert client.session.practice == {}


def test_retake_is_offered_once_after_the_waiting_time_and_history_is_kept() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("Social")
    answer_at(client, lowest=True)
    assert client.session is not None
    first_level = client.session.results["SOC"]["level"]
    client.now += timedelta(days=13)
    client.send("/start")
    assert client.last_text().ref == "menu"  # too early: no offer
    client.now += timedelta(days=1)
    client.apply(Reconnected())
    assert client.last_text().ref == "retake"
    assert "again" in client.last_text().text
    client.tap("Not now")
    client.send("/start")
    assert client.last_text().ref == "menu"  # offered once only
    client.tap("Social")
    answer_at(client, lowest=False)
    session = client.session
    assert session is not None
    history = session.history["SOC"]
    assert [row["level"] for row in history] == [first_level]
    assert history[0]["finished_at"].startswith("2026-11-28")
    assert session.results["SOC"]["level"] > first_level
    assert session.results["SOC"]["finished_at"] > history[0]["finished_at"]
    picture = [a for a in client.sent if isinstance(a, SendResultPicture)][-1]
    assert picture.earlier["SOC"] == first_level


def test_yes_again_opens_the_topic_from_the_start() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("Social")
    answer_at(client, lowest=True)
    client.now += timedelta(days=14)
    client.send("/start")
    client.tap("Yes, again")
    assert client.session is not None
    assert (client.session.step, client.session.category) == ("question", "SOC")
    assert client.session.position == 0


def test_a_tick_during_a_question_asks_the_question_again() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("Social")
    answer_at(client, lowest=True)
    outcome_id = tips_sent(client)[0].ref.removeprefix("tip:")
    client.tap("Personal")
    assert client.session is not None
    token = client.session.question_token
    client.tap_payload(f"tip:{outcome_id}")
    assert client.session.practice[outcome_id] == ["2026-11-28"]
    assert client.last_text().ref == f"q:{token}"
