"""Test fixtures: demo databases on SQLite and on a throwaway PostgreSQL, and a chat harness."""

from __future__ import annotations

import io
import itertools
import logging
import os
import re
import shutil
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import TelegramConfig
from bot.core.answering import Core
from bot.core.clock import FixedClock
from bot.runtime.dispatcher import Dispatcher
from bot.runtime.http import HttpServer, build_app
from bot.transports.console import ConsoleTransport
from bot.transports.telegram.limits import Limits
from bot.transports.telegram.transport import TelegramTransport
from storage.database import create_engine, session_factory
from testkit import pg
from testkit.demo import DEMO_NOW, migrated_demo
from testkit.fakes.slack_api import FakeSlack
from testkit.fakes.telegram_api import FakeTelegram
from tests.recorder import Recorder

pytest_plugins = ["tests.slack_chat"]  # the `slack` client fixture, for any test

BACKENDS = ["sqlite", "postgresql"]
# The day after the demo's last meeting (1 June 2016): every demo position is stated by then.
SESSION_OVER = "2016-06-02T12:00:00-04:00"
_counter = itertools.count()
FAST = Limits(overall_per_second=1000, chat_burst=1000, chat_per_second=1000)
# Set to 1 to run without PostgreSQL, its half skipped; otherwise a missing one fails the run.
WITHOUT_POSTGRES = "PLENARY_TESTS_WITHOUT_POSTGRES"


class _Errors(logging.Handler):
    """Keeps every record logged at ERROR or above."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def no_error_is_logged(request: pytest.FixtureRequest) -> Iterator[None]:
    """Any ERROR logged during a test fails it: an exception turned into a log line (and a
    polite answer) is a failure the test would not see otherwise. A test that provokes one
    names it: `@pytest.mark.logs_errors("pattern", ...)`, each pattern found in a message
    (and each must be, so that the mark cannot outlive its reason)."""
    errors = _Errors()
    logging.getLogger().addHandler(errors)
    try:
        yield
    finally:
        logging.getLogger().removeHandler(errors)
    expected = [p for mark in request.node.iter_markers("logs_errors") for p in mark.args]
    messages = [record.getMessage() for record in errors.records]
    unexpected = [m for m in messages if not any(re.search(p, m) for p in expected)]
    missing = [p for p in expected if not any(re.search(p, m) for m in messages)]
    if unexpected or missing:
        pytest.fail(
            f"errors logged: {unexpected}" if unexpected else f"no error logged like {missing}",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[pg.Cluster | None]:
    """The session's PostgreSQL cluster. Missing PostgreSQL fails the run, unless
    PLENARY_TESTS_WITHOUT_POSTGRES=1 asks to skip its half."""
    if not pg.available():
        if os.environ.get(WITHOUT_POSTGRES) != "1":
            pytest.fail(
                "PostgreSQL (initdb, pg_ctl, postgres) is needed: install it, or set "
                f"{WITHOUT_POSTGRES}=1 to skip the PostgreSQL half",
                pytrace=False,
            )
        yield None
        return
    cluster = pg.Cluster()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
async def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "demo.db"
    await migrated_demo(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
async def pg_template(pg_cluster: pg.Cluster | None) -> str | None:
    if pg_cluster is None:
        return None
    await migrated_demo(await pg_cluster.create_database("demo_template"))
    return "demo_template"


def sqlite_url(folder: Path, template: Path | None) -> str:
    """A new SQLite database file: a copy of `template`, or empty."""
    path = folder / f"plenary-{next(_counter)}.db"
    if template is not None:
        shutil.copy(template, path)
    return f"sqlite:///{path}"


@dataclass
class Databases:
    """Where a test's fresh database comes from, on each backend."""

    sqlite_template: Path
    pg_cluster: pg.Cluster | None
    pg_template: str | None

    async def fresh(self, backend: str, folder: Path, empty: bool) -> str:
        """A new database for one test: a copy of the demo, or empty."""
        if backend == "sqlite":
            return sqlite_url(folder, None if empty else self.sqlite_template)
        if self.pg_cluster is None:
            pytest.skip(f"PostgreSQL is not installed and {WITHOUT_POSTGRES}=1 asks to skip")
        name = f"test_{next(_counter)}"
        return await self.pg_cluster.create_database(name, None if empty else self.pg_template)


