"""Per-area change sequences (design.md §4, §8): a desa's entries and a kecamatan's reference rows
each have their own feed, so writers in different areas never wait for each other.

Why a reader never skips a change that commits late: a feed's next value is taken under that
feed's row lock in srv_area_seq (UPDATE ... RETURNING), held to the end of the transaction. A second
writer of the same feed waits for the first to commit (or roll back) before it gets a value, so
within one feed commit order is sequence order: whoever sees value n committed sees every value
below n too. Writers of other feeds take other rows and run in parallel.

A transaction that touches several feeds (a duplicate flag on another village's entry, a review
decision over a kecamatan, a reference import) takes their locks as it goes; two such transactions
can deadlock, which PostgreSQL detects and db.retry_on_conflict() retries.
"""

from __future__ import annotations

from sqlmodel import Session

from server import db


def desa_feed(desa_code: str) -> str:
    """The feed of a desa's entries (pulled by its devices)."""
    return f"desa:{desa_code}"


def ref_feed(kecamatan_code: str) -> str:
    """The feed of the reference rows whose NIK was issued in a kecamatan (pulled by its desa)."""
    return f"ref:{kecamatan_code}"


class SeqAllocator:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._value: dict[str, int] = {}
        self._start: dict[str, int] = {}

    def lock(self, *feeds: str) -> None:
        """Take these feeds' locks now, in a fixed order (fewer deadlocks than first-use order)."""
        for feed in sorted(set(feeds) - self._value.keys()):
            self._value[feed] = self._start[feed] = db.lock_feed(self.session, feed)

    def next(self, feed: str) -> int:
        if feed not in self._value:
            self.lock(feed)
        self._value[feed] += 1
        return self._value[feed]

    def store(self) -> None:
        for feed, value in self._value.items():
            if value != self._start[feed]:
                db.store_feed(self.session, feed, value)
                self._start[feed] = value
