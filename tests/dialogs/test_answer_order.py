"""Issue 12 items 8 and 9: a stable answer order, the earlier choice on Back, a counting bar."""

from __future__ import annotations

from bot.framework.events import Reconnected
from tests.fakes.chat import ChatClient

CHOSEN = "✔️"  # bot.dialogs.assessment.CHOSEN


def _option_labels(client: ChatClient) -> list[str]:
    return [b.label for b in client.last_keyboard_buttons() if b.payload.count(":") == 2]


def test_the_order_stays_on_language_switch_back_and_reload() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("Social")
    assert client.session is not None
    first = client.session.shown_order
    client.send("/language")
    client.tap("Slovenščina")
    assert client.session.shown_order == first
    client.tap("1️⃣")
    client.tap("⬅️")
    assert client.session.position == 0
    assert client.session.shown_order == first
    client.apply(Reconnected())
    assert client.session.shown_order == first


def test_the_order_is_shuffled_once_per_person() -> None:
    orders = set()
    for person in range(6):
        client = ChatClient(chat_id=str(person))
        client.onboard()
        client.tap("Social")
        assert client.session is not None
        orders.add(client.session.shown_order)
    assert len(orders) > 1


def test_back_shows_the_earlier_choice() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("Social")
    assert CHOSEN not in " ".join(_option_labels(client))
    client.tap("3️⃣")
    client.tap("⬅️")
    marked = [label for label in _option_labels(client) if CHOSEN in label]
    assert len(marked) == 1
    assert marked[0].startswith("3️⃣")


def test_back_shows_an_earlier_skip() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("Social")
    client.tap("🤷")
    client.tap("⬅️")
    assert [b.label for b in client.last_keyboard_buttons() if CHOSEN in b.label] == [
        next(b.label for b in client.last_keyboard_buttons() if b.label.startswith("🤷"))
    ]


def test_the_bar_counts_questions_and_is_full_on_the_last() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("Social")
    total = len(client.content.questions_of("SOC"))
    assert client.last_text().text.splitlines()[0] == "●" + "○" * (total - 1) + f" 1 / {total}"
    for _ in range(3):
        client.tap("1️⃣")
    assert client.last_text().text.splitlines()[0].endswith(f" 4 / {total}")
    while client.session is not None and client.session.position < total - 1:
        client.tap("1️⃣")
    assert client.last_text().text.splitlines()[0] == "●" * total + f" {total} / {total}"
