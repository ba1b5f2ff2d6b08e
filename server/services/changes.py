"""Pull pages: a desa's entries and the reference rows of its kecamatan, in change_seq order.

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


def changes_page_json(session: Session, *, desa: str, since: int, limit: int) -> bytes:
    """One ChangesPage (sync.protocol) as JSON bytes."""
    conn = session.connection()
    ents = conn.execute(
        select(*_ENTRY_COLS).where(_ENTRY.c.desa_code == desa, _ENTRY.c.change_seq > since)
        .order_by(_ENTRY.c.change_seq).limit(limit + 1)
    ).all()
    # Reference rows are "relevant to the desa" when the NIK was issued in its kecamatan.
    refs = conn.execute(
        select(*_REF_COLS).where(_REF.c.kecamatan_code == desa[:6], _REF.c.change_seq > since)
        .order_by(_REF.c.change_seq).limit(limit + 1)
    ).all()
    merged: list[tuple[int, dict[str, Any]]] = []
    for e in ents:
        merged.append((e.change_seq, {"seq": e.change_seq, "type": "entry", "entry": {
            "record_id": e.record_id, "version": e.version, "payload": _loads(e.payload),
            "deleted": bool(e.deleted), "voided": bool(e.voided), "review_state": e.review_state,
            "review_reason_code": e.review_reason_code, "review_note": e.review_note,
            "flags": list(_loads(e.flags) or []), "conflict": _loads(e.conflict),
        }, "reference": None}))
    for r in refs:
        merged.append((r.change_seq, {"seq": r.change_seq, "type": "reference", "entry": None, "reference": {
            "nik": r.nik, "programme": r.programme, "level": r.level, "status": r.status}}))
    merged.sort(key=lambda c: c[0])
    page = [c for _seq, c in merged[:limit]]
    return _encode({
        "changes": page, "next_cursor": page[-1]["seq"] if page else since,
        "has_more": len(merged) > limit,
        "server_time": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
    }).encode()
