"""Linking accounts: one person on Telegram, Slack and the terminal, reached once."""

from __future__ import annotations

from datetime import timedelta

from bot.core.commands import command
from bot.core.context import Context, Request
from bot.core.i18n import N_
from bot.core.messages import Reply, bold
from storage import codes, people
from storage.models import Person

LINK_LIFETIME = timedelta(minutes=10)
PLATFORMS = {"telegram": N_("Telegram"), "slack": N_("Slack"), "console": N_("the terminal")}


def _platform_names(ctx: Context, platforms: list[str]) -> str:
    return ", ".join(ctx._(PLATFORMS.get(p, p)) for p in platforms)


@command("link", usage="/link [CODE | prefer PLATFORM]", personal=True)
async def link_accounts(ctx: Context, request: Request) -> Reply:
    """Link your accounts on Telegram, Slack and the terminal, to be reached once."""
    words = request.text.split()
    if not words:
        return await _offer_code(ctx)
    if words[0].lower() == "prefer":
        return await _prefer(ctx, words[1].lower() if len(words) > 1 else "")
    return await _redeem(ctx, words[0])


async def _offer_code(ctx: Context) -> Reply:
    person = await ctx.person_for_update()
    code = await codes.issue(ctx.session, "link", ctx.now, LINK_LIFETIME, person_id=person.id)
    reply = Reply().paragraph(ctx._("Your linking code: "), bold(code))
    reply.paragraph(
        ctx._(
            "Within 10 minutes, send “/link {code}” to Plenary on your other "
            "platform (in Slack: “/plenary link {code}”)."
        ).format(code=code)
    )
    return reply.note(ctx._("The code works once. Never share it."))


async def _redeem(ctx: Context, code: str) -> Reply:
    found = await codes.redeem(ctx.session, "link", code, ctx.now)
    if isinstance(found, str):
        reasons = {
            "unknown": ctx._("“{code}” is not a linking code I know."),
            "expired": ctx._(
                "That linking code has expired. Ask for a new one with "
                "/link on your other platform."
            ),
            "used": ctx._("That linking code has already been used."),
        }
        return Reply().paragraph(reasons[found].format(code=code[:20]))
    target = await ctx.session.get(Person, found.person_id)
    asker = await ctx.person_for_update()
    if target is None or target.id == asker.id:
        return Reply().paragraph(
            ctx._("Send this code from your other platform, not from the one that gave it.")
        )
    accounts = await people.accounts_of(ctx.session, target.id)
    accounts += await people.accounts_of(ctx.session, asker.id)
    names = [f"{a.platform}:{a.external_id}" for a in accounts]
    refusal = _refusal(ctx, asker, target, [a.platform for a in accounts])
    await ctx.audit("link", f"person {target.id}", after={"accounts": names}, allowed=not refusal)
    if refusal is not None:
        return Reply().paragraph(refusal)
    await people.merge_into(ctx.session, asker, target)
    ctx.person = target
    platforms = [a.platform for a in await people.accounts_of(ctx.session, target.id)]
    target.preferred_platform = target.preferred_platform or ctx.incoming.platform
    return (
        Reply()
        .paragraph(
            ctx._("Linked: {platforms} are now one person.").format(
                platforms=_platform_names(ctx, platforms)
            )
        )
        .paragraph(
            ctx._(
                "Reminders and announcements will reach you once, on {platform}. Change with "
                "/link prefer PLATFORM."
            ).format(platform=ctx._(PLATFORMS.get(target.preferred_platform, "")))
        )
    )


def _refusal(ctx: Context, asker: Person, target: Person, platforms: list[str]) -> str | None:
    """Why two persons may not become one, or None. Linking never changes a role: both must
    hold the same one (for the same delegation); and one person has one account a platform."""
    if (asker.role, asker.delegation_id) != (target.role, target.delegation_id):
        return ctx._(
            "These accounts hold different roles, and linking never changes a role. Ask the "
            "Chair's office to invite your other account to the same role first."
        )
    doubled = sorted({p for p in platforms if platforms.count(p) > 1})
    if doubled:
        return ctx._(
            "Both accounts are on {platform}: I link accounts on different platforms only."
        ).format(platform=_platform_names(ctx, doubled))
    return None


async def _prefer(ctx: Context, platform: str) -> Reply:
    person = await ctx.person_for_update()
    linked = sorted({a.platform for a in await people.accounts_of(ctx.session, person.id)})
    if platform not in linked:
        return Reply().paragraph(
            ctx._("Choose one of your linked platforms: {names}.").format(names=", ".join(linked))
        )
    person.preferred_platform = platform
    return Reply().paragraph(
        ctx._("Reminders and announcements will reach you on {platform}.").format(
            platform=ctx._(PLATFORMS[platform])
        )
    )
