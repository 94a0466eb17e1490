"""What a person reads on a landing page, flyer or card, in their language."""

from __future__ import annotations

from dataclasses import dataclass

from bot.framework.i18n import Translator


def _(message: str) -> str:
    """Mark a string for the catalogs; `words` translates it."""
    return message


TITLE = _("Find out your skills for work")
WHAT = _("Short questions in a chat, with pictures. You get a badge.")
FREE = _("Free. You do not need to give your name.")
PRIVATE = _("Private: only you and your counsellor see your answers.")
CHOOSE = _("Choose where you want to chat:")
SCAN = _("Scan with your phone camera")
TELEGRAM = _("Open in Telegram")
WHATSAPP = _("Open in WhatsApp")
WEB = _("Open the chat here")
NOT_VALID = _("This invitation does not work any more. You can still start here.")


@dataclass(frozen=True, slots=True)
class Words:
    """The words of one language, and its direction."""

    lang: str
    rtl: bool
    title: str
    lines: tuple[str, str, str]
    choose: str
    scan: str
    telegram: str
    whatsapp: str
    web: str
    not_valid: str


def words(t: Translator) -> Words:
    """The landing and flyer words in the translator's language."""
    g = t.gettext
    return Words(
        t.locale,
        t.rtl,
        g(TITLE),
        (g(WHAT), g(FREE), g(PRIVATE)),
        g(CHOOSE),
        g(SCAN),
        g(TELEGRAM),
        g(WHATSAPP),
        g(WEB),
        g(NOT_VALID),
    )
