"""`plenary announce` and `plenary deliveries` as an operator runs them: preview, question,
what is stored (and what is not), and one broadcast sent by a running service."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.database import create_engine, session_factory
from storage.models import Account, Announcement, AuditEntry, Delivery, DeliveryStatus
from testkit.bulk import add_people
from testkit.fakes.telegram_api import FakeTelegram
from testkit.service import PLENARY, ROOT, plenary_run
from tests.conftest import DEMO_NOW
from tests.test_cli import plenary

SQLITE_ONLY = True  # the command line over the storage the other tests cover on PostgreSQL
LETTER = "The IGN meets on 3 February.\n\nBring the <b>framework</b> & notes.\n"


@contextlib.asynccontextmanager
async def session_on(url: str) -> AsyncIterator[AsyncSession]:
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session:
            yield session
    finally:
        await engine.dispose()


async def add_readers(url: str, platforms: dict[str, int]) -> None:
    async with session_on(url) as session:
        for platform, number in platforms.items():
            await add_people(session, number, DEMO_NOW, platform)
        await session.commit()


async def count(url: str, model, *where) -> int:
    async with session_on(url) as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
async def demo(demo_url: str) -> str:
    """A demo database with three people on Telegram and two on Slack."""
    await add_readers(demo_url, {"telegram": 3, "slack": 2})
    return demo_url


@pytest.fixture
def letter(tmp_path: Path) -> Path:
    path = tmp_path / "letter.md"
    path.write_text(LETTER, encoding="utf-8")
    return path


def announce(demo: str, tmp_path: Path, *args: str, stdin: str = ""):
    return plenary("announce", *args, "--db", demo, cwd=tmp_path, stdin=stdin)


async def test_yes_stores_the_announcement_and_its_deliveries(demo, tmp_path, letter):
    done = announce(
        demo, tmp_path, "--audience", "all", "--file", "letter.md", "--yes", "--wait", "0"
    )
    assert done.returncode == 1, "nothing could be sent: no service is running"
    out = done.stdout
    assert "Announcement from the Chair's office" in out
    assert "The IGN meets on 3 February.\n\nBring the <b>framework</b> & notes." in out
    assert "Audience: everyone: 5 people (Slack 2, Telegram 3)" in out
    assert "Sending: now, on confirmation" in out
    assert "Send to" not in out, "--yes asks nothing"
    assert "Announcement #1 confirmed: 5 deliveries" in out
    assert "[------------------------------] 0/5 settled (0%)" in out
    assert "Nothing was sent in 0 s: no service (plenary run) seems to be sending" in out
    assert "Telegram: 3 still to send" in out
    assert await count(demo, Delivery, Delivery.status == DeliveryStatus.PENDING) == 5
    assert await count(demo, Announcement, Announcement.platform == "cli") == 1
    assert await count(demo, AuditEntry, AuditEntry.platform == "cli") == 1
    listed = plenary("deliveries", "1", "--db", demo, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "Announcement #1: confirmed, to everyone" in listed.stdout
    assert "Sending: Friday 15 January 2016, 12:00 New York time" in listed.stdout  # demo clock
    lines = [line for line in listed.stdout.splitlines() if line.startswith("announcement")]
    assert len(lines) == 5
    assert lines[0].split() == ["announcement", "telegram", "person", "0", "(1)", "pending", "-"]


async def test_answering_no_stores_nothing(demo, tmp_path, letter):
    refused = announce(demo, tmp_path, "--audience", "all", "--file", "letter.md", stdin="n\n")
    assert refused.returncode == 1
    assert "Send to 5 people? [y/N] Nothing was sent." in refused.stdout
    assert await count(demo, Announcement) == await count(demo, Delivery) == 0


async def test_an_audience_gone_before_the_answer_stores_nothing(demo, tmp_path, letter):
    command = await asyncio.create_subprocess_exec(
        *PLENARY,
        *("announce", "--audience", "all", "--file", "letter.md", "--db", demo),
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT)},
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    shown = b""
    while b"[y/N]" not in shown:
        chunk = await asyncio.wait_for(command.stdout.read(200), 60)
        assert chunk, f"the command ended before asking: {shown.decode()}"
        shown += chunk
    assert b"Send to 5 people?" in shown
    async with session_on(demo) as session:  # everyone blocks Plenary meanwhile
        await session.execute(update(Account).values(active=False))
        await session.commit()
    out, _ = await asyncio.wait_for(command.communicate(b"y\n"), 60)
    assert command.returncode == 1
    assert "no longer reaches anybody: nothing was stored or sent" in out.decode()
    assert await count(demo, Announcement) == await count(demo, AuditEntry) == 0


async def test_a_scheduled_announcement_with_an_attachment(demo, tmp_path, letter):
    (tmp_path / "programme.pdf").write_bytes(b"%PDF-1.4 programme")
    done = announce(
        demo,
        tmp_path,
        *("--audience", "group:G4", "--file", "letter.md", "--attach", "programme.pdf"),
        *("--at", "2016-01-16T09:00-05:00"),
        stdin="yes\n",
    )
    assert done.returncode == 1 and "G4: 0 people" in done.stdout, "G4 reaches nobody yet"
    done = announce(
        demo,
        tmp_path,
        *("--audience", "all", "--file", "letter.md", "--attach", "programme.pdf"),
        *("--at", "2016-01-16T09:00-05:00"),
        stdin="yes\n",
    )
    assert done.returncode == 0, done.stderr
    assert "Attachment: programme.pdf (application/pdf, 18 bytes)" in done.stdout
    assert "Sending: Saturday 16 January 2016, 09:00 New York time" in done.stdout
    assert "Scheduled for Saturday 16 January 2016, 09:00 New York time;" in done.stdout
    async with session_on(demo) as session:
        stored = await session.scalar(select(Announcement))
    assert (stored.attachment_name, stored.attachment_type) == ("programme.pdf", "application/pdf")
    assert stored.attachment == b"%PDF-1.4 programme" and stored.author_id is None


@pytest.mark.parametrize(
    ("args", "content", "message"),
    [
        (["--audience", "group:Atlantis"], LETTER, "no single group is called 'Atlantis'"),
        (["--audience", "everybody"], LETTER, "say all, delegates, group:NAME"),
        (["--audience", "issue:bananas"], LETTER, "no single issue is called 'bananas'"),
        (["--audience", "all"], "  \n\n", "letter.md is empty: there is nothing to announce"),
        (["--audience", "all"], "x" * 3501, "3,501 characters long and one message holds 3,500"),
        (["--audience", "all", "--attach", "missing.pdf"], LETTER, "missing.pdf: cannot read"),
        (["--audience", "all", "--at", "2015-12-01T09:00-05:00"], LETTER, "is not a time to come"),
    ],
    ids=["group", "audience", "issue", "empty", "long", "attachment", "past"],
)
async def test_bad_input_exits_2_and_stores_nothing(demo, tmp_path, args, content, message):
    (tmp_path / "letter.md").write_text(content, encoding="utf-8")
    failed = announce(demo, tmp_path, *args, "--file", "letter.md", "--yes")
    assert failed.returncode == 2
    assert message in failed.stderr and "Traceback" not in failed.stderr
    assert await count(demo, Announcement) == 0


async def test_missing_files_and_unknown_announcements_exit_2(demo, tmp_path):
    missing = announce(demo, tmp_path, "--audience", "all", "--file", "nope.md", "--yes")
    assert missing.returncode == 2
    assert "nope.md: cannot read the file (No such file or directory)" in missing.stderr
    (tmp_path / "huge.bin").open("wb").truncate(20 * 1024 * 1024 + 1)
    (tmp_path / "letter.md").write_text(LETTER)
    huge = announce(
        demo, tmp_path, "--audience", "all", "--file", "letter.md", "--attach", "huge.bin"
    )
    assert huge.returncode == 2 and "huge.bin: larger than 20 MB" in huge.stderr
    unknown = plenary("deliveries", "7", "--db", demo, cwd=tmp_path)
    assert unknown.returncode == 2 and "there is no announcement #7" in unknown.stderr
    assert await count(demo, Announcement) == 0


async def test_a_running_service_sends_what_the_command_line_queued(tmp_path):
    fake = await FakeTelegram().serve()
    url = f"sqlite:///{tmp_path / 'service' / 'run.db'}"
    config = f'[telegram]\napi_base_url = "{fake.base_url}"\n'
    try:
        async with plenary_run(
            tmp_path / "service", config, {"PLENARY_TELEGRAM_TOKEN": fake.token}
        ):
            await fake.wait_for(1, "setMyCommands", timeout=30)
            await add_readers(url, {"telegram": 4})
            (tmp_path / "letter.md").write_text(LETTER)
            command = await asyncio.create_subprocess_exec(
                *PLENARY,
                *("announce", "--yes", "--audience", "all", "--file", "letter.md"),
                *("--db", url, "--wait", "20"),
                cwd=tmp_path,
                env={"PYTHONPATH": str(ROOT)},
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            assert command.stdout is not None
            while b"confirmed" not in (line := await command.stdout.readline()):
                assert line, (await command.stderr.read()).decode()
            # Another process queued them: the service finds them at its next tick (5 s).
            rest, errors = await asyncio.wait_for(command.communicate(), 30)
            assert command.returncode == 0, errors.decode()
    finally:
        await fake.close()
    out = rest.decode()
    assert "[##############################] 4/4 settled (100%)" in out
    assert "Delivery report: announcement #1" in out and "Telegram: 4 delivered" in out
    assert "Still" not in out
    readers = await telegram_chats(url)
    sent = [c for c in fake.sent() if c.params["chat_id"] in readers]
    assert sorted(c.params["chat_id"] for c in sent) == sorted(readers), "each reader once"
    assert all("Bring the &lt;b&gt;framework&lt;/b&gt;" in c.params["text"] for c in sent)


async def telegram_chats(url: str) -> list[int]:
    """The chats of the people added to the service's database."""
    async with session_on(url) as session:
        chats = await session.scalars(select(Account.chat_id).where(Account.platform == "telegram"))
        return [int(chat) for chat in chats]
