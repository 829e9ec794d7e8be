"""What the chaos benchmark found: every message the fake platforms took, matched with the
outbox's rows (lost, duplicates, what each killed process had in flight, corrections)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.runtime.dispatcher import Dispatcher
from storage.models import Account, Delivery, DeliveryStatus, Meeting
from testkit.fakes.slack_api import FakeSlack
from testkit.fakes.telegram_api import FakeTelegram

MEETING = re.compile(r"Chaos meeting \d+")
SEND_SLOTS = Dispatcher.concurrency  # a process's sends in flight at once, at the most
Identity = tuple[str, str, str, str]  # platform, chat, kind, meeting


@dataclass
class Slot:
    """One process's place: its name and its own fake platforms."""

    name: str
    telegram: FakeTelegram
    slack: FakeSlack


@dataclass
class Kill:
    """A process killed: its slot, its life (monotonic time), the rows it held then."""

    slot: str
    lived_from: float
    killed_at: float
    held: list[int]


@dataclass
class Message:
    identity: Identity
    slot: str
    at: float
    message_id: str
    text: str


def _kind(text: str) -> tuple[str, str]:
    if "Delivery report" in text:
        return "report", ""
    if "Correction:" in text:
        return "correction", ""
    if "Announcement from the" in text:
        return "announcement", ""
    found = MEETING.search(text)
    if "Reminder" in text and found:
        return "reminder", found.group()
    return "other", text[:40]


def _messages(slots: list[Slot]) -> tuple[list[Message], list[tuple[str, str, str, str]]]:
    """Every message the platforms took, and every edit (platform, chat, message, text)."""
    messages, edits = [], []
    for slot in slots:
        for call in slot.telegram.calls:
            chat, text = str(call.params.get("chat_id")), call.params.get("text", "")
            if call.method == "sendMessage":
                identity = ("telegram", chat, *_kind(text))
                message_id = str(call.result["message_id"])
                messages.append(Message(identity, slot.name, call.at, message_id, text))
            elif call.method == "editMessageText":
                edits.append(("telegram", chat, str(call.params.get("message_id")), text))
        for call in slot.slack.calls:
            chat, text = call.params.get("channel", ""), call.params.get("text", "")
            if call.method == "chat.postMessage":
                identity = ("slack", chat, *_kind(text))
                messages.append(Message(identity, slot.name, call.at, call.result["ts"], text))
            elif call.method == "chat.update":
                edits.append(("slack", chat, call.params.get("ts", ""), text))
    return messages, edits


async def _rows(session: AsyncSession) -> dict[int, tuple[Identity, Any, str | None]]:
    """Each row: its identity, status and message id."""
    found = await session.execute(
        select(
            Delivery.id,
            Delivery.kind,
            Delivery.status,
            Delivery.message_id,
            Account.platform,
            Account.chat_id,
            Account.external_id,
            Meeting.title,
        )
        .join(Account, Account.id == Delivery.account_id)
        .outerjoin(Meeting, Meeting.id == Delivery.meeting_id)
    )
    return {
        row.id: (
            (row.platform, row.chat_id or row.external_id, row.kind, row.title or ""),
            row.status,
            row.message_id,
        )
        for row in found
    }


