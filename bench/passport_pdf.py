"""Benchmark: size and CPU time of the skills passport PDF for two badges in en, sl and ar.

Usage: python bench/passport_pdf.py [OUT_DIR]  (OUT_DIR gets the PDFs and 60 dpi PNG pages)
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bot.badges.issue import BadgeIssuer
from bot.badges.keys import load_or_create
from bot.badges.service import BadgeService, default_issuer
from bot.badges.sql_repository import SqlBadgeRepository
from bot.badges.urls import BadgeUrls
from bot.config import DEFAULT_CONTENT, DEFAULT_LOCALES
from bot.db.engine import create_engine, parse_url
from bot.db.migrate import migrate
from bot.dialogs.definition import load_content
from bot.framework.actions import BadgeEarned, PassportRequested, SendDocument
from bot.framework.i18n import Catalogs
from bot.framework.session import SessionKey
from bot.passport.service import Passports
from bot.passport.storage import PassportLinks

CASES = (("en", ""), ("sl", ""), ("ar", ""), ("en", "sl"), ("ar", "sl"))
"""(language, second language) of each passport."""


async def passports(repeat: int = 3) -> dict[str, bytes]:
    """Each case's PDF, after printing its size and CPU time."""
    folder = Path(tempfile.mkdtemp())
    url = f"sqlite+aiosqlite:///{folder / 'bench.db'}"
    await migrate(url)
    engine = create_engine(parse_url(url))
    urls = BadgeUrls("https://badges.example.org")
    repo = SqlBadgeRepository(engine)
    issuer = BadgeIssuer(default_issuer(urls), urls, load_or_create(folder), repo)
    content = load_content(DEFAULT_CONTENT)
    catalogs = Catalogs(DEFAULT_LOCALES, content.source_language)
    badges = BadgeService(issuer, repo, content, catalogs)
    passports = Passports(
        badges, PassportLinks(engine), content, catalogs, urls.verify_page, urls.base
    )
    key = SessionKey("web", "bench")
    for category, level, validated in (("SOC", 2, False), ("PER", 3, True)):
        await badges.earn(key, BadgeEarned(category, level, validated, "en"))
    made = {}
    for locale, also in CASES:
        sizes, times = set(), []
        for _ in range(repeat):
            start = time.process_time()
            document, _ = await passports.build(key, PassportRequested(locale, also, "Amira"))
            times.append(time.process_time() - start)
            assert isinstance(document, SendDocument)
            sizes.add(len(document.content))
        name = f"passport-{locale}" + (f"+{also}" if also else "")
        print(
            f"{name}: {max(sizes)} bytes ({max(sizes) / 1024:.1f} KiB), "
            f"CPU {min(times) * 1000:.0f}-{max(times) * 1000:.0f} ms per PDF ({repeat} runs)"
        )
        made[name] = document.content
    await engine.dispose()
    return made


def main(out: Path | None) -> None:
    for name, content in asyncio.run(passports()).items():
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            pdf = out / f"{name}.pdf"
            pdf.write_bytes(content)
            subprocess.run(["pdftoppm", "-r", "60", "-png", pdf, out / name], check=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
