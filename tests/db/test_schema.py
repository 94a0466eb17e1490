"""bot/db owns the schema: it imports no feature package, and its tables match the migrations."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from bot.db import schema
from bot.db.engine import create_engine, parse_url
from bot.db.migrate import migrate

DB_PACKAGE = Path(schema.__file__).parent
FORBIDDEN = ("bot.badges", "bot.counsel", "bot.outreach")


def _imports(source: str, package: str) -> set[str]:
    """Every module `source` imports, relative imports resolved against `package`."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _package_of(path: Path) -> str:
    return ".".join(path.relative_to(DB_PACKAGE.parent.parent).with_suffix("").parts[:-1])


def test_no_module_under_bot_db_imports_badges_or_counsel() -> None:
    files = sorted(DB_PACKAGE.rglob("*.py"))
    assert DB_PACKAGE / "migrations" / "env.py" in files
    offenders = {
        f"{path.relative_to(DB_PACKAGE)}: {module}"
        for path in files
        for module in _imports(path.read_text(encoding="utf-8"), _package_of(path))
        if module == "bot" or module.startswith(FORBIDDEN)
    }
    assert not offenders


def test_no_core_package_imports_a_channel() -> None:
    """Badges, counsel and storage never know a platform: channels import them, not the reverse."""
    root = DB_PACKAGE.parent
    files = sorted(
        path for name in ("badges", "counsel", "db") for path in (root / name).rglob("*.py")
    )
    offenders = {
        f"{path.relative_to(root)}: {module}"
        for path in files
        for module in _imports(path.read_text(encoding="utf-8"), _package_of(path))
        if module.startswith("bot.channels")
    }
    assert not offenders


def test_the_import_walk_sees_relative_and_absolute_imports() -> None:
    source = "import bot.counsel.service\nfrom ...badges import keys\nfrom bot import counsel\n"
    found = _imports(source, "bot.db.migrations")
    assert {"bot.counsel.service", "bot.badges.keys", "bot.counsel"} <= found


async def test_the_schema_registry_matches_the_migrated_database(database_url: str) -> None:
    await migrate(database_url)
    engine = create_engine(parse_url(database_url))
    try:
        async with engine.connect() as conn:
            differences = await conn.run_sync(_compare)
    finally:
        await engine.dispose()
    assert differences == []


def _compare(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": False})
    return list(compare_metadata(context, schema.metadata))
