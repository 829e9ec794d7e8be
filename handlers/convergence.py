"""The convergence map: who stands where on each element of a key issue, as a picture (PNG,
SVG), a table for screen readers and small screens, and CSV; `since DATE` marks what moved."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.i18n import N_, RIGHT_TO_LEFT, translator
from bot.core.issue_names import issue_name
from bot.core.messages import Attachment, Button, Reply, bold
from bot.core.timefmt import short_date
from handlers.choices import pick_issue
from storage import convergence
from storage.directory import DelegationName, IssueName
from storage.files import fonts
from storage.files.map_csv import as_csv
from storage.files.map_picture import MapPicture, draw
from storage.models import DelegationKind, Element, ElementStatus, StanceValue, StanceVersion

STANCES = {
    StanceValue.SUPPORTS: N_("supports"),
    StanceValue.CONDITIONAL: N_("conditional"),
    StanceValue.OPPOSES: N_("opposes"),
    StanceValue.NONE: N_("no stated position"),
}
STATUSES = {
    ElementStatus.CONVERGENCE: N_("convergence"),
    ElementStatus.FURTHER: N_("for further consideration"),
}
FORMATS = {"png": "image/png", "svg": "image/svg+xml", "csv": "text/csv"}
_FORMAT = re.compile(r"\b(png|svg|csv)\b", re.I)
_SHORT_NAME = 24  # a group's name longer than this is shown by its first alias ("UfC")


@dataclass(frozen=True)
class MapData:
    """One key issue's elements, the holders with a stance (grouped), and the stances."""

    issue: IssueName
    elements: list[Element]
    columns: list[tuple[DelegationName, list[DelegationName]]]
    now: dict[tuple[int, int], StanceVersion]
    changed: set[tuple[int, int]]
    papers: dict[int, str]  # document id -> title


def short_name(holder: DelegationName) -> str:
    if len(holder.name) > _SHORT_NAME and holder.aliases:
        return holder.aliases[0]
    return holder.name


def stance_label(ctx: Context, value: StanceValue) -> str:
    return ctx._(STANCES[value])


async def map_data(ctx: Context, issue: IssueName, since: date | None) -> MapData:
    elements = await convergence.elements_of(ctx.session, issue.id)
    ids = [element.id for element in elements]
    now = await convergence.in_force(ctx.session, ids, ctx.today)
    changed: set[tuple[int, int]] = set()
    if since is not None:
        then = await convergence.in_force(ctx.session, ids, since - timedelta(days=1))
        changed = {
            pair for pair in set(now) | set(then) if _value(now.get(pair)) != _value(then.get(pair))
        }
    holders = {ctx.names.delegations[d] for _e, d in now if d in ctx.names.delegations}
    papers = await convergence.paper_titles(
        ctx.session, [e.paper_id for e in elements if e.paper_id is not None]
    )
    return MapData(issue, elements, _grouped(ctx, holders), now, changed, papers)


def _value(version: StanceVersion | None) -> StanceValue:
    return version.stance if version is not None else StanceValue.NONE


def _grouped(
    ctx: Context, holders: set[DelegationName]
) -> list[tuple[DelegationName, list[DelegationName]]]:
    """Holders under their negotiating group (a group first, then its members; a State in
    several groups under the first by name); States in no group last, each alone."""
    groups: dict[int, list[DelegationName]] = {}
    alone: list[DelegationName] = []
    for holder in sorted(holders, key=lambda h: (h.kind != DelegationKind.GROUP, h.name)):
        if holder.kind == DelegationKind.GROUP:
            groups.setdefault(holder.id, []).insert(0, holder)
            continue
        mine = sorted(ctx.names.groups_of(holder), key=lambda g: g.name)
        if mine:
            groups.setdefault(mine[0].id, []).append(holder)
        else:
            alone.append(holder)
    ordered = sorted(groups.items(), key=lambda item: ctx.names.delegations[item[0]].name)
    return [(ctx.names.delegations[g], members) for g, members in ordered] + [
        (holder, [holder]) for holder in alone
    ]


