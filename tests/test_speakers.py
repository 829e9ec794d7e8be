"""Lists of speakers over the terminal: the Chair's office pastes, reorders and moves the list on;
delegations ask to speak and are told their place, "N speakers before you", "you are next";
followers hear who takes the floor; readers see estimates in venue time and their own."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.core.messages import Incoming, Reply
from bot.runtime.dispatcher import Dispatcher
from storage.models import AuditEntry, Delivery, DeliveryStatus, Speaker
from tests.recorder import Recorder
from tests.test_announcements import CHAIR, make_chair, make_focal_point
from tests.test_reminders import at

MEETING = "ign70-1"  # 3 February 2016, 10:00 New York, Trusteeship Council Chamber
PASTED = """1. Sierra Leone (on behalf of the African Group)
2. Italy (on behalf of Uniting for Consensus) 5 min
3. Brazil
4. India
5. Japan
"""


async def answer(plenary, user: str, text: str) -> Reply:
    return await plenary.core.answer(
        Incoming("console", user, text, chat_id=user, direct_chat_id=user)
    )


async def says(plenary, user: str, text: str) -> str:
    return (await answer(plenary, user, text)).text


def pressed(reply: Reply, label: str) -> str:
    (command,) = [b.command for row in reply.buttons for b in row if b.label == label]
    return command


async def paste(plenary, text: str = PASTED) -> str:
    preview = await answer(plenary, CHAIR, f"/speakers {MEETING} paste\n{text}")
    return await says(plenary, CHAIR, pressed(preview, "Confirm"))


async def a_list(plenary) -> None:
    await make_chair(plenary)
    await at(plenary, "2016-02-03T09:00:00-05:00")
    await says(plenary, CHAIR, f"/speakers {MEETING} open")
    assert "5 turns to come" in await paste(plenary)


async def test_a_pasted_list_is_previewed_then_read_with_estimates(plenary):
    await make_chair(plenary)
    await at(plenary, "2016-02-03T09:00:00-05:00")
    preview = await answer(plenary, CHAIR, f"/speakers {MEETING} paste\n{PASTED}")
    assert "1. Sierra Leone (on behalf of African Group" in preview.text
    assert "2. Italy (on behalf of Uniting for Consensus (UfC)) · 5 min · new" in preview.text
    assert "There is no list of speakers" in await says(plenary, "delegate", f"/speakers {MEETING}")
    assert "5 turns to come" in await says(plenary, CHAIR, pressed(preview, "Confirm"))
    shown = await says(plenary, "delegate", f"/speakers {MEETING}")
    # The meeting starts at 10:00: 5 + 5 minutes of group statements, then Brazil at 10:10.
    assert "1. Sierra Leone" in shown and "about 10:00 New York time" in shown
    assert "3. Brazil · 3 min · about 10:10 New York time" in shown
    assert "5 speakers to come." in shown
    await says(plenary, "delegate", "/timezone Europe/Paris")
    assert "about 10:10 New York time (16:10 Paris time)" in await says(
        plenary, "delegate", f"/speakers {MEETING}"
    )


async def test_unknown_and_ambiguous_names_are_asked_and_nothing_changes(plenary):
    await make_chair(plenary)
    preview = await says(plenary, CHAIR, f"/speakers {MEETING} paste\n1. Brazil\n2. Atlantis\n")
    assert "Line 2" in preview and "Atlantis" in preview and "Nothing was changed" in preview
    assert "There is no list" in await says(plenary, CHAIR, f"/speakers {MEETING}")


async def test_a_later_paste_shows_what_moved_and_keeps_alerts(plenary):
    await a_list(plenary)
    again = await says(
        plenary,
        CHAIR,
        f"/speakers {MEETING} paste\n1. Sierra Leone (on behalf of the African Group)\n"
        "2. Japan\n3. Brazil\n",
    )
    assert "2. Japan · 3 min · moved from 5" in again
    assert "India: withdrawn (not in this list)" in again
    assert "Italy: withdrawn" in again


async def test_only_the_chair_changes_the_list_and_refusals_are_audited(plenary):
    await a_list(plenary)
    refused = await says(plenary, "delegate", f"/speakers {MEETING} next")
    assert "Only the Chair's office" in refused
    async with plenary.sessions() as session:
        refusals = await session.scalars(
            select(AuditEntry.action).where(AuditEntry.allowed.is_(False))
        )
        assert "speakers next" in list(refusals)
        speaking = await session.scalar(select(Speaker).where(Speaker.status == "speaking"))
        assert speaking is None


async def test_plain_questions_find_a_place(plenary):
    await a_list(plenary)
    assert "Brazil is number 3: 2 speakers before it" in await says(
        plenary, "delegate", "is Brazil on the list?"
    )
    await says(plenary, CHAIR, f"/speakers {MEETING} next")
    now = await says(plenary, "delegate", "who is speaking now?")
    assert "Speaking now: Sierra Leone" in now and "0:00 of 5 min" in now
    await make_focal_point(plenary, "brasilia", "Brazil")
    assert "Brazil is number 3: 2 speakers before it" in await says(
        plenary, "brasilia", "when do we speak?"
    )


async def test_next_speaker_moves_the_list_and_the_pace_moves_estimates(plenary):
    await a_list(plenary)
    await at(plenary, "2016-02-03T10:00:00-05:00")
    first = await answer(plenary, CHAIR, f"/speakers {MEETING} next")
    assert "Now speaking: Sierra Leone" in first.text and "Next: Italy" in first.text
    plenary.clock.advance(timedelta(minutes=10))  # twice the limit: the pace is 2.0 (at most)
    second = await says(plenary, CHAIR, pressed(first, "Next speaker"))
    assert "Now speaking: Italy" in second
    shown = await says(plenary, "delegate", f"/speakers {MEETING}")
    # Italy started at 10:10 with 5 minutes, at twice the pace: Brazil at about 10:20.
    assert "3. Brazil · 3 min · about 10:20 New York time" in shown
    for _ in range(4):
        await says(plenary, CHAIR, f"/speakers {MEETING} next")
    assert "Nobody is waiting" in await says(plenary, CHAIR, f"/speakers {MEETING} next")


async def test_requests_are_accepted_placed_or_declined_with_the_reason(plenary):
    await a_list(plenary)
    await make_focal_point(plenary, "berlin", "Germany")
    await make_focal_point(plenary, "ottawa", "Canada")
    assert "with the Chair's office" in await says(plenary, "berlin", f"/speak {MEETING}")
    assert "with the Chair's office" in await says(
        plenary, "ottawa", f"/speak {MEETING} on behalf of UfC"
    )
    assert "Only a delegation can ask" in await says(plenary, "delegate", f"/speak {MEETING}")
    pending = await answer(plenary, CHAIR, f"/speakers {MEETING} requests")
    assert (
        "Germany" in pending.text and "Canada (on behalf of Uniting for Consensus" in pending.text
    )
    accept = next(b.command for row in pending.buttons for b in row if b.label == "Accept")
    assert "Accepted: Germany" in await says(plenary, CHAIR, accept + " at 2")
    assert "Germany is number 2" in await says(plenary, "delegate", "is Germany on the list?")
    decline = [b.command for row in pending.buttons for b in row if b.label == "Decline"][1]
    assert "Give the reason" in await says(plenary, CHAIR, decline)
    assert "Declined" in await says(plenary, CHAIR, decline + " UfC already speaks through Italy")
    recorder = Recorder()
    await Dispatcher(plenary.core, {"console": recorder}).run_until_idle()
    assert any("declined: UfC already speaks through Italy" in t for t in recorder.texts("ottawa"))
    told = recorder.texts("berlin")
    assert any("Germany is inscribed" in t and "Number 2: 1 speaker before you" in t for t in told)
    assert "already on the list" in await says(plenary, CHAIR, f"/speakers {MEETING} add Germany")


async def test_alerts_go_once_and_on_time(plenary):
    await a_list(plenary)
    await make_focal_point(plenary, "tokyo", "Japan")
    await says(plenary, "tokyo", "/speakers alert 2")
    await says(plenary, "delegate", "/floor Japan")
    recorder = Recorder()
    dispatcher = Dispatcher(plenary.core, {"console": recorder})
    await dispatcher.run_until_idle()
    assert recorder.texts("tokyo") == []  # inscribed before they were a focal point
    await says(plenary, CHAIR, f"/speakers {MEETING} next")  # Sierra Leone; Japan has 4 before
    await dispatcher.run_until_idle()
    assert recorder.texts("tokyo") == []
    await says(plenary, CHAIR, f"/speakers {MEETING} next")  # Italy: Japan has 3 before
    await says(plenary, CHAIR, f"/speakers {MEETING} next")  # Brazil: 2 before
    await dispatcher.run_until_idle()
    (coming,) = recorder.texts("tokyo")
    assert "Japan: your turn is coming" in coming and "2 speakers before you" in coming
    await says(plenary, CHAIR, f"/speakers {MEETING} next")  # India: Japan is next
    await dispatcher.run_until_idle()
    assert "Japan: you are next" in recorder.texts("tokyo")[1]
    await says(plenary, CHAIR, f"/speakers {MEETING} next")  # Japan speaks
    await dispatcher.run_until_idle()
    assert len(recorder.texts("tokyo")) == 2
    assert any("Japan takes the floor" in t for t in recorder.texts("delegate"))
    await dispatcher.run_until_idle()
    async with plenary.sessions() as session:
        keys = list(await session.scalars(select(Delivery.key).where(Delivery.kind == "speakers")))
    assert len(keys) == len(set(keys))


async def test_a_move_after_an_alert_brings_a_correction(plenary):
    await a_list(plenary)
    await make_focal_point(plenary, "tokyo", "Japan")
    recorder = Recorder()
    dispatcher = Dispatcher(plenary.core, {"console": recorder})
    await says(plenary, CHAIR, f"/speakers {MEETING} move Japan to 2")
    await dispatcher.run_until_idle()
    placed, coming = recorder.texts("tokyo")  # within 3 of the floor: "your turn is coming"
    # The first they hear of Japan's place (it was inscribed before they were a focal point).
    assert "Japan is inscribed" in placed and "Number 2: 1 speaker before you" in placed
    assert "Japan: your turn is coming" in coming
    await says(plenary, CHAIR, f"/speakers {MEETING} move Japan to 4")
    await dispatcher.run_until_idle()
    assert any("Number 4: 3 speakers before you" in t for t in recorder.texts("tokyo")), (
        recorder.texts("tokyo"),
        recorder.edited,
    )
    edits = [text for who, _id, text in recorder.edited if who == "tokyo"]
    assert len(edits) == 2, "both alerts sent about number 2 are corrected in place"
    assert all("Correction: the place of Japan" in e and "Number 4" in e for e in edits)


async def test_export_and_history_name_who_changed_what(plenary):
    await a_list(plenary)
    await says(plenary, CHAIR, f"/speakers {MEETING} next")
    exported = await answer(plenary, "delegate", f"/speakers {MEETING} csv")
    csv = exported.attachments[0].content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("number,delegation,on_behalf_of,limit_minutes,status")
    assert '1,Sierra Leone,"African Group' in csv and ",speaking," in csv
    history = await answer(plenary, CHAIR, f"/speakers {MEETING} history")
    assert "paste speakers" in history.text and "next speaker" in history.text
    assert "refused" not in history.text
    assert "Only the Chair's office" in await says(
        plenary, "delegate", f"/speakers {MEETING} history"
    )


async def test_opening_tells_every_delegation_at_its_time(plenary):
    await make_chair(plenary)
    await make_focal_point(plenary, "tokyo", "Japan")
    await at(plenary, "2016-02-02T09:00:00-05:00")
    assert "1 delegate will be told" in await says(
        plenary, CHAIR, f"/speakers {MEETING} open 14:00"
    )
    recorder = Recorder()
    dispatcher = Dispatcher(plenary.core, {"console": recorder})
    await dispatcher.run_until_idle()
    assert recorder.texts("tokyo") == []
    assert "not open yet" in await says(plenary, "tokyo", f"/speak {MEETING}")
    await at(plenary, "2016-02-03T14:00:00-05:00")
    await dispatcher.run_until_idle()
    assert ["open for inscription" in t for t in recorder.texts("tokyo")] == [True]
    async with plenary.sessions() as session:
        row = await session.scalar(select(Delivery).where(Delivery.kind == "speakers"))
        assert row.status == DeliveryStatus.SENT


async def test_no_alert_once_the_turn_has_come(plenary):
    await a_list(plenary)
    await make_focal_point(plenary, "tokyo", "Japan")
    recorder = Recorder()
    dispatcher = Dispatcher(plenary.core, {"console": recorder})
    for _ in range(4):  # India speaks: Japan is next, and its alert waits in the outbox
        await says(plenary, CHAIR, f"/speakers {MEETING} next")
    await says(plenary, CHAIR, f"/speakers {MEETING} next")  # Japan speaks before it went
    await dispatcher.run_until_idle()
    assert not any("you are next" in t for t in recorder.texts("tokyo"))
    async with plenary.sessions() as session:
        kept = await session.scalars(
            select(Delivery.key).where(Delivery.kind == "speakers", Delivery.key.like("%:next:%"))
        )
        assert list(kept) == [], "a turn that has come drops its alerts not yet sent"
