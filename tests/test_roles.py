"""Roles: invitations redeemed once before they expire, the Chair's office's commands, audit."""

import asyncio
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.core.commands import COMMANDS
from bot.core.messages import Incoming
from bot.render.plain import render_plain
from bot.transports.slack.receiving import as_command
from handlers.roles import CHAIR_ONLY
from storage import roles
from storage.models import AuditEntry, Person, Role
from testkit.fakes.telegram_api import FakeTelegram
from testkit.service import PLENARY, ROOT
from tests.test_cli import plenary as cli

CODE = re.compile(r"[A-Z2-9]{4}-[A-Z2-9]{4}")


async def on(plenary, platform: str, user: str, text: str) -> str:
    return render_plain(await plenary.core.answer(Incoming(platform, user, text, chat_id=user)))


async def invitation(plenary, role: Role, delegation: str | None = None) -> str:
    async with plenary.sessions() as session:
        delegation_id = None
        if delegation:
            names = (await plenary.core.snapshot(session)).names
            delegation_id = names.mentions(delegation).delegations[0][0].id
        code = await roles.invite(
            session, role, delegation_id, plenary.clock.now(), timedelta(days=7)
        )
        await session.commit()
    return code


async def test_a_chair_registers_then_invites_lists_and_audits(plenary):
    code = await invitation(plenary, Role.CHAIR)
    assert "Welcome: you are now Chair's office." in await on(
        plenary, "console", "sylvie", f"/register {code}"
    )
    answer = await on(plenary, "console", "sylvie", "/invite focal-point Brazil")
    focal_code = CODE.search(answer).group()
    assert "On Telegram: /start " + focal_code in answer
    welcome = await on(plenary, "telegram", "501", f"/start {focal_code}")
    assert "you are now focal point" in welcome and "You act for Brazil." in welcome
    listed = await on(plenary, "console", "sylvie", "/roles")
    assert "Chair's office" in listed and "focal point (Brazil) · telegram" in listed
    log = await on(plenary, "console", "sylvie", "/audit")
    # Names, roles and platforms, never None (issue 18, item 8).
    assert "(#1, chair, terminal sylvie): register person 1 (delegate → chair)" in log
    assert (
        "(#2, focal point, Telegram 501): register person 2 (delegate → focal point for Brazil)"
        in log
    )
    assert "(#1, chair, terminal sylvie): invite focal_point (delegation: Brazil)" in log
    assert "None" not in log and "#-" not in log


@pytest.mark.parametrize("command", ["/roles", "/audit", "/invite chair"])
async def test_the_chairs_commands_are_refused_to_others_and_audited(plenary, command):
    focal = await invitation(plenary, Role.FOCAL_POINT, "G4")
    await on(plenary, "telegram", "501", f"/register {focal}")
    for platform, user in (("console", "someone"), ("telegram", "501")):
        assert "is not available to you" in await on(plenary, platform, user, command)
    chair = await invitation(plenary, Role.CHAIR)
    await on(plenary, "console", "sylvie", f"/register {chair}")
    log = await on(plenary, "console", "sylvie", "/audit refusals")
    assert log.count(f"{command.split()[0][1:]}") >= 2 and "(refused)" in log


async def test_an_invitation_works_once_and_expires(plenary):
    code = await invitation(plenary, Role.CHAIR)
    await on(plenary, "console", "a", f"/register {code}")
    assert "already been used" in await on(plenary, "console", "b", f"/register {code}")
    late = await invitation(plenary, Role.CHAIR)
    plenary.clock.advance(timedelta(days=8))
    assert "has expired" in await on(plenary, "console", "c", f"/register {late}")
    assert "not an invitation code I know" in await on(
        plenary, "console", "d", "/register ABCD-EFGH"
    )
    assert "is not available to you" in await on(plenary, "console", "b", "/roles")


def test_the_command_line_invites_lists_revokes_and_audits(tmp_path):
    db = ["--db", f"sqlite:///{tmp_path / 'roles.db'}"]
    assert cli("chat", "--demo", *db, cwd=tmp_path, stdin="").returncode == 0
    invited = cli("invite", "--role", "focal-point", "--group", "G4", *db, cwd=tmp_path)
    assert invited.returncode == 0, invited.stderr
    code = CODE.search(invited.stdout).group()
    assert f"https://t.me/<your bot>?start={code}" in invited.stdout
    assert f"/plenary register {code}" in invited.stdout
    registered = cli("chat", *db, cwd=tmp_path, stdin=f"/register {code}\n")
    assert "You act for G4." in registered.stdout
    listed = cli("roles", *db, cwd=tmp_path).stdout
    person = re.search(r"#(\d+) .* focal_point for G4", listed).group(1)
    assert "Person #" in cli("revoke", person, *db, cwd=tmp_path).stdout
    assert "Nobody holds a role yet" in cli("roles", *db, cwd=tmp_path).stdout
    log = cli("audit", *db, cwd=tmp_path).stdout
    assert re.search(
        r"operator \S+ at the command line: invite focal_point  \(delegation: G4\)", log
    )
    assert re.search(r"command line: revoke person \d+  \(focal point for G4 → delegate\)", log)
    assert "register" in log and "None" not in log
    # The command line dates its entries by the programme's clock, as the chat does.
    assert set(re.findall(r"^(\S+) ", log, re.M)) == {"2016-01-15"}, log
    cli("chat", *db, cwd=tmp_path, stdin="/roles\n")
    refusals = cli("audit", "--refusals", *db, cwd=tmp_path).stdout
    assert "roles" in refusals and "REFUSED" in refusals and "invite" not in refusals
    writes = cli("audit", "--writes", *db, cwd=tmp_path).stdout
    assert "invite" in writes and "REFUSED" not in writes
    wrong = cli("invite", "--role", "focal-point", "--delegation", "Atlantis", *db, cwd=tmp_path)
    assert wrong.returncode == 2 and "no single State is called 'Atlantis'" in wrong.stderr


