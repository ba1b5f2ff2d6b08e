"""The pull side of sync in the local store: reading what a page touches, writing what the server sent.

A page brings households, members and proposals (protocol 2, sync.protocol.ServerRecord); each goes
to its own table (local_db.household_repo.TABLE). Which of these functions a pulled record gets is
decided by sync.pull_rule.pull_action; sync.engine calls them inside the transaction that also saves
the page's cursor.

Server-owned columns: server_version, server_flags, voided, desil (households and members) and the
review columns (proposals). A row with a village edit waiting takes only those; a SYNCED row takes
the server's copy whole.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from pydantic import BaseModel
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from domain.names import name_key
from domain.records import HouseholdPayload, MemberPayload, ProposalPayload, RecordType
from domain.states import ReviewState, SyncState
from local_db.household_payloads import PAYLOAD_OF, household_columns, member_columns, proposal_columns
from local_db.household_repo import DEFAULTS, TABLE
from local_db.models import ReferenceRecipient

SERVER_AUDIT_ACTION = "SERVER_UPDATE"
_CHUNK = 500

Key = tuple[RecordType, str]  # (record type, record id)


class ServerCopy(Protocol):
    """A record as the server holds it: what sync.protocol.ServerRecord carries (read, never built here)."""

    @property
    def record_type(self) -> RecordType: ...
    @property
    def record_id(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def payload(self) -> BaseModel: ...
    @property
    def deleted(self) -> bool: ...
    @property
    def voided(self) -> bool: ...  # voided on the server: held locally as deleted
    @property
    def flags(self) -> list[str]: ...
    @property
    def desil(self) -> int | None: ...
    @property
    def review_state(self) -> ReviewState | None: ...
    @property
    def review_reason_code(self) -> str | None: ...
    @property
    def review_note(self) -> str | None: ...
    @property
    def review_fields(self) -> list[str]: ...


def _ts(d: datetime) -> str:
    return d.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def village_columns(record_type: RecordType, payload: BaseModel) -> dict[str, Any]:
    """The columns a payload fills (the village's fields; a member's name key with it)."""
    if record_type is RecordType.HOUSEHOLD:
        assert isinstance(payload, HouseholdPayload)
        return household_columns(payload)
    if record_type is RecordType.MEMBER:
        assert isinstance(payload, MemberPayload)
        return member_columns(payload, name_key(payload.name))
    assert isinstance(payload, ProposalPayload)
    return proposal_columns(payload)


def server_owned(rec: ServerCopy, version: int) -> dict[str, Any]:
    """The server-owned columns of a record's table, as the server sent them."""
    cols: dict[str, Any] = {"server_version": version, "server_flags": json.dumps(rec.flags),
                            "voided": int(rec.voided)}
    if rec.record_type is RecordType.PROPOSAL:
        cols.update(review_state=None if rec.review_state is None else str(rec.review_state),
                    review_reason_code=rec.review_reason_code, review_note=rec.review_note,
                    review_fields=json.dumps(rec.review_fields))
    else:
        cols["desil"] = rec.desil
    return cols


def comparable(record_type: RecordType, payload: BaseModel) -> dict[str, Any]:
    """A payload's village-owned values (a household's desil is the server's)."""
    return payload.model_dump(exclude={"desil"} if record_type is RecordType.HOUSEHOLD else None)


def _snapshot(record_type: RecordType, row: Mapping[str, Any]) -> str:
    d = PAYLOAD_OF[record_type](row).model_dump()
    d["deleted"] = bool(row["deleted"])
    return json.dumps(d, ensure_ascii=False, sort_keys=True, default=str)


