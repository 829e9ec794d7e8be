"""Writing the convergence map: the Chair's office enters elements and records stances from
statements; focal points propose their own delegation's stances. Every write is previewed,
confirmed, versioned and audited."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from bot.core import drafts
from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.drafts import draft_kind
from bot.core.issue_names import issue_name
from bot.core.messages import Reply
from bot.core.timefmt import short_date
from handlers.choices import pick_delegation, pick_issue
from handlers.convergence import STATUSES, stance_label
from handlers.roles import CHAIR_ONLY
from storage import convergence, documents
from storage.models import Draft, ElementStatus, Role, StanceValue

STANCE_WRITERS = frozenset({Role.CHAIR, Role.FOCAL_POINT})
MAX_WORDING = 1000
_SOURCE = re.compile(r"\s*\[?\s*\b(?:source|paper):\s*([^\[\]]{1,200}?)\s*\]?\s*$", re.I)
_STATUS_WORDS = {"convergence": ElementStatus.CONVERGENCE, "further": ElementStatus.FURTHER}
_ELEMENT = re.compile(r"\b([a-z][a-z0-9_-]{0,40}-\d{1,4})\b", re.I)
ELEMENT_KIND = "element"
STANCE_KIND = "stance"


def _source(text: str) -> tuple[str, str | None]:
    """The text without a trailing "source: KEY" (or "paper: KEY"), and that source."""
    found = _SOURCE.search(text)
    return (text, None) if not found else (text[: found.start()].rstrip(), found.group(1))


@command(
    "element",
    usage="/element ISSUE [convergence|further] WORDING [paper: DOCUMENT]",
    roles=CHAIR_ONLY,
    personal=True,
)
async def enter_element(ctx: Context, request: Request) -> Reply:
    """Enter an element of a key issue, as a paper words it."""
    first, _, rest = ctx.raw_arguments.partition(" ")
    named = ctx.names.mentions(first).issues  # the first word: the wording may name others
    issue = named[0] if named else pick_issue(ctx, replace(request, issues=()), "/element")
    if isinstance(issue, Reply):
        return issue
    rest = rest.strip()
    first, _, after = rest.partition(" ")
    status = _STATUS_WORDS.get(first.casefold())
    wording, paper_ref = _source(after if status else rest)
    if not wording or len(wording) > MAX_WORDING:
        return Reply().paragraph(
            ctx._("Give the element's wording (at most {limit} characters): {usage}").format(
                limit=ctx.tr.number(MAX_WORDING),
                usage="/element veto further WORDING [paper: DOCUMENT]",
            )
        )
    paper = None
    if paper_ref is not None:
        paper = await documents.find(ctx.session, paper_ref, ctx.today)
        if paper is None:
            return Reply().paragraph(
                ctx._("No document “{name}” is on record.").format(name=paper_ref[:80]),
                " ",
                ctx._("Nothing was stored."),
            )
    payload = {
        "issue_id": issue.id,
        "wording": wording,
        "paper_id": paper.id if paper else None,
        "status": status.value if status else None,
    }
    draft = await drafts.propose(ctx, ELEMENT_KIND, payload)
    reply = Reply().heading(
        ctx._("Preview: an element of {issue}").format(issue=issue_name(ctx, issue))
    )
    reply.paragraph(wording)
    about = [ctx._(STATUSES[status])] if status else []
    if paper is not None:
        about.append(paper.title)
    if about:
        reply.note(" · ".join(about))
    reply.note(ctx._("Nothing is stored before you confirm."))
    return reply.button_row(*drafts.buttons(ctx, draft))


@draft_kind(ELEMENT_KIND, roles=CHAIR_ONLY)
async def store_element(ctx: Context, draft: Draft) -> Reply:
    payload = draft.payload
    issue = ctx.names.issues.get(payload["issue_id"])
    if issue is None:
        return Reply().paragraph(ctx._("Nothing was stored."))
    status = ElementStatus(payload["status"]) if payload["status"] else None
    element = await convergence.add_element(
        ctx.session, issue.id, issue.key, payload["wording"], payload["paper_id"], status
    )
    await ctx.audit("add element", element.key, after={"wording": element.wording})
    return Reply().paragraph(
        ctx._("Entered as {element}: /map {issue}").format(element=element.key, issue=issue.key)
    )


@command(
    "stance",
    usage="/stance STATE-OR-GROUP ELEMENT supports|opposes|conditional|none [source: DOCUMENT]",
    roles=STANCE_WRITERS,
    personal=True,
)
async def record_stance(ctx: Context, request: Request) -> Reply:
    """Record a State's or group's stance on an element (a new version)."""
    text, source = _source(ctx.raw_arguments)
    words = text.casefold().split()
    value = next((StanceValue(w) for w in words if w in set(StanceValue)), None)
    element_ref = _ELEMENT.search(text)
    holder = pick_delegation(ctx, request, "/stance")
    if isinstance(holder, Reply):
        return holder
    element = await convergence.element(ctx.session, element_ref.group(1)) if element_ref else None
    if element is None or value is None:
        return Reply(not_found=element_ref is not None and element is None).paragraph(
            ctx._("Name the element and the stance, e.g. {example}").format(
                example="/stance G4 categories-1 supports [source: DOCUMENT]"
            ),
            " ",
            ctx._("Nothing was stored."),
        )
    if ctx.role == Role.FOCAL_POINT and ctx.person.delegation_id != holder.id:
        await ctx.audit("stance", f"for {holder.key}", allowed=False)
        return Reply().paragraph(
            ctx._(
                "You act for your own delegation only: you cannot record a stance for {other}."
            ).format(other=holder.name)
        )
    stated = request.day if request.day is not None and request.day <= ctx.today else ctx.today
    payload = {
        "element_id": element.id,
        "delegation_id": holder.id,
        "stance": value.value,
        "stated_on": stated.isoformat(),
        "sources": [source] if source else [],
    }
    draft = await drafts.propose(ctx, STANCE_KIND, payload, f"{element.id}/{holder.id}")
    reply = Reply().heading(
        ctx._("Preview: {holder} on {element}").format(holder=holder.name, element=element.key)
    )
    reply.paragraph(element.wording)
    reply.paragraph(f"{stance_label(ctx, value)} · {short_date(stated, ctx.tr)}")
    if source:
        reply.note(ctx._("Source: {source}").format(source=source))
    reply.note(ctx._("Nothing is stored before you confirm."))
    return reply.button_row(*drafts.buttons(ctx, draft))


@draft_kind(STANCE_KIND, roles=STANCE_WRITERS)
async def store_stance(ctx: Context, draft: Draft) -> Reply:
    payload = draft.payload
    holder = ctx.names.delegations.get(payload["delegation_id"])
    if holder is None or (ctx.role == Role.FOCAL_POINT and ctx.person.delegation_id != holder.id):
        await ctx.audit("stance", f"draft {draft.id}", allowed=False)
        return Reply().paragraph(
            ctx._("You no longer act for that delegation."), " ", ctx._("Nothing was stored.")
        )
    version = await convergence.add_stance(
        ctx.session,
        payload["element_id"],
        holder.id,
        StanceValue(payload["stance"]),
        date.fromisoformat(payload["stated_on"]),
        payload["sources"],
        ctx.person.id if ctx.person else None,
        ctx.now,
    )
    if version is None:
        return Reply().paragraph(ctx._("That is already the latest version: nothing changed."))
    await ctx.audit(
        "stance",
        f"{holder.key}/{payload['element_id']}",
        after={"stance": version.stance.value, "version": version.number},
    )
    return Reply().paragraph(
        ctx._("Recorded: version {number} of {holder}'s stance ({stance}).").format(
            number=version.number, holder=holder.name, stance=stance_label(ctx, version.stance)
        )
    )
