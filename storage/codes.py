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


async def redeem(
    session: AsyncSession, purpose: str, code: str, now: datetime
) -> OneTimeCode | str:
    """The code's record, now spent; or why it cannot be used: "unknown", "expired", "used"."""
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
    # Spend it with a guarded update, so that two redemptions at once cannot both succeed.
    spent = await session.execute(
        update(OneTimeCode)
        .where(OneTimeCode.id == found.id, OneTimeCode.used_at.is_(None))
        .values(used_at=now)
    )
    if spent.rowcount != 1:
        return "used"
    return found
