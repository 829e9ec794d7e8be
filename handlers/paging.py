"""Long lists, a page at a time, with buttons to turn the pages."""

from __future__ import annotations

from bot.core.context import Context, Request
from bot.core.messages import Button, Reply

PAGE_SIZE = 10


def window(request: Request, size: int = PAGE_SIZE) -> tuple[int, int]:
    """(limit, offset) for the request's page; one row more than shown tells if more follow."""
    return size + 1, (request.page - 1) * size


def turn_pages(
    ctx: Context, reply: Reply, command: str, request: Request, found: int, size: int = PAGE_SIZE
) -> None:
    """Note which rows are shown and add Previous / Next buttons where there is more."""
    first = (request.page - 1) * size + 1
    shown = min(found, size)
    more = found > size
    if request.page > 1 or more:
        reply.note(ctx._("Items {first}–{last}").format(first=first, last=first + shown - 1))
    buttons = []
    if request.page > 1:
        buttons.append(Button(ctx._("‹ Previous"), f"{command} page {request.page - 1}"))
    if more:
        buttons.append(Button(ctx._("Next page ›"), f"{command} page {request.page + 1}"))
    reply.button_row(*buttons)
