"""Prometheus figures on `/metrics` (HEALTH_LISTEN): updates, handler latency, errors, outbox.

Per update the cost is two counter increments and a bucket search in memory: no lock, no
I/O (the bot is one event loop). The text format is written by prometheus-client from
these plain numbers at scrape time; the outbox figures are read from the database then,
so they are the same whichever of several bot processes is scraped.
"""

from __future__ import annotations

import bisect
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.outbox import queue as outbox
from storage.models import DeliveryStatus

log = logging.getLogger(__name__)

# Seconds; most updates take a few milliseconds, a slow database shows in the upper ones.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
OUTBOX_STATUSES = tuple(DeliveryStatus)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class BotMetrics:
    """The figures of one bot process since it started."""

    def __init__(self) -> None:
        self.updates: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.latency_buckets = [0] * (len(LATENCY_BUCKETS) + 1)  # the last one is +Inf
        self.latency_sum = 0.0
        self.outbox: dict[str, int] | None = None  # read at scrape time

    def observe(self, kind: str, seconds: float) -> None:
        self.updates[kind] += 1
        self.latency_buckets[bisect.bisect_left(LATENCY_BUCKETS, seconds)] += 1
        self.latency_sum += seconds


class MetricsMiddleware(BaseMiddleware):
    """Counts every update, its handling time and the class of any error it raised."""

    def __init__(self, metrics: BotMetrics) -> None:
        self._metrics = metrics

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        started = time.perf_counter()
        try:
            return await handler(event, data)
        except Exception as error:
            self._metrics.errors[type(error).__name__] += 1
            raise
        finally:
            self._metrics.observe(_kind(event), time.perf_counter() - started)


def _kind(event: TelegramObject) -> str:
    if not isinstance(event, Update):
        return "unknown"
    try:
        return event.event_type
    except LookupError:  # a kind of update newer than this aiogram
        return "unknown"


class _Collector(Collector):
    def __init__(self, metrics: BotMetrics) -> None:
        self._metrics = metrics

    def collect(self) -> Iterator[Metric]:
        metrics = self._metrics
        updates = CounterMetricFamily(
            "quartiere_updates", "Updates handled, by update type", labels=["type"]
        )
        for kind, count in sorted(metrics.updates.items()):
            updates.add_metric([kind], count)
        yield updates
        errors = CounterMetricFamily(
            "quartiere_update_errors",
            "Updates whose handling raised an error, by exception class",
            labels=["error"],
        )
        for name, count in sorted(metrics.errors.items()):
            errors.add_metric([name], count)
        yield errors
        yield _latency(metrics)
        if metrics.outbox is not None:
            deliveries = GaugeMetricFamily(
                "quartiere_outbox_deliveries",
                "Deliveries in the outbox, by status (pending ones are still to send)",
                labels=["status"],
            )
            for status in sorted({*OUTBOX_STATUSES, *metrics.outbox}):
                deliveries.add_metric([status], metrics.outbox.get(status, 0))
            yield deliveries


def _latency(metrics: BotMetrics) -> HistogramMetricFamily:
    histogram = HistogramMetricFamily(
        "quartiere_handler_latency_seconds", "Time to handle one update", labels=[]
    )
    cumulative = 0
    buckets: list[tuple[str, float]] = []
    for bound, count in zip((*LATENCY_BUCKETS, float("inf")), metrics.latency_buckets, strict=True):
        cumulative += count
        buckets.append(("+Inf" if bound == float("inf") else repr(bound), cumulative))
    histogram.add_metric([], buckets, sum_value=metrics.latency_sum)
    return histogram


def add_metrics_route(
    app: web.Application, metrics: BotMetrics, sessions: async_sessionmaker[AsyncSession]
) -> web.Application:
    """Serves `/metrics` on the health server's application."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Collector(metrics))

    async def scrape(_request: web.Request) -> web.Response:
        try:
            async with sessions() as session:
                metrics.outbox = await outbox.status_counts(session)
        except Exception as error:
            # The figures in memory are still worth having; /healthz reports the database.
            log.warning("metrics: outbox figures unavailable: %s", type(error).__name__)
            metrics.outbox = None
        body = generate_latest(registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    app.router.add_get("/metrics", scrape)
    return app
