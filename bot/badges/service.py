"""The badge service: issues earned badges, resends them, revokes them on /delete."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from bot.badges.issue import BadgeIssuer, new_person_token
from bot.badges.model import Alignment, Award, BadgeSpec, BadgeTexts, IssuerInfo, Recipient
from bot.badges.repository import BadgeRepository
from bot.badges.urls import BadgeUrls
from bot.dialogs.content import Content
from bot.framework.actions import BadgeEarned, Reply, SendDocument, SendImage, SendText
from bot.framework.i18n import Catalogs, Translator
from bot.framework.session import Session, SessionKey

NARRATIVE = (
    "Self-assessment in a chat: short everyday-scenario questions and one self-rating per "
    "skill, scored by fixed rules (inspired by the SPOCC soft-skills framework)."
)
ERASED_REASON = "The badge holder deleted their data."

Clock = Callable[[], datetime]
LoadSession = Callable[[SessionKey], Awaitable[Session | None]]


def _utcnow() -> datetime:
    return datetime.now(UTC)


def default_issuer(urls: BadgeUrls) -> IssuerInfo:
    """The issuer Profile until configuration names the real organisation (name, email)."""
    return IssuerInfo(
        name="SPOCC Skills Bot",
        url=urls.base,
        email="badges@example.org",
        description="A chat bot for soft-skills self-assessment, inspired by SPOCC.",
    )


def slug(text: str) -> str:
    """Return a lowercase ASCII slug (``"Social skills"`` → ``"social-skills"``), maybe empty."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


class PersonBadges(BadgeRepository, Protocol):
    """A BadgeRepository that also knows which person holds which award."""

    async def save_award(self, award: Award, holder: str | None = None) -> None:
        """Insert or replace an award held by the person token `holder`."""

    async def person_token(self, key: SessionKey, new_token: str) -> str:
        """Return the person's token, storing `new_token` if they have none."""

    async def find_person_token(self, key: SessionKey) -> str | None:
        """Return the person's token, or None."""

    async def awards_of(self, holder: str) -> list[Award]:
        """Every award of a person token, oldest first."""

    async def forget_person(self, key: SessionKey) -> None:
        """Unlink the person from their awards and drop their token."""


