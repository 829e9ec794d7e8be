"""Focal points submit their delegation's positions (versions, preview, confirmation); anyone
reads the history with a diff, compares, and follows."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.core.messages import Incoming
from bot.runtime.dispatcher import Dispatcher
from storage.models import AuditEntry, PositionVersion, Role
from tests.recorder import Recorder
from tests.test_announcements import make_focal_point, says
from tests.test_roles import invitation

FIRST = "Brazil supports new permanent seats with the veto. [source: A/69/L.92]"
SECOND = "Brazil supports new permanent seats, without the veto for fifteen years."


async def versions(plenary) -> int:
    async with plenary.sessions() as session:
        return await session.scalar(select(func.count()).select_from(PositionVersion))


async def submit(plenary, text: str, user: str = "brazil") -> str:
    """Preview, then confirm as a terminal user types it."""
    assert "Preview:" in await says(plenary, user, f"/submit veto {text}")
    return await says(plenary, user, "/submit confirm")


def confirm_command(answer_buttons: list[list]) -> str:
    (command,) = [
        b.command for row in answer_buttons for b in row if b.command.startswith("/confirm ")
    ]
    return command


async def preview(plenary, user: str, text: str):
    incoming = Incoming("console", user, text, chat_id=user, direct_chat_id=user)
    return await plenary.core.answer(incoming)


async def test_a_focal_point_previews_then_submits_versions(plenary):
    await make_focal_point(plenary, "brazil", "Brazil")
    before = await versions(plenary)
    preview = await says(plenary, "brazil", f"/submit veto {FIRST}")
    assert "Preview: Brazil on the question of the veto" in preview
    assert "Source: A/69/L.92" in preview and await versions(plenary) == before
    assert "Cancelled: nothing was stored" in await says(plenary, "brazil", "/submit cancel")
    assert "Submitted: version 1 of Brazil" in await submit(plenary, FIRST)
    assert "Source:\nA/69/L.92" in await says(plenary, "delegate", "/position Brazil veto")
    assert "already your latest version" in await submit(plenary, FIRST)
    assert "Submitted: version 2 of Brazil" in await submit(plenary, SECOND)
    assert await versions(plenary) == before + 2
    history = await says(plenary, "delegate", "/history Brazil veto")
    assert "Version 1 · 15 January 2016 · A/69/L.92\n" in history, "each version's source"
    assert "Version 2 · 15 January 2016\n" in history, "no source, no name: nothing more"
    assert (
        "Brazil supports new permanent [−seats with] [+seats, without] the [−veto.] "
        "[+veto for fifteen years.]"
    ) in history
    shown = await says(plenary, "delegate", "/position Brazil veto")
    assert "without the veto for fifteen years" in shown and "version 2" in shown
    assert "Source:\nA/69/L.92" not in shown, "version 2 cites no source"
    plenary.at("2016-03-10T09:00:00-05:00")  # once the G4 has spoken on the veto (9 March)
    group = await says(plenary, "delegate", "/position G4 veto")
    assert "Members' own positions:" in group and "Brazil: Brazil supports" in group


async def test_nobody_writes_for_another_delegation(plenary):
    await make_focal_point(plenary, "brazil", "Brazil")
    refused = await says(plenary, "brazil", "/submit Italy veto Italy says no.")
    assert "You act for Brazil: you cannot submit for Italy." in refused
    assert "is not available to you" in await says(plenary, "delegate", "/submit veto Hello")
    async with plenary.sessions() as session:
        refusals = await session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.allowed.is_(False))
        )
    assert refusals == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/submit", "Which key issue is your position on?"),
        ("/submit veto", "Send the text of your position"),
        ("/submit atlantis Some text", "Start with the key issue"),
        ("/submit veto " + "x" * 4001, "4,001 characters long; the limit is 4,000"),
        ("/submit confirm", "No preview is waiting"),
        ("/submit veto for Italy: Italy says no.", "you cannot submit for Italy"),
    ],
)
async def test_bad_submissions_store_nothing(plenary, text, expected):
    await make_focal_point(plenary, "brazil", "Brazil")
    before = await versions(plenary)
    assert expected in await says(plenary, "brazil", text)
    assert await versions(plenary) == before


async def test_markup_is_stored_as_text(plenary):
    await make_focal_point(plenary, "brazil", "Brazil")
    await submit(plenary, "<b>veto</b> & size @channel")
    assert "<b>veto</b> & size @channel" in await says(plenary, "delegate", "/position Brazil veto")


async def test_followers_are_told_once(plenary):
    recorder = Recorder()
    dispatcher = Dispatcher(plenary.core, {"console": recorder})
    await make_focal_point(plenary, "brazil", "Brazil")
    assert "You now follow Brazil" in await says(plenary, "delegate", "/follow Brazil")
    assert "You already follow Brazil" in await says(plenary, "delegate", "/follow brazil")
    assert "You now follow the question of the veto" in await says(
        plenary, "watcher", "/follow veto"
    )
    assert "2 followers told." in await submit(plenary, FIRST)
    await dispatcher.run_until_idle()
    await dispatcher.run_until_idle()
    for user in ("delegate", "watcher"):
        (notice,) = recorder.texts(user)
        assert notice.startswith("New position: Brazil on the question of the veto")
    assert recorder.texts("brazil") == [], "the author is not told of their own submission"
    assert "Brazil" in await says(plenary, "delegate", "/following")
    assert "1 follow removed." in await says(plenary, "delegate", "/unfollow Brazil")
    await submit(plenary, SECOND)
    await dispatcher.run_until_idle()
    assert len(recorder.texts("delegate")) == 1 and len(recorder.texts("watcher")) == 2


async def test_compare_two_delegations_on_an_issue(plenary):
    await make_focal_point(plenary, "brazil", "Brazil")
    await submit(plenary, FIRST)
    compared = await says(plenary, "delegate", "/compare Brazil and African Group on veto")
    assert "Brazil and African Group" in compared and "on the question of the veto" in compared
    assert "Brazil supports new permanent seats" in compared
    assert "all prerogatives including the veto" in compared
    assert "Compare whom?" in await says(plenary, "delegate", "/compare Brazil")


async def test_a_source_written_as_help_shows_it_is_kept_apart(plenary):
    await make_focal_point(plenary, "brazil", "Brazil")
    await submit(plenary, "Two permanent seats for Africa. [source: A/70/PV.45]")
    shown = await says(plenary, "delegate", "/position Brazil veto")
    assert "Two permanent seats for Africa." in shown and "Source:\nA/70/PV.45" in shown
    assert "africa. [" not in shown.lower() and "PV.45]" not in shown


async def test_a_confirm_pressed_twice_stores_once(plenary):
    await make_focal_point(plenary, "brazil", "Brazil")
    before = await versions(plenary)
    confirm = confirm_command((await preview(plenary, "brazil", f"/submit veto {SECOND}")).buttons)
    assert "Submitted: version 1" in await says(plenary, "brazil", confirm)
    assert "confirmed already" in await says(plenary, "brazil", confirm)
    assert await versions(plenary) == before + 1


async def test_another_focal_point_cannot_confirm_a_preview(plenary):
    """Italy's focal point pressing (or typing) the Confirm of Brazil's preview stores nothing."""
    await make_focal_point(plenary, "brazil", "Brazil")
    await make_focal_point(plenary, "italy", "Italy")
    before = await versions(plenary)
    confirm = confirm_command((await preview(plenary, "brazil", f"/submit veto {SECOND}")).buttons)
    refused = await says(plenary, "italy", confirm)
    assert "belongs to someone else" in refused and "Nothing was done." in refused
    assert "No preview is waiting" in await says(plenary, "italy", "/submit confirm")
    assert await versions(plenary) == before
    assert "Submitted: version 1 of Brazil" in await says(plenary, "brazil", confirm)


async def test_a_preview_confirmed_after_the_role_was_revoked_stores_nothing(plenary):
    await make_focal_point(plenary, "brazil", "Brazil")
    before = await versions(plenary)
    confirm = confirm_command((await preview(plenary, "brazil", f"/submit veto {SECOND}")).buttons)
    code = await invitation(plenary, Role.FOCAL_POINT, "Italy")
    asked = await preview(plenary, "brazil", f"/register {code}")
    assert "This code makes you focal point for Italy instead" in asked.text
    assert "now focal point" in await says(plenary, "brazil", confirm_command(asked.buttons))
    assert "no longer act for that delegation" in await says(plenary, "brazil", confirm)
    assert await versions(plenary) == before


async def test_a_late_confirmation_says_the_preview_expired(plenary):
    await make_focal_point(plenary, "brazil", "Brazil")
    before = await versions(plenary)
    confirm = confirm_command((await preview(plenary, "brazil", f"/submit veto {SECOND}")).buttons)
    plenary.clock.advance(timedelta(hours=25))
    assert "This preview expired" in await says(plenary, "brazil", confirm)
    assert await versions(plenary) == before


async def test_a_newer_preview_replaces_the_older_one(plenary):
    await make_focal_point(plenary, "brazil", "Brazil")
    first = confirm_command((await preview(plenary, "brazil", f"/submit veto {FIRST}")).buttons)
    await preview(plenary, "brazil", f"/submit veto {SECOND}")
    assert "newer preview replaced this one" in await says(plenary, "brazil", first)
    assert "Submitted" in await says(plenary, "brazil", "/submit confirm")
    assert "fifteen years" in await says(plenary, "delegate", "/position Brazil veto")
