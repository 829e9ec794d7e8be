"""How the names written in a data file (key issues, States and groups) become keys: taken
literally here; the command line passes the chat's own resolution (bot.core.file_names)."""

from __future__ import annotations

from typing import Protocol


class FileNames(Protocol):
    """Resolves one name written in a file; raises LookupError saying why it cannot (unknown,
    or naming several: then the choices)."""

    def issue(self, text: str) -> str: ...

    def holder(self, text: str) -> str: ...


class LiteralNames:
    """Names as keys: a key issue by its key (any case), a holder as written (the importer
    looks it up among names and aliases)."""

    def issue(self, text: str) -> str:
        return text.strip().casefold()

    def holder(self, text: str) -> str:
        return text.strip()
