"""Prometheus metrics: requests by platform and handler, answer latency, 429s received, and
the delivery outbox (rows by state, queue depth, age of the oldest due row) read at scrape."""

from __future__ import annotations

from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Delivery, DeliveryStatus

REGISTRY = CollectorRegistry(auto_describe=True)
REQUESTS = Counter(
    "plenary_requests",
    "Messages answered, by platform and handler",
    ["platform", "handler"],
    registry=REGISTRY,
)
ANSWER_SECONDS = Histogram(
    "plenary_answer_seconds",
    "Time to answer a message, from arrival to reply ready",
    ["platform"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
    registry=REGISTRY,
)
RATE_LIMITED = Counter(
    "plenary_rate_limited",
    "429 Too Many Requests received from a platform",
    ["platform"],
    registry=REGISTRY,
)
PACED = Counter(
    "plenary_paced",
    "Telegram messages held back to keep within a chat's or the overall flood limit, by kind"
    " (answers to a person's own messages, or messages nobody asked for)",
    ["kind"],
    registry=REGISTRY,
)
REFUSED_REQUESTS = Counter(
    "plenary_refused_requests",
    "HTTP requests refused before any work: too large, unsigned, malformed",
    ["path", "reason"],
    registry=REGISTRY,
)
WEBHOOKS = frozenset({"/telegram/webhook", "/slack/events"})


def refused(path: str, reason: str) -> None:
    """Count a request refused before any work; only the webhooks are named, so that made-up
    paths cannot grow the metric."""
    REFUSED_REQUESTS.labels(path if path in WEBHOOKS else "other", reason).inc()


LEADER = Gauge(
    "plenary_leader",
    "1 while this process does the work one process must do at a time (e.g. polling)",
    ["lock"],
    registry=REGISTRY,
)
DELIVERIES_GIVEN_UP = Counter(
    "plenary_deliveries_given_up",
    "Deliveries this process gave up after their attempts (the outbox keeps them as failed)",
    registry=REGISTRY,
)
PRUNED = Counter(
    "plenary_pruned",
    "Rows pruned by this process once retention no longer kept them, by table",
    ["table"],
    registry=REGISTRY,
)
DELIVERIES = Gauge("plenary_deliveries", "Outbox rows by state", ["state"], registry=REGISTRY)
QUEUE_DEPTH = Gauge(
    "plenary_queue_depth", "Outbox rows due now and not yet sent", registry=REGISTRY
)
OLDEST_DUE = Gauge(
    "plenary_oldest_due_seconds",
    "How long the oldest due, unsent row has waited (0 when none)",
    registry=REGISTRY,
)


async def exposition(session: AsyncSession, now: datetime) -> bytes:
    """The metrics in Prometheus' text format, the outbox figures read now."""
    rows = await session.execute(select(Delivery.status, func.count()).group_by(Delivery.status))
    counts = {status: count for status, count in rows}
    for state in DeliveryStatus:
        DELIVERIES.labels(state.value).set(counts.get(state, 0))
    due = (Delivery.status == DeliveryStatus.PENDING) & (Delivery.due_at <= now)
    depth, oldest = (
        await session.execute(select(func.count(), func.min(Delivery.due_at)).where(due))
    ).one()
    QUEUE_DEPTH.set(depth)
    OLDEST_DUE.set((now - oldest).total_seconds() if oldest else 0)
    return generate_latest(REGISTRY)
