"""Reading a Chair's letter: the meetings it announces, with their day, time, room and key issues.

Pure text work: the caller shows the proposals to the Chair's office, which confirms them.
"""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from itertools import pairwise
from zoneinfo import ZoneInfo

from bot.core.dates import MONTHS
from bot.core.i18n import N_, UserError


@dataclass(frozen=True)
class IssueName:
    """How the caller describes a key issue."""

    key: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProposedMeeting:
    """A meeting the letter announces; `start` is None when the letter gives no time."""

    local_date: date
    start: datetime | None
    room: str | None
    issue_keys: tuple[str, ...]
    excerpt: str


class LetterError(UserError):
    """The letter announces no meeting that can be read; the message says why, for the user."""


_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_MONTH})\b\.?"
    rf"|(?P<m2>{_MONTH})\b\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b)"
    r"(?:,?\s+(?P<year>\d{4})\b)?",
    re.I,
)
_TIME = re.compile(
    r"\b(?:(?P<h12>\d{1,2})(?:[:.](?P<m12>\d{2}))?"
    r"(?:\s*(?:to|-|–)\s*(?P<until>\d{1,2})(?:[:.]\d{2})?)?\s*(?P<half>[ap])\.?m\b\.?"
    r"|(?P<h24>\d{1,2})[:.](?P<m24>\d{2})\b"
    r"|(?P<noon>noon|midday)\b)",
    re.I,
)
_KNOWN_ROOM = re.compile(
    r"\b(?:(?:Trusteeship|Economic and Social|Security) Council Chamber|ECOSOC Chamber"
    r"|General Assembly Hall|Conference Room (?:\d{1,2}|[A-E]))\b",
    re.I,
)
_NAMED_ROOM = re.compile(r"\bin the (?P<room>(?:[A-Z][\w'-]*\s+)+(?:Room|Chamber|Hall))\b")
_MEETING = re.compile(
    r"\b(?:meet|meetings?|sessions?|consultations?|IGN|negotiations?|plenary|debate|briefing)\b",
    re.I,
)
_CUE = re.compile(
    r"\b(?:will|shall|scheduled|convene|take place|to be held|next|upcoming|forthcoming)\b", re.I
)
_FOCUS = re.compile(r"\b(?:focus(?:s?ed)?\s+on|devoted\s+to|dedicated\s+to)\b", re.I)
_LATER = re.compile(
    r"\b(?:subsequent|later|future|further|additional|other)\s+(?:meetings?|sessions?)\b", re.I
)
_CITATION = re.compile(r"(?:\b(?:dated|since)|\b(?:letter|note|\d+)\s+of)\s*$", re.I)
_DATE_LINE = re.compile(
    rf"^[ \t]*(?:[A-Z][\w .'-]*,[ \t]*)?(?:{_DATE.pattern})[ \t.]*$", re.M | re.I
)
_TAG = re.compile(r"<[^>]+>")
_PARAGRAPH = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\bMr\.)(?<!\bMs\.)(?<!Mrs\.)(?<!H\.E\.)\s+(?=\W?[A-Z])")
_EXCERPT_LENGTH = 300


@dataclass(frozen=True)
class _Reading:
    """What every sentence of one letter is read with."""

    zone: ZoneInfo
    reference: date | None  # the day the letter was written: no meeting is announced before it
    issues: list[tuple[str, re.Pattern[str]]]


def propose_meetings(
    text: str, issues: list[IssueName], zone: str, written_on: date | None = None
) -> list[ProposedMeeting]:
    """The meetings `text` announces, in order; times are local to the IANA `zone`.
    A date without a year is the first one on or after `written_on` (else the letter's date).
    Raises LetterError when the letter announces no dated meeting."""
    text = _TAG.sub("", text)
    reading = _Reading(ZoneInfo(zone), written_on or _letter_date(text), _issue_patterns(issues))
    sentences = _sentences(text)
    proposals: list[ProposedMeeting] = []
    for index, sentence in enumerate(sentences):
        if not (_MEETING.search(sentence) and _CUE.search(sentence)):
            continue
        follow = sentences[index + 1] if index + 1 < len(sentences) else ""
        for proposal in _meetings_in(sentence, follow, reading):
            _add(proposals, proposal)
    if not proposals:
        raise LetterError(N_("I found no meeting date in this letter."))
    return proposals


def _sentences(text: str) -> list[str]:
    """The sentences of `text`, whitespace collapsed; paragraph breaks end a sentence too."""
    return [
        " ".join(sentence.split())
        for paragraph in _PARAGRAPH.split(text)
        for sentence in _SENTENCE_END.split(paragraph)
        if sentence.strip()
    ]


def _letter_date(text: str) -> date | None:
    """The letter's own date, from a line holding only "[Place,] 11 December 2015"."""
    for match in _DATE_LINE.finditer(text):
        if match["year"]:
            return _calendar_day(match, None)
    return None


