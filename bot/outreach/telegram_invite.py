"""`/invite ORGANISATION; CAMPAIGN; LANGUAGE` in a private Telegram chat, for outreach workers."""

from __future__ import annotations

from bot.framework.events import CommandReceived, Event, InviteMade, TextReceived
from bot.framework.session import SessionKey
from bot.outreach.flyer import qr_png
from bot.outreach.service import NewInvite, OutreachService

USAGE = (
    "Write: /invite Organisation; Campaign; language code (optional), "
    "e.g. /invite Caritas; Fair; ar"
)


def invite_args(event: Event) -> str | None:
    """The arguments of `/invite …` (a command or typed text), None for anything else."""
    if isinstance(event, TextReceived) and event.text.strip().startswith("/invite"):
        word, _, args = event.text.strip()[1:].partition(" ")
        event = CommandReceived(word.split("@")[0], args.strip())
    if isinstance(event, CommandReceived) and event.command.lower() == "invite":
        return event.args.strip()
    return None


async def made_invite(
    key: SessionKey, args: str, service: OutreachService, languages: tuple[str, ...], base: str
) -> InviteMade | None:
    """The invite a worker asked for; None when this chat is not a worker's private chat."""
    if key.channel != "telegram" or not key.chat_id.isdigit():  # a private chat's id is the user's
        return None
    found = await service.repo.worker("telegram_user_id", int(key.chat_id))
    if found is None:
        return None
    parts = [part.strip() for part in args.split(";")]
    if len(parts) < 2 or not all(parts[:2]):
        return InviteMade(note=USAGE)
    language = parts[2].lower() if len(parts) > 2 and parts[2] else None
    if language is not None and language not in languages:
        return InviteMade(note=f"I do not know the language {language!r}. " + USAGE)
    invite = await service.create(found[0], NewInvite(parts[0], parts[1], language))
    url = f"{base}/i/{invite.code}"
    return InviteMade(url=url, qr_png=qr_png(url, scale=8))
