"""The convergence map's data on SQLite and PostgreSQL: the table as the clock knows it,
`since`, and elements and stances written through previews, versioned and audited."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.core.messages import Incoming
from storage.models import AuditEntry, Element, StanceVersion
from tests.test_announcements import CHAIR, make_chair, make_focal_point, says
from tests.test_map import ask, on_june_1


async def test_the_text_table_says_who_stands_where_as_the_clock_knows_it(plenary):
    january = (await ask(plenary, "/map categories")).text
    assert "categories-1: New permanent seats" in january
    assert "supports: African Group, G4" in january
    assert "UfC" not in january, "UfC's stance is stated on 2 May 2016: not known in January"
    on_june_1(plenary)
    june = (await ask(plenary, "/map categories")).text
    assert "supports: African Group, G4, L.69 Group\nopposes: UfC" in june
    assert "categories-3: Longer-term re-electable seats\nsupports: UfC" in june
    assert "conditional" not in june and "Arab Group" not in june


async def test_since_marks_what_moved(plenary):
    on_june_1(plenary)
    reply = await ask(plenary, "/map categories since 1 March 2016")
    assert "supports: African Group, G4, L.69 Group*" in reply.text
    assert "opposes: UfC*" in reply.text and "* changed since 1 March 2016" in reply.text
    quiet = await ask(plenary, "/map veto since 10 March 2016")
    assert "Nothing changed since 10 March 2016." in quiet.text


async def preview(plenary, user: str, text: str) -> tuple[str, str]:
    """A preview's text and its Confirm button's command."""
    reply = await plenary.core.answer(Incoming("console", user, text, chat_id=user))
    confirm = [b.command for row in reply.buttons for b in row if b.command.startswith("/confirm")]
    return reply.text, confirm[0] if confirm else ""


async def test_the_chair_enters_an_element_and_records_a_stance_after_previews(plenary):
    await make_chair(plenary)
    early = await says(plenary, CHAIR, "/element size further Twenty-five seats paper: pga_0517")
    assert "No document “pga_0517” is on record." in early, "the paper of 17 May, in January"
    on_june_1(plenary)
    shown, confirm = await preview(
        plenary, CHAIR, "/element size further Enlargement to a total of 25 seats paper: pga_0517"
    )
    assert "Preview: an element of" in shown and "for further consideration" in shown
    async with plenary.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Element)) == 4
    assert "Entered as size-1: /map size" in await says(plenary, CHAIR, confirm)
    shown, confirm = await preview(plenary, CHAIR, "/stance ufc size-1 opposes source: pk_0502")
    assert "Preview: Uniting for Consensus (UfC) on size-1" in shown
    assert "Recorded: version 1" in await says(plenary, CHAIR, confirm)
    table = (await ask(plenary, "/map size")).text
    assert "size-1: Enlargement to a total of 25 seats" in table
    assert "for further consideration · Letter of the President" in table
    assert "opposes: UfC" in table
    async with plenary.sessions() as session:
        actions = set(await session.scalars(select(AuditEntry.action)))
    assert {"add element", "stance"} <= actions


async def test_a_focal_point_proposes_their_own_stances_only(plenary):
    await make_focal_point(plenary, "berlin", "G4")
    refused = await says(plenary, "berlin", "/stance ufc categories-1 supports")
    assert "you cannot record a stance for Uniting for Consensus (UfC)" in refused
    _shown, confirm = await preview(plenary, "berlin", "/stance g4 categories-3 opposes")
    assert "Recorded: version 1 of G4's stance (opposes)." in await says(plenary, "berlin", confirm)
    plenary.clock.advance(timedelta(days=2))
    _shown, confirm = await preview(plenary, "berlin", "/stance g4 categories-3 conditional")
    assert "Recorded: version 2" in await says(plenary, "berlin", confirm)
    async with plenary.sessions() as session:
        versions = list(
            await session.scalars(select(StanceVersion.stance).order_by(StanceVersion.id.desc()))
        )
    assert versions[:2] == ["conditional", "opposes"], "the earlier version is kept"
    assert "conditional: G4" in (await ask(plenary, "/map categories")).text
    assert "is not available to you" in await says(plenary, "delegate", "/stance g4 veto-1 none")
