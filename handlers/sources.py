"""Citing sources: the documents behind a meeting or a position."""

from __future__ import annotations

from bot.context import Context
from bot.messages import Reply, link
from storage import positions


async def add_sources(ctx: Context, reply: Reply, keys: list[str]) -> None:
    documents = await positions.documents(ctx.session, keys)
    if not documents:
        return
    reply.paragraph(ctx.tr.ngettext("Source:", "Sources:", len(documents)))
    for document in documents:
        reply.item(link(document.title, document.url) if document.url else document.title)
