"""The SQLite group-commit writer: one plain sqlite3 connection and the thread that runs it."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from bot.db.apply_sqlite import SqliteJob, apply_batch_sqlite
from bot.db.engine import sqlite_pragmas

_Connect = Callable[[], sqlite3.Connection]


class SqliteWriter:
    """Applies batches of jobs in one thread, each batch one IMMEDIATE transaction.

    The connection is a plain sqlite3 one, opened once and kept: a batch is BEGIN, the jobs,
    COMMIT, with no pool to check a connection out of and back into (which, with its reset,
    cost more than the SQL of a one-event batch). The thread leaves the event loop free while
    SQLite works and waits on the disk (sqlite3 lets the GIL go around each call).

    The caller runs one batch (or checkpoint) at a time.
    """

    def __init__(self, path: str) -> None:
        self._path = path
        self._conn: sqlite3.Connection | None = None
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="sqlite-writer")

    async def run(self, jobs: Sequence[SqliteJob]) -> list[object | BaseException]:
        """Every job in one transaction, each in its own savepoint; one commit."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._thread, _apply, self._connection, jobs)

    async def checkpoint(self) -> None:
        """Copy the write-ahead log into the database file and truncate it."""
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._thread, _checkpoint, self._connection)

    async def close(self) -> None:
        """Close the connection, in its thread, and stop the thread."""
        if self._conn is not None:
            await asyncio.get_running_loop().run_in_executor(self._thread, self._conn.close)
            self._conn = None
        self._thread.shutdown(wait=True)

    def _connection(self) -> sqlite3.Connection:
        """In the thread: the connection, opened on first use."""
        if self._conn is None:
            conn = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
            sqlite_pragmas(conn)
            self._conn = conn
        return self._conn


def _apply(connect: _Connect, jobs: Sequence[SqliteJob]) -> list[object | BaseException]:
    conn = connect()
    conn.execute("BEGIN IMMEDIATE")
    try:
        outcomes = apply_batch_sqlite(conn, jobs)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return outcomes


def _checkpoint(connect: _Connect) -> None:
    connect().execute("PRAGMA wal_checkpoint(TRUNCATE)")  # outside any transaction