def _rows(s: Session, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    res = s.connection().exec_driver_sql(sql, tuple(params))
    keys = list(res.keys())
    return [dict(zip(keys, r, strict=True)) for r in res.fetchall()]


def local_rows(s: Session, keys: Sequence[Key]) -> tuple[dict[Key, dict[str, Any]], set[Key]]:
    """The stored rows a page touches and which of them still have an op waiting in the outbox."""
    rows: dict[Key, dict[str, Any]] = {}
    waiting: set[Key] = set()
    for rtype in RecordType:
        ids = [rid for t, rid in keys if t is rtype]
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i:i + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            for r in _rows(s, f"SELECT * FROM {TABLE[rtype]} WHERE record_id IN ({marks})", chunk):
                rows[(rtype, r["record_id"])] = r
            for r in _rows(s, f"SELECT DISTINCT record_id FROM outbox WHERE record_type = ? AND record_id IN ({marks})",
                           [rtype.value, *chunk]):
                waiting.add((rtype, r["record_id"]))
    return rows, waiting


def same_values(record_type: RecordType, row: Mapping[str, Any], payload: BaseModel) -> bool:
    """Whether a stored row already holds these village fields."""
    return comparable(record_type, PAYLOAD_OF[record_type](row)) == comparable(record_type, payload)


def _audit(s: Session, record_id: str, actor: str, device_id: str, now: str, before: str | None, after: str,
           reason: str) -> None:
    s.connection().exec_driver_sql(
        "INSERT INTO auditlog (record_id, action, actor, device_id, at, before, after, reason) VALUES (?,?,?,?,?,?,?,?)",
        (record_id, SERVER_AUDIT_ACTION, actor, device_id, now, before, after, reason))


def overwrite(s: Session, items: Sequence[tuple[ServerCopy, str]], *, actor: str, device_id: str,
              now: datetime) -> None:
    """Take the server's copy whole (village fields, deletion, versions, server-owned columns), with
    an audit row when the village fields or the deletion changed. `items`: (record, audit reason)."""
    at = _ts(now)
    for rec, reason in items:
        rtype = RecordType(rec.record_type)
        table = TABLE[rtype]
        before = _rows(s, f"SELECT * FROM {table} WHERE record_id = ?", (rec.record_id,))
        if not before:
            continue
        deleted = rec.deleted or rec.voided
        values = {**village_columns(rtype, rec.payload), **server_owned(rec, rec.version), "deleted": int(deleted),
                  "base_version": rec.version, "sync_state": SyncState.SYNCED.value, "conflict_data": None}
        if not deleted:
            values["delete_reason"] = ""
        s.connection().exec_driver_sql(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in values)} WHERE record_id = ?",
                                       (*values.values(), rec.record_id))
        after = _rows(s, f"SELECT * FROM {table} WHERE record_id = ?", (rec.record_id,))[0]
        old, new = _snapshot(rtype, before[0]), _snapshot(rtype, after)
        if old != new:
            _audit(s, rec.record_id, actor, device_id, at, old, new, reason)


def set_server_owned(s: Session, items: Sequence[tuple[ServerCopy, int]]) -> None:
    """Only the server-owned columns; (record, server_version). The village's fields stay.
    One executemany per record type: a first sync pulls back every record it just sent."""
    by_type: dict[RecordType, list[dict[str, Any]]] = {}
    for rec, version in items:
        by_type.setdefault(RecordType(rec.record_type), []).append({**server_owned(rec, version), "rid": rec.record_id})
    for rtype, rows in by_type.items():
        cols = [c for c in rows[0] if c != "rid"]
        s.connection().exec_driver_sql(
            f"UPDATE {TABLE[rtype]} SET {', '.join(f'{c} = ?' for c in cols)} WHERE record_id = ?",
            [(*(r[c] for c in cols), r["rid"]) for r in rows])


def insert_new(s: Session, items: Sequence[ServerCopy], *, actor: str, device_id: str, now: datetime) -> None:
    """Records of this desa the store does not hold (another device, or a reinstall): taken whole,
    SYNCED, each with an audit row. A member may arrive before its household (no foreign keys)."""
    at = _ts(now)
    for rec in items:
        rtype = RecordType(rec.record_type)
        deleted = rec.deleted or rec.voided
        row = {**DEFAULTS[rtype], "record_id": rec.record_id, "created_at": at, "updated_at": at,
               "created_by": "server", "updated_by": "server", "warnings": "[]", "deleted": int(deleted),
               "delete_reason": "", "local_rev": 1, "base_version": rec.version, "sync_state": SyncState.SYNCED.value,
               "conflict_data": None, **village_columns(rtype, rec.payload), **server_owned(rec, rec.version)}
        cols = list(row)
        s.connection().exec_driver_sql(
            f"INSERT INTO {TABLE[rtype]} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            tuple(row.values()))
        after = {**rec.payload.model_dump(), "deleted": deleted}
        _audit(s, rec.record_id, actor, device_id, at, None,
               json.dumps(after, ensure_ascii=False, sort_keys=True, default=str), "diterima dari server")


def upsert_references(s: Session, refs: Sequence[dict[str, Any]]) -> None:
    """Reference-list rows (nik, programme, level, status) as the server sent them."""
    if refs:
        stmt = sqlite_insert(ReferenceRecipient.__table__)  # type: ignore[attr-defined]
        stmt = stmt.on_conflict_do_update(index_elements=["nik", "programme"],
                                          set_={"level": stmt.excluded.level, "status": stmt.excluded.status})
        s.connection().execute(stmt, list(refs))
