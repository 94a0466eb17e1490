"""Every segment the bot may say aloud: the consent, each question and each tip, per language."""

from __future__ import annotations

from bot.audio.service import segments
from bot.dialogs.assessment import question_speech
from bot.dialogs.content import Content
from bot.dialogs.onboarding import consent_text
from bot.framework.i18n import Translator
from bot.framework.turn import without_symbols


def spoken_segments(content: Content, t: Translator) -> list[str]:
    """The segments of every voice message in `t`'s language, without repeats.

    A question's options are said in a different order each time, so they are segments of
    their own (and the option numbers too); a voice message is joined from these.
    """
    found: dict[str, None] = {}
    most = 0
    texts = [without_symbols(consent_text(t))]
    for category in content.categories:
        for question in content.questions_of(category.id):
            keys = [option.key for option in question.options]
            most = max(most, len(keys))
            texts.append(question_speech(t, question, keys))
    texts.append("\n".join(f"{n}: -" for n in range(1, most + 1)))  # the option numbers
    texts += [
        without_symbols(t.pgettext(f"{outcome.id}.tip", outcome.tip))
        for outcome in content.outcomes.values()
    ]
    for text in texts:
        found.update(dict.fromkeys(part for part in segments(text) if part != "-"))
    return list(found)
