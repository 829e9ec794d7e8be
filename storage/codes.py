"""One-time codes: issued in plain text once, stored hashed, redeemed once before they expire."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OneTimeCode

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
LENGTH = 8
SHAPE = re.compile(r"^[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}$")  # what a code looks like, as typed


def _hash(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").upper().encode()).hexdigest()


def _display(raw: str) -> str:
    return f"{raw[:4]}-{raw[4:]}"


async def issue(
    session: AsyncSession,
    purpose: str,
    now: datetime,
    lifetime: timedelta,
    person_id: int | None = None,
    payload: dict[str, str] | None = None,
) -> str:
    """A new code such as "K7QM-9XD2"; only its hash is stored."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    session.add(
        OneTimeCode(
            purpose=purpose,
            code_hash=_hash(raw),
            person_id=person_id,
            payload=payload or {},
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    await session.flush()
    return _display(raw)


async def find(session: AsyncSession, purpose: str, code: str, now: datetime) -> OneTimeCode | str:
    """The code's record if it can still be used; else why not: "unknown", "expired", "used"."""
    found = await session.scalar(
        select(OneTimeCode).where(
            OneTimeCode.purpose == purpose, OneTimeCode.code_hash == _hash(code.strip())
        )
    )
    if found is None:
        return "unknown"
    if found.used_at is not None:
        return "used"
    if found.expires_at <= now:
        return "expired"
    return found


async def spend(session: AsyncSession, found: OneTimeCode, now: datetime) -> OneTimeCode | str:
    """Spend a code found usable, with a guarded update, so that two redemptions at once
    cannot both succeed; "used" if another got there first, "expired" if it ran out since."""
    if found.expires_at <= now:
        return "expired"
    spent = await session.execute(
        update(OneTimeCode)
        .where(OneTimeCode.id == found.id, OneTimeCode.used_at.is_(None))
        .values(used_at=now)
    )
    return found if spent.rowcount == 1 else "used"


async def redeem(
    session: AsyncSession, purpose: str, code: str, now: datetime
) -> OneTimeCode | str:
    """The code's record, now spent; or why it cannot be used: "unknown", "expired", "used"."""
    found = await find(session, purpose, code, now)
    return found if isinstance(found, str) else await spend(session, found, now)
