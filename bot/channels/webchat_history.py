"""What a reloaded web chat shows again: the results, their picture and the badges.

Rebuilt from what is stored anyway (the session's results, the badge service's awards), so
nothing new is kept: /delete erases it and /export already holds it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.badges.service import BadgeService
from bot.dialogs.content import Content
from bot.framework.actions import Reply, SendResultPicture, SendText
from bot.framework.i18n import Catalogs
from bot.framework.session import Session, SessionKey

LoadSession = Callable[[SessionKey], Awaitable[Session | None]]


class RecentHistory:
    """The person's results and badges, as the messages that first showed them."""

    def __init__(
        self, load: LoadSession, badges: BadgeService, content: Content, catalogs: Catalogs
    ) -> None:
        self._load, self._badges = load, badges
        self._content, self._catalogs = content, catalogs

    async def __call__(self, key: SessionKey) -> list[Reply]:
        """The messages to show again, oldest first; none for someone unknown."""
        session = await self._load(key)
        if session is None or not session.consent:
            return []
        t = self._catalogs.get(session.locale)
        shown: list[Reply] = []
        if session.results:
            title = "📊 " + t.gettext("My results")
            lines = [title, *self._summaries(session)]
            shown.append(SendText("\n".join(lines), lang=t.locale))
            levels: dict[str, int | None] = {
                str(c.id): session.results[c.id]["level"] if c.id in session.results else None
                for c in self._content.categories
            }
            shown.append(SendResultPicture(levels, t.locale, title))
        if await self._badges.has_badges(key):
            shown.extend(await self._badges.resend(key, t.locale))
        return shown

    def _summaries(self, session: Session) -> list[str]:
        t = self._catalogs.get(session.locale)
        lines = []
        for category in self._content.categories:
            result = session.results.get(category.id)
            if result is None:
                continue
            name = t.pgettext(f"{category.id}.name", category.name)
            level = result.get("level")
            if level is None:
                lines.append(f"{category.emoji} {name}: —")
                continue
            scale = self._content.levels[level]
            label = t.pgettext(f"level.{level}.label", scale.label)
            lines.append(f"{category.emoji} {name}: {scale.emoji} {label}")
        return lines