CHAIRS_COMMANDS = sorted(c.name for c in COMMANDS.values() if c.roles == CHAIR_ONLY)


@pytest.mark.parametrize("name", CHAIRS_COMMANDS)
async def test_every_chair_command_is_refused_to_delegates_and_focal_points(plenary, name):
    focal = await invitation(plenary, Role.FOCAL_POINT, "Brazil")
    await on(plenary, "console", "fp", f"/register {focal}")
    for user in ("delegate", "fp"):
        assert f"/{name} is not available to you" in await on(
            plenary, "console", user, f"/{name} x"
        )
    async with plenary.sessions() as session:
        refusals = await session.scalars(select(AuditEntry).where(AuditEntry.allowed.is_(False)))
        assert [entry.action for entry in refusals] == [name, name]


def test_the_chairs_office_has_its_commands():
    assert {"announce", "correct", "letter", "addmeeting", "cancelmeeting", "invite"} <= set(
        CHAIRS_COMMANDS
    )


async def test_an_invitation_links_to_the_configured_telegram_bot(tmp_path):
    fake = await FakeTelegram().serve()
    try:
        config = tmp_path / "config.toml"
        config.write_text(
            f'[database]\nurl = "sqlite:///{tmp_path / "roles.db"}"\n'
            f'[telegram]\napi_base_url = "{fake.base_url}"\n'
        )
        process = await asyncio.create_subprocess_exec(
            *PLENARY,
            "invite",
            "--role",
            "chair",
            "--config",
            str(config),
            cwd=tmp_path,
            env={"PYTHONPATH": str(ROOT), "PLENARY_TELEGRAM_TOKEN": fake.token},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), 60)
    finally:
        await fake.close()
    assert process.returncode == 0, err.decode()
    code = CODE.search(out.decode()).group()
    assert f"https://t.me/PlenaryBot?start={code}" in out.decode()
    assert fake.token not in out.decode() + err.decode()


async def test_a_code_that_would_replace_a_role_asks_first(plenary):
    """Issue 18, item 8: a Chair's account that sent a focal point's code became a focal
    point without a question, and lost the Chair's office."""
    chair = await invitation(plenary, Role.CHAIR)
    await on(plenary, "console", "sylvie", f"/register {chair}")
    focal = await invitation(plenary, Role.FOCAL_POINT, "Brazil")
    incoming = Incoming("console", "sylvie", f"/register {focal}", chat_id="sylvie")
    asked = await plenary.core.answer(incoming)
    assert (
        "You are Chair's office. This code makes you focal point for Brazil instead" in asked.text
    )
    assert "Chair's office" in await on(plenary, "console", "sylvie", "/roles"), "still the Chair"
    labels = {b.label: b.command for row in asked.buttons for b in row}
    assert "Welcome: you are now focal point." in await on(
        plenary, "console", "sylvie", labels["Take up the new role"]
    )
    async with plenary.sessions() as session:
        person = await session.scalar(select(Person).where(Person.id == 1))
    assert person.role == Role.FOCAL_POINT
    again = await on(plenary, "console", "sylvie", labels["Take up the new role"])
    assert "Welcome" not in again, "pressed twice, acted once"


async def test_a_refusal_names_an_actor_never_stored(plenary):
    """Issue 15, item 5: refusals from people not yet stored were recorded as `#-`."""
    assert "is not available to you" in await on(plenary, "telegram", "90210", "/roles")
    chair = await invitation(plenary, Role.CHAIR)
    await on(plenary, "console", "sylvie", f"/register {chair}")
    refusals = await on(plenary, "console", "sylvie", "/audit refusals")
    assert "(#1, delegate, Telegram 90210): roles (refused)" in refusals
    async with plenary.sessions() as session:
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.allowed.is_(False)))
    assert (entry.platform, entry.user_id) == ("telegram", "90210")


async def test_refusals_cannot_push_writes_out_of_the_audit(plenary):
    """Issue 15, item 5: anyone could push real entries out of /audit's last 20."""
    chair = await invitation(plenary, Role.CHAIR)
    await on(plenary, "console", "sylvie", f"/register {chair}")
    await on(plenary, "console", "sylvie", "/invite focal-point Brazil")
    for n in range(25):
        await on(plenary, "telegram", str(1000 + n), "/roles")
    log = await on(plenary, "console", "sylvie", "/audit")
    assert "terminal sylvie): invite focal_point" in log and "(refused)" not in log
    assert "25 refusals in the last 24 hours: /audit refusals" in log
    refusals = await on(plenary, "console", "sylvie", "/audit refusals")
    assert refusals.count("(refused)") == 20 and "invite" not in refusals
    both = await on(plenary, "console", "sylvie", "/audit all")
    assert "(refused)" in both and "invite" not in both  # the 20 newest: all refusals


@pytest.mark.parametrize("platform", ["telegram", "slack"])
async def test_an_invitation_opened_twice_is_never_answered_from_the_cache(plenary, platform):
    """Issue 15, item 2: the second `/start CODE` within a minute was told "Welcome"."""
    code = await invitation(plenary, Role.CHAIR)
    text = f"/start {code}" if platform == "telegram" else as_command(f"start {code}")
    assert "Welcome: you are now Chair's office." in await on(plenary, platform, "1", text)
    assert "already been used" in await on(plenary, platform, "2", text)
    async with plenary.sessions() as session:
        entries = list(await session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert [(e.user_id, e.action, e.allowed) for e in entries] == [
        ("1", "register", True),
        ("2", "register", False),
    ]
