"""Conversation transcripts through the pure engine, on the shipped content."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.framework.actions import (
    ExportRequested,
    HandoffRequested,
    MarkAnswered,
    SendResultPicture,
    SendText,
)
from bot.framework.events import MediaReceived, Reconnected
from tests.fakes.chat import ChatClient


def answer_all(client: ChatClient, option: str = "1️⃣") -> None:
    """Answer every question of the open category with the option shown at `option`."""
    while client.session is not None and client.session.step == "question":
        client.tap(option)


def test_first_contact_asks_language_then_consent() -> None:
    client = ChatClient()
    client.send("/start")
    assert "language" in client.last_text().text
    client.tap("English")
    assert "OK for you" in client.last_text().text
    assert client.session is not None
    assert not client.session.consent


def test_declining_consent_keeps_nothing() -> None:
    client = ChatClient()
    client.send("/start")
    client.tap("English")
    client.tap("❌")
    assert client.session is None
    assert "did not keep anything" in client.last_text().text


def test_invite_code_from_deep_link_is_kept() -> None:
    client = ChatClient()
    client.send("/start outreach_42")
    client.tap("English")
    client.tap("✅")
    assert client.session is not None
    assert client.session.invite == "outreach_42"


def test_malformed_invite_code_is_dropped() -> None:
    client = ChatClient()
    client.send("/start <script>")
    assert client.session is not None
    assert client.session.invite is None


def test_a_whole_category_gives_summary_picture_and_menu_tick() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("Social")
    questions = len(client.content.questions_of("SOC"))
    answer_all(client)
    assert client.session is not None
    assert "SOC" in client.session.results
    assert client.session.results["SOC"]["answered"] + client.session.results["SOC"]["skipped"] > 0
    assert "SOC" not in client.session.answers  # kept in the answers log, not in the state
    pictures = [a for a in client.sent if isinstance(a, SendResultPicture)]
    assert pictures[-1].levels["SOC"] == client.session.results["SOC"]["level"]
    assert pictures[-1].levels["PER"] is None
    mark = "🧑‍🏫" if client.session.results["SOC"]["flags"] else "✅"  # always 1️⃣: flagged
    assert any("Social" in b.label and mark in b.label for b in client.last_keyboard_buttons())
    assert len(client.logged) == questions


def test_each_answer_is_marked_on_its_question() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("Social")
    question = client.last_text()
    actions = client.tap("2️⃣")
    marks = [a for a in actions if isinstance(a, MarkAnswered)]
    assert [m.ref for m in marks] == [question.ref]


def test_options_are_shuffled_and_the_shown_order_is_stored() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("Social")
    orders = set()
    for _ in range(6):
        assert client.session is not None
        orders.add(client.session.shown_order)
        client.tap("1️⃣")
    assert len(orders) > 1
    first = client.logged[0].answer
    assert first.position == 0
    assert first.option_key == first.shown_order[0]


@pytest.mark.parametrize("typed", ["2", "B", "b", "٢", "۲", "2️⃣"])
def test_typed_answers_pick_the_shown_option(typed: str) -> None:
    client = ChatClient()
    client.onboard()
    client.tap("Social")
    assert client.session is not None
    expected = client.session.shown_order[1]
    client.send(typed)
    assert client.logged[-1].answer.option_key == expected


def test_typing_the_option_text_picks_it() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("Social")
    assert client.session is not None
    key = client.session.shown_order[2]
    question = client.content.questions_of("SOC")[0]
    option = question.option(key)
    assert option is not None
    client.send(option.text.upper() + " ")
    assert client.logged[-1].answer.option_key == key


def test_skip_records_no_level() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("Social")
    client.tap("🤷")
    answer = client.logged[-1].answer
    assert answer.option_key is None
    assert answer.level is None


def test_unclear_text_gets_a_kind_reask_and_loses_nothing() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("Social")
    client.tap("1️⃣")
    assert client.session is not None
    before = (client.session.position, client.session.question_token)
    actions = client.send("maybe tomorrow")
    texts = [a.text for a in actions if isinstance(a, SendText)]
    assert "tap one of the buttons" in texts[0]
    assert (client.session.position, client.session.question_token) == before
    assert len(client.logged) == 1


def test_stale_button_is_answered_kindly_and_not_recorded() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("Social")
    stale = client.last_keyboard_buttons()[0].payload
    client.tap("1️⃣")
    actions = client.tap_payload(stale)
    assert "earlier message" in next(a for a in actions if isinstance(a, SendText)).text
    assert len(client.logged) == 1


def test_oversize_and_empty_messages() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("Social")
    assert "too long" in client.send("x" * 5000)[0].text  # type: ignore[union-attr]
    assert "empty" in client.send("   ")[0].text  # type: ignore[union-attr]
    assert client.logged == []


def test_unknown_command_lists_the_ones_that_work() -> None:
    client = ChatClient()
    client.onboard()
    actions = client.send("/frobnicate")
    assert "/help" in actions[0].text  # type: ignore[union-attr]
    assert client.session is not None
    assert client.session.step == "menu"


def test_sticker_and_voice_get_a_short_answer() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("Social")
    for kind in ("sticker", "voice", "photo"):
        actions = client.apply(MediaReceived(kind, "file"))
        assert isinstance(actions[0], SendText)
        assert isinstance(actions[-1], SendText)
        assert actions[-1].keyboard is not None


def test_back_returns_to_the_previous_question_and_overwrites() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("Social")
    client.tap("1️⃣")
    client.tap("⬅️")
    assert client.session is not None
    assert client.session.position == 0
    client.tap("2️⃣")
    assert len(client.session.answers["SOC"]) == 1
    assert len(client.logged) == 2


def test_stop_and_come_back_days_later_resumes_the_same_question() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("Personal")
    for _ in range(3):
        client.tap("1️⃣")
    client.send("/stop")
    assert client.session is not None
    assert client.session.step == "paused"
    client.now += timedelta(days=4)
    client.send("/start")
    assert client.session.position == 3
    assert client.session.step == "question"


def test_reconnect_repeats_the_open_question_with_working_buttons() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("Social")
    first = client.last_text()
    client.apply(Reconnected())
    again = client.last_text()
    assert again.text == first.text
    assert again.keyboard == first.keyboard


def test_language_can_change_at_any_step() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("Social")
    client.send("/language")
    client.tap("Slovenščina")
    assert client.session is not None
    assert client.session.locale == "sl"
    assert client.session.step == "question"


def test_delete_asks_first_then_erases() -> None:
    client = ChatClient()
    client.onboard()
    client.send("/delete")
    client.tap("↩️")
    assert client.session is not None
    client.send("/delete")
    client.tap("🗑️")
    assert client.session is None


def test_export_is_requested_from_the_store() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("Social")
    client.tap("1️⃣")
    actions = client.send("/export")
    assert isinstance(actions[0], ExportRequested)
    assert actions[0].locale == "en"


def test_all_five_categories_then_results() -> None:
    client = ChatClient()
    client.onboard()
    for category in client.content.categories:
        client.tap_payload(f"cat:{category.id}")
        answer_all(client)
    assert client.session is not None
    assert len(client.session.results) == 5
    assert "all five" in client.last_text().text
    client.tap("📊")
    picture = [a for a in client.sent if isinstance(a, SendResultPicture)][-1]
    assert all(level is not None for level in picture.levels.values())


def test_fast_uniform_answers_are_flagged_for_a_counsellor() -> None:
    client = ChatClient(step=timedelta(milliseconds=500))
    client.onboard()
    client.tap("Social")
    answer_all(client)
    assert client.session is not None
    flags = client.session.results["SOC"]["flags"]
    assert any(flag["code"] == "too_fast" for flag in flags)
    assert any(isinstance(a, HandoffRequested) for a in client.sent)


def test_a_first_name_is_kept_only_when_the_person_gives_one() -> None:
    client = ChatClient()
    client.onboard()
    client.send("/name Ana")
    assert client.session is not None
    assert client.session.first_name == "Ana"
    said = [a.text for a in client.sent if isinstance(a, SendText)]
    assert any("Anyone who opens your badge's link can see this name." in text for text in said)
    client.send("/name <b>bold</b> words")
    assert "only your first name" in client.sent[-2].text  # type: ignore[union-attr]
    assert client.session.first_name == "Ana"
    client.send("/name")
    assert client.session.first_name is None


@pytest.mark.parametrize(
    "name", ["Ana Maria", "Jean-Luc", "O'Brien", "Nguyễn Thị Minh", "Анна Мария", "أحمد", "अनिल"]
)
def test_a_first_name_of_several_words_in_any_script_is_kept(name: str) -> None:
    client = ChatClient()
    client.onboard()
    client.send(f"/name  {name} ")
    assert client.session is not None
    assert client.session.first_name == name


@pytest.mark.parametrize("name", ["Ana 2", "Ana_Maria", "-Ana", "a.b@c.d", "Ana " * 11])
def test_a_name_with_digits_symbols_or_too_long_is_refused(name: str) -> None:
    client = ChatClient()
    client.onboard()
    client.send(f"/name {name}")
    assert client.session is not None
    assert client.session.first_name is None
