"""`python -m bot.host.backup DEST`: a consistent copy of a live bot (database and key files).

DEST becomes a data directory: the key files of BOT_DATA_DIR (badge signing keys, the
console's session key, the event-id key) and the database, as `bot.db` (SQLite, through its
online backup API, safe while the bot writes) or `postgres.sql` (`pg_dump`). To restore,
copy DEST's files into a fresh BOT_DATA_DIR; for PostgreSQL also load `postgres.sql` into
an empty database with `psql -v ON_ERROR_STOP=1 -f postgres.sql`.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from sqlalchemy.engine import URL

from bot.__main__ import read_dotenv
from bot.config import Config, ConfigError
from bot.db.engine import StoreError, parse_url

SQLITE_FILE = "bot.db"
POSTGRES_FILE = "postgres.sql"
_SKIPPED = (".db", ".db-wal", ".db-shm", ".db-journal")  # the database is copied on its own


def backup(config: Config, dest: Path) -> Path:
    """Write the key files and a copy of the database into `dest`; the database copy's path."""
    dest.mkdir(parents=True, exist_ok=True)
    _copy_keys(config.data_dir, dest)
    url = parse_url(config.database_url)
    if url.get_backend_name() == "sqlite":
        return _sqlite(Path(url.database or ""), dest / SQLITE_FILE)
    return _postgres(url, dest / POSTGRES_FILE)


def _copy_keys(data_dir: Path, dest: Path) -> None:
    for path in data_dir.rglob("*"):
        if path.is_file() and not path.name.endswith(_SKIPPED):
            target = dest / path.relative_to(data_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)


def _sqlite(source: Path, target: Path) -> Path:
    """SQLite's online backup: a consistent snapshot while the bot goes on writing."""
    with sqlite3.connect(source) as live, sqlite3.connect(target) as copy:
        live.backup(copy)
    live.close()
    copy.close()
    return target


def _postgres(url: URL, target: Path) -> Path:
    """`pg_dump` of the whole database as SQL (the password passed in PGPASSWORD, not argv)."""
    env = {**os.environ, "PGPASSWORD": url.password or ""} if url.password else dict(os.environ)
    plain = url.set(drivername="postgresql", password=None).render_as_string(False)
    subprocess.run(
        ["pg_dump", "--no-owner", "--no-privileges", "--file", str(target), plain],
        env=env, check=True,
    )  # fmt: skip
    return target


def main() -> None:
    """Back up the bot configured by the environment (and .env) into the directory argv[1]."""
    if len(sys.argv) != 2:
        print("usage: python -m bot.host.backup DEST_DIR", file=sys.stderr)
        raise SystemExit(2)
    env = {**read_dotenv(Path(".env")), **os.environ}
    try:
        written = backup(Config.from_env(env), Path(sys.argv[1]))
    except (ConfigError, StoreError, sqlite3.Error, subprocess.CalledProcessError) as error:
        print(f"Cannot back up: {error}", file=sys.stderr)
        raise SystemExit(1) from None
    print(f"Backed up to {written.parent}", flush=True)


if __name__ == "__main__":
    main()
