"""A person's counsellor cases, transcripts and audit rows, as JSON-safe data (for /export)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Row, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.counsel_tables import counsel_audit, counsel_cases, counsel_messages
from bot.framework.session import SessionKey


async def person_cases(engine: AsyncEngine, key: SessionKey) -> dict[str, Any]:
    """Every case of the person, each with its transcript and its audit rows."""
    c, m, a = counsel_cases.c, counsel_messages.c, counsel_audit.c
    mine = and_(c.channel == key.channel, c.chat_id == key.chat_id)
    ids = select(c.id).where(mine).scalar_subquery()
    about = or_(a.case_id.in_(ids), and_(a.channel == key.channel, a.chat_id == key.chat_id))
    async with engine.connect() as conn:
        cases = list(await conn.execute(select(counsel_cases).where(mine).order_by(c.id)))
        lines = list(await conn.execute(select(counsel_messages).where(m.case_id.in_(ids))))
        audit = list(await conn.execute(select(counsel_audit).where(about).order_by(a.id)))
    return {
        "counsellor_cases": [
            {
                **_case(case),
                "messages": [_line(r) for r in lines if r.case_id == case.id],
                "audit": [_audit(r) for r in audit if r.case_id == case.id],
            }
            for case in cases
        ],
        "counsellor_actions": [_audit(r) for r in audit if r.case_id not in {x.id for x in cases}],
    }


def _case(row: Row[Any]) -> dict[str, Any]:
    return {
        "id": row.id,
        "status": row.status,
        "reason": row.reason,
        "summary": json.loads(row.summary),
        "language": row.language,
        "created_at": _at(row.created_at),
        "claimed_by": row.claimed_by,
        "claimed_at": _at(row.claimed_at),
        "closed_at": _at(row.closed_at),
        "outcome": row.outcome,
    }


def _line(row: Row[Any]) -> dict[str, Any]:
    return {"sender": row.sender, "text": row.text, "kind": row.kind, "at": _at(row.at)}


def _audit(row: Row[Any]) -> dict[str, Any]:
    return {
        "counsellor": row.counsellor,
        "action": row.action,
        "detail": json.loads(row.detail),
        "event": json.loads(row.event) if row.event else None,
        "at": _at(row.at),
        "applied_at": _at(row.applied_at),
    }


def _at(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()
