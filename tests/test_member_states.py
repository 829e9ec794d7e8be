"""Every UN Member State and observer State is known, by its UN short name and common aliases;
a name two States share offers a choice."""

from collections import Counter
from datetime import UTC, datetime
from functools import cache

import pytest
from sqlalchemy import func, select, update

from bot.core.names import NameIndex, tokens
from bot.runtime.process import prepare
from storage import meta
from storage.database import create_engine, session_factory
from storage.directory import DelegationName, IssueName, Names
from storage.files.programme_toml import read_programme
from storage.importer import DEMO_FILE, import_programme
from storage.member_states import ensure_member_states, reference_states
from storage.models import Delegation, DelegationKind, Membership, Position

DEMO = read_programme(DEMO_FILE)
EVERY_STATE = {DelegationKind.MEMBER_STATE: 193, DelegationKind.OBSERVER_STATE: 2}


@pytest.fixture
async def sessions(demo_url):
    engine = create_engine(demo_url)
    yield session_factory(engine)
    await engine.dispose()


async def kinds(sessions) -> Counter:
    async with sessions() as session:
        return Counter(await session.scalars(select(Delegation.kind)))


async def count(sessions, model) -> int:
    async with sessions() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def test_the_demo_database_knows_every_state_once(sessions):
    assert await kinds(sessions) == {**EVERY_STATE, DelegationKind.GROUP: 6}
    async with sessions() as session:
        names = list(await session.scalars(select(Delegation.name)))
    assert len(names) == len(set(names))


async def test_an_empty_database_gets_them_when_prepared(empty_url):
    engine = create_engine(empty_url)
    try:
        sessions = await prepare(engine)
        assert await kinds(sessions) == EVERY_STATE
        async with sessions() as session:
            assert await meta.revision(session) > 0  # caches of names see them
    finally:
        await engine.dispose()


async def test_loading_again_changes_nothing(sessions):
    async with sessions() as session:
        before = await meta.revision(session)
        assert await ensure_member_states(session) == 0
        await session.commit()
        assert await meta.revision(session) == before


async def test_names_are_brought_up_to_date_keeping_other_aliases(sessions):
    async with sessions() as session:
        await session.execute(
            update(Delegation)
            .where(Delegation.key == "t-rkiye")
            .values(name="Turkey", aliases=["Turkish Republic"])
        )
        await session.commit()
        before = await meta.revision(session)
    memberships, delegations = await count(sessions, Membership), await kinds(sessions)
    async with sessions() as session:
        assert await ensure_member_states(session) == 1
        await session.commit()
        assert await meta.revision(session) > before
        row = await session.scalar(select(Delegation).where(Delegation.key == "t-rkiye"))
    assert (row.name, row.aliases) == ("Türkiye", ["Turkish Republic", "Turkey", "Turkiye"])
    assert await count(sessions, Membership) == memberships
    assert await kinds(sessions) == delegations


async def test_a_state_kept_under_another_key_is_not_added_twice(sessions):
    async with sessions() as session:
        await session.execute(update(Delegation).where(Delegation.key == "brazil").values(key="br"))
        assert await ensure_member_states(session) == 0
        await session.commit()
    assert await kinds(sessions) == {**EVERY_STATE, DelegationKind.GROUP: 6}


async def test_the_demo_keeps_its_keys_memberships_and_positions(sessions):
    async with sessions() as session:
        rows = {d.key: d for d in await session.scalars(select(Delegation))}
        ufc = set(
            await session.scalars(
                select(Delegation.key)
                .join(Membership, Membership.member_id == Delegation.id)
                .where(Membership.group_id == rows["ufc"].id)
            )
        )
        assert await import_programme(session, DEMO, datetime(2016, 1, 1, tzinfo=UTC)) == []
    assert all(rows[spec.key].name == spec.name for spec in DEMO.delegations)
    assert {"t-rkiye", "republic-of-korea", "italy"} <= ufc
    assert await count(sessions, Position) == len(DEMO.positions)


