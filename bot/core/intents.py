"""Plain-language questions: which command a sentence asks for, decided by its asking words
(bot/core/asking_words.py) before the names it holds, so that "who is in UfC?" asks for members
although "membership" names a key issue too."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.core.asking_words import ASKING
from bot.core.context import Request
from bot.core.names import normalize
from bot.core.pacing_words import PACING
from storage.models import DelegationKind


def _compile(whole: tuple[str, ...], anywhere: tuple[str, ...]) -> re.Pattern[str]:
    parts = [r"\b(?:" + "|".join(whole) + r")\b"] if whole else []
    parts.extend(re.escape(phrase) for phrase in anywhere)
    return re.compile("|".join(parts))


CUES = {intent: _compile(*words) for intent, words in {**ASKING, **PACING}.items()}
_SEARCH_ASKS = ASKING["search"][0]
_ASKED = re.compile(
    r"(?i)^.*?\b(?:"
    + "|".join((*_SEARCH_ASKS, "who says")).replace(" ", r"\W+")
    + r")\b"
    + "|^.*?(?:"
    + "|".join(ASKING["search"][1])
    + ")"
)


def search_words(text: str) -> str:
    """What a search question looks for: "who mentions a review conference?" -> "a review
    conference?"; the text itself when it asks no such question."""
    return _ASKED.sub("", text, count=1).strip(" ?？؟")


@dataclass(frozen=True)
class Intent:
    """The command a question asks for, and what it asks beyond its names and dates."""

    command: str
    ordinal: int = 1  # the meeting after next is the 2nd
    keep_text: bool = True  # False: the command's argument is rebuilt from the slots


def names_a_time(text: str) -> bool:
    """Whether a question asks a time somewhere, or sets a time zone (then a city in it
    names a time zone)."""
    return _asks(normalize(text), "time_in", "timezone")


@lru_cache(maxsize=4096)  # people repeat questions: their asking words are read once
def _cues(words: str) -> frozenset[str]:
    """The intents whose asking words `words` holds."""
    return frozenset(intent for intent, cue in CUES.items() if cue.search(words))


def _asks(words: str, *intents: str) -> bool:
    return not _cues(words).isdisjoint(intents)


def classify(text: str, request: Request) -> Intent | None:
    """The intent of a plain-language question, or None when it is not understood."""
    words = normalize(text)
    if not words:
        return None
    for intent in _ORDER:
        found = intent(words, request)
        if found is not None:
            return found
    return None


def _help(words: str, request: Request) -> Intent | None:
    return Intent("help") if _asks(words, "help") else None


def _search(words: str, request: Request) -> Intent | None:
    return Intent("search") if _asks(words, "search") else None


def _speakers(words: str, request: Request) -> Intent | None:
    return Intent("speakers", keep_text=False) if _asks(words, "speakers") else None


def _map(words: str, request: Request) -> Intent | None:
    return Intent("map") if request.issues and _asks(words, "map") else None


def _chair(words: str, request: Request) -> Intent | None:
    for intent, command in (
        ("audit", "audit"),
        ("focal_points", "focalpoints"),
        ("subscribers", "subscribers"),
        ("deliveries", "deliveries"),
    ):
        if _asks(words, intent):
            return Intent(command, keep_text=False)
    return None


def _positions_asked(words: str, request: Request) -> Intent | None:
    if request.delegations and _asks(words, "compare"):
        return Intent("compare")
    if request.delegations and _asks(words, "changes"):
        return Intent("history")
    if _asks(words, "not_submitted", "submitted") and (request.issues or not request.delegations):
        return Intent("submitted", keep_text=False)
    return None


def _pacing(words: str, request: Request) -> Intent | None:
    """Digests, quiet hours, coverage: their text is kept (the times and days in it)."""
    if _asks(words, "unsubscribe"):  # "no me envíes más recordatorios" is no quiet hours
        return None
    for intent in ("coverage", "quiet", "digest"):
        if _asks(words, intent):
            return Intent(intent)
    return None


def _reminders(words: str, request: Request) -> Intent | None:
    if _asks(words, "unsubscribe"):
        return Intent("unsubscribe", keep_text=False)
    if _asks(words, "my_reminders"):
        return Intent("reminders", keep_text=False)
    if _asks(words, "calendar_file"):
        ordinal = 2 if _asks(words, "after_next") else 1
        return Intent("ics", ordinal=ordinal, keep_text=False)
    if _asks(words, "remind") and not _asks(words, "announcements"):
        return Intent("remindme", keep_text=False)
    if _asks(words, "calendar_feed") and not (request.day or request.span):
        return Intent("calendar", keep_text=False)
    return None


def _settings(words: str, request: Request) -> Intent | None:
    if _asks(words, "announcements"):
        return Intent("announcements", keep_text=False)
    if _asks(words, "timezone"):
        return Intent("timezone", keep_text=False) if request.zone else Intent("settings")
    if request.zone and _asks(words, "time_in"):
        return Intent("time", ordinal=2 if _asks(words, "after_next") else 1, keep_text=False)
    return None


def _groups(words: str, request: Request) -> Intent | None:
    if not request.delegations:
        return None
    named = request.delegations[0][0]
    if named.kind != DelegationKind.GROUP and _asks(words, "groups_of"):
        return Intent("group")
    if named.kind != DelegationKind.GROUP:
        return None
    # A group named alone, or asked about, is the group; what it says is its position.
    if _asks(words, "members") or (
        not request.issues and (_asks(words, "what_is") or not _asks(words, "positions", "says"))
    ):
        return Intent("group")
    return None


def _meetings(words: str, request: Request) -> Intent | None:
    if _asks(words, "after_next") and not request.delegations:
        return Intent("next", ordinal=2, keep_text=False)
    dated = request.day or request.span or request.no_such_day
    names = request.issues or request.delegations
    if _asks(words, "next") and not names and not dated:
        return Intent("next", keep_text=False)
    if dated and not request.delegations and (_calendar_day(words) or _asks(words, "meetings")):
        return Intent("meetings")
    asks_when = _asks(words, "when_where", "meetings") and not _asks(words, "positions")
    if request.issues and not request.delegations and asks_when:
        return Intent("meetings")
    return None


def _calendar_day(words: str) -> bool:
    """A date written out ("22 February", "2月22日") asks what is on that day; "today" or
    "next week" alone does not ("what's for lunch today?")."""
    return not _asks(words, "relative_day")


def _names(words: str, request: Request) -> Intent | None:
    if request.delegations:
        return Intent("position")
    if request.issues:
        return Intent("positions" if _asks(words, "positions") else "issue")
    return None


def _general(words: str, request: Request) -> Intent | None:
    for intent, command in (
        ("search_last", "search"),
        ("meetings", "meetings"),
        ("next", "next"),
        ("issues", "issues"),
        ("groups", "groups"),
        ("settings", "settings"),
        ("greeting", "start"),
    ):
        if _asks(words, intent):
            return Intent(command, keep_text=command not in ("next", "meetings"))
    return None


_ORDER = (
    _help,
    _search,
    _speakers,
    _map,
    _chair,
    _positions_asked,
    _pacing,
    _reminders,
    _settings,
    _groups,
    _meetings,
    _names,
    _general,
)
