"""Random faults for the fake platforms' sending methods, as a chaos benchmark wants them."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Fault:
    """What a call meets: "429" (retry after `seconds`), "5xx", "timeout" (no answer for
    `seconds`, longer than the client waits; nothing delivered) or "slow" (delivered, answered
    after `seconds`)."""

    kind: str
    seconds: float = 0.0

    @property
    def wait(self) -> float:
        """How long the answer takes to come."""
        return self.seconds if self.kind in ("timeout", "slow") else 0.0


@dataclass
class Chaos:
    """The share of calls meeting each fault; the rest are answered at once."""

    rate_limited: float = 0.0
    retry_after: tuple[int, int] = (1, 45)  # seconds, up to beyond a delivery lease
    server_error: float = 0.0
    timeout: float = 0.0
    timeout_seconds: float = 6.0  # above the client's read timeout
    slow: float = 0.0
    slow_seconds: tuple[float, float] = (0.2, 2.0)
    rng: random.Random = field(default_factory=random.Random)
    met: dict[str, int] = field(default_factory=dict)  # faults dealt, by kind

    def draw(self) -> Fault | None:
        roll = self.rng.random()
        for share, fault in (
            (self.rate_limited, lambda: Fault("429", self.rng.randint(*self.retry_after))),
            (self.server_error, lambda: Fault("5xx")),
            (self.timeout, lambda: Fault("timeout", self.timeout_seconds)),
            (self.slow, lambda: Fault("slow", self.rng.uniform(*self.slow_seconds))),
        ):
            if roll < share:
                dealt = fault()
                self.met[dealt.kind] = self.met.get(dealt.kind, 0) + 1
                return dealt
            roll -= share
        return None
