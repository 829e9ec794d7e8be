"""Message extraction for `pybabel extract` (see babel.cfg): Babel's Python extractor, plus the
help text of every command, which `bot.core.commands.command` takes from the first line of the
handler's docstring (translated where it is shown)."""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from babel.messages.extract import extract_python

COMMENT = "Help text of a command (the first line of its docstring)."


def _is_command(decorator: ast.expr) -> bool:
    """True for `@command(...)`, however it was imported."""
    func = decorator.func if isinstance(decorator, ast.Call) else decorator
    return (isinstance(func, ast.Name) and func.id == "command") or (
        isinstance(func, ast.Attribute) and func.attr == "command"
    )


def command_summaries(source: str | bytes) -> Iterator[tuple[int, str]]:
    """(line, summary) of each function registered with `@command` in a module's source: the
    same first docstring line `bot.core.commands.command` shows."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
            _is_command(d) for d in node.decorator_list
        ):
            doc = ast.get_docstring(node)
            if doc:
                yield node.lineno, doc.splitlines()[0]


def extract(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: dict[str, Any],
) -> Iterator[tuple[int, str | None, str | tuple[str, ...], list[str]]]:
    """Babel's extraction method for Plenary's Python modules."""
    yield from extract_python(fileobj, keywords, comment_tags, options)
    fileobj.seek(0)
    for line, summary in command_summaries(fileobj.read()):
        yield line, None, summary, [COMMENT]
