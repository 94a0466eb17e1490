"""The audio service: a spoken file for (language, text), recorded or synthesised, cached."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import re
import shutil
import tempfile
import weakref
from collections import OrderedDict
from pathlib import Path

from bot.audio.tools import AudioToolError, Tools, silence
from bot.audio.voices import voice_for

log = logging.getLogger(__name__)

PAUSE_SECONDS = 0.35
"""Silence between the segments of one message (situation, question, each option)."""

_NUMBERED = re.compile(r"^(\d{1,2})[:.]\s+(.+)$")
_NAME = re.compile(r"^[0-9a-f]{32}\.ogg$")


def segments(text: str) -> list[str]:
    """The parts spoken one after another: each line, and "2: text" as "2" then "text".

    Options are recorded and cached once each, without their number, so a shuffled order
    reuses them.
    """
    parts: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if match := _NUMBERED.match(line):
            parts.extend(match.groups())
        elif line:
            parts.append(line)
    return parts


def recorded_name(text: str) -> str:
    """The file name a recording of `text` has in `data/audio/<lang>/`."""
    return hashlib.sha256(text.strip().encode()).hexdigest()[:16] + ".ogg"


class AudioService:
    """Spoken OGG/Opus files for the bot's messages.

    For a message, a recording of the whole text in `recorded/<lang>/` wins; otherwise each
    segment (see `segments`) is a recording or espeak-ng speech, joined with short pauses.
    Everything made is kept in `cache_dir`, named by a hash of (language, voice, text), and
    written atomically, so several workers can share the folder.

    Args:
        tools: The sound programs.
        cache_dir: Where made files are kept (BOT_DATA_DIR/audio).
        recorded_dir: The project's recordings, one folder per language (data/audio).
        jobs: How many programs may run at once.
    """

    def __init__(self, tools: Tools, cache_dir: Path, recorded_dir: Path, jobs: int = 4) -> None:
        self._tools = tools
        self.cache_dir = cache_dir
        self._recorded = recorded_dir
        self._jobs = asyncio.Semaphore(jobs)
        self._making: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )
        self._offered: OrderedDict[str, tuple[str, str]] = OrderedDict()
        cache_dir.mkdir(parents=True, exist_ok=True)

    def name(self, lang: str, text: str) -> str:
        """The cache file name of a message: a hash, nothing personal."""
        key = "\0".join((lang, voice_for(lang), text.strip()))
        return hashlib.sha256(key.encode()).hexdigest()[:32] + ".ogg"

    def offer(self, lang: str, text: str) -> str:
        """Remember a message so `file(name)` can make it on demand; returns the name."""
        name = self.name(lang, text)
        self._offered[name] = (lang, text)
        self._offered.move_to_end(name)
        while len(self._offered) > 20_000:
            self._offered.popitem(last=False)
        return name

    async def file(self, name: str) -> Path | None:
        """The file for a name from `offer` (made now if needed), or None if unknown."""
        if not _NAME.match(name):
            return None
        if (cached := self.cache_dir / name).is_file():
            return cached
        if (offered := self._offered.get(name)) is None:
            return None
        return await self.path(*offered)

    async def speech(self, lang: str, text: str) -> bytes | None:
        """`ogg`, or None (logged) when it cannot be made: a voice is never worth a stuck chat."""
        try:
            return await self.ogg(lang, text)
        except (AudioToolError, ValueError) as exc:
            log.warning("no speech for a %s message: %s", lang, exc)
            return None

    async def ogg(self, lang: str, text: str) -> bytes:
        """The spoken message as OGG/Opus bytes."""
        return await asyncio.to_thread((await self.path(lang, text)).read_bytes)

    async def path(self, lang: str, text: str) -> Path:
        """The spoken message's file, made and cached if needed."""
        if (recorded := self._recording(lang, text)) is not None:
            return recorded
        parts = segments(text)
        if not parts:
            raise ValueError("nothing to say")
        if len(parts) == 1:
            return await self.segment(lang, parts[0])
        target = self.cache_dir / self.name(lang, text)
        async with self._lock(target.name):
            if not target.is_file():
                files = await asyncio.gather(*(self.segment(lang, part) for part in parts))
                pcm = await asyncio.gather(*(self._decode(path) for path in files))
                async with self._jobs:
                    joined = silence(PAUSE_SECONDS).join(pcm)
                    _write_atomically(target, await self._tools.encode_pcm(joined))
        return target

    async def segment(self, lang: str, text: str) -> Path:
        """One segment's file: its recording, or espeak-ng speech (cached)."""
        if (recorded := self._recording(lang, text)) is not None:
            return recorded
        target = self.cache_dir / self.name(lang, text)
        async with self._lock(target.name):
            if not target.is_file():
                async with self._jobs:
                    wav = await self._tools.speak(voice_for(lang), text)
                    _write_atomically(target, await self._tools.encode_wav(wav))
        return target

    async def _decode(self, path: Path) -> bytes:
        async with self._jobs:
            return await self._tools.decode(await asyncio.to_thread(path.read_bytes))

    def _recording(self, lang: str, text: str) -> Path | None:
        path = self._recorded / lang / recorded_name(text)
        return path if path.is_file() else None

    def _lock(self, name: str) -> asyncio.Lock:
        lock = self._making.get(name)
        if lock is None:
            lock = self._making[name] = asyncio.Lock()
        return lock


def _write_atomically(target: Path, content: bytes) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    with os.fdopen(descriptor, "wb") as out:
        out.write(content)
    os.replace(temporary, target)


def open_audio(data_dir: Path, recorded_dir: Path) -> AudioService | None:
    """The audio service, or None (logged once) when espeak-ng or opus-tools are missing."""
    found = {name: shutil.which(name) for name in ("espeak-ng", "opusenc", "opusdec")}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        log.warning(
            "audio is off: %s not installed (apt-get install espeak-ng opus-tools)",
            ", ".join(missing),
        )
        return None
    tools = Tools(*(str(found[name]) for name in ("espeak-ng", "opusenc", "opusdec")))
    return AudioService(tools, data_dir / "audio", recorded_dir)