@pytest.fixture(scope="session")
def databases(
    sqlite_template: Path, pg_cluster: pg.Cluster | None, pg_template: str | None
) -> Databases:
    return Databases(sqlite_template, pg_cluster, pg_template)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The database a test runs on; see pytest_generate_tests."""
    return request.param


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Database tests run on SQLite and on PostgreSQL; a module that sets SQLITE_ONLY on SQLite
    alone, except its tests marked `postgres` (e.g. a transport's once-only handling); a test
    marked `postgres_only` runs on PostgreSQL alone (what SQLite cannot do, e.g. row locks)."""
    if "backend" in metafunc.fixturenames:
        sqlite_only = getattr(metafunc.module, "SQLITE_ONLY", False)
        marks = {m.name for m in metafunc.definition.iter_markers()}
        backends = ["sqlite"] if sqlite_only and "postgres" not in marks else BACKENDS
        if "postgres_only" in marks:
            backends = ["postgresql"]
        metafunc.parametrize("backend", backends, indirect=True)


@pytest.fixture
async def demo_url(backend: str, tmp_path: Path, databases: Databases) -> str:
    """A database holding the demo programme."""
    return await databases.fresh(backend, tmp_path, empty=False)


@pytest.fixture
async def empty_url(backend: str, tmp_path: Path, databases: Databases) -> str:
    """An empty database (no schema)."""
    return await databases.fresh(backend, tmp_path, empty=True)


@pytest.fixture
async def session(demo_url: str) -> AsyncIterator[AsyncSession]:
    """A session on a database holding the demo programme."""
    engine = create_engine(demo_url)
    async with session_factory(engine)() as session:
        yield session
    await engine.dispose()


@dataclass
class Plenary:
    """The core on a demo database with a clock the test controls, spoken to as a terminal."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    clock: FixedClock
    core: Core

    async def say(self, *lines: str, user: str = "delegate") -> list[str]:
        """Each line's answer, as the terminal transport prints it."""
        stdin, stdout = io.StringIO("".join(f"{line}\n" for line in lines)), io.StringIO()
        await ConsoleTransport(self.core, stdin, stdout, user=user).serve()
        answers = re.split(r"(?m)^> ", stdout.getvalue())[1:]
        return [answer.split("\n", 1)[1].strip() for answer in answers]

    async def ask(self, line: str, user: str = "delegate") -> str:
        (answer,) = await self.say(line, user=user)
        return answer

    def at(self, when: str) -> None:
        """The clock at an instant given in ISO 8601 with its offset, e.g. SESSION_OVER."""
        self.clock.set(datetime.fromisoformat(when))


@pytest.fixture
async def plenary(demo_url: str) -> AsyncIterator[Plenary]:
    engine = create_engine(demo_url)
    sessions = session_factory(engine)
    clock = FixedClock(DEMO_NOW)
    try:
        yield Plenary(engine, sessions, clock, Core(sessions, clock))
    finally:
        await engine.dispose()


@pytest.fixture
async def http(plenary: Plenary) -> AsyncIterator[httpx.AsyncClient]:
    """A client of Plenary's HTTP server (no transport's routes) on the `plenary` core."""
    server = HttpServer(build_app(plenary.core, []), "127.0.0.1", 0)
    await server.start()
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as client:
        yield client
    await server.stop()


@pytest.fixture
def recorder() -> Recorder:
    """Stands in for a platform's sender (see tests/recorder.py)."""
    return Recorder()


@pytest.fixture
def dispatcher(plenary: Plenary, recorder: Recorder) -> Dispatcher:
    """The dispatcher of the `plenary` fixture's core, sending to `recorder` as the terminal."""
    return Dispatcher(plenary.core, {"console": recorder})


@pytest.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    server = await FakeTelegram().serve()
    yield server
    await server.close()


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    server = await FakeSlack().serve()
    yield server
    await server.close()


async def start_telegram(plenary: Plenary, fake: FakeTelegram, **config: str) -> TelegramTransport:
    """Plenary on Telegram, against the fake Bot API, with limits no test waits for."""
    transport = TelegramTransport(
        TelegramConfig(token=fake.token, api_base_url=fake.base_url, **config),
        plenary.core,
        limits=FAST,
    )
    await transport.start()
    return transport


@pytest.fixture
async def telegram(
    plenary: Plenary, fake_telegram: FakeTelegram
) -> AsyncIterator[TelegramTransport]:
    transport = await start_telegram(plenary, fake_telegram)
    yield transport
    await transport.stop()
