"""The programme on the command line: `plenary meeting add|edit|postpone|cancel` and
`plenary letter FILE`. They run the Chair's office's chat commands as the operator, so both
ways behave (and are audited) alike."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bot.cli.args import UsageError, load_config, operator
from bot.core.answering import OPERATOR_PLATFORM, Core
from bot.core.clock import Clock
from bot.core.issue_names import understood_names
from bot.core.letters import IssueName, LetterError, propose_meetings
from bot.render.plain import render_plain
from bot.runtime.process import migrated
from handlers.attachments import AttachmentRefused, new_document, page_of, read_file, refused
from handlers.letters import add_command
from storage import audit, documents, meta
from storage.files.documents import MAX_DOCUMENT_BYTES, DocumentRefused, DocumentText, Refusal
from storage.files.formats import DEFAULT_ZONE

COMMANDS_OF_MEETING = {
    "add": "/addmeeting",
    "edit": "/editmeeting",
    "postpone": "/postpone",
    "cancel": "/cancelmeeting",
}
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
        parsers.append(parser)
    letter = commands.add_parser("letter", help="propose the meetings a letter announces")
    letter.add_argument("file", type=Path, help="a .pdf, .docx, .txt or .md file")
    letter.add_argument("--yes", action="store_true", help="add every proposed meeting")
    return [*parsers, letter]


async def _run(args: argparse.Namespace, work: Callable[[Core], Awaitable[int]]) -> int:
    async with migrated(load_config(args)) as sessions:
        return await work(Core(sessions, Clock()))


async def _revision(core: Core) -> int:
    async with core.sessions() as session:
        return await meta.revision(session)


async def _changed_by(core: Core, command: str) -> bool:
    """Run one command, print its answer; True when it changed the programme."""
    before = await _revision(core)
    print(render_plain(await core.answer_as_operator(command, operator())))
    return await _revision(core) != before


async def meeting(args: argparse.Namespace) -> int:
    command = f"{COMMANDS_OF_MEETING[args.meeting_action]} {' '.join(args.words)}"

    async def work(core: Core) -> int:
        return 0 if await _changed_by(core, command) else NOTHING_CHANGED

    return await _run(args, work)


def _confirmed(question: str, yes: bool) -> bool:
    if yes:
        return True
    print(f"{question} [y/N] ", end="", flush=True)
    return sys.stdin.readline().strip().lower() in ("y", "yes")


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
                session, now, None, OPERATOR_PLATFORM, "document", document.key, None, after
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
        print(f"Kept as document {kept} (/documents {kept}).")
        for proposal in found:
            command = add_command(proposal, zone)
            page = page_of(read, proposal.excerpt)
            print(f"Proposed: {command.removeprefix('/addmeeting ')}")
            print(f"  from{f' page {page}' if page else ''}: “{proposal.excerpt}”")
            if _confirmed("Add this meeting?", args.yes):
                await _changed_by(core, command)
        print(f"To broadcast the letter: plenary announce --audience all --file {args.file}")
        return 0

    return await _run(args, work)


COMMANDS: dict[str, Callable[[argparse.Namespace], Awaitable[int]]] = {
    "meeting": meeting,
    "letter": letter,
}
