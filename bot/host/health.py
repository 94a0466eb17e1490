"""`/healthz` (the process answers) and `/readyz` (database reachable, schema at head)."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.migrate import head_revision


async def readiness(engine: AsyncEngine, head: str | None) -> tuple[bool, str]:
    """(ready, reason): the database answers and its schema is at `head`."""
    try:
        async with engine.connect() as conn:
            current = await conn.scalar(text("SELECT version_num FROM alembic_version"))
    except (SQLAlchemyError, OSError) as exc:
        return False, f"database unreachable ({type(exc).__name__})"
    if current != head:
        return False, f"schema at {current}, expected {head}"
    return True, "ok"


def health_routes(engine: AsyncEngine) -> list[web.RouteDef]:
    """GET /healthz and /readyz (503 with a reason when not ready)."""
    head = head_revision()

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    async def readyz(request: web.Request) -> web.Response:
        ready, reason = await readiness(engine, head)
        return web.json_response({"ok": ready, "reason": reason}, status=200 if ready else 503)

    return [web.get("/healthz", healthz), web.get("/readyz", readyz)]
