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
    cited = [_cited(key) for key in keys]
    found = await positions.documents(ctx.session, [key for key, _page in cited])
    documents = {d.key: d for d in found}
    reply.paragraph(ctx.tr.ngettext("Source:", "Sources:", len(keys)))
    for source, (key, page) in zip(keys, cited, strict=True):
        document = documents.get(key)
        if document is None:
            reply.item(
                link(source, source) if source.startswith(("https://", "http://")) else source
            )
            continue
        title = document.title
        if page is not None:
            title = ctx._("{title}, page {page}").format(title=title, page=page)
        on_file = f" (/documents {key})" if document.sha256 else ""  # asking sends it back
        reply.item(link(title, document.url) if document.url else title, on_file)


def _cited(source: str) -> tuple[str, int | None]:
    """A source as (document key, page): "KEY#2" cites page 2 of a document."""
    key, _, page = source.partition("#")
    return (key, int(page)) if page.isdigit() and len(page) < 6 else (source, None)