@dataclass
class Analysis:
    due: int = 0
    drained: float = 0.0
    kills: int = 0
    lost: int = 0
    not_settled: int = 0
    duplicates: int = 0
    in_flight: list[int] = field(default_factory=list)  # at each kill
    corrections_needed: int = 0
    corrections_reached: int = 0
    reports: int = 0
    other_messages: int = 0
    tracebacks: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    deliveries: Counter[str] = field(default_factory=Counter)  # rows by kind

    def print(self, title: str) -> None:
        kinds = ", ".join(f"{n:,} {kind}" for kind, n in sorted(self.deliveries.items()))
        print(f"{title}: {sum(self.deliveries.values()):,} deliveries ({kinds})")
        print(f"  drained in {self.drained:.1f} s, {self.kills} processes killed (SIGKILL)")
        print(f"  lost {self.lost} (rows not sent: {self.not_settled})")
        each = " ".join(map(str, self.in_flight)) or "-"
        most = max(self.in_flight, default=0)
        print(
            f"  duplicates {self.duplicates}; in flight at the kills {sum(self.in_flight)} "
            f"({each}; at most {most} at one kill, bound {SEND_SLOTS})"
        )
        print(
            f"  corrections: {self.corrections_reached:,} of {self.corrections_needed:,} "
            "messages sent with the old text were corrected"
        )
        print(f"  delivery reports sent to the author: {self.reports}")
        print(f"  unrecognised messages {self.other_messages}, tracebacks logged {self.tracebacks}")
        print(f"  faults dealt: {dict(sorted(self.faults.items()))}")

    @staticmethod
    def print_table(results: list[Analysis]) -> None:
        print(
            "\n| run | deliveries | drained | kills | lost | duplicates | in flight at kills "
            "(most at one) | corrected / sent with old text | reports |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        for run, r in enumerate(results, 1):
            print(
                f"| {run} | {sum(r.deliveries.values()):,} | {r.drained:.0f} s | {r.kills} "
                f"| {r.lost} | {r.duplicates} | {sum(r.in_flight)} ({max(r.in_flight, default=0)}) "
                f"| {r.corrections_reached:,} / {r.corrections_needed:,} | {r.reports} |"
            )


async def analyse(
    sessions: async_sessionmaker[AsyncSession],
    slots: list[Slot],
    kills: list[Kill],
    old: str,
    new: str,
) -> Analysis:
    async with sessions() as session:
        rows = await _rows(session)
    messages, edits = _messages(slots)
    result = Analysis(kills=len(kills))
    result.deliveries = Counter(identity[2] for identity, _, _ in rows.values())
    counts = Counter(m.identity for m in messages)
    result.duplicates = sum(n - 1 for n in counts.values())
    result.other_messages = sum(n for identity, n in counts.items() if identity[2] == "other")
    edited = {(p, chat) for p, chat, _, _ in edits}
    for identity, status, _ in rows.values():
        result.not_settled += status != DeliveryStatus.SENT
        correction_went = identity[2] == "correction" and identity[:2] in edited
        if status != DeliveryStatus.SENT or not (counts[identity] or correction_went):
            result.lost += 1
    by_slot: dict[tuple[str, Identity], list[float]] = defaultdict(list)
    for message in messages:
        by_slot[(message.slot, message.identity)].append(message.at)
    for kill in kills:
        result.in_flight.append(
            sum(
                1
                for row in kill.held
                for at in by_slot[(kill.slot, rows[row][0])]
                if kill.lived_from <= at <= kill.killed_at
            )
        )
    _corrections(result, rows, messages, edits, old, new)
    result.reports = counts_of_kind(counts, "report")
    return result


def counts_of_kind(counts: Counter[Identity], kind: str) -> int:
    return sum(n for identity, n in counts.items() if identity[2] == kind)


def _corrections(
    result: Analysis,
    rows: dict[int, tuple[Identity, Any, str | None]],
    messages: list[Message],
    edits: list[tuple[str, str, str, str]],
    old: str,
    new: str,
) -> None:
    """Each announcement message recorded as sent with the old text must have been edited to
    the new one, or followed by a correction message."""
    sent = {(m.identity[0], m.identity[1], m.message_id): m.text for m in messages}
    edited = {(p, chat, message) for p, chat, message, text in edits if new in text}
    followed = {m.identity[:2] for m in messages if m.identity[2] == "correction" and new in m.text}
    for identity, status, message_id in rows.values():
        if identity[2] != "announcement" or status != DeliveryStatus.SENT:
            continue
        key = (identity[0], identity[1], message_id or "")
        if old in sent.get(key, ""):
            result.corrections_needed += 1
            result.corrections_reached += key in edited or identity[:2] in followed
