"""WhatsApp rendering: every text, title and row within the limits, no word or grapheme broken."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.channels.whatsapp_limits import ELLIPSIS, cut, graphemes, split
from bot.channels.whatsapp_render import MORE, render_text
from bot.dialogs.ui import NUMBER_EMOJI
from bot.framework.keyboards import Button, Keyboard
from tests.fakes.whatsapp_limits import problems

SLOVENIAN = [
    "Prijazno vprašam sodelavko, ali mi lahko pokaže, kako se to naredi pravilno",
    "Počakam, da mi vodja sama pove, kaj naj naredim, in medtem ne začnem ničesar",
    "Poskusim sam, in če ne gre, prosim za pomoč nekoga, ki to že zna narediti",
    "Pomagam drugim, ko vidim, da ne vedo, kako naprej, tudi v novih okoliščinah",
]
ARABIC = [
    "أسأل زميلتي بلطف إذا كانت تستطيع أن تريني كيف أفعل ذلك بالطريقة الصحيحة",
    "أنتظر حتى تخبرني المديرة بما يجب أن أفعله ولا أبدأ أي شيء في هذه الأثناء",
    "أحاول بنفسي وإذا لم أنجح أطلب المساعدة من شخص يعرف كيف يفعل ذلك جيدا",
    "أساعد الآخرين عندما أرى أنهم لا يعرفون كيف يستمرون حتى في المواقف الجديدة",
]
SCENARIO = "1/13\n\nA new colleague does not understand a task. 🤔 What do you do?"


def _question(labels: list[str]) -> Keyboard:
    rows = [(Button(f"{NUMBER_EMOJI[i]} {label}", f"q:t:{i}"),) for i, label in enumerate(labels)]
    return Keyboard((*rows, (Button("🤷 Preskoči / تخطى", "q:t:-"),)))


def _kept_whole(original: str, shortened: str) -> bool:
    """`shortened` is whole graphemes of `original` ending at a word, then `…`."""
    if shortened == original.strip():
        return True
    head = shortened.removesuffix(ELLIPSIS)
    rest = original.strip()[len(head) :]
    return original.strip().startswith(head) and (
        rest[:1].isspace() or rest[:1] in ",.;:-–" or " " not in original
    )


@pytest.mark.parametrize("labels", [SLOVENIAN, ARABIC], ids=["sl", "ar"])
def test_long_options_become_a_list_with_the_full_texts_in_the_body(labels: list[str]) -> None:
    bodies = render_text(SCENARIO, _question(labels), ack=labels[0])
    for body in bodies:
        assert problems(body) == []
    interactive = bodies[-1]["interactive"]
    assert interactive["type"] == "list"
    text = interactive["body"]["text"]
    assert text.startswith(f"✅ {labels[0]}")
    assert all(label in text for label in labels)  # the full options, numbered
    rows = interactive["action"]["sections"][0]["rows"]
    assert [row["id"] for row in rows] == [f"q:t:{i}" for i in range(4)] + ["q:t:-"]
    for row, label in zip(rows, labels, strict=False):
        assert _kept_whole(f"{NUMBER_EMOJI[rows.index(row)]} {label}", row["title"])


def test_up_to_three_choices_are_reply_buttons_with_unique_titles() -> None:
    same = Keyboard.column([Button("Izbriši vse moje podatke zdaj", f"d:{i}") for i in range(3)])
    body = render_text("Res?", same)[-1]
    assert problems(body) == []
    titles = [b["reply"]["title"] for b in body["interactive"]["action"]["buttons"]]
    assert len(set(titles)) == 3
    assert "Izbriši vse moje podatke zdaj" in body["interactive"]["body"]["text"]


def test_more_than_ten_choices_page_through_a_more_row() -> None:
    languages = Keyboard.column([Button(f"Jezik {i}", f"lang:l{i}") for i in range(14)])
    first, second = render_text("🌐", languages)[-1], render_text("🌐", languages, page=1)[-1]
    assert problems(first) == problems(second) == []
    rows = first["interactive"]["action"]["sections"][0]["rows"]
    assert len(rows) == 10
    assert rows[-1]["id"] == f"{MORE}1"
    later = second["interactive"]["action"]["sections"][0]["rows"]
    assert [row["id"] for row in later] == [f"lang:l{i}" for i in range(9, 14)]


def test_a_long_body_is_split_before_the_buttons() -> None:
    long = " ".join(["Dolgo besedilo s šumniki čšž in emoji 👩🏽‍💻."] * 80)
    bodies = render_text(long, _question(SLOVENIAN))
    assert len(bodies) > 1
    assert all(problems(body) == [] for body in bodies)
    assert bodies[0]["type"] == "text"


@given(st.text(min_size=1, max_size=300), st.integers(min_value=2, max_value=80))
def test_cut_never_breaks_a_grapheme_and_fits(text: str, limit: int) -> None:
    shortened = cut(text, limit)
    assert len(shortened) <= limit
    head = shortened.removesuffix(ELLIPSIS)
    assert text.strip().startswith(head)
    assert graphemes(head) == graphemes(text.strip())[: len(graphemes(head))]


@given(st.text(alphabet="أبت ثجحčšž 👍🏽e\n", min_size=1, max_size=3000))
def test_split_keeps_every_character_within_the_limit(text: str) -> None:
    pieces = split(text, 1024)
    assert all(len(piece) <= 1024 for piece in pieces)
    assert "".join(pieces).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace(
        "\n", ""
    )


def test_a_long_navigation_row_keeps_its_symbols_as_title_and_the_words_below() -> None:
    more = "🌐 ➡️ \u2068Русский\u2069 · \u2068Türkçe\u2069 · \u2068Українська\u2069"
    rows = [Button(f"🗣️ Language {i}", f"lang:{i}") for i in range(9)]
    keyboard = Keyboard.column([*rows, Button(more, "langs:1")])
    (body,) = render_text("🌐", keyboard)
    listed = body["interactive"]["action"]["sections"][0]["rows"]
    assert listed[-1] == {
        "id": "langs:1",
        "title": "🌐 ➡️",
        "description": "\u2068Русский\u2069 · \u2068Türkçe\u2069 · \u2068Українська\u2069",
    }
    assert body["interactive"]["body"]["text"] == "🌐"  # nothing lost: no numbered copy
    assert problems(body) == []
