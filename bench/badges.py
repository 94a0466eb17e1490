"""Benchmark: badges per second for render + sign + bake on one core."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.badges.issue import BadgeIssuer, new_person_token
from bot.badges.keys import load_or_create
from bot.badges.model import Alignment, BadgeSpec, BadgeTexts, IssuerInfo, Recipient
from bot.badges.repository import InMemoryBadgeRepository
from bot.badges.urls import BadgeUrls


def main(count: int = 50) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    urls = BadgeUrls("https://badges.example.org")
    info = IssuerInfo("SPOCC Bot", urls.base, "badges@example.org")
    keys = load_or_create(Path(tempfile.mkdtemp()))
    issuer = BadgeIssuer(info, urls, keys, InMemoryBadgeRepository())
    esco = "http://data.europa.eu/esco/skill/15d76317-c71a-4fa2-aadc-2ecc34e627b7"
    spec = BadgeSpec(
        "social",
        "Social",
        2,
        "On my own",
        "#e4572e",
        (Alignment("communicate with others", esco, "ESCO v1.2.0"),),
    )
    texts = BadgeTexts("Social", "On my own", "28 November 2025", "Self-assessed", "Amira")
    issuer.make_award(
        spec,
        Recipient("url", urls.person("warm-up")),
        texts,
        now=datetime.now(UTC),
        status_index=0,
    )
    start = time.perf_counter()
    for index in range(count):
        recipient = Recipient("url", urls.person(new_person_token()))
        issuer.make_award(spec, recipient, texts, now=datetime.now(UTC), status_index=index)
    elapsed = time.perf_counter() - start
    print(
        f"{count} badges in {elapsed:.2f} s: {count / elapsed:.1f} badges/s, "
        f"{1000 * elapsed / count:.1f} ms per badge (render + sign + bake, one core)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
