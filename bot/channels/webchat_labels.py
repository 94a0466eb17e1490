"""The web chat page's own words (title, menu, composer), in the person's language."""

from __future__ import annotations

from bot.framework.i18n import Translator


def page_labels(t: Translator) -> dict[str, str]:
    """Keys match the page's `data-ui`, `data-ui-label` and `data-ui-placeholder` attributes."""
    return {
        "title": t.gettext("Skills chat"),
        "help": t.gettext("Help"),
        "language": t.gettext("Language"),
        "stop": t.gettext("Stop"),
        "menu": t.gettext("Menu"),
        "reconnecting": t.gettext("Reconnecting…"),
        "your_message": t.gettext("Your message"),
        "write_here": t.gettext("Write here…"),
        "send": t.gettext("Send"),
        "read_aloud": t.gettext("Read aloud"),
        "read_all": t.gettext("Read messages aloud"),
        "badges": t.gettext("My badges"),
        "save_badge": t.gettext("Save my badge"),
        "save_answers": t.gettext("Save my answers"),
        "save_file": t.gettext("Save the file"),
        "on": t.pgettext("switch", "On"),
        "off": t.pgettext("switch", "Off"),
    }
