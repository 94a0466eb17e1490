"""`python -m bot.counsel add NAME`, `outreach-worker NAME`, `report --from --to --out`."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from datetime import UTC, datetime

from bot.config import Config, ConfigError
from bot.counsel.allowlist import Allowlist
from bot.counsel.storage.cases import SqlCaseRepository
from bot.counsel.storage.people import SqlCounsellors
from bot.db.store import StoreError, open_store
from bot.outreach import cli as outreach_cli


async def _add(config: Config, args: argparse.Namespace, password: str) -> str:
    store = await open_store(config.database_url)
    try:
        people = Allowlist(SqlCounsellors(store.engine), SqlCaseRepository(store.engine), _now)
        added = await people.add_counsellor(
            None, args.name, telegram_user_id=args.telegram_id, is_admin=args.admin,
            password=password,
        )  # fmt: skip
        return f"{added.name} ({added.id}) can log in to the console."
    finally:
        await store.close()


def _now() -> datetime:
    return datetime.now(UTC)


def main(argv: list[str] | None = None) -> int:
    """Add or update a counsellor with a console password (asked for, never echoed)."""
    parser = argparse.ArgumentParser(prog="python -m bot.counsel")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="add a counsellor or set their password")
    add.add_argument("name")
    add.add_argument("--telegram-id", type=int, default=None)
    add.add_argument("--admin", action="store_true")
    outreach_cli.add_commands(sub)
    args = parser.parse_args(argv)
    if args.command in outreach_cli.COMMANDS:
        env = dict(os.environ)
        needs = args.command == "outreach-worker"
        password = (
            (outreach_cli.password_from(env) or getpass.getpass("Password: ")) if needs else None
        )
        return outreach_cli.run(args, password, env)
    password = os.environ.get("COUNSELLOR_PASSWORD") or getpass.getpass("Console password: ")
    try:
        print(asyncio.run(_add(Config.from_env(os.environ), args, password)))
    except (ConfigError, StoreError, ValueError) as problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