class BadgeService:
    """Issues awards and makes the messages that carry them (run by bot.delivery's effects).

    Attributes:
        issuer: The badge issuer (its repository must be `people`).
    """

    def __init__(
        self,
        issuer: BadgeIssuer,
        people: PersonBadges,
        content: Content,
        catalogs: Catalogs,
        clock: Clock = _utcnow,
    ) -> None:
        self.issuer = issuer
        self._people = people
        self._content = content
        self._catalogs = catalogs
        self._clock = clock

    async def earn(self, key: SessionKey, earned: BadgeEarned) -> Award:
        """Issue the badge, or return the valid award the person already holds for it."""
        spec = self.spec(earned.category, earned.level, earned.validated)
        token = await self._people.person_token(key, new_person_token())
        held = await self._valid(token)
        reuse = next((award for award in held if award.spec.class_id == spec.class_id), None)
        if reuse is not None:
            return reuse
        now = self._clock()
        recipient = Recipient("url", self.issuer.urls.person(token))
        index = await self._people.next_status_index()
        award = self.issuer.make_award(
            spec,
            recipient,
            self._texts(spec, earned.category, earned.locale, now, earned.first_name),
            now=now,
            status_index=index,
            narrative=NARRATIVE,
        )
        await self._people.save_badge_class(spec)
        await self._people.save_award(award, token)
        return award

    async def held(self, key: SessionKey) -> list[Award]:
        """The person's valid (not revoked) awards, oldest first."""
        token = await self._people.find_person_token(key)
        return [] if token is None else await self._valid(token)

    async def resend(self, key: SessionKey, locale: str) -> list[Reply]:
        """Every valid badge again, or a kind note that there are none yet."""
        awards = await self.held(key)
        if not awards:
            t = self._catalogs.get(locale)
            note = t.gettext("You have no badges yet. Finish a topic to earn one.")
            return [SendText("🏅 " + note, lang=t.locale)]
        return [action for award in awards for action in self.announce(award, locale)]

    async def revoke_all(self, key: SessionKey) -> int:
        """Revoke every award of the person and forget who held them (for /delete).

        Returns:
            How many awards were revoked.
        """
        awards = await self.held(key)
        for award in awards:
            await self.issuer.revoke(award.assertion_id, ERASED_REASON)
        await self._people.forget_person(key)
        return len(awards)

    async def let_go(self, key: SessionKey) -> None:
        """Forget who held the person's awards, which stay valid (the retention job's erasure)."""
        await self._people.forget_person(key)

    async def export_person(self, key: SessionKey) -> dict[str, Any]:
        """Every award of the person (revoked ones too), with its public links (for /export)."""
        token = await self._people.find_person_token(key)
        awards = [] if token is None else await self._people.awards_of(token)
        urls = self.issuer.urls
        return {
            "badges": [
                {
                    "assertion_id": award.assertion_id,
                    "badge_class": award.spec.class_id,
                    "issued_on": award.issued_on.isoformat(),
                    "revoked": award.revoked,
                    "narrative": award.narrative,
                    "verify_url": urls.verify_page(award.assertion_id),
                    "assertion_url": urls.assertion(award.assertion_id),
                    "credential_url": urls.credential(award.assertion_id),
                    "image_url": urls.assertion_image(award.assertion_id),
                }
                for award in awards
            ]
        }

    async def has_badges(self, key: SessionKey) -> bool:
        """Whether the person ever earned a badge (and was not forgotten since)."""
        return await self._people.find_person_token(key) is not None

    def announce(self, award: Award, locale: str) -> list[Reply]:
        """A preview picture, the baked PNG as a file, then the verification link.

        The file is what keeps the metadata: photos get recompressed.
        """
        t = self._catalogs.get(locale)
        title, level = self._names(award.spec, t)
        link = self.issuer.urls.verify_page(award.assertion_id)
        said = "🏅 " + t.gettext("Your badge:") + f" {title}, {level}"
        check = "🔗 " + t.gettext("Anyone can check it here:")
        document = SendDocument(_filename(award.spec), award.png, "image/png", f"🏅 {title}")
        text = SendText(f"{said}\n{check} {link}", speak=said, lang=t.locale)
        return [SendImage(award.png, f"🏅 {title}, {level}"), document, text]

    def spec(self, category_id: str, level: int, validated: bool) -> BadgeSpec:
        """The badge class of a content category at a level (texts in the source language)."""
        category = self._content.category(category_id)
        return BadgeSpec(
            category_id=slug(category.id) or "category",
            category_name=category.name,
            level=level,
            level_label=self._content.levels[level].label,
            color=category.color,
            alignments=self._alignments(category_id),
            validated=validated,
        )

    def _alignments(self, category_id: str) -> tuple[Alignment, ...]:
        found: dict[str, Alignment] = {}
        for skill_id in self._content.category(category_id).skills:
            for item in self._content.skills[skill_id].alignments:
                found.setdefault(item.url, Alignment(item.name, item.url, item.framework))
        return tuple(found.values())

    def _texts(
        self, spec: BadgeSpec, category_id: str, locale: str, now: datetime, first_name: str = ""
    ) -> BadgeTexts:
        t = self._catalogs.get(locale)
        title = t.pgettext(f"{category_id}.name", spec.category_name)
        level = t.pgettext(f"level.{spec.level}.label", spec.level_label)
        date = t.long_date(now.date())
        return BadgeTexts(
            title, level, date, status_text(spec, t), first_name, self.issuer.issuer.name
        )

    def _names(self, spec: BadgeSpec, t: Translator) -> tuple[str, str]:
        category = next(c for c in self._content.categories if slug(c.id) == spec.category_id)
        title = t.pgettext(f"{category.id}.name", category.name)
        return title, t.pgettext(f"level.{spec.level}.label", spec.level_label)

    async def _valid(self, token: str) -> list[Award]:
        return [award for award in await self._people.awards_of(token) if not award.revoked]


def status_text(spec: BadgeSpec, t: Translator) -> str:
    """How the level was reached, in plain words."""
    if spec.validated:
        return t.gettext("Validated by a counsellor")
    return t.gettext("Self-assessed")


def _filename(spec: BadgeSpec) -> str:
    suffix = "-validated" if spec.validated else ""
    name = slug(spec.category_name.split()[0]) if spec.category_name.split() else ""
    return f"badge-{name or spec.category_id}-{slug(spec.level_label)}{suffix}.png"
