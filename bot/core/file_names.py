"""Names written in data files resolved exactly as the chat resolves them (any case, aliases,
the six languages, a forgiven typo); a name two things share is refused with the choices."""

from __future__ import annotations

from bot.core.names import NameIndex
from storage.directory import DelegationName, IssueName


class ChatNames:
    """The FileNames of storage.files.file_names, on the chat's name index."""

    def __init__(self, index: NameIndex) -> None:
        self.index = index

    def _one(self, text: str, kind: type, what: str) -> str:
        mentioned = (
            [t for t in targets if isinstance(t, kind)] for targets in self.index.find(text)
        )
        # A long name may be found in parts ("size ... and working methods"): the same one.
        found = list({tuple(t.key for t in ts): ts for ts in mentioned if ts}.values())
        if len(found) > 1:
            names = ", ".join(repr(targets[0].name) for targets in found)
            raise LookupError(f"{text!r} names several: {names}; give one a cell")
        if not found:
            similar = [t.name for t, _score in self.index.similar(text) if isinstance(t, kind)]
            hint = f" (did you mean {' or '.join(map(repr, similar))}?)" if similar else ""
            raise LookupError(f"{text!r} is not {what} Plenary knows{hint}")
        (choices,) = found
        if len(choices) > 1:
            options = " or ".join(f"{c.name!r} ({c.key})" for c in choices)
            raise LookupError(f"{text!r} may be {options}: write the one meant")
        return choices[0].key

    def issue(self, text: str) -> str:
        return self._one(text, IssueName, "a key issue")

    def holder(self, text: str) -> str:
        return self._one(text, DelegationName, "a State or group")
