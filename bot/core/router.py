"""The router: from a line of text to the handler that answers it."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from rapidfuzz import fuzz, process

from bot.core.cities import find_city
from bot.core.commands import COMMANDS, available_to
from bot.core.context import Context, Request
from bot.core.dates import NoSuchDay, Span, find_when
from bot.core.durations import find_durations
from bot.core.holder_names import holder_name, names_list
from bot.core.intents import classify, names_a_time
from bot.core.issue_names import issue_name
from bot.core.messages import Button, Reply
from bot.metrics import REQUESTS
from storage import writes
from storage.directory import IssueName

COMMAND = re.compile(r"^/([A-Za-z_]+)(?:@\w+)?(?:\s+(.*))?$", re.S)


# The closeness (fuzz.ratio, 0-100) a word needs to a name for "did you mean": below it, the
# corpus's sentences that name nothing get suggestions (bench/understanding.py measures it).
SUGGEST_FROM = 85
PAGE = re.compile(r"\bpage\s+(\d{1,4})\b", re.IGNORECASE)


def request_for(ctx: Context, text: str) -> Request:
    """What a text asks, with the names, day or span, city and durations found in it."""
    page = PAGE.search(text)
    if page:
        text = (text[: page.start()] + text[page.end() :]).strip()
    mentions = ctx.names.mentions(text, ctx.tr.language)
    try:
        when, no_such_day = find_when(text, ctx.today, ctx.season), None
    except NoSuchDay as error:
        when, no_such_day = None, str(error)
    return Request(
        text=text,
        issues=mentions.issues,
        delegations=mentions.delegations,
        day=when if isinstance(when, date) else None,
        no_such_day=no_such_day,
        page=max(1, int(page.group(1))) if page else 1,
        span=when if isinstance(when, Span) else None,
        zone=find_city(text, ctx.tr.language) if names_a_time(text) else None,
        leads=tuple(find_durations(text)),
    )


async def route(ctx: Context, text: str) -> Reply:
    """Answer one message: a /command with arguments, or a question in plain words."""
    match = COMMAND.match(text)
    if match:
        name, arguments = match.group(1).lower(), (match.group(2) or "").strip()
        if name not in COMMANDS:
            REQUESTS.labels(ctx.incoming.platform, "unknown command").inc()
            return unknown_command(ctx, name)
        return await run(ctx, name, request_for(ctx, arguments))
    request = request_for(ctx, text)
    intent = classify(text, request)
    if intent is None:
        REQUESTS.labels(ctx.incoming.platform, "not understood").inc()
        return not_understood(ctx, request)
    if not intent.keep_text:
        request = replace(request, text="")
    return await run(ctx, intent.command, replace(request, ordinal=intent.ordinal))


async def run(ctx: Context, name: str, request: Request) -> Reply:
    REQUESTS.labels(ctx.incoming.platform, name).inc()
    command = COMMANDS[name]
    if ctx.role not in command.roles:
        await ctx.audit(name, request.text[:200], allowed=False)
        return Reply().paragraph(
            ctx._("Sorry, /{command} is not available to you.").format(command=name)
        )
    if command.personal:
        return await command.handler(ctx, request)
    key = ctx.cache_key(name, slots(request))
    reply = ctx.replies.get(key)
    if reply is None:
        before = writes.made(ctx.session.sync_session)
        reply = await command.handler(ctx, request)
        # An answer that wrote (a role taken, a refusal audited) is about that asker alone.
        if not writes.pending(ctx.session.sync_session, before):
            ctx.replies.put(key, reply)
    return reply


def slots(request: Request) -> str:
    """Everything of a request an answer depends on, for the reply cache."""
    return repr(
        (
            request.text,
            request.page,
            request.ordinal,
            [i.id for i in request.issues],
            [tuple(d.id for d in ds) for ds in request.delegations],
            request.day,
            request.span,
            request.zone,
        )
    )


def unknown_command(ctx: Context, name: str) -> Reply:
    names = [c.name for c in available_to(ctx.role)]
    nearest = [
        n
        for n, _score, _ in process.extract(
            name, names, scorer=fuzz.ratio, limit=3, score_cutoff=50
        )
    ]
    reply = Reply().paragraph(
        ctx._("I don't know the command /{command}.").format(command=name[:40])
    )
    if nearest:
        reply.paragraph(
            ctx._("Did you mean: {commands}?").format(commands=", ".join(f"/{n}" for n in nearest))
        )
        reply.button_row(*(Button(f"/{n}", f"/{n}") for n in nearest))
    return reply.note(ctx._("/help lists every command."))


def not_understood(ctx: Context, request: Request) -> Reply:
    """ "I did not understand", with names it may have meant when one is close enough (the
    confidence measured on the corpus: bench/understanding.py), and three useful commands."""
    reply = Reply().paragraph(ctx._("Sorry, I didn't understand that."))
    similar = [
        named
        for named, score in ctx.names.similar(request.text, ctx.tr.language)
        if score >= SUGGEST_FROM
    ]
    if similar:
        reply.paragraph(
            ctx._("Did you mean: {names}?").format(
                names=names_list(
                    ctx,
                    [
                        issue_name(ctx, n) if isinstance(n, IssueName) else holder_name(ctx, n)
                        for n in similar
                    ],
                )
            )
        )
    reply.paragraph(ctx._("Try “when is the next meeting?”, “positions on the veto” or /help."))
    return reply.button_row(
        Button(ctx._("Next meeting"), "/next"),
        Button(ctx._("Key issues"), "/issues"),
        Button(ctx._("Help"), "/help"),
    )
