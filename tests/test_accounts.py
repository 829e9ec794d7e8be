"""Linking accounts across platforms: one person, reached once."""

import re
from datetime import timedelta

from sqlalchemy import func, select

from bot.core.messages import Incoming
from bot.render.plain import render_plain
from storage.models import Account, OneTimeCode, Person

CODE = re.compile(r"[A-Z2-9]{4}-[A-Z2-9]{4}")


async def on(plenary, platform: str, user: str, text: str) -> str:
    reply = await plenary.core.answer(Incoming(platform, user, text, chat_id=user))
    return render_plain(reply)


async def count(plenary, model) -> int:
    async with plenary.sessions() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def accounts_per_person(plenary) -> list[int]:
    async with plenary.sessions() as session:
        rows = await session.scalars(
            select(func.count()).select_from(Account).group_by(Account.person_id)
        )
        return sorted(rows)


async def test_link_telegram_and_slack_into_one_person(plenary):
    await on(plenary, "telegram", "501", "/timezone Europe/Paris")
    offer = await on(plenary, "telegram", "501", "/link")
    code = CODE.search(offer).group()
    assert "Within 10 minutes" in offer
    linked = await on(plenary, "slack", "U1", f"/link {code}")
    assert "Linked: Telegram, Slack are now one person." in linked
    assert "reach you once, on Slack" in linked
    assert await count(plenary, Person) == 1 and await count(plenary, Account) == 2
    # the Slack account now shares the Telegram account's settings
    assert "Time zone: Europe/Paris" in await on(plenary, "slack", "U1", "/settings")
    assert "reach you on Telegram" in await on(plenary, "slack", "U1", "/link prefer telegram")
    async with plenary.sessions() as session:
        person = await session.scalar(select(Person))
        code_row = await session.scalar(select(OneTimeCode))
    assert person.preferred_platform == "telegram"
    assert code.replace("-", "") not in code_row.code_hash  # only the hash is stored


async def test_a_code_works_once(plenary):
    code = CODE.search(await on(plenary, "telegram", "501", "/link")).group()
    await on(plenary, "slack", "U1", f"/link {code}")
    assert "already been used" in await on(plenary, "console", "me", f"/link {code}")
    assert await accounts_per_person(plenary) == [1, 2], "the terminal user stays apart"


async def test_an_expired_or_unknown_code_changes_nothing(plenary):
    code = CODE.search(await on(plenary, "telegram", "501", "/link")).group()
    plenary.clock.advance(timedelta(minutes=11))
    assert "has expired" in await on(plenary, "slack", "U1", f"/link {code}")
    assert "not a linking code I know" in await on(plenary, "slack", "U1", "/link ABCD-EFGH")
    assert await accounts_per_person(plenary) == [1, 1], "nobody was linked"


async def test_a_code_sent_back_to_its_own_platform(plenary):
    code = CODE.search(await on(plenary, "telegram", "501", "/link")).group()
    assert "from your other platform" in await on(plenary, "telegram", "501", f"/link {code}")


async def test_prefer_only_a_linked_platform(plenary):
    await on(plenary, "telegram", "501", "/link")
    answer = await on(plenary, "telegram", "501", "/link prefer slack")
    assert "Choose one of your linked platforms: telegram." in answer