def _issue_patterns(issues: list[IssueName]) -> list[tuple[str, re.Pattern[str]]]:
    """One case-insensitive pattern per issue, for its name and aliases without a leading "The"."""
    patterns = []
    for issue in issues:
        phrases = {
            re.sub(r"(?i)^the\s+", "", " ".join(phrase.split()))
            for phrase in (issue.name, *issue.aliases)
        }
        choices = sorted((re.escape(phrase) for phrase in phrases if phrase), key=len, reverse=True)
        patterns.append((issue.key, re.compile(rf"\b(?:{'|'.join(choices)})\b", re.I)))
    return patterns


def _meetings_in(sentence: str, follow: str, reading: _Reading) -> list[ProposedMeeting]:
    """The meetings one announcing sentence dates. Each date is read with the text up to the next
    date; a lone meeting also takes the key issues of a following "will focus on" sentence."""
    matches = list(_DATE.finditer(sentence))
    if not matches:
        return []
    bounds = [0, *(match.start() for match in matches[1:]), len(sentence)]
    dated: list[tuple[date, str]] = []
    for match, (start, end) in zip(matches, pairwise(bounds), strict=True):
        if _CITATION.search(sentence[: match.start()]):
            continue
        day = _calendar_day(match, reading.reference)
        if reading.reference is None or day >= reading.reference:
            clause = sentence[start : match.end()] + _before_later(sentence[match.end() : end])
            dated.append((day, clause))
    if len(dated) == 1 and _FOCUS.search(follow) and not _DATE.search(follow):
        day, clause = dated[0]
        dated = [(day, f"{clause} {_before_later(follow)}")]
    return [_meeting(day, clause, sentence, reading) for day, clause in dated]


def _meeting(day: date, clause: str, sentence: str, reading: _Reading) -> ProposedMeeting:
    """The proposal for the meeting on `day` that `clause` describes."""
    at = _start_time(clause)
    found = sorted(
        (m.start(), key) for key, pattern in reading.issues if (m := pattern.search(clause))
    )
    return ProposedMeeting(
        local_date=day,
        start=None if at is None else datetime.combine(day, at, tzinfo=reading.zone),
        room=_room(clause),
        issue_keys=tuple(key for _, key in found),
        excerpt=_excerpt(sentence),
    )


def _calendar_day(match: re.Match[str], reference: date | None) -> date:
    """The day a date match names; without a year, the first such day on or after `reference`."""
    day = int(match["d1"] or match["d2"])
    month = MONTHS[(match["m1"] or match["m2"]).lower()]
    if match["year"]:
        years, earliest = [int(match["year"])], date.min
    elif reference is None:
        raise LetterError(
            N_("The letter gives no year for “{date}”: please give the year."), date=match[0]
        )
    else:
        years, earliest = list(range(reference.year, reference.year + 9)), reference
    for year in years:
        with suppress(ValueError):
            if (candidate := date(year, month, day)) >= earliest:
                return candidate
    raise LetterError(N_("“{date}” is not a day in the calendar."), date=match[0])


def _start_time(clause: str) -> time | None:
    """The first time of day in `clause`: "10am", "3.30 p.m.", "from 3 to 6 p.m.", "15:00"."""
    for match in _TIME.finditer(clause):
        if (at := _clock(match)) is not None:
            return at
    return None


def _clock(match: re.Match[str]) -> time | None:
    """The (start) time a time match names; None for an impossible one ("13 p.m.")."""
    if match["noon"]:
        return time(12)
    hour = int(match["h12"] or match["h24"])
    minute = int(match["m12"] or match["m24"] or 0)
    if match["half"]:
        if not 1 <= hour <= 12:
            return None
        ends_earlier = match["until"] and int(match["until"]) % 12 < hour % 12  # "11 to 1 p.m."
        afternoon = match["half"].lower() == "p" and not ends_earlier
        hour = hour % 12 + (12 if afternoon else 0)
    return time(hour, minute) if hour < 24 and minute < 60 else None


def _room(clause: str) -> str | None:
    """The room `clause` names: a known UN Headquarters room, else "in the <Name> Room"."""
    if known := _KNOWN_ROOM.search(clause):
        return known[0]
    named = _NAMED_ROOM.search(clause)
    return named["room"] if named else None


def _before_later(text: str) -> str:
    """`text` up to any mention of "subsequent meetings", whose issues are for undated meetings."""
    later = _LATER.search(text)
    return text[: later.start()] if later else text


def _add(proposals: list[ProposedMeeting], proposal: ProposedMeeting) -> None:
    """Append `proposal`, or fold it into the kept meeting it names again (same day, no other
    time), keeping what was read first and adding what was missing."""
    for index, other in enumerate(proposals):
        starts = {other.start, proposal.start} - {None}
        if other.local_date == proposal.local_date and len(starts) <= 1:
            proposals[index] = replace(
                other,
                start=other.start or proposal.start,
                room=other.room or proposal.room,
                issue_keys=(*dict.fromkeys(other.issue_keys + proposal.issue_keys),),
            )
            return
    proposals.append(proposal)


def _excerpt(sentence: str) -> str:
    """`sentence`, cut short for showing to the user."""
    if len(sentence) <= _EXCERPT_LENGTH:
        return sentence
    return sentence[: _EXCERPT_LENGTH - 1].rstrip() + "…"
