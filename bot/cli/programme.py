"""The programme on the command line: `plenary meeting add|edit|postpone|cancel` and
`plenary letter FILE`. They run the Chair's office's chat commands as the operator, so both
ways preview, confirm and audit alike."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.cli.args import UsageError, confirmed, load_config, operator, programme_clock
from bot.core.answering import OPERATOR_PLATFORM, Core
from bot.core.issue_names import understood_names
from bot.core.letters import IssueName, LetterError, propose_meetings
from bot.core.messages import Reply
from bot.render.plain import render_plain
from bot.runtime.process import migrated
from handlers.attachments import AttachmentRefused, new_document, page_of, read_file, refused
from handlers.letters import add_command
from storage import audit, documents, meetings, meta
from storage.files.documents import MAX_DOCUMENT_BYTES, DocumentRefused, DocumentText, Refusal
from storage.files.formats import DEFAULT_ZONE

COMMANDS_OF_MEETING = {
    "add": "/addmeeting",
    "edit": "/editmeeting",
    "postpone": "/postpone",
    "cancel": "/cancelmeeting",
}
# What the chat's answers point to, as the command line says it.
CLI_WORDS = {"(see /meetings)": "(see plenary meetings)"}
NOTHING_CHANGED = 1


def add_parsers(commands: Any) -> list[argparse.ArgumentParser]:
    meeting = commands.add_parser("meeting", help="add, edit, postpone or cancel a meeting")
    actions = meeting.add_subparsers(dest="meeting_action", required=True)
    parsers = []
    examples = {
        "add": '"7 March 2016 10:00; Conference Room 4; veto, size; Informal meeting"',
        "edit": "REFERENCE date|time|room|issues|title|notes VALUE",
        "postpone": "REFERENCE",
        "cancel": "REFERENCE",
    }
    for action, example in examples.items():
        parser = actions.add_parser(action, help=f"e.g. plenary meeting {action} {example}")
        parser.add_argument("words", nargs="+", metavar="ARGUMENT")
        parser.add_argument("--yes", action="store_true", help="confirm without asking")
        parsers.append(parser)
    letter = commands.add_parser("letter", help="propose the meetings a letter announces")
    letter.add_argument("file", type=Path, help="a .pdf, .docx, .txt or .md file")
    letter.add_argument("--yes", action="store_true", help="add every proposed meeting")
    return [*parsers, letter]


async def _run(args: argparse.Namespace, work: Callable[[Core], Awaitable[int]]) -> int:
    async with migrated(load_config(args)) as sessions:
        return await work(Core(sessions, await programme_clock(sessions)))


def _show(reply: Reply) -> None:
    """An answer as the operator reads it: no buttons (the command line asks instead)."""
    text = render_plain(replace(reply, buttons=[]))
    for chat, cli in CLI_WORDS.items():
        text = text.replace(chat, cli)
    print(text)


async def _revision(core: Core) -> int:
    async with core.sessions() as session:
        return await meta.revision(session)


async def _previewed_change(core: Core, command: str, question: str, yes: bool) -> bool:
    """Run a command that previews a change, show the preview, and confirm it if the operator
    says so (or --yes); True when the programme changed."""
    login = operator()
    preview = await core.answer_as_operator(command, login)
    _show(preview)
    buttons = [button.command for row in preview.buttons for button in row]
    confirm = next((c for c in buttons if c.startswith("/confirm ")), None)
    if confirm is None:  # refused, or nothing to change: the answer says why
        return False
    if not confirmed(question, yes):
        await core.answer_as_operator(confirm.replace("/confirm", "/discard", 1), login)
        print("Nothing was changed.")
        return False
    before = await _revision(core)
    _show(await core.answer_as_operator(confirm, login))
    return await _revision(core) != before


async def meeting(args: argparse.Namespace) -> int:
    command = f"{COMMANDS_OF_MEETING[args.meeting_action]} {' '.join(args.words)}"

    async def work(core: Core) -> int:
        changed = await _previewed_change(core, command, "Make this change?", args.yes)
        return 0 if changed else NOTHING_CHANGED

    return await _run(args, work)


def _read_letter(path: Path) -> tuple[DocumentText, bytes]:
    """The letter's pages and its file; UsageError when it cannot be read."""
    try:
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            raise refused(DocumentRefused(Refusal.TOO_LARGE), path.name)
        content = path.read_bytes()
        return read_file(path.name, content), content
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror or error}") from None
    except AttachmentRefused as error:
        raise UsageError(f"{path}: {error} Nothing was stored.") from None


async def _keep(core: Core, read: DocumentText, content: bytes) -> str:
    """The letter on record, brought by the operator at the command line: its key."""
    now = core.clock.now()
    async with core.sessions() as session:
        new = new_document(read, content)
        document, created = await documents.keep(session, new, None, OPERATOR_PLATFORM, now)
        if created:
            after = {"title": document.title}
            await audit.record(
                session,
                now,
                None,
                OPERATOR_PLATFORM,
                "document",
                document.key,
                None,
                after,
                user_id=operator(),
            )
        await session.commit()
        return document.key


async def letter(args: argparse.Namespace) -> int:
    read, content = _read_letter(args.file)

    async def work(core: Core) -> int:
        async with core.sessions() as session:
            names = await understood_names(session)
            zone = (await meta.programme_settings(session)).get("timezone", DEFAULT_ZONE)
        issues = [IssueName(i.key, i.name, i.aliases) for i in names.issues]
        try:
            found = propose_meetings(read.text, issues, zone)
        except LetterError as error:
            raise UsageError(f"{args.file}: {error} Nothing was stored.") from None
        kept = await _keep(core, read, content)
        print(f"Kept as document {kept} (/documents {kept} in the chat).")
        for proposal in found:
            command = add_command(proposal, zone)
            page = page_of(read, proposal.excerpt)
            print(f"\nProposed: {command.removeprefix('/addmeeting ').rstrip('; ')}")
            print(f"  from{f' page {page}' if page else ''}: “{proposal.excerpt}”")
            async with core.sessions() as session:
                existing = await meetings.announced(session, proposal.local_date, proposal.start)
            if existing is not None:
                print(f"  Already in the programme as {existing.key}.")
                continue
            await _previewed_change(core, command, "Add this meeting?", args.yes)
        print(f"\nTo broadcast the letter: plenary announce --audience all --file {args.file}")
        return 0

    return await _run(args, work)


COMMANDS: dict[str, Callable[[argparse.Namespace], Awaitable[int]]] = {
    "meeting": meeting,
    "letter": letter,
}
