"""Command-line parts of `python -m bot.counsel`: add an outreach worker, export the report."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from tqdm import tqdm

from bot.config import Config, ConfigError
from bot.db.store import StoreError, open_store
from bot.dialogs.definition import load_content
from bot.outreach.people import count_people
from bot.outreach.report import build_report, report_csv
from bot.outreach.service import OutreachService
from bot.outreach.storage import SqlOutreach

COMMANDS = ("outreach-worker", "report")


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `outreach-worker` and `report` beside the counsellor commands."""
    worker = sub.add_parser("outreach-worker", help="add an outreach worker or set a password")
    worker.add_argument("name")
    worker.add_argument("--telegram-id", type=int, default=None)
    report = sub.add_parser("report", help="export the programme report as CSV")
    report.add_argument("--from", dest="start", type=date.fromisoformat, required=True)
    report.add_argument("--to", dest="end", type=date.fromisoformat, required=True,
                        help="the first day not counted")  # fmt: skip
    report.add_argument("--organisation", default=None)
    report.add_argument("--out", type=Path, required=True)


def run(args: argparse.Namespace, password: str | None, env: dict[str, str]) -> int:
    """Carry out one outreach command; 1 with a one-line reason on failure."""
    try:
        config = Config.from_env(env)
        if args.command == "outreach-worker":
            print(asyncio.run(_add_worker(config, args, password or "")))
        else:
            print(asyncio.run(_export(config, args)))
    except (ConfigError, StoreError, ValueError) as problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


async def _add_worker(config: Config, args: argparse.Namespace, password: str) -> str:
    store = await open_store(config.database_url)
    try:
        service = OutreachService(SqlOutreach(store.engine), lambda: datetime.now(UTC))
        worker = await service.add_worker(args.name, password, args.telegram_id)
        return f"{worker.name} ({worker.id}) can log in at /counsellor/outreach/login."
    finally:
        await store.close()


async def _export(config: Config, args: argparse.Namespace) -> str:
    start = datetime.combine(args.start, time(), UTC)
    end = datetime.combine(args.end, time(), UTC)
    if end <= start:
        raise ValueError("--to must be after --from")
    topics = [str(c.id) for c in load_content(config.content_path).categories]
    store = await open_store(config.database_url)
    try:
        total = await count_people(store.engine)
        with tqdm(total=total, unit="people", disable=None) as bar:
            report = await build_report(
                store.engine, SqlOutreach(store.engine), start, end, args.organisation,
                progress=bar.update,
            )  # fmt: skip
    finally:
        await store.close()
    args.out.write_text(report_csv(report, topics), encoding="utf-8")
    days = (end - start) // timedelta(days=1)
    return f"{args.out}: {days} days, the report's counts under 5 shown as <5."


def password_from(env: dict[str, str] | os._Environ[str]) -> str | None:
    """The password for a new login, from OUTREACH_PASSWORD or COUNSELLOR_PASSWORD."""
    return env.get("OUTREACH_PASSWORD") or env.get("COUNSELLOR_PASSWORD")
