"""What is wrong with a data file: each fault names where it is, and all are reported at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

SHOWN = 100  # faults listed; the rest are counted

T = TypeVar("T")


class ProgrammeFileError(ValueError):
    """A data file that cannot be imported; each problem names where and why."""

    def __init__(self, *problems: str) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


Fault = Callable[[str, str], ProgrammeFileError]
"""The error for (field, problem), naming where in its file that field is."""


class Problems:
    """The faults found in a file so far: each is recorded and reading goes on, so that one
    answer lists them all."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def attempt(self, work: Callable[[], T], fallback: T | None = None) -> T | None:
        try:
            return work()
        except ProgrammeFileError as error:
            self.found.extend(error.problems)
            return fallback

    def raise_any(self) -> None:
        if self.found:
            more = len(self.found) - SHOWN
            tail = [f"and {more} more"] if more > 0 else []
            raise ProgrammeFileError(*self.found[:SHOWN], *tail)
