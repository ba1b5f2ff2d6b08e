"""Pull pages: a desa's entries and the reference rows of its kecamatan, each in its feed's order.

The page is encoded straight from Core rows into the sync.protocol.ChangesPage JSON: a first sync
pulls back every entry a village sent, and building pydantic models per row (then having FastAPI
dump and re-validate them) cost more than the database reads. Stored payloads were validated and
normalised at ingest; tests parse every page with ChangesPage to keep this encoding honest.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from server.models import Entry, ReferenceRecipient, table_of

_ENTRY = table_of(Entry)
_REF = table_of(ReferenceRecipient)
_ENTRY_COLS = tuple(_ENTRY.c[k] for k in (
    "change_seq", "record_id", "version", "payload", "deleted", "voided", "review_state", "review_reason_code",
    "review_note", "flags", "conflict"))
_REF_COLS = (_REF.c.change_seq, _REF.c.nik, _REF.c.programme, _REF.c.level, _REF.c.status)
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _loads(v: Any) -> Any:
    return json.loads(v) if isinstance(v, str) else v


# The pull cursor is one integer (the client stores it as it is, sync.protocol.ChangesPage) that packs
# the two feeds a desa reads: its entries' feed and its kecamatan's reference feed. Bit 61 marks the
# format; a cursor without it is a global change_seq from before the per-area feeds, and means
# "from the beginning" (a full, correct resync instead of a gap). Packed cursors only grow, so the
# client's "next_cursor > cursor" progress check holds, and every packed cursor exceeds every old one.
CURSOR_FLAG = 1 << 61
_REF_BITS = 30
ENTRY_SEQ_MAX = (1 << 31) - 1  # 31 bits: the change_seq column is a 32-bit integer
REF_SEQ_MAX = (1 << _REF_BITS) - 1
CURSOR_MAX = CURSOR_FLAG | (ENTRY_SEQ_MAX << _REF_BITS) | REF_SEQ_MAX


def encode_cursor(entry_seq: int, ref_seq: int) -> int:
    return CURSOR_FLAG | (entry_seq << _REF_BITS) | ref_seq


def decode_cursor(cursor: int) -> tuple[int, int]:
    """(entry feed position, reference feed position); (0, 0) for an old-format cursor."""
    if cursor < CURSOR_FLAG:
        return 0, 0
    rest = cursor - CURSOR_FLAG
    return rest >> _REF_BITS, rest & REF_SEQ_MAX


def changes_page_json(session: Session, *, desa: str, since: int, limit: int) -> bytes:
    """One ChangesPage (sync.protocol) as JSON bytes: the desa's entries after the cursor, then its
    kecamatan's reference rows, each feed in its own change_seq order."""
    entry_pos, ref_pos = decode_cursor(since)
    conn = session.connection()
    ents = conn.execute(
        # province_code: PostgreSQL reads only the desa's province partition (migration 0004).
        select(*_ENTRY_COLS).where(_ENTRY.c.province_code == desa[:2], _ENTRY.c.desa_code == desa,
                                   _ENTRY.c.change_seq > entry_pos)
        .order_by(_ENTRY.c.change_seq).limit(limit + 1)
    ).all()
    page: list[dict[str, Any]] = []
    for e in ents[:limit]:
        page.append({"seq": e.change_seq, "type": "entry", "entry": {
            "record_id": e.record_id, "version": e.version, "payload": _loads(e.payload),
            "deleted": bool(e.deleted), "voided": bool(e.voided), "review_state": e.review_state,
            "review_reason_code": e.review_reason_code, "review_note": e.review_note,
            "flags": list(_loads(e.flags) or []), "conflict": _loads(e.conflict),
        }, "reference": None})
        entry_pos = e.change_seq
    has_more = len(ents) > limit
    room = limit - len(page)
    if room > 0:
        # Reference rows are "relevant to the desa" when the NIK was issued in its kecamatan.
        refs = conn.execute(
            select(*_REF_COLS).where(_REF.c.kecamatan_code == desa[:6], _REF.c.change_seq > ref_pos)
            .order_by(_REF.c.change_seq).limit(room + 1)
        ).all()
        for r in refs[:room]:
            page.append({"seq": r.change_seq, "type": "reference", "entry": None, "reference": {
                "nik": r.nik, "programme": r.programme, "level": r.level, "status": r.status}})
            ref_pos = r.change_seq
        has_more = len(refs) > room
    else:
        has_more = True  # the reference feed was not read in this page
    return _encode({
        "changes": page, "next_cursor": encode_cursor(entry_pos, ref_pos), "has_more": has_more,
        "server_time": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
    }).encode()
