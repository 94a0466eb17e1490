"""`python -m bot.audio build [LANG…]`: all speech made ahead; `script LANG`: what to record."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time

from bot.audio.content import spoken_segments
from bot.audio.ogg import seconds
from bot.audio.service import AudioService, open_audio, recorded_name
from bot.config import Config
from bot.dialogs.definition import load_content
from bot.framework.i18n import Catalogs


async def build(audio: AudioService, config: Config, languages: list[str]) -> None:
    """Make (or find) every segment of every language and print count, size, length, time."""
    content = load_content(config.content_path)
    catalogs = Catalogs(config.locales_dir, content.source_language)
    totals = [0, 0, 0.0]
    began = time.perf_counter()
    for lang in languages or list(catalogs.languages):
        start = time.perf_counter()
        texts = spoken_segments(content, catalogs.get(lang))
        paths = await asyncio.gather(*(audio.segment(lang, text) for text in texts))
        data = [path.read_bytes() for path in paths]
        size, length = sum(map(len, data)), sum(map(seconds, data))
        took = time.perf_counter() - start
        made = f"{size / 1e6:.1f} MB, {length / 60:.1f} min of speech, {took:.1f} s"
        print(f"{lang}: {len(data)} files, {made}", flush=True)
        totals = [totals[0] + len(data), totals[1] + size, totals[2] + length]
    took = time.perf_counter() - began
    print(
        f"all: {totals[0]} files, {totals[1] / 1e6:.1f} MB, {totals[2] / 3600:.1f} h of speech, "
        f"{took:.0f} s, in {audio.cache_dir}"
    )


def script(config: Config, lang: str) -> None:
    """Tab-separated: the file to put in data/audio/<lang>/, then the words to record."""
    content = load_content(config.content_path)
    catalogs = Catalogs(config.locales_dir, content.source_language)
    for text in spoken_segments(content, catalogs.get(lang)):
        print(f"{recorded_name(text)}\t{text}")


def main(argv: list[str] | None = None) -> int:
    """Run the command; 1 when the sound programs are missing."""
    parser = argparse.ArgumentParser(prog="python -m bot.audio")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("build", help="make all speech ahead of time").add_argument(
        "languages", nargs="*", help="language codes (default: all)"
    )
    commands.add_parser("script", help="what to record for a language").add_argument("lang")
    args = parser.parse_args(argv)
    config = Config.from_env(os.environ)
    if args.command == "script":
        script(config, args.lang)
        return 0
    audio = open_audio(config.data_dir, config.content_path.parent / "audio")
    if audio is None:
        print("audio is off: install espeak-ng and opus-tools", file=sys.stderr)
        return 1
    asyncio.run(build(audio, config, args.languages))
    return 0


if __name__ == "__main__":
    sys.exit(main())
