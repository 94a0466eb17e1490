"""For employers: three plain lines on what a badge means, and LinkedIn's add-to-profile link."""

from __future__ import annotations

from urllib.parse import urlencode

from bot.badges.model import Award
from bot.framework.i18n import Translator

LINKEDIN_ADD = "https://www.linkedin.com/profile/add"


def employer_lines(award: Award, level_label: str, organisation: str, t: Translator) -> list[str]:
    """What SPOCC is, what the level means, and how the badge was earned.

    Args:
        award: The badge.
        level_label: The level's name in the viewer's language.
        organisation: Who issued or validated it.
        t: The viewer's language.
    """
    spocc = t.gettext(
        "SPOCC describes soft skills for work: talking with people, managing yourself, "
        "organising, working together and finding new ideas."
    )
    level = t.gettext('The level goes from 0 to 3. This badge is level {n}: "{label}".').format(
        n=award.spec.level, label=level_label
    )
    if award.spec.validated:
        how = t.gettext("A counsellor of {organisation} talked with the person and confirmed it.")
    else:
        how = t.gettext(
            "The person assessed themselves in a chat by {organisation}. Nobody else checked it."
        )
    return [spocc, level, how.format(organisation=organisation)]


def linkedin_url(award: Award, name: str, organisation: str, verify_url: str) -> str:
    """LinkedIn's "add a certification to my profile" link for one badge."""
    query = {
        "startTask": "CERTIFICATION_NAME",
        "name": name,
        "organizationName": organisation,
        "issueYear": str(award.issued_on.year),
        "issueMonth": str(award.issued_on.month),
        "certUrl": verify_url,
        "certId": award.assertion_id,
    }
    return f"{LINKEDIN_ADD}?{urlencode(query)}"
