"""/passport: ask for the PDF and the share link; offer the country's language, or to stop."""

from __future__ import annotations

from bot.framework.actions import PassportRequested, PassportRevoked
from bot.framework.i18n import Catalogs
from bot.framework.keyboards import Button, Keyboard
from bot.framework.turn import Turn


def request(turn: Turn, catalogs: Catalogs, local_language: str, also: str = "") -> None:
    """Emit the passport request, then buttons: also in the country's language, stop sharing."""
    t = turn.t
    turn.emit(PassportRequested(t.locale, also, turn.state.first_name or ""))
    rows: list[tuple[Button, ...]] = []
    if local_language != t.locale and not also:
        name = catalogs.native_name(local_language)
        rows.append(
            (Button("🌐 " + t.gettext("Also in {language}").format(language=name), "pass:also"),)
        )
    rows.append((Button("🔒 " + t.gettext("Stop sharing the link"), "pass:stop"),))
    rows.append((Button("🏠 " + t.gettext("Menu"), "nav:menu"),))
    turn.say(
        "🪪 " + t.gettext("You can print it or share the link."),
        Keyboard(tuple(rows)),
        ref="passport",
    )


def choice(turn: Turn, payload: str, catalogs: Catalogs, local_language: str) -> None:
    """A tap on one of the passport's buttons."""
    if payload == "pass:also":
        request(turn, catalogs, local_language, also=local_language)
    else:
        turn.emit(PassportRevoked(turn.t.locale))
