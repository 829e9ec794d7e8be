"""/healthz says what works and answers 503 when something does not; /metrics counts requests,
answer latency and the outbox."""

import re

import httpx
import pytest

from bot.core.answering import Core
from bot.runtime.dispatcher import Dispatcher
from bot.runtime.http import HttpServer, build_app
from storage.database import create_engine, session_factory
from tests.recorder import Recorder
from tests.test_reminders import at


async def serve(plenary, checks=None):
    server = HttpServer(build_app(plenary.core, [], checks), "127.0.0.1", 0)
    await server.start()
    return server


@pytest.fixture
async def client(plenary):
    server = await serve(plenary)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as http:
        yield http
    await server.stop()


def metric(text: str, name: str) -> float:
    found = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
    return float(found.group(1)) if found else 0.0


async def test_health_names_each_part_and_fails_when_one_fails(plenary):
    async def polling() -> str:
        return "not polling"

    async def fine() -> str:
        return "ok"

    for checks, status in (({"slack": fine}, 200), ({"slack": fine, "telegram": polling}, 503)):
        server = await serve(plenary, checks)
        try:
            async with httpx.AsyncClient() as http:
                response = await http.get(f"http://127.0.0.1:{server.port}/healthz")
        finally:
            await server.stop()
        assert response.status_code == status
        assert response.json()["database"] == "ok"


async def test_health_is_503_when_the_database_is_unreachable(plenary):
    engine = create_engine("postgresql://plenary@127.0.0.1:1/nowhere")  # nothing listens there
    server = HttpServer(build_app(Core(session_factory(engine), plenary.clock), []), "127.0.0.1", 0)
    await server.start()
    try:
        async with httpx.AsyncClient() as http:
            response = await http.get(f"http://127.0.0.1:{server.port}/healthz")
    finally:
        await server.stop()
        await engine.dispose()
    assert response.status_code == 503
    assert response.json() == {"database": "unavailable: ConnectionRefusedError"}


async def test_metrics_count_requests_latency_and_the_outbox(plenary, client):
    before = (await client.get("/metrics")).text
    await plenary.ask("/next")
    await plenary.ask("gibberish words here")
    await at(plenary, "2016-02-01T12:00:00-05:00")
    await plenary.ask("/subscribe")
    await at(plenary, "2016-02-02T10:00:30-05:00")  # the 24-hour reminder is due
    after = (await client.get("/metrics")).text
    assert "# TYPE plenary_answer_seconds histogram" in after
    for name in (
        'plenary_requests_total{handler="next",platform="console"}',
        'plenary_requests_total{handler="not understood",platform="console"}',
        'plenary_answer_seconds_count{platform="console"}',
    ):
        assert metric(after, name) > metric(before, name), name
    assert metric(after, "plenary_queue_depth") == 1
    assert metric(after, "plenary_oldest_due_seconds") == 30
    assert metric(after, 'plenary_deliveries{state="pending"}') == 2
    await Dispatcher(plenary.core, {"console": Recorder()}).run_until_idle()
    sent = (await client.get("/metrics")).text
    assert metric(sent, 'plenary_deliveries{state="sent"}') == 1
    assert metric(sent, "plenary_queue_depth") == 0