def picture(ctx: Context, data: MapData, since: date | None) -> MapPicture:
    """The map in the reader's words, or in English where no font draws their script (the
    text table stays in their language)."""
    language = ctx.tr.language if fonts.covers(ctx.tr.language) else "en"
    tr = ctx.tr if language == ctx.tr.language else translator("en")
    holders = [holder for _group, members in data.columns for holder in members]
    cells = {
        (row, column): data.now[(element.id, holder.id)].stance
        for row, element in enumerate(data.elements)
        for column, holder in enumerate(holders)
        if (element.id, holder.id) in data.now
    }
    index = {
        (e.id, h.id): (r, c) for r, e in enumerate(data.elements) for c, h in enumerate(holders)
    }
    changed_label = None
    if since is not None:
        changed_label = tr.gettext("changed since {date}").format(date=short_date(since, tr))
    return MapPicture(
        title=tr.gettext("Convergence map: {issue}").format(issue=tr.gettext(data.issue.name)),
        subtitle=tr.gettext("Stances as of {date}").format(date=short_date(ctx.today, tr)),
        rows=[f"{element.key}: {element.wording}" for element in data.elements],
        columns=[
            (short_name(group), [short_name(h) for h in members]) for group, members in data.columns
        ],
        cells=cells,
        legend={value: tr.gettext(label) for value, label in STANCES.items()},
        changed={index[pair] for pair in data.changed if pair in index},
        changed_label=changed_label,
        right_to_left=language in RIGHT_TO_LEFT,
        language=language,
    )


def table(ctx: Context, reply: Reply, data: MapData) -> None:
    """The map as text: each element, then who holds which stance on it."""
    holders = [holder for _group, members in data.columns for holder in members]
    for element in data.elements:
        reply.item(bold(f"{element.key}: "), element.wording)
        about = []
        if element.status is not None:
            about.append(ctx._(STATUSES[element.status]))
        if element.paper_id is not None:
            about.append(data.papers.get(element.paper_id or 0, ""))
        if about:
            reply.note(" · ".join(part for part in about if part))
        for value in STANCES:
            names = [
                short_name(holder) + ("*" if (element.id, holder.id) in data.changed else "")
                for holder in holders
                if _value(data.now.get((element.id, holder.id))) == value
                and (value != StanceValue.NONE or (element.id, holder.id) in data.now)
            ]
            if names:
                reply.note(f"{stance_label(ctx, value)}: ", ", ".join(names))


def csv_rows(ctx: Context, data: MapData) -> list[tuple[str, ...]]:
    holders = [holder for _group, members in data.columns for holder in members]
    return [
        (
            data.issue.key,
            element.key,
            element.wording,
            element.status.value if element.status else "",
            data.papers.get(element.paper_id or 0, ""),
            holder.name,
            version.stance.value,
            version.stated_on.isoformat() if version.stated_on else "",
            "; ".join(version.sources),
        )
        for element in data.elements
        for holder in holders
        if (version := data.now.get((element.id, holder.id))) is not None
    ]


@command("map", usage="/map ISSUE [since DATE] [png|svg|csv]")
async def convergence_map(ctx: Context, request: Request) -> Reply:
    """Who stands where on each element of a key issue: a picture and a table."""
    issue = pick_issue(ctx, request, "/map")
    if isinstance(issue, Reply):
        return issue
    since = request.day if request.day is not None and request.day <= ctx.today else None
    data = await map_data(ctx, issue, since)
    reply = Reply().heading(ctx._("Convergence map: {issue}").format(issue=issue_name(ctx, issue)))
    if not data.elements:
        return reply.paragraph(ctx._("No elements are on record for this key issue yet."))
    reply.note(ctx._("Stances as of {date}").format(date=short_date(ctx.today, ctx.tr)))
    table(ctx, reply, data)
    if since is not None:
        reply.note(
            ctx._("* changed since {date}").format(date=short_date(since, ctx.tr))
            if data.changed
            else ctx._("Nothing changed since {date}.").format(date=short_date(since, ctx.tr))
        )
    if not fonts.covers(ctx.tr.language):
        reply.note(ctx._("The picture is labelled in English: no font here draws your script."))
    wanted = _FORMAT.search(request.text)
    kind = wanted.group(1).lower() if wanted else "png"
    name = f"map-{issue.key}-{ctx.today.isoformat()}.{kind}"
    if kind == "csv":
        content = as_csv(csv_rows(ctx, data))
    else:
        content = draw(picture(ctx, data, since), kind)
    reply.attachments.append(Attachment(name, content, FORMATS[kind]))
    return reply.button_row(
        Button("CSV", f"/map {issue.key} csv"),
        Button("SVG", f"/map {issue.key} svg"),
        Button(ctx._("Positions"), f"/positions {issue.key}"),
    )
