"""Group commit: events that arrive together share one SQLite transaction and one fsync."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")


@dataclass(slots=True)
class _Waiting(Generic[Job, Result]):
    job: Job
    done: asyncio.Future[Result] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


RunBatch = Callable[[Sequence[Job]], Awaitable[list[Result | BaseException]]]


class GroupCommit(Generic[Job, Result]):
    """Runs queued jobs in batches, one batch at a time, in arrival order.

    `run_batch` applies a batch in one transaction and returns one result (or the exception
    that undid that job alone) per job. A durable commit costs an fsync of several
    milliseconds; sharing it among every event that arrived meanwhile is what lets one SQLite
    file take a thousand events a second while each event is still committed before it is
    answered.
    """

    def __init__(self, run_batch: RunBatch[Job, Result], max_batch: int = 200) -> None:
        self._run_batch = run_batch
        self._max_batch = max_batch
        self._queue: list[_Waiting[Job, Result]] = []
        self._worker: asyncio.Task[None] | None = None

    async def submit(self, job: Job) -> Result:
        """Queue a job and wait until its batch is committed."""
        waiting: _Waiting[Job, Result] = _Waiting(job)
        self._queue.append(waiting)
        if self._worker is None or self._worker.done():
            self._worker = asyncio.create_task(self._drain())
        return await waiting.done

    async def _drain(self) -> None:
        while self._queue:
            batch, self._queue = self._queue[: self._max_batch], self._queue[self._max_batch :]
            try:
                results = await self._run_batch([w.job for w in batch])
            except BaseException as error:  # the commit itself failed: nothing of it holds
                results = [error] * len(batch)
            for waiting, result in zip(batch, results, strict=True):
                if waiting.done.done():
                    continue
                if isinstance(result, BaseException):
                    waiting.done.set_exception(result)
                else:
                    waiting.done.set_result(result)
