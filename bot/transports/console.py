"""The terminal chat: interactive on a terminal, one answer a line when input is piped."""

from __future__ import annotations

import asyncio
import getpass
import mimetypes
import re
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from bot.core.answering import Core
from bot.core.messages import Attachment, Incoming, Reply
from bot.render.plain import render_plain
from bot.transports.outcomes import CannotEdit, TryLater
from storage.files.documents import MAX_DOCUMENT_BYTES
from storage.models import Account

FILES = Path(tempfile.gettempdir()) / "plenary-files"  # where the terminal writes attachments
PLATFORM = "console"
# Commands whose text is pasted across lines: typed alone, they take every line that
# follows, up to one holding a single "." (a terminal sends each line on its own).
PASTED = ("/letter", "/announce")
END_OF_PASTE = "."
# "/speakers ign70-1 paste < list.docx": the line, and a file sent with it (as a shell reads).
ATTACHED = re.compile(r"^(?P<text>.*?)\s*<\s*(?P<path>[^<>]*[^<>\s])\s*$")


def attached(line: str) -> tuple[str, Attachment | None]:
    """The text of a line, and the file it sends when it ends with `< PATH` naming a file
    (read up to just past the documents' limit, so that a larger one is refused as such)."""
    found = ATTACHED.match(line)
    path = Path(found["path"]).expanduser() if found else None
    if found is None or path is None or not path.is_file():
        return line, None
    try:
        with path.open("rb") as file:
            content = file.read(MAX_DOCUMENT_BYTES + 1)
    except OSError:
        return line, None
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return found["text"], Attachment(path.name, content, media_type)


class ConsoleTransport:
    """Reads lines, answers each through the core, writes plain text."""

    def __init__(
        self,
        core: Core,
        stdin: TextIO = sys.stdin,
        stdout: TextIO = sys.stdout,
        user: str | None = None,
    ) -> None:
        self.core, self.stdin, self.stdout = core, stdin, stdout
        self.user = user or getpass.getuser()
        self.interactive = stdin.isatty()
        self.reader_gone = False  # set when the output's reader closed it (`| head`)
        self._delivered = 0

    def show(self, reply: Reply) -> None:
        """Print the reply; its attachments are written to FILES and shown by their path."""
        saved = {}
        if reply.attachments:
            FILES.mkdir(parents=True, exist_ok=True)
            for attachment in reply.attachments:
                path = FILES / Path(attachment.filename).name
                path.write_bytes(attachment.content)
                saved[attachment.filename] = str(path)
        self._write(render_plain(reply, saved) + "\n\n")

    def _write(self, text: str) -> None:
        try:
            self.stdout.write(text)
            self.stdout.flush()
        except BrokenPipeError:
            self.reader_gone = True
            raise

    async def deliver(self, account: Account, reply: Reply, skip: int = 0) -> str:
        """A proactive message, printed between answers (whole: printing never fails
        midway, unless nobody reads any more: then it waits for a later run)."""
        if self.reader_gone:
            raise TryLater("nobody reads the terminal's output any more")
        try:
            self._write("\n")
            self.show(reply)
        except BrokenPipeError:
            raise TryLater("nobody reads the terminal's output any more") from None
        self._delivered += 1
        return f"console-{self._delivered}"

    async def attach(self, account: Account, reply: Reply) -> None:
        """The attachments alone (the terminal never fails to print a message's text)."""
        self.show(Reply(attachments=reply.attachments))

    async def edit(self, account: Account, message_id: str, reply: Reply) -> str:
        """A terminal cannot change what it printed: the correction comes as a new message."""
        raise CannotEdit("a terminal cannot change what it printed")

    def incoming(self, line: str) -> Incoming:
        text, attachment = attached(line)
        return Incoming(
            platform=PLATFORM,
            user_id=self.user,
            text=text,
            display_name=self.user,
            chat_id=self.user,
            direct_chat_id=self.user,
            attachment=attachment,
        )

    async def _read_line(self) -> str | None:
        if self.interactive:
            try:
                return await asyncio.to_thread(input, "you> ")
            except EOFError:
                return None
        line = await asyncio.to_thread(self.stdin.readline)
        return line.rstrip("\n") if line else None

    async def serve(self, greeting: Reply | None = None, wait: float = 0) -> None:
        """Answer every line until the end of input (or `/quit` on a terminal), then stay
        `wait` seconds more for proactive messages. Ends at once, quietly, when the output's
        reader goes away (`plenary chat ... | head`)."""
        try:
            await self._answer_lines(greeting)
        except BrokenPipeError:
            return
        await asyncio.sleep(wait)

    async def _answer_lines(self, greeting: Reply | None) -> None:
        if greeting is not None:
            self.show(greeting)
        while (line := await self._read_line()) is not None:
            if self.interactive and line.strip() in ("/quit", "/exit"):
                break
            if not self.interactive:
                self._write(f"> {line}\n")
            if line.strip() in PASTED:
                line = f"{line.strip()} {await self._pasted()}"
            self.show(await self.core.answer(self.incoming(line)))

    async def _pasted(self) -> str:
        """The lines pasted after a command, up to a line holding a single "." (or the end)."""
        if self.interactive:
            self._write('Paste the text, then a line with a single "." to send it.\n')
        lines = []
        while (line := await self._read_line()) is not None and line.strip() != END_OF_PASTE:
            lines.append(line)
        return "\n".join(lines)
