"""Which espeak-ng voice reads each language, and which voices this machine has."""

from __future__ import annotations

import subprocess

VOICES: dict[str, str] = {
    "en": "en-gb",
    "sl": "sl",
    "hr": "hr",
    "it": "it",
    "el": "el",
    "nl": "nl",
    "de": "de",
    "uk": "uk",
    "ru": "ru",
    "ar": "ar",
    "fa": "fa",
    "tr": "tr",
}
"""Our language code → the espeak-ng voice (the `Language` column of `espeak-ng --voices`)."""


def voice_for(lang: str) -> str:
    """The espeak-ng voice for a language (`pt_BR` → `pt`); the code itself when not listed."""
    base = lang.replace("-", "_").split("_")[0].lower()
    return VOICES.get(base, base)


def installed_voices(espeak: str = "espeak-ng") -> frozenset[str]:
    """The voices (language column) that `espeak-ng --voices` lists on this machine.

    Args:
        espeak: The espeak-ng program.
    """
    listing = subprocess.run(
        [espeak, "--voices"], capture_output=True, text=True, check=True, timeout=30
    ).stdout
    rows = (line.split() for line in listing.splitlines()[1:])
    return frozenset(row[1] for row in rows if len(row) > 1)