@cache
def names() -> NameIndex:
    """The reference States with the demo's groups and key issues, as the chat knows them."""
    specs = [*reference_states().values(), *(d for d in DEMO.delegations if d.kind == "group")]
    return NameIndex(
        Names(
            issues=tuple(
                IssueName(-n, i.key, i.name, i.description, i.aliases)
                for n, i in enumerate(DEMO.key_issues, start=1)
            ),
            delegations=tuple(
                DelegationName(n, s.key, s.name, DelegationKind(s.kind), s.aliases, None)
                for n, s in enumerate(specs)
            ),
            members={},
        )
    )


def named(text: str) -> list[list[str]]:
    return [[d.name for d in found] for found in names().mentions(text).delegations]


@pytest.mark.parametrize(
    ("asked", "name"),
    [
        ("Turkey", "Türkiye"),
        ("South Korea", "Republic of Korea"),
        ("North Korea", "Democratic People's Republic of Korea"),
        ("Bolivia", "Bolivia (Plurinational State of)"),
        ("Ivory Coast", "Côte d'Ivoire"),
        ("UK", "United Kingdom of Great Britain and Northern Ireland"),
        ("the US", "United States of America"),
        ("Brazill", "Brazil"),
        ("Argentinia", "Argentina"),
        ("DR Congo", "Democratic Republic of the Congo"),
        ("Congo-Brazzaville", "Congo"),
        ("Republic of the Congo", "Congo"),
        ("Guinea Bissau", "Guinea-Bissau"),
        ("Guinea", "Guinea"),
        ("Vietnam", "Viet Nam"),
        ("Holland", "Netherlands (Kingdom of the)"),
        ("Swaziland", "Eswatini"),
        ("the Vatican", "Holy See"),
        ("Palestine", "State of Palestine"),
        ("the Group of Four", "G4"),
        ("Uniting for Consensus", "Uniting for Consensus (UfC)"),
    ],
)
def test_names_aliases_and_typos_resolve(asked, name):
    assert named(f"what does {asked} say on the veto?") == [[name]]


@pytest.mark.parametrize(
    ("asked", "choice"),
    [
        ("Congo", ["Congo", "Democratic Republic of the Congo"]),
        ("Korea", ["Democratic People's Republic of Korea", "Republic of Korea"]),
    ],
)
def test_a_name_two_states_share_offers_both(asked, choice):
    assert [sorted(found) for found in named(asked)] == [choice]


def test_only_congo_and_korea_name_two_delegations():
    holders: dict[str, set[str]] = {}
    for d in names().names.delegations:
        for alias in (d.key, d.name, *d.aliases):
            holders.setdefault(" ".join(tokens(alias)), set()).add(d.key)
    for issue in DEMO.key_issues:
        for alias in (issue.key, issue.name, *issue.aliases):
            holders.setdefault(" ".join(tokens(alias)), set()).add(issue.key)
    assert {alias for alias, keys in holders.items() if len(keys) > 1} == {"congo", "korea"}


def test_every_key_names_its_delegation_alone():
    """Buttons send keys: a key must never offer a choice."""
    for delegation in names().names.delegations:
        assert names().find(delegation.key) == [[delegation]], delegation.key


@pytest.mark.parametrize(
    ("question", "buttons"),
    [
        (
            "/position Congo",
            ["/position republic-of-the-congo", "/position democratic-republic-of-the-congo"],
        ),
        (
            "what does Korea say on the veto?",
            ["/position republic-of-korea", "/position democratic-people-s-republic-of-korea"],
        ),
    ],
)
async def test_the_chat_asks_which_one_and_each_button_answers(plenary, question, buttons):
    answer = await plenary.ask(question)
    assert "Which one do you mean?" in answer
    assert all(button in answer for button in buttons)
    for button in buttons:
        assert "Which one" not in await plenary.ask(button)
