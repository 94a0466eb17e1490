"""Renders the result picture for a SendResultPicture action, in the person's language."""

from __future__ import annotations

import asyncio

from bot.dialogs.content import Content
from bot.framework.actions import SendResultPicture
from bot.framework.i18n import Catalogs
from bot.pictures.results import CategoryStyle, ResultLabels, render_results


class ResultPictures:
    """Turns the neutral action into PNG bytes (off the event loop: rendering takes a while)."""

    def __init__(self, content: Content, catalogs: Catalogs) -> None:
        self._content = content
        self._catalogs = catalogs

    def render(self, action: SendResultPicture) -> bytes:
        """The PNG, rendered now."""
        t = self._catalogs.get(action.locale)
        styles = [
            CategoryStyle(c.id, t.pgettext(f"{c.id}.name", c.name), c.color)
            for c in self._content.categories
        ]
        level_labels = tuple(
            t.pgettext(f"level.{lv.level}.label", lv.label) for lv in self._content.levels
        )
        labels = ResultLabels(
            title=t.gettext("My skills"),
            level_labels=(level_labels[0], level_labels[1], level_labels[2], level_labels[3]),
            not_done=t.gettext("Not done yet"),
            rtl=t.rtl,
            with_counsellor=t.gettext("With a counsellor"),
        )
        return render_results(action.levels, styles, labels, action.flagged, action.earlier)

    async def render_async(self, action: SendResultPicture) -> bytes:
        """The PNG, rendered in a worker thread."""
        return await asyncio.to_thread(self.render, action)
