"""Allocation of the global change_seq inside one writer transaction (see db.lock_seq)."""

from __future__ import annotations

from sqlmodel import Session

from server import db


class SeqAllocator:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.value = db.lock_seq(session)
        self._start = self.value

    def next(self) -> int:
        self.value += 1
        return self.value

    def store(self) -> None:
        if self.value != self._start:
            db.store_seq(self.session, self.value)
