"""Stopping: mid-broadcast, the sends in flight finish and are recorded, the claims not yet
sent are handed back at once, and whoever runs next sends the rest (nobody missed, nobody
twice); the command line exits without a trace, even when its reader goes away."""

import asyncio
import signal
import subprocess

from sqlalchemy import func, select

from bot.runtime.dispatcher import Dispatcher
from bot.runtime.scheduler import Scheduler
from storage import announcements
from storage.announcements import Audience
from storage.database import create_engine, session_factory
from storage.models import Account, Delivery, DeliveryStatus
from testkit.bulk import add_people
from testkit.demo import DEMO_NOW, migrated_demo
from testkit.fakes.telegram_api import FakeTelegram
from testkit.service import PLENARY, ROOT, plenary_run
from tests.recorder import Recorder
from tests.test_announcements import chair_says, make_chair, people


class SlowRecorder(Recorder):
    async def deliver(self, account, reply, skip=0) -> str:
        await asyncio.sleep(0.02)
        return await super().deliver(account, reply)


async def statuses(sessions) -> dict[str, int]:
    async with sessions() as session:
        rows = await session.execute(
            select(Delivery.status, func.count()).group_by(Delivery.status)
        )
        return {status: count for status, count in rows}


async def test_stopping_finishes_the_sends_in_flight_and_hands_back_the_rest(plenary):
    await make_chair(plenary)
    readers = await people(plenary, 1000)
    await chair_says(plenary, "/announce Shutting down soon.")
    await chair_says(plenary, "/announce 1 confirm")
    first = SlowRecorder()
    scheduler = Scheduler(Dispatcher(plenary.core, {"console": first}))
    sending = asyncio.create_task(scheduler.dispatch())
    while not first.sent:
        await asyncio.sleep(0.01)
    await asyncio.wait_for(scheduler.stop(), 5)
    await sending
    state = await statuses(plenary.sessions)
    assert DeliveryStatus.SENDING not in state, "every claimed row was recorded or handed back"
    assert state[DeliveryStatus.SENT] == len(first.sent) < 1001
    async with plenary.sessions() as session:
        tried = await session.scalar(
            select(func.max(Delivery.attempts)).where(Delivery.status == DeliveryStatus.PENDING)
        )
    assert tried == 0, "a claim handed back unsent counts no attempt"
    second = Recorder()
    await Dispatcher(plenary.core, {"console": second}).run_until_idle()
    received = [who for who, _ in first.sent + second.sent if who != "sylvie"]
    assert sorted(received) == sorted(readers), "nobody missed, nobody twice"


async def broadcast_database(url: str, people_count: int, platform: str) -> list[int]:
    """The demo, `people_count` people on `platform`, and an announcement to everyone, due
    at the demo's clock."""
    await migrated_demo(url)
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session:
            ids = await add_people(session, people_count, DEMO_NOW, platform)
            draft = await announcements.draft(
                session, None, "cli", "The IGN meets on 3 February.", Audience("all"), DEMO_NOW
            )
            assert await announcements.confirm(session, draft, DEMO_NOW) == people_count
            await session.commit()
    finally:
        await engine.dispose()
    return ids


async def sent_rows(url: str) -> tuple[set[str], dict[str, int]]:
    """The accounts recorded as sent, and the rows by status."""
    engine = create_engine(url)
    try:
        sessions = session_factory(engine)
        async with sessions() as session:
            sent = set(
                await session.scalars(
                    select(Account.external_id)
                    .join(Delivery, Delivery.account_id == Account.id)
                    .where(Delivery.status == DeliveryStatus.SENT)
                )
            )
        return sent, await statuses(sessions)
    finally:
        await engine.dispose()


async def test_sigterm_mid_broadcast_records_what_went_and_the_restart_sends_the_rest_once(
    tmp_path,
):
    url = f"sqlite:///{tmp_path / 'broadcast.db'}"
    chats = await broadcast_database(url, 300, "telegram")
    fake = await FakeTelegram(send_delay=0.02).serve()
    config = f'[telegram]\napi_base_url = "{fake.base_url}"\n'
    env = {"PLENARY_TELEGRAM_TOKEN": fake.token}
    try:
        async with plenary_run(tmp_path / "first", config, env, url) as first:
            await fake.wait_for(60, timeout=60)
        assert first.process.returncode == 0, first.stderr
        assert "Traceback" not in first.stderr
        took = {str(call.params["chat_id"]) for call in fake.sent()}
        recorded, state = await sent_rows(url)
        assert recorded == took, "what Telegram took is recorded; nothing else is"
        assert DeliveryStatus.SENDING not in state, "no claim left to run out"
        assert 60 <= len(took) < 300
        async with plenary_run(tmp_path / "second", config, env, url) as second:
            # Within a lease: the first process handed its unsent claims back at once.
            await fake.wait_for(300, timeout=25)
        assert second.process.returncode == 0, second.stderr
    finally:
        await fake.close()
    sent = sorted(call.params["chat_id"] for call in fake.sent())
    assert sent == sorted(chats), "nobody missed, nobody twice"


def run_chat(database: str, stdin: str, cwd, pipe_to: str = "") -> subprocess.CompletedProcess:
    command = " ".join([*PLENARY, "chat", "--db", database, "--as-of", "2016-01-15T12:00-05:00"])
    return subprocess.run(
        ["bash", "-c", f"{command} 2>stderr.txt{pipe_to}"],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


async def test_a_piped_chat_ending_mid_dispatch_exits_cleanly_and_sends_nothing_twice(tmp_path):
    url = f"sqlite:///{tmp_path / 'chat.db'}"
    await broadcast_database(url, 2000, "console")
    result = await asyncio.to_thread(run_chat, url, "/next\n", tmp_path)
    stderr = (tmp_path / "stderr.txt").read_text()
    assert result.returncode == 0 and "Traceback" not in stderr, stderr
    assert "Wednesday 3 February 2016" in result.stdout
    printed = result.stdout.count("The IGN meets on 3 February.")
    recorded, state = await sent_rows(url)
    assert DeliveryStatus.SENDING not in state
    assert printed == len(recorded), "every announcement printed is recorded, and only those"
    assert printed < 2000, "the chat ended while the broadcast was being sent"


async def test_a_chat_whose_reader_goes_away_ends_quietly(tmp_path):
    url = f"sqlite:///{tmp_path / 'chat.db'}"
    await migrated_demo(url)
    questions = "/positions veto\n" * 300  # far more than a pipe holds
    result = await asyncio.to_thread(run_chat, url, questions, tmp_path, " | head -n 3")
    stderr = (tmp_path / "stderr.txt").read_text()
    assert len(result.stdout.splitlines()) == 3
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr


async def test_ctrl_c_in_the_chat_says_nothing_on_its_way_out(tmp_path):
    url = f"sqlite:///{tmp_path / 'chat.db'}"
    await migrated_demo(url)
    process = await asyncio.create_subprocess_exec(
        *PLENARY,
        "chat",
        "--db",
        url,
        "--as-of",
        "2016-01-15T12:00-05:00",
        "--wait",
        "60",
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    process.stdin.write(b"/next\n")
    process.stdin.close()
    while b"Wednesday 3 February 2016" not in await process.stdout.readline():
        pass
    process.send_signal(signal.SIGINT)  # waiting for reminders, the reader presses Ctrl-C
    _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 130
    assert b"Traceback" not in stderr, stderr.decode()
