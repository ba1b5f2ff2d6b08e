"""Pull pages: a desa's entries and the reference rows of its kecamatan, in change_seq order."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, col, select

from server.models import Entry, ReferenceRecipient
from server.services.entries import ENTRY_COLUMNS, to_server_entry
from sync.protocol import Change, ChangesPage, ReferenceItem


def changes_page(session: Session, *, desa: str, since: int, limit: int) -> ChangesPage:
    ents = session.exec(
        select(Entry).where(Entry.desa_code == desa, col(Entry.change_seq) > since)
        .order_by(col(Entry.change_seq)).limit(limit + 1)
    ).all()
    # Reference rows are "relevant to the desa" when the NIK was issued in its kecamatan.
    refs = session.exec(
        select(ReferenceRecipient).where(ReferenceRecipient.kecamatan_code == desa[:6],
                                         col(ReferenceRecipient.change_seq) > since)
        .order_by(col(ReferenceRecipient.change_seq)).limit(limit + 1)
    ).all()
    merged: list[Change] = []
    for e in ents:
        merged.append(Change(seq=e.change_seq, type="entry",
                             entry=to_server_entry({c: getattr(e, c) for c in ENTRY_COLUMNS})))
    for r in refs:
        merged.append(Change(seq=r.change_seq, type="reference",
                             reference=ReferenceItem(nik=r.nik, programme=r.programme, level=r.level, status=r.status)))
    merged.sort(key=lambda c: c.seq)
    page = merged[:limit]
    return ChangesPage(changes=page, next_cursor=page[-1].seq if page else since,
                       has_more=len(merged) > limit, server_time=datetime.now(UTC))
