"""Pull pages: a desa's households, members and proposals (one feed over three tables) and the
reference rows of its kecamatan, each feed in its own order.

The page is encoded straight from Core rows into the sync.protocol.RecordChangesPage JSON: a first
sync pulls back every record a village sent, and building pydantic models per row (then having
FastAPI dump and re-validate them) cost more than the database reads. Stored payloads were validated
and normalised at ingest; tests parse every page with RecordChangesPage to keep this encoding honest.
"""

from __future__ import annotations

import heapq
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from domain.records import RecordType
from server.models import ReferenceRecipient, table_of
from server.services.records import TABLES, server_record

_REF = table_of(ReferenceRecipient)
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
    """One RecordChangesPage (sync.protocol) as JSON bytes: the desa's records after the cursor (the
    three tables share the desa feed, so their change_seq values merge into one order), then its
    kecamatan's reference rows."""
    entry_pos, ref_pos = decode_cursor(since)
    conn = session.connection()
    streams = []
    for rtype, table in TABLES.items():
        rows = conn.execute(
            # province_code: PostgreSQL reads only the desa's province partition (migration 0007).
            select(table).where(table.c.province_code == desa[:2], table.c.desa_code == desa,
                                table.c.change_seq > entry_pos).order_by(table.c.change_seq).limit(limit + 1)
        ).all()
        streams.append([(r.change_seq, rtype, r) for r in rows])
    merged = list(heapq.merge(*streams, key=lambda t: t[0]))
    page: list[dict[str, Any]] = []
    for change_seq, rtype, r in merged[:limit]:
        page.append({"seq": change_seq, "type": RecordType(rtype).value,
                     "record": server_record(rtype, dict(r._mapping)), "reference": None})
        entry_pos = change_seq
    has_more = len(merged) > limit
    room = limit - len(page)
    if room > 0:
        # Reference rows are "relevant to the desa" when the NIK was issued in its kecamatan.
        refs = conn.execute(
            select(*_REF_COLS).where(_REF.c.kecamatan_code == desa[:6], _REF.c.change_seq > ref_pos)
            .order_by(_REF.c.change_seq).limit(room + 1)
        ).all()
        for ref in refs[:room]:
            page.append({"seq": ref.change_seq, "type": "reference", "record": None, "reference": {
                "nik": ref.nik, "programme": ref.programme, "level": ref.level, "status": ref.status}})
            ref_pos = ref.change_seq
        has_more = len(refs) > room
    else:
        has_more = True  # the reference feed was not read in this page
    return _encode({
        "changes": page, "next_cursor": encode_cursor(entry_pos, ref_pos), "has_more": has_more,
        "server_time": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
    }).encode()
