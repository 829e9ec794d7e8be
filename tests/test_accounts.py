"""Linking accounts across platforms: one person, reached once."""

import asyncio
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.core.messages import Incoming
from bot.render.plain import render_plain
from storage.models import Account, AuditEntry, OneTimeCode, Person, Role
from tests.test_roles import invitation

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


async def roles_of(plenary) -> dict[tuple[str, str], str]:
    async with plenary.sessions() as session:
        rows = await session.execute(
            select(Account.platform, Account.external_id, Person.role).join(
                Person, Person.id == Account.person_id
            )
        )
        return {(platform, user): role.value for platform, user, role in rows}


async def link_entries(plenary) -> list[AuditEntry]:
    async with plenary.sessions() as session:
        return list(
            await session.scalars(
                select(AuditEntry).where(AuditEntry.action == "link").order_by(AuditEntry.id)
            )
        )


async def test_a_delegate_cannot_become_chairs_office_by_linking(plenary):
    """Issue 15, item 1: a delegate's code redeemed by a Chair's account (either way round)."""
    chair_code = await invitation(plenary, Role.CHAIR)
    await on(plenary, "slack", "UCHAIR", f"/register {chair_code}")
    delegate_code = CODE.search(await on(plenary, "telegram", "501", "/link")).group()
    answer = await on(plenary, "slack", "UCHAIR", f"/link {delegate_code}")
    assert "different roles" in answer and "Linked" not in answer
    chair_offer = CODE.search(await on(plenary, "slack", "UCHAIR", "/link")).group()
    answer = await on(plenary, "telegram", "501", f"/link {chair_offer}")
    assert "different roles" in answer and "Linked" not in answer
    assert "is not available to you" in await on(plenary, "telegram", "501", "/roles")
    assert await roles_of(plenary) == {
        ("slack", "UCHAIR"): "chair",
        ("telegram", "501"): "delegate",
    }
    refused = await link_entries(plenary)
    assert [(e.platform, e.allowed) for e in refused] == [("slack", False), ("telegram", False)]


async def test_two_accounts_of_one_platform_are_never_linked(plenary):
    """Issue 15, item 1 worked between two Telegram accounts."""
    code = CODE.search(await on(plenary, "telegram", "501", "/link")).group()
    answer = await on(plenary, "telegram", "777", f"/link {code}")
    assert "Both accounts are on Telegram" in answer and "Linked" not in answer
    assert await count(plenary, Person) == 2
    (entry,) = await link_entries(plenary)
    assert entry.allowed is False and entry.user_id == "777"


async def test_focal_points_of_different_delegations_are_not_linked(plenary):
    brazil = await invitation(plenary, Role.FOCAL_POINT, "Brazil")
    italy = await invitation(plenary, Role.FOCAL_POINT, "Italy")
    await on(plenary, "telegram", "501", f"/register {brazil}")
    await on(plenary, "slack", "U1", f"/register {italy}")
    code = CODE.search(await on(plenary, "telegram", "501", "/link")).group()
    assert "different roles" in await on(plenary, "slack", "U1", f"/link {code}")
    assert await count(plenary, Person) == 2


async def test_a_link_is_audited_and_keeps_the_shared_role(plenary):
    brazil = await invitation(plenary, Role.FOCAL_POINT, "Brazil")
    await on(plenary, "telegram", "501", f"/register {brazil}")
    again = await invitation(plenary, Role.FOCAL_POINT, "Brazil")
    await on(plenary, "slack", "U1", f"/register {again}")
    code = CODE.search(await on(plenary, "telegram", "501", "/link")).group()
    assert "Linked: Telegram, Slack are now one person." in await on(
        plenary, "slack", "U1", f"/link {code}"
    )
    assert await roles_of(plenary) == {
        ("telegram", "501"): "focal_point",
        ("slack", "U1"): "focal_point",
    }
    (entry,) = await link_entries(plenary)
    assert entry.allowed and (entry.platform, entry.user_id) == ("slack", "U1")
    assert entry.after == {"accounts": ["telegram:501", "slack:U1"]}


def test_merging_two_roles_is_refused_by_storage_itself():
    from storage.people import DifferentRoles, merge_into

    delegate = Person(id=1, role=Role.DELEGATE, delegation_id=None)
    chair = Person(id=2, role=Role.CHAIR, delegation_id=None)
    with pytest.raises(DifferentRoles):
        asyncio.run(merge_into(None, delegate, chair))
