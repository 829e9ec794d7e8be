"""Load, sized for CI (`make bench` runs 1,000 users and 20,000 messages): users send
messages through the webhooks of two processes on one PostgreSQL; every one is answered."""

from testkit.load import run


async def test_two_processes_answer_every_message(pg_cluster, pg_template, tmp_path):
    url = await pg_cluster.create_database("load", pg_template)
    result = await run(users=50, messages=300, processes=2, database=url, folder=tmp_path)
    assert result.sent == 300 and result.errors == 0
    assert len(result.latencies) == 300
    assert all(p["cpu_seconds"] > 0 for p in result.processes), "both processes answered"
