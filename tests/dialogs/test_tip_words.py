"""Every shipped tip, in every language, is short and never judges the person."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.dialogs.validation import MAX_TIP_SENTENCE_WORDS, split_sentences, words

LOCALES = Path(__file__).resolve().parents[2] / "locales"

BANNED: dict[str, tuple[str, ...]] = {
    "en": ("bad", "wrong", "lazy", "stupid", "fail", "failure", "weak", "poor", "useless"),
    "sl": ("slab", "slabo", "napačno", "narobe", "len", "lena", "neumen", "neuspeh", "nesposoben"),
    "hr": ("loš", "loše", "krivo", "pogrešno", "lijen", "glup", "neuspjeh", "slab", "nesposoban"),
    "it": ("cattivo", "sbagliato", "pigro", "pigra", "stupido", "fallimento", "debole", "scarso"),
    "el": ("κακός", "κακό", "τεμπέλης", "ηλίθιος", "χαζός", "αποτυχία", "αδύναμος", "ανίκανος"),
    "nl": ("slecht", "fout", "lui", "dom", "stom", "mislukt", "zwak", "waardeloos"),
    "de": ("schlecht", "falsch", "faul", "dumm", "versagt", "Versager", "schwach", "unfähig"),
    "uk": ("поганий", "погано", "неправильно", "лінивий", "дурний", "провал", "слабкий"),
    "ru": ("плохой", "плохо", "неправильно", "ленивый", "глупый", "провал", "слабый"),
    "ar": ("سيء", "سيئ", "كسول", "غبي", "فاشل", "ضعيف", "خاطئ"),
    "fa": ("بد", "غلط", "تنبل", "احمق", "شکست", "ضعیف"),
    "tr": ("kötü", "yanlış", "tembel", "aptal", "başarısız", "zayıf"),
}


def _tips(lang: str) -> dict[str, str]:
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    return {
        str(message.context): str(message.string)
        for message in catalog
        if message.context and message.context.endswith(".tip")
    }


@pytest.mark.parametrize("lang", sorted(BANNED))
def test_every_tip_is_translated_and_never_judges(lang: str) -> None:
    tips = _tips(lang)
    assert len(tips) == 75
    banned = re.compile(rf"(?<!\w)({'|'.join(BANNED[lang])})(?!\w)", re.IGNORECASE)
    judging = {context: tip for context, tip in tips.items() if banned.search(tip)}
    assert judging == {}
    assert all(tip and not tip[0].isascii() for tip in tips.values())


def test_the_banned_word_check_catches_a_judgement() -> None:
    banned = re.compile(rf"(?<!\w)({'|'.join(BANNED['de'])})(?!\w)", re.IGNORECASE)
    assert banned.search("🌱 Das war Schlecht.")
    assert not banned.search("🌱 Das war schön.")


@pytest.mark.parametrize("lang", sorted(BANNED))
def test_translated_tips_keep_sentences_short(lang: str) -> None:
    long = [
        sentence
        for tip in _tips(lang).values()
        for sentence in split_sentences(tip)
        if words(sentence) > MAX_TIP_SENTENCE_WORDS
    ]
    assert long == []
