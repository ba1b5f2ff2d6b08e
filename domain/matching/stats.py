"""How common a name and a birth date are in the collection being searched.

A name shared by many people is weak evidence that two records are one person; a rare one is
strong. The counts come from the collection itself (the local store, the server's members, the
file being cleaned), smoothed towards a national prior so that a small store does not take its few
names for the whole country's (see docs/decisions/0006-person-matcher.md).
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Protocol


class NameStats(Protocol):
    def total(self) -> int: ...
    def name_count(self, key: str) -> int: ...
    def prefix_count(self, key: str) -> int:
        """Records whose name key is `key` or starts with `key` + a space (MASNAH, MASNAH ...)."""
        ...
    def date_count(self, d: date) -> int: ...


class CounterStats:
    """Counts held in memory (a file, a test, a block of server rows)."""

    def __init__(self, keys: Iterable[str], dates: Iterable[date | None]) -> None:
        self._keys = Counter(keys)
        self._dates = Counter(d for d in dates if d is not None)
        self._sorted = sorted(self._keys)
        self._n = sum(self._keys.values())

    def total(self) -> int:
        return self._n

    def name_count(self, key: str) -> int:
        return self._keys.get(key, 0)

    def prefix_count(self, key: str) -> int:
        lo = bisect.bisect_left(self._sorted, key + " ")
        hi = bisect.bisect_left(self._sorted, key + "!")  # "!" sorts right after " "
        return self._keys.get(key, 0) + sum(self._keys[k] for k in self._sorted[lo:hi])

    def date_count(self, d: date) -> int:
        return self._dates.get(d, 0)


class ProbeStats:
    """`base` plus one record not stored yet (the entry being typed), so that a check before saving
    sees the same counts as a search after it."""

    def __init__(self, base: NameStats, key: str, birth_date: date | None) -> None:
        self.base, self.key, self.birth_date = base, key, birth_date

    def total(self) -> int:
        return self.base.total() + 1

    def name_count(self, key: str) -> int:
        return self.base.name_count(key) + (key == self.key)

    def prefix_count(self, key: str) -> int:
        hit = self.key == key or self.key.startswith(key + " ")
        return self.base.prefix_count(key) + hit

    def date_count(self, d: date) -> int:
        return self.base.date_count(d) + (d == self.birth_date)
