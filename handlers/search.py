"""Search: which positions mention some words, with the passage where they do."""

from __future__ import annotations

from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.holder_names import holder_name
from bot.core.intents import search_words
from bot.core.issue_names import issue_label, issue_name
from bot.core.messages import Button, Reply, bold
from bot.core.search_terms import in_english
from handlers.paging import turn_pages, window
from handlers.positions import stated
from handlers.snippets import snippet
from storage.search import search_positions
from storage.search_query import parse_query

PAGE_SIZE = 5
EXAMPLE = "/search review conference"
QUOTES = '"“”„«»'


def _as_typed(typed: str) -> str:
    """What was typed, for the heading: without the question's punctuation, nor the quotes
    around the whole of it."""
    shown = typed.strip(" ?!.")
    inner = shown[1:-1]
    quoted = len(shown) > 1 and shown[0] in QUOTES and shown[-1] in QUOTES
    return inner.strip() if quoted and not any(q in inner for q in QUOTES) else shown


@command("search", usage="/search TEXT")
async def search(ctx: Context, request: Request) -> Reply:
    """Positions that mention some words, e.g. /search review conference."""
    typed = in_english(search_words(request.text), ctx.tr.language)
    query = parse_query(typed)
    if query is None:
        return Reply().paragraph(ctx._("Search for what? e.g. {example}").format(example=EXAMPLE))
    limit, offset = window(request, PAGE_SIZE)
    hits = await search_positions(ctx.session, query, limit=limit, offset=offset, as_of=ctx.today)
    shown = _as_typed(typed) if query.complete else query.text
    if not hits.total:
        return (
            Reply()
            .paragraph(ctx._("No position mentions “{words}”.").format(words=shown))
            .paragraph(ctx._("Try other words, or read the positions on a key issue: /positions"))
            .button_row(Button(ctx._("Positions by key issue"), "/positions"))
        )
    reply = Reply().heading(
        ctx.tr.ngettext(
            "{count} position mentions “{words}”", "{count} positions mention “{words}”", hits.total
        ).format(count=hits.total, words=shown)
    )
    if not hits:  # a page past the last one
        return reply.paragraph(ctx._("No more positions.")).button_row(
            Button(ctx._("First page"), f"/search {typed}")
        )
    page = hits[:PAGE_SIZE]
    for hit in page:
        reply.item(
            bold(holder_name(ctx, hit.delegation)),
            " · ",
            issue_name(ctx, hit.key_issue),
            ": ",
            *snippet(hit.version.text, hit.terms),
        )
        reply.note(stated(ctx, hit))
    for hit in page:
        reply.button_row(
            Button(
                ctx._("{holder} on {issue}").format(
                    holder=holder_name(ctx, hit.delegation), issue=issue_label(ctx, hit.key_issue)
                ),
                f"/position {hit.delegation.key} {hit.key_issue.key}",
            )
        )
    turn_pages(ctx, reply, f"/search {typed}", request, hits.total - offset, PAGE_SIZE)
    return reply
