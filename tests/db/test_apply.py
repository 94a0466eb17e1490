"""The applier's two transactions store the very same rows; the SQLite one is derived SQL."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import bindparam, select

from bot.db.apply_sqlite import SqliteTransaction
from bot.db.models import conversations, metadata, outbox
from bot.db.store import open_store
from bot.framework.actions import SendText
from bot.framework.engine_types import Sprint
from bot.framework.session import Session
from tests.db.helpers import KEY, OTHER, answer, count, forget, inbound, logging_answers

_STAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}")


def keep() -> Session:
    """The session the last event leaves."""
    return Session(KEY, locale="ar", results={"social": {"note": "مرحبا 👋"}})


async def _apply_the_same_events(url: str, *, group_commit: bool) -> None:
    store = await open_store(url, group_commit=group_commit)
    try:
        await store.process(inbound("1"), count(texts=2))
        await store.process(inbound("1"), count(texts=2))  # a repeat: nothing
        await store.process(inbound("2"), logging_answers(answer("q1"), answer("q2", None)))
        await store.process(inbound("3", OTHER), count(OTHER))
        await store.process(inbound("4", OTHER), forget)
        await store.process(inbound("5"), lambda _: Sprint(keep(), [SendText("é", ref="r")]))
        await store.delivered([1])
    finally:
        await store.close()


def _rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows as sqlite3 gives them, each time stamp checked then blanked."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    with sqlite3.connect(path) as db:
        for table in metadata.sorted_tables:
            rows = db.execute(f"SELECT * FROM {table.name} ORDER BY rowid").fetchall()
            found[table.name] = [tuple(_blank_stamp(value) for value in row) for row in rows]
    db.close()
    return found


def _blank_stamp(value: Any) -> Any:
    if isinstance(value, str) and _STAMP.fullmatch(value):
        return "<stamp>"
    return value


async def test_both_transactions_store_the_same_rows(tmp_path: Path) -> None:
    for grouped in (True, False):
        url = f"sqlite+aiosqlite:///{tmp_path / f'{grouped}.db'}"
        await _apply_the_same_events(url, group_commit=grouped)
    grouped_rows, core_rows = _rows(tmp_path / "True.db"), _rows(tmp_path / "False.db")
    assert grouped_rows == core_rows
    assert len(grouped_rows["outbox"]) == 3  # one delivered, OTHER's erased but its goodbye
    mine, theirs = grouped_rows["conversations"]
    assert Session.from_json(KEY, json.loads(mine[3])) == keep()
    assert "مرحبا 👋" in mine[3]  # compact JSON, non-ASCII kept as is
    assert (mine[4:6], theirs[3:6]) == ((3, 1), (None, 2, 1))  # version, active (and state)


def test_a_statement_missing_a_value_is_refused(tmp_path: Path) -> None:
    cursor = sqlite3.connect(tmp_path / "x.db").cursor()
    query = select(outbox.c.id).where(outbox.c.channel == bindparam("channel"))
    with pytest.raises(KeyError, match="channel"):
        SqliteTransaction(cursor).first(query, {})


def test_a_query_for_a_column_that_needs_converting_is_refused(tmp_path: Path) -> None:
    cursor = sqlite3.connect(tmp_path / "x.db").cursor()
    with pytest.raises(TypeError, match="created_at"):
        SqliteTransaction(cursor).first(select(conversations.c.created_at), {})
