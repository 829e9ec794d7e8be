from bot.core.messages import Attachment, Reply
from bot.render.kept import KeptRenderings


def counting_renderer() -> tuple[KeptRenderings[int], list[Reply]]:
    rendered: list[Reply] = []

    async def render(reply: Reply) -> int:
        rendered.append(reply)
        return len(rendered)

    return KeptRenderings(render, size=2), rendered


async def test_a_reply_sent_again_is_rendered_once_and_an_equal_new_reply_afresh():
    kept, rendered = counting_renderer()
    cached = Reply().paragraph("The next meeting is on 22 February.")
    assert [await kept(cached), await kept(cached)] == [1, 1]
    assert await kept(Reply().paragraph("The next meeting is on 22 February.")) == 2
    assert len(rendered) == 2


async def test_only_the_last_replies_are_kept_and_none_with_attachments():
    kept, rendered = counting_renderer()
    first, second, third = (Reply().paragraph(f"Answer {n}") for n in (1, 2, 3))
    export = Reply(attachments=[Attachment("positions.csv", b"State,Position\n", "text/csv")])
    for reply in (first, second, third, export, export, third, first):
        await kept(reply)
    assert rendered == [first, second, third, export, export, first]
