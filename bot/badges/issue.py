"""Issue and revoke badges: the one entry point the bot calls."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime

from bot.badges import ob2, ob3
from bot.badges.bake import OB2_KEYWORD, OB3_KEYWORD, bake
from bot.badges.dataintegrity import add_proof
from bot.badges.keys import IssuerKeys
from bot.badges.model import Award, BadgeSpec, BadgeTexts, IssuerInfo, Recipient
from bot.badges.repository import BadgeRepository
from bot.badges.urls import BadgeUrls
from bot.pictures.badge import render


def new_person_token() -> str:
    """Return a random, unguessable token for a person's recipient URL (store it)."""
    return secrets.token_urlsafe(16)


def default_texts(spec: BadgeSpec, issuer_name: str) -> BadgeTexts:
    """Return English texts for the generic (not personal) badge class image."""
    status = "Validated by a counsellor" if spec.validated else "Self-assessed"
    return BadgeTexts(spec.category_name, spec.level_label, "", status, "", issuer_name)


def _dumps(doc: object) -> str:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class BadgeIssuer:
    """Builds, signs, bakes and stores awards.

    Attributes:
        issuer: The issuing organisation.
        urls: Public URLs under ``PUBLIC_URL``.
        keys: The issuer's signing keys.
        repository: Where awards are stored.
    """

    issuer: IssuerInfo
    urls: BadgeUrls
    keys: IssuerKeys
    repository: BadgeRepository

    def make_award(
        self,
        spec: BadgeSpec,
        recipient: Recipient,
        texts: BadgeTexts,
        *,
        now: datetime,
        status_index: int,
        narrative: str = "",
    ) -> Award:
        """Build a complete award (render + sign + bake) without storing it.

        Args:
            spec: The badge class.
            recipient: Who receives it (hashed with a fresh salt).
            texts: Localized image text.
            now: Issue time (aware).
            status_index: The award's status-list bit.
            narrative: Evidence narrative (no raw chat content).

        Returns:
            The award with its baked PNG and signed credential.
        """
        salt = ob2.new_salt()
        award = Award(
            assertion_id=secrets.token_urlsafe(16),
            spec=spec,
            recipient_type=recipient.kind,
            identity_hash=ob2.hash_identity(recipient.identity, salt),
            salt=salt,
            issued_on=now,
            status_index=status_index,
            narrative=narrative,
        )
        method = self.urls.verification_method(self.keys.kid)
        award.credential = add_proof(
            ob3.credential(award, self.issuer, self.urls), self.keys.private_key, method, now
        )
        texts_ob2 = _dumps(ob2.assertion_document(award, self.urls))
        award.png = bake(
            render(spec, texts), {OB2_KEYWORD: texts_ob2, OB3_KEYWORD: _dumps(award.credential)}
        )
        return award

    async def issue(
        self,
        spec: BadgeSpec,
        recipient: Recipient,
        texts: BadgeTexts,
        *,
        now: datetime,
        narrative: str = "",
    ) -> Award:
        """Issue and store a badge.

        Args:
            spec: The badge class (category, level, validated or not).
            recipient: Who receives it; default a ``url`` recipient from
                ``urls.person(token)``.
            texts: Localized image text.
            now: Issue time (aware).
            narrative: Evidence narrative.

        Returns:
            The stored award; send ``award.png`` as a file and
            ``urls.verify_page(award.assertion_id)`` as a link.
        """
        index = await self.repository.next_status_index()
        award = self.make_award(
            spec, recipient, texts, now=now, status_index=index, narrative=narrative
        )
        await self.repository.save_badge_class(spec)
        await self.repository.save_award(award)
        return award

    async def revoke(self, assertion_id: str, reason: str) -> bool:
        """Revoke an award: its assertion then answers 410 and its status bit is set.

        Args:
            assertion_id: The award to revoke.
            reason: A short public reason (no personal data).

        Returns:
            False if the award does not exist.
        """
        return await self.repository.revoke(assertion_id, reason)
