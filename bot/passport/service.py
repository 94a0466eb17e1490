"""The passport effects: build the PDF and the share link, or revoke the link."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol

from bot.badges.model import Award
from bot.badges.service import slug, status_text
from bot.dialogs.content import Content
from bot.framework.actions import PassportRequested, PassportRevoked, Reply, SendDocument, SendText
from bot.framework.i18n import Catalogs, Translator
from bot.framework.session import SessionKey
from bot.passport.sheet import Entry, Pair, Sheet
from bot.passport.storage import PassportLinks

FILENAME = "skills-passport.pdf"


class HeldBadges(Protocol):
    """What the passport needs of the badge service (bot.badges.service.BadgeService)."""

    async def held(self, key: SessionKey) -> list[Award]:
        """The person's valid awards, oldest first."""


def award_names(award: Award, content: Content, t: Translator) -> tuple[str, str]:
    """The topic's name and the level's label of an award, in `t`'s language."""
    spec = award.spec
    category = next((c for c in content.categories if slug(c.id) == spec.category_id), None)
    name = t.pgettext(f"{category.id}.name", category.name) if category else spec.category_name
    return name, t.pgettext(f"level.{spec.level}.label", spec.level_label)


class Passports:
    """Makes a person's passport from the badges they hold; the link opens bot.passport.page.

    Args:
        badges: The badge service (valid awards per person).
        links: The share tokens.
        content: Topic names and colours.
        catalogs: Every language.
        verify_url: The verification page of an assertion id.
        base_url: The public address the share link starts with.
    """

    def __init__(
        self,
        badges: HeldBadges,
        links: PassportLinks,
        content: Content,
        catalogs: Catalogs,
        verify_url: Callable[[str], str],
        base_url: str,
    ) -> None:
        self._badges = badges
        self.links = links
        self._content = content
        self._catalogs = catalogs
        self._verify = verify_url
        self._base = base_url.rstrip("/")

    def share_url(self, token: str) -> str:
        """The public page of a share token."""
        return f"{self._base}/p/{token}"

    async def awards(self, key: SessionKey) -> list[Award]:
        """The badges the passport shows."""
        return await self._badges.held(key)

    def verify(self, award: Award) -> str:
        """The verification page of one badge."""
        return self._verify(award.assertion_id)

    async def build(self, key: SessionKey, effect: PassportRequested) -> list[Reply]:
        """The PDF and the share link (the same link until the person stops sharing)."""
        t = self._catalogs.get(effect.locale)
        also = self._catalogs.get(effect.also) if effect.also and effect.also != t.locale else None
        awards = await self.awards(key)
        sheet = self._sheet(t, also, effect.first_name, awards)
        token = await self.links.token_of(key)
        caption = "🪪 " + t.gettext("Your skills passport, to print or to send.")
        link = "🔗 " + t.gettext("Share this link with an employer:") + " " + self.share_url(token)
        from bot.passport.pdf import passport_pdf  # fpdf2 and HarfBuzz load with the first one

        # Shaping and laying out take a few hundred ms of CPU: off the event loop.
        pdf = await asyncio.to_thread(passport_pdf, sheet, t.gettext("Skills passport"))
        return [
            SendDocument(FILENAME, pdf, "application/pdf", caption),
            SendText(link, lang=t.locale),
        ]

    async def revoke(self, key: SessionKey, effect: PassportRevoked) -> list[Reply]:
        """Delete the share link; the page stops opening at once."""
        t = self._catalogs.get(effect.locale)
        await self.links.revoke(key)
        text = t.gettext("Your passport link is switched off. Nobody can open it now.")
        return [SendText("🔒 " + text, lang=t.locale)]

    def _sheet(
        self, t: Translator, also: Translator | None, first_name: str, awards: list[Award]
    ) -> Sheet:
        def intro(tr: Translator) -> str:
            return tr.gettext("Soft skills in the SPOCC framework. Scan a code to check a badge.")

        date = t.long_date(datetime.now(UTC).date())
        facts = [(both(t, also, lambda tr: tr.gettext("Date")), date)]
        if first_name:
            facts.insert(0, (both(t, also, lambda tr: tr.gettext("Name")), first_name))
        return Sheet(
            title=both(t, also, lambda tr: tr.gettext("Skills passport")),
            facts=tuple(facts),
            intro=both(t, also, intro),
            section=both(t, also, lambda tr: tr.gettext("Soft skills")),
            entries=tuple(self._entry(award, t, also) for award in awards),
            rtl=t.rtl,
            empty=t.gettext("You have no badges yet. Finish a topic to earn one."),
            check=t.gettext("Check this badge"),
            lang=t.locale,
        )

    def _entry(self, award: Award, t: Translator, also: Translator | None) -> Entry:
        spec = award.spec

        def title(tr: Translator) -> str:
            level = award_names(award, self._content, tr)[1]
            return f"{level} · {tr.gettext('Level')} {spec.level}/3"

        def earned(tr: Translator) -> str:
            date = tr.long_date(award.issued_on.date())
            return f"{status_text(spec, tr)} · {date}"

        esco = ", ".join(a.name for a in spec.alignments)
        lines = (both(t, also, title), both(t, also, earned))
        category = next(
            (c for c in self._content.categories if slug(c.id) == spec.category_id), None
        )
        return Entry(
            label=both(t, also, lambda tr: award_names(award, self._content, tr)[0]),
            lines=lines + (((f"ESCO: {esco}", ""),) if esco else ()),
            url=self.verify(award),
            colour=category.color if category else "#444444",
        )


def both(t: Translator, also: Translator | None, say: Callable[[Translator], str]) -> Pair:
    """A text in the page's language and, when it differs, in the second language."""
    first = say(t)
    second = say(also) if also else ""
    return first, "" if second == first else second
