"""Several processes on one PostgreSQL behave as one: Telegram long polling is done by one
process at a time, and another takes over when it dies."""

import asyncio
import re
import signal

import httpx

from testkit.fakes.telegram_api import FakeTelegram, private_message
from testkit.service import plenary_run

LEADING = re.compile(r'^plenary_leader\{lock="telegram-polling"\} (\S+)$', re.M)


async def leading(url: str) -> bool:
    async with httpx.AsyncClient() as client:
        found = LEADING.search((await client.get(f"{url}/metrics")).text)
    return found is not None and float(found.group(1)) == 1


async def wait_until(condition, timeout: float = 20) -> None:
    for _ in range(int(timeout / 0.1)):
        if await condition():
            return
        await asyncio.sleep(0.1)
    raise AssertionError("timed out")


async def test_one_process_polls_and_another_takes_over_when_it_dies(
    pg_cluster, pg_template, tmp_path
):
    url = await pg_cluster.create_database("two_pollers", pg_template)
    fake = await FakeTelegram().serve()
    config = f'[telegram]\napi_base_url = "{fake.base_url}"\n'
    env = {"PLENARY_TELEGRAM_TOKEN": fake.token}
    try:
        async with (
            plenary_run(tmp_path / "a", config, env, url) as first,
            plenary_run(tmp_path / "b", config, env, url) as second,
        ):
            await wait_until(lambda: leading(first.url))
            await asyncio.sleep(2.5)  # the second tries the lock at least once meanwhile
            assert not await leading(second.url)
            first.process.send_signal(signal.SIGKILL)
            await first.process.wait()
            await wait_until(lambda: leading(second.url))
            fake.push(private_message("/next"))
            (answer,) = await fake.wait_for(1, timeout=20)
            assert "Wednesday 3 February 2016" in answer.params["text"]
    finally:
        await fake.close()
    assert second.process.returncode == 0, second.stderr
