"""The pull side of sync in the local store: reading what a page touches, writing what the server sent.

Which of these a pulled change gets is decided by sync.pull_rule.pull_action; sync.engine calls
the matching function here, inside the transaction that also saves the page's cursor.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Row, insert, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from domain.names import name_key
from domain.payload import EntryPayload
from domain.states import SyncState
from local_db.models import AuditLog, Entry, Outbox, ReferenceRecipient
from local_db.repository import add_audit, entry_values, household_upsert, household_values, snapshot

log = logging.getLogger(__name__)

SERVER_AUDIT_ACTION = "SERVER_UPDATE"

_ENTRY = Entry.__table__  # type: ignore[attr-defined]
_OUTBOX = Outbox.__table__  # type: ignore[attr-defined]
# What pull compares: sync columns plus the operator's fields (repository.entry_values).
_PULL_COLUMNS = tuple(_ENTRY.c[k] for k in (
    "record_id", "server_version", "base_version", "sync_state", "deleted", "conflict_data", "delete_reason",
    "nik", "kk", "name", "birth_place", "birth_date", "sex", "desa_code", "dusun", "rt", "rw", "address", "phone",
    "criteria", "programme", "notes", "latitude", "longitude", "override_reason"))
_CHUNK = 500


class ServerCopy(Protocol):
    """An entry as the server holds it: what sync.protocol.ServerEntry carries (read, never built here)."""

    @property
    def record_id(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def payload(self) -> EntryPayload: ...
    @property
    def deleted(self) -> bool: ...
    @property
    def voided(self) -> bool: ...  # voided on the server: held locally as deleted
    @property
    def review_state(self) -> str: ...
    @property
    def review_reason_code(self) -> str | None: ...
    @property
    def review_note(self) -> str | None: ...
    @property
    def flags(self) -> list[str]: ...


def _chunks(seq: Sequence[str], n: int = _CHUNK) -> list[Sequence[str]]:
    return [seq[i:i + n] for i in range(0, len(seq), n)]


def local_rows(s: Session, record_ids: Sequence[str]) -> tuple[dict[str, Row[Any]], set[str]]:
    """The stored rows a page touches (Core rows: a first sync pulls back every entry it just sent),
    and which of them still have an op waiting in the outbox."""
    conn = s.connection()
    rows: dict[str, Row[Any]] = {}
    waiting: set[str] = set()
    for chunk in _chunks(list(record_ids)):
        rows.update((r.record_id, r) for r in conn.execute(select(*_PULL_COLUMNS).where(_ENTRY.c.record_id.in_(chunk))))
        waiting.update(conn.execute(select(_OUTBOX.c.record_id).where(_OUTBOX.c.record_id.in_(chunk))).scalars())
    return rows, waiting


def same_values(row: Row[Any], payload: EntryPayload) -> bool:
    """Whether a row of local_rows already holds these operator fields (payload_of(entry) == payload)."""
    m = row._mapping
    return m["delete_reason"] == payload.delete_reason and all(m[k] == v for k, v in entry_values(payload).items())


def upsert_households(s: Session, payloads: Sequence[EntryPayload], now: datetime) -> None:
    if payloads:
        s.connection().execute(household_upsert(), [household_values(p, now) for p in payloads])


def overwrite(s: Session, items: Sequence[tuple[ServerCopy, str]], *, actor: str, device_id: str,
              now: datetime) -> None:
    """Take the server's copy whole (operator fields, deletion, versions, review outcome), with an
    audit row when the operator's fields changed. `items`: (record, audit reason)."""
    if not items:
        return
    ids = [rec.record_id for rec, _r in items]
    held = {e.record_id: e for chunk in _chunks(ids)
            for e in s.execute(select(Entry).where(_ENTRY.c.record_id.in_(chunk))).scalars()}
    with s.no_autoflush:
        for rec, reason in items:
            e = held[rec.record_id]
            before = snapshot(e)
            for k, v in entry_values(rec.payload).items():
                setattr(e, k, v)
            e.name_key = name_key(rec.payload.name)
            e.deleted = rec.deleted or rec.voided
            e.delete_reason = rec.payload.delete_reason
            e.base_version = rec.version
            e.server_version = rec.version
            after = snapshot(e)
            if after != before:
                add_audit(s, record_id=e.record_id, action=SERVER_AUDIT_ACTION, actor=actor, device_id=device_id,
                          at=now, before=before, after=after, reason=reason)
            e.sync_state = SyncState.SYNCED
            e.conflict_data = None
            e.review_state = str(rec.review_state)
            e.review_reason_code = rec.review_reason_code
            e.review_note = rec.review_note
            e.server_flags = json.dumps(rec.flags)
            s.add(e)


def set_server_owned(s: Session, items: Sequence[tuple[ServerCopy, int]]) -> None:
    """Only the server-owned columns (version seen, review outcome, flags); (record, server_version)."""
    if items:
        s.connection().exec_driver_sql(
            "UPDATE entry SET server_version = ?, review_state = ?, review_reason_code = ?, review_note = ?, "
            "server_flags = ? WHERE record_id = ?",
            [(v, str(rec.review_state), rec.review_reason_code, rec.review_note, json.dumps(rec.flags), rec.record_id)
             for rec, v in items])


def insert_new(s: Session, items: Sequence[ServerCopy], *, actor: str, device_id: str, now: datetime) -> None:
    """Entries of this desa the store does not hold (another device, or a reinstall): taken whole, in
    bulk, SYNCED. Their households must be upserted first (upsert_households)."""
    rows: list[dict[str, Any]] = []
    audits: list[dict[str, Any]] = []
    for rec in items:
        p = rec.payload
        try:
            values = entry_values(p)
        except ValueError:
            log.error("server entry %s has an unreadable birth date; skipped", rec.record_id)
            continue
        rows.append({
            "record_id": rec.record_id, "name_key": name_key(p.name), "warnings": "[]", "created_at": now,
            "updated_at": now, "created_by": "server", "updated_by": "server", "local_rev": 1,
            "base_version": rec.version, "server_version": rec.version, "sync_state": SyncState.SYNCED.value,
            "deleted": rec.deleted or rec.voided, "delete_reason": p.delete_reason,
            "server_flags": json.dumps(rec.flags), "review_state": str(rec.review_state), "review_reason_code": rec.review_reason_code,
            "review_note": rec.review_note, "conflict_data": None, **values,
        })
        after = p.model_dump()
        after["deleted"] = rec.deleted or rec.voided
        audits.append({"record_id": rec.record_id, "action": SERVER_AUDIT_ACTION, "actor": actor,
                       "device_id": device_id, "at": now, "before": None,
                       "after": json.dumps(after, ensure_ascii=False, sort_keys=True, default=str),
                       "reason": "diterima dari server"})
    if rows:
        conn = s.connection()
        conn.execute(insert(_ENTRY), rows)
        conn.execute(insert(AuditLog.__table__), audits)  # type: ignore[attr-defined]


def upsert_references(s: Session, refs: Sequence[dict[str, Any]]) -> None:
    """Reference-list rows (nik, programme, level, status) as the server sent them."""
    if refs:
        stmt = sqlite_insert(ReferenceRecipient.__table__)  # type: ignore[attr-defined]
        stmt = stmt.on_conflict_do_update(index_elements=["nik", "programme"],
                                          set_={"level": stmt.excluded.level, "status": stmt.excluded.status})
        s.connection().execute(stmt, list(refs))
