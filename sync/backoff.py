"""Exponential backoff with full jitter for resending a batch whose outcome is unknown.

Full jitter (a random delay between 0 and the exponential ceiling) spreads the retries of many
village PCs that lost the same connection at the same moment, so they do not return in step.
"""

from __future__ import annotations

import random
from collections.abc import Callable


class Backoff:
    """Delays of base * factor**n seconds, capped, each drawn uniformly from [min_delay, ceiling]."""

    def __init__(
        self,
        *,
        base: float = 1.0,
        factor: float = 2.0,
        cap: float = 300.0,
        min_delay: float = 0.0,
        rand: Callable[[], float] = random.random,
    ) -> None:
        if base <= 0 or factor < 1 or cap < base:
            raise ValueError("backoff needs base > 0, factor >= 1, cap >= base")
        self.base = base
        self.factor = factor
        self.cap = cap
        self.min_delay = min_delay
        self._rand = rand
        self.attempts = 0

    def ceiling(self) -> float:
        """The upper bound of the next delay (no jitter)."""
        return min(self.cap, self.base * self.factor**self.attempts)

    def next_delay(self) -> float:
        """The delay before the next attempt; each call counts one failed attempt."""
        hi = self.ceiling()
        self.attempts += 1
        lo = min(self.min_delay, hi)
        return lo + (hi - lo) * self._rand()

    def reset(self) -> None:
        """After a success: the next failure starts from the base again."""
        self.attempts = 0
