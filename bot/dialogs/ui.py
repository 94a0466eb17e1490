"""Shared pieces of the dialogs: navigation buttons and the re-ask after a misunderstanding."""

from __future__ import annotations

from bot.framework.i18n import Translator
from bot.framework.keyboards import Button
from bot.framework.session import Session

NUMBER_EMOJI = ("1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣")


def help_button(t: Translator) -> Button:
    """❓ Help."""
    return Button("❓ " + t.gettext("Help"), "nav:help")


def back_button(t: Translator) -> Button:
    """⬅️ Back."""
    return Button("⬅️ " + t.gettext("Back"), "nav:back")


def menu_button(t: Translator) -> Button:
    """🏠 Topics (the category menu)."""
    return Button("🏠 " + t.gettext("Topics"), "nav:menu")


def resume_button(t: Translator) -> Button:
    """▶️ Go on."""
    return Button("▶️ " + t.gettext("Go on"), "nav:resume")


def human_button(t: Translator) -> Button:
    """🙋 Talk to a person (a counsellor)."""
    return Button("🙋 " + t.gettext("Talk to a person"), "nav:human")


def audio_button(t: Translator, state: Session) -> Button:
    """The switch for hearing the questions: 🔊 … ✅ when on, 🔇 … when off."""
    label = t.gettext("Read messages aloud")
    if state.audio:
        return Button(f"🔊 {label} ✅", "audio:off")
    return Button(f"🔇 {label}", "audio:on")
