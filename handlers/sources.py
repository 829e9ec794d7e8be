"""Citing sources: the documents behind a meeting or a position."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.messages import Reply, link
from storage import positions
from storage.documents import issued_after
from storage.models import Document


async def known_sources(ctx: Context, keys: list[str]) -> tuple[list[str], dict[str, Document]]:
    """The sources cited that the clock knows, as given, with the documents among them by key:
    a document issued after the programme's day was not known yet, and is left out."""
    cited = {source: _cited(source)[0] for source in keys}
    found = await positions.documents(ctx.session, list(dict.fromkeys(cited.values())))
    documents = {d.key: d for d in found if not issued_after(d, ctx.today)}
    hidden = {d.key for d in found} - documents.keys()
    return [source for source in keys if cited[source] not in hidden], documents


async def add_sources(ctx: Context, reply: Reply, keys: list[str]) -> None:
    """The documents cited, by title (a link where known); a source that is no document on
    record (a symbol such as A/69/L.92, or an address) as given."""
    keys, documents = await known_sources(ctx, keys)
    if not keys:
        return
    reply.paragraph(ctx.tr.ngettext("Source:", "Sources:", len(keys)))
    for source in keys:
        key, page = _cited(source)
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
