"""What a new wording changes in an old one, as a reader would point it out: "10:00 → 10:30"."""

from __future__ import annotations

from difflib import SequenceMatcher

MOST_CHANGES = 5  # beyond this the text was rewritten, not corrected: no list


def changes(old: str, new: str) -> list[tuple[str, str]]:
    """The runs of words replaced, added ("" before) or removed ("" after), in order; empty
    when the texts are the same or differ in more than MOST_CHANGES places."""
    before, after = old.split(), new.split()
    found = [
        (" ".join(before[i1:i2]), " ".join(after[j1:j2]))
        for tag, i1, i2, j1, j2 in SequenceMatcher(
            None, before, after, autojunk=False
        ).get_opcodes()
        if tag != "equal"
    ]
    return found if len(found) <= MOST_CHANGES else []
