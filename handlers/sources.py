"""Citing sources: the documents behind a meeting or a position."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.messages import Reply, link
from storage import positions


async def add_sources(ctx: Context, reply: Reply, keys: list[str]) -> None:
    """The documents cited, by title (a link where known); a source that is no document on
    record (a symbol such as A/69/L.92, or an address) as given."""
    if not keys:
        return
    documents = {d.key: d for d in await positions.documents(ctx.session, keys)}
    reply.paragraph(ctx.tr.ngettext("Source:", "Sources:", len(keys)))
    for key in keys:
        document = documents.get(key)
        if document is None:
            reply.item(link(key, key) if key.startswith(("https://", "http://")) else key)
        else:
            reply.item(link(document.title, document.url) if document.url else document.title)
