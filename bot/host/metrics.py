"""Prometheus metrics: counters the bot keeps, and gauges read from the database per scrape."""

from __future__ import annotations

import os
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client import values as prometheus_values
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channels.base import ChannelAdapter, NotConnected, RetryLater, Unreachable
from bot.db.badge_tables import badge_awards
from bot.db.counsel_tables import counsel_cases
from bot.db.models import dead_letters, outbox
from bot.framework.actions import Reply
from bot.framework.events import Inbound
from bot.framework.session import SessionKey

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
EVENT_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
MULTIPROC = "PROMETHEUS_MULTIPROC_DIR"
__all__ = ["BotMetrics", "CountedAdapter", "use_multiprocess"]


def use_multiprocess(directory: str) -> None:
    """In a forked worker: keep counters in `directory`, shared by every worker's /metrics."""
    os.environ[MULTIPROC] = directory
    prometheus_values.ValueClass = prometheus_values.get_value_class()  # type: ignore[no-untyped-call]


class BotMetrics:
    """The bot's counters and histograms, one set per app (no global registry)."""

    def __init__(self) -> None:
        shared = bool(os.environ.get(MULTIPROC))
        self.registry = CollectorRegistry()
        own = None if shared else self.registry  # shared: the files are read at scrape time
        if shared:
            MultiProcessCollector(self.registry)  # type: ignore[no-untyped-call]
        self.events = Counter(
            "bot_events_applied", "Inbound events applied", ["channel"], registry=own
        )
        self.event_seconds = Histogram(
            "bot_event_seconds", "Seconds to apply one event (engine and commit)",
            buckets=EVENT_BUCKETS, registry=own,
        )  # fmt: skip
        self.sends = Counter("bot_sends", "Replies delivered", ["channel"], registry=own)
        self.errors = Counter(
            "bot_send_errors", "Failed deliveries", ["channel", "kind"], registry=own
        )
        self.retries = Counter(
            "bot_send_retry_later", "Deliveries the platform asked to retry (429s, outages)",
            ["channel"], registry=own,
        )  # fmt: skip
        self.retry_wait = Counter(
            "bot_send_retry_wait_seconds", "Seconds the platform asked us to wait",
            ["channel"], registry=own,
        )  # fmt: skip
        self.retention_runs = Counter(
            "bot_retention_runs", "Passes of the daily retention job", registry=own
        )
        self.retention_erased = Counter(
            "bot_retention_erased", "Conversations erased for inactivity", registry=own
        )
        self.retention_last = Gauge(
            "bot_retention_last_run_timestamp_seconds", "When the retention job last ran",
            registry=own, multiprocess_mode="max",
        )  # fmt: skip

    def timed(
        self, handle: Callable[[Inbound], Awaitable[bool]]
    ) -> Callable[[Inbound], Awaitable[bool]]:
        """`handle`, counting and timing each event it applies."""

        async def timed_handle(inbound: Inbound) -> bool:
            began = time.perf_counter()
            applied = await handle(inbound)
            if applied:
                self.event_seconds.observe(time.perf_counter() - began)
                self.events.labels(inbound.key.channel).inc()
            return applied

        return timed_handle


class CountedAdapter:
    """A channel adapter as the sender sees it, with each delivery counted by outcome."""

    def __init__(self, inner: ChannelAdapter, metrics: BotMetrics) -> None:
        self.name, self.capabilities = inner.name, inner.capabilities
        self._inner, self._metrics = inner, metrics

    async def deliver(self, key: SessionKey, action: Reply) -> None:
        """Deliver through the channel; count sends, retries (with their wait) and errors."""
        m, channel = self._metrics, self.name
        try:
            await self._inner.deliver(key, action)
        except RetryLater as exc:
            m.retries.labels(channel).inc()
            m.retry_wait.labels(channel).inc(exc.seconds)
            raise
        except NotConnected:
            raise  # a closed tab: waits in the outbox, not an error
        except Unreachable:
            m.errors.labels(channel, "unreachable").inc()
            raise
        except Exception:
            m.errors.labels(channel, "failed").inc()
            raise
        m.sends.labels(channel).inc()


class StoreGauges(Collector):
    """Gauges read from the database once per scrape (the same from every worker)."""

    def __init__(self, figures: dict[str, float]) -> None:
        self._figures = figures

    def collect(self) -> list[GaugeMetricFamily]:
        """One family per figure."""
        return [
            GaugeMetricFamily(name, _HELP[name], value=value)
            for name, value in self._figures.items()
        ]


_HELP = {
    "bot_outbox_depth": "Rows waiting in the outbox",
    "bot_outbox_oldest_age_seconds": "Age of the oldest outbox row (0: empty)",
    "bot_cases_open": "Counsellor cases not closed",
    "bot_cases_oldest_wait_seconds": "Waiting time of the oldest open case (0: none)",
    "bot_badges_issued": "Badges issued (revoked ones included)",
    "bot_dead_letters": "Rows set aside after their tries",
}


async def store_figures(engine: AsyncEngine, now: datetime) -> dict[str, float]:
    """Outbox depth and age, open cases and their wait, badges, dead letters."""
    async with engine.connect() as conn:
        depth, oldest = (
            await conn.execute(select(func.count(), func.min(outbox.c.created_at)))
        ).one()
        cases = select(func.count(), func.min(counsel_cases.c.created_at)).where(
            counsel_cases.c.closed_at.is_(None)
        )
        open_cases, waiting = (await conn.execute(cases)).one()
        badges = await conn.scalar(select(func.count()).select_from(badge_awards))
        dead = await conn.scalar(select(func.count()).select_from(dead_letters))
    return {
        "bot_outbox_depth": depth,
        "bot_outbox_oldest_age_seconds": _age(oldest, now),
        "bot_cases_open": open_cases,
        "bot_cases_oldest_wait_seconds": _age(waiting, now),
        "bot_badges_issued": badges or 0,
        "bot_dead_letters": dead or 0,
    }


def _age(then: datetime | None, now: datetime) -> float:
    if then is None:
        return 0.0
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    return max(0.0, (now - then).total_seconds())


def metrics_route(metrics: BotMetrics, engine: AsyncEngine) -> web.RouteDef:
    """GET /metrics in Prometheus' text format."""

    async def handler(request: web.Request) -> web.Response:
        store = CollectorRegistry()
        store.register(StoreGauges(await store_figures(engine, datetime.now(UTC))))
        body = generate_latest(metrics.registry) + generate_latest(store)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})

    return web.get("/metrics", handler)
