"""Read-only queries for the printed documents (desktop_app/printing/source.py is their one caller).

Kept apart from repository.py: when the household model lands, these change with the provider.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnClause, literal_column
from sqlmodel import Session, col, select

from local_db.models import Entry

# Entries saved in one import share created_at; the insertion order (rowid) then says who came first.
_ROWID: ColumnClause[int] = literal_column("entry.rowid")


def proposal_entries(session: Session, *, since: datetime | None = None, until: datetime | None = None,
                     programme: str | None = None, kk: str | None = None) -> list[Entry]:
    """Entries (not deleted) recorded in [since, until), optionally of one programme or one KK,
    in print order: dusun, RW, RT, KK, then the order they were entered."""
    q = select(Entry).where(col(Entry.deleted).is_(False))
    if since is not None:
        q = q.where(col(Entry.created_at) >= since)
    if until is not None:
        q = q.where(col(Entry.created_at) < until)
    if programme:
        q = q.where(Entry.programme == programme)
    if kk:
        q = q.where(Entry.kk == kk)
    q = q.order_by(col(Entry.dusun), col(Entry.rw), col(Entry.rt), col(Entry.kk), col(Entry.created_at), _ROWID)
    return list(session.exec(q).all())


def family_entries(session: Session, kks: Sequence[str]) -> list[Entry]:
    """Every entry (not deleted) of these KKs, in the order they were entered: the family's members."""
    out: list[Entry] = []
    kk_list = sorted(set(kks))
    for i in range(0, len(kk_list), 500):  # SQLite's bound-parameter limit
        chunk = kk_list[i:i + 500]
        q = (select(Entry).where(col(Entry.deleted).is_(False), col(Entry.kk).in_(chunk))
             .order_by(col(Entry.kk), col(Entry.created_at), _ROWID))
        out.extend(session.exec(q).all())
    return out
