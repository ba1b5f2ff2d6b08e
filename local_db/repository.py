"""Sessions and writes of the local store.

Every change to an entry writes, in the caller's one transaction: the entry, its household (KK)
upsert, an outbox op (design.md §4) and an audit row (who/when/device/before/after). Functions
here take an open Session and never commit; `session_scope` owns the transaction.

Values arrive already validated and normalised as a `domain.payload.EntryPayload` (the service
layer does the checking); the outbox payload is exactly that model's JSON.

Times are aware UTC datetimes (sqlmodel stores them as UTC and returns them aware).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col

from domain.payload import EntryPayload
from domain.states import OpKind, SyncState
from local_db.engine import BEGIN_OPTION, StoreError
from local_db.models import AuditLog, Entry, Household, Meta, Outbox


class StoreBusy(StoreError):
    """Another process held the write lock longer than busy_timeout; str() is Indonesian."""


class AuditAction:
    CREATE = "CREATE"
    UPDATE = "UPDATE"
    DELETE = "DELETE"


def utcnow() -> datetime:
    return datetime.now(UTC)


@contextmanager
def session_scope(engine: Engine, *, write: bool = False) -> Iterator[Session]:
    """One session = one transaction: commit on success, roll back on any exception.

    `write=True` starts with BEGIN IMMEDIATE (the write lock is taken at once), for work that reads
    and then writes on what it read, such as duplicate check + insert.
    """
    bind = engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"}) if write else engine
    session = Session(bind, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except OperationalError as exc:
        session.rollback()
        if "locked" in str(exc.orig).lower() or "busy" in str(exc.orig).lower():
            raise StoreBusy(
                "Basis data lokal sedang dipakai proses lain (misalnya impor yang sedang berjalan); "
                "coba lagi sebentar lagi."
            ) from exc
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# --------------------------------------------------------------------------- meta


def get_meta(session: Session, key: str, default: str | None = None) -> str | None:
    row = session.get(Meta, key)
    return row.value if row is not None else default


def set_meta(session: Session, key: str, value: str) -> None:
    row = session.get(Meta, key)
    if row is None:
        session.add(Meta(key=key, value=value))
    else:
        row.value = value
        session.add(row)
    session.flush()


def all_meta(session: Session) -> dict[str, str]:
    return {m.key: m.value for m in session.exec(select(Meta)).scalars()}  # type: ignore[call-overload]


# --------------------------------------------------------------------------- conversions


def payload_of(entry: Entry) -> EntryPayload:
    """The wire payload of an entry as stored."""
    return EntryPayload(
        nik=entry.nik, kk=entry.kk, name=entry.name, birth_place=entry.birth_place,
        birth_date=entry.birth_date.isoformat(), sex=entry.sex, desa_code=entry.desa_code,
        dusun=entry.dusun, rt=entry.rt, rw=entry.rw, address=entry.address, phone=entry.phone,
        criteria=[c for c in entry.criteria.split(",") if c], programme=entry.programme,
        notes=entry.notes, latitude=entry.latitude, longitude=entry.longitude,
        override_reason=entry.override_reason, delete_reason=entry.delete_reason,
    )


def snapshot(entry: Entry) -> dict[str, Any]:
    """What the audit log keeps as before/after: the operator's fields plus deletion state."""
    d: dict[str, Any] = payload_of(entry).model_dump()
    d["deleted"] = entry.deleted
    return d


def entry_values(payload: EntryPayload) -> dict[str, Any]:
    """The entry columns that hold the operator's fields of `payload` (ValueError: unreadable birth date)."""
    return {
        "nik": payload.nik, "kk": payload.kk, "name": payload.name, "birth_place": payload.birth_place,
        "birth_date": date.fromisoformat(payload.birth_date), "sex": payload.sex,
        "desa_code": payload.desa_code, "dusun": payload.dusun, "rt": payload.rt, "rw": payload.rw,
        "address": payload.address, "phone": payload.phone, "criteria": ",".join(payload.criteria),
        "programme": payload.programme, "notes": payload.notes, "latitude": payload.latitude,
        "longitude": payload.longitude, "override_reason": payload.override_reason,
    }


def household_values(payload: EntryPayload, now: datetime) -> dict[str, Any]:
    """household_upsert's bind values for the entry's KK."""
    return {
        "kk": payload.kk, "desa_code": payload.desa_code, "dusun": payload.dusun, "rt": payload.rt,
        "rw": payload.rw, "address": payload.address, "created_at": now, "updated_at": now,
    }


def household_upsert() -> Any:
    """INSERT ... ON CONFLICT(kk) DO UPDATE of a household: the last saved address of a KK wins."""
    stmt = sqlite_insert(Household.__table__)  # type: ignore[attr-defined]
    ex = stmt.excluded
    return stmt.on_conflict_do_update(
        index_elements=["kk"],
        set_={"desa_code": ex.desa_code, "dusun": ex.dusun, "rt": ex.rt, "rw": ex.rw,
              "address": ex.address, "updated_at": ex.updated_at},
    )


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, default=str)


# --------------------------------------------------------------------------- outbox / audit


def next_outbox_seq(session: Session) -> int:
    current = session.execute(select(func.max(Outbox.seq))).scalar_one()
    return int(current or 0) + 1


def outbox_ops(session: Session, *, unbatched_only: bool = False, limit: int | None = None) -> list[Outbox]:
    """Outbox rows in send order (seq)."""
    stmt = select(Outbox).order_by(Outbox.seq)  # type: ignore[arg-type]
    if unbatched_only:
        stmt = stmt.where(col(Outbox.batch_id).is_(None))
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.execute(stmt).scalars())


def add_outbox(session: Session, entry: Entry, kind: OpKind, now: datetime) -> Outbox:
    op = Outbox(
        op_id=str(uuid.uuid4()), seq=next_outbox_seq(session), record_id=entry.record_id, kind=kind,
        local_rev=entry.local_rev, base_version=entry.base_version,
        payload=payload_of(entry).model_dump_json(), created_at=now, batch_id=None,
    )
    session.add(op)
    return op


def add_audit(
    session: Session, *, record_id: str, action: str, actor: str, device_id: str, at: datetime,
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, reason: str = "",
) -> AuditLog:
    row = AuditLog(
        record_id=record_id, action=action, actor=actor, device_id=device_id, at=at,
        before=None if before is None else _dumps(before), after=None if after is None else _dumps(after),
        reason=reason,
    )
    session.add(row)
    return row


# --------------------------------------------------------------------------- entries


def get_entry(session: Session, record_id: str) -> Entry | None:
    return session.get(Entry, record_id)


def list_entries(
    session: Session, *, include_deleted: bool = False, limit: int | None = None, offset: int = 0,
) -> list[Entry]:
    stmt = select(Entry).order_by(Entry.created_at, Entry.record_id)  # type: ignore[arg-type]
    if not include_deleted:
        stmt = stmt.where(col(Entry.deleted) == False)  # noqa: E712
    if limit is not None:
        stmt = stmt.limit(limit).offset(offset)
    return list(session.execute(stmt).scalars())


def count_entries(session: Session, *, include_deleted: bool = False) -> int:
    stmt = select(func.count()).select_from(Entry)
    if not include_deleted:
        stmt = stmt.where(col(Entry.deleted) == False)  # noqa: E712
    return int(session.execute(stmt).scalar_one())


def audit_for(session: Session, record_id: str) -> list[AuditLog]:
    stmt = select(AuditLog).where(AuditLog.record_id == record_id).order_by(AuditLog.id)  # type: ignore[arg-type]
    return list(session.execute(stmt).scalars())


def create_entry(
    session: Session, *, payload: EntryPayload, name_key: str, warnings: Sequence[Mapping[str, str]],
    actor: str, device_id: str, reason: str = "", record_id: str | None = None,
) -> Entry:
    """Insert a new entry (+ household upsert, UPSERT op, CREATE audit) in the session's transaction."""
    now = utcnow()
    session.execute(household_upsert(), [household_values(payload, now)])
    entry = Entry(
        record_id=record_id or str(uuid.uuid4()), name_key=name_key, warnings=_dumps(list(warnings)),
        created_at=now, updated_at=now, created_by=actor, updated_by=actor,
        local_rev=1, base_version=None, sync_state=SyncState.NEW, **entry_values(payload),
    )
    session.add(entry)
    session.flush()
    add_outbox(session, entry, OpKind.UPSERT, now)
    add_audit(session, record_id=entry.record_id, action=AuditAction.CREATE, actor=actor, device_id=device_id,
              at=now, before=None, after=snapshot(entry), reason=reason)
    session.flush()
    return entry


def _bump(entry: Entry, actor: str, now: datetime) -> None:
    entry.local_rev += 1
    entry.updated_at = now
    entry.updated_by = actor
    # Never accepted by the server: still a draft; otherwise an edit waiting to be sent.
    entry.sync_state = SyncState.NEW if entry.server_version is None else SyncState.DIRTY


def update_entry(
    session: Session, entry: Entry, *, payload: EntryPayload, name_key: str,
    warnings: Sequence[Mapping[str, str]], actor: str, device_id: str, reason: str = "",
) -> Entry:
    """Change an entry (+ household upsert, UPSERT op, UPDATE audit) in the session's transaction."""
    now = utcnow()
    before = snapshot(entry)
    session.execute(household_upsert(), [household_values(payload, now)])
    for k, v in entry_values(payload).items():
        setattr(entry, k, v)
    entry.name_key = name_key
    entry.warnings = _dumps(list(warnings))
    _bump(entry, actor, now)
    session.add(entry)
    session.flush()
    add_outbox(session, entry, OpKind.UPSERT, now)
    add_audit(session, record_id=entry.record_id, action=AuditAction.UPDATE, actor=actor, device_id=device_id,
              at=now, before=before, after=snapshot(entry), reason=reason)
    session.flush()
    return entry


def soft_delete_entry(session: Session, entry: Entry, *, reason: str, actor: str, device_id: str) -> Entry:
    """Mark an entry deleted with a reason (+ DELETE op, DELETE audit). The row stays for history."""
    now = utcnow()
    before = snapshot(entry)
    entry.deleted = True
    entry.delete_reason = reason
    _bump(entry, actor, now)
    session.add(entry)
    session.flush()
    add_outbox(session, entry, OpKind.DELETE, now)
    add_audit(session, record_id=entry.record_id, action=AuditAction.DELETE, actor=actor, device_id=device_id,
              at=now, before=before, after=snapshot(entry), reason=reason)
    session.flush()
    return entry


# --------------------------------------------------------------------------- bulk (importer)


@dataclass(frozen=True, slots=True)
class NewEntry:
    """One already-checked entry for `bulk_create_entries`."""

    payload: EntryPayload
    name_key: str
    warnings: Sequence[Mapping[str, str]] = ()
    audit_reason: str = ""
    record_id: str | None = None


def _sqlite_ts(d: datetime) -> str:
    # The text SQLAlchemy's SQLite DATETIME stores for an aware UTC value (no offset).
    return d.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def uuid4_texts(n: int) -> list[str]:
    """n random (version 4) UUIDs as text; one urandom call instead of n uuid4() objects."""
    raw = bytearray(os.urandom(16 * n))
    out = []
    for k in range(0, 16 * n, 16):
        raw[k + 6] = (raw[k + 6] & 0x0F) | 0x40
        raw[k + 8] = (raw[k + 8] & 0x3F) | 0x80
        h = raw[k:k + 16].hex()
        out.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    return out


def _insert_sql(table: Any, given: Sequence[str]) -> tuple[str, tuple[Any, ...]]:
    """INSERT for `given` columns plus every other column that has a scalar model default."""
    defaults = {c.name: c.default.arg for c in table.columns
                if c.name not in given and c.default is not None and c.default.is_scalar}
    cols = [*given, *defaults]
    return (f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            tuple(defaults.values()))


_ENTRY_COLS = ("record_id", "nik", "kk", "name", "name_key", "birth_place", "birth_date", "sex", "desa_code", "dusun",
               "rt", "rw", "address", "phone", "criteria", "programme", "notes", "latitude", "longitude",
               "override_reason", "warnings", "created_at", "updated_at", "created_by", "updated_by", "local_rev",
               "sync_state", "deleted", "delete_reason")
_OUTBOX_COLS = ("op_id", "seq", "record_id", "kind", "local_rev", "payload", "created_at")
_AUDIT_COLS = ("record_id", "action", "actor", "device_id", "at", "after", "reason")


_HOUSEHOLD_UPSERT_SQL = (
    "INSERT INTO household (kk, desa_code, dusun, rt, rw, address, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?) "
    "ON CONFLICT(kk) DO UPDATE SET desa_code = excluded.desa_code, dusun = excluded.dusun, rt = excluded.rt, "
    "rw = excluded.rw, address = excluded.address, updated_at = excluded.updated_at"
)


def bulk_create_entries(session: Session, items: Sequence[NewEntry], *, actor: str, device_id: str) -> list[str]:
    """Insert many new entries with raw executemany (entry, household, outbox, audit).

    The same rows `create_entry` would write, without per-row ORM or SQLAlchemy parameter work:
    values are converted to SQLite's text forms here. Runs on the session's connection inside the
    caller's transaction, so a file is imported whole or not at all. Returns the record ids in order.
    """
    if not items:
        return []
    now = _sqlite_ts(utcnow())
    seq = next_outbox_seq(session)
    n = len(items)
    ids = [it.record_id or u for it, u in zip(items, uuid4_texts(n), strict=True)]
    op_ids = uuid4_texts(n)
    new, upsert, create = SyncState.NEW.value, OpKind.UPSERT.value, AuditAction.CREATE
    entry_sql, entry_tail = _insert_sql(Entry.__table__, _ENTRY_COLS)  # type: ignore[attr-defined]
    outbox_sql, outbox_tail = _insert_sql(Outbox.__table__, _OUTBOX_COLS)  # type: ignore[attr-defined]
    audit_sql, audit_tail = _insert_sql(AuditLog.__table__, _AUDIT_COLS)  # type: ignore[attr-defined]
    households: dict[str, tuple[Any, ...]] = {}
    entries: list[tuple[Any, ...]] = []
    ops: list[tuple[Any, ...]] = []
    audits: list[tuple[Any, ...]] = []
    # Plain SQLite values in the column orders above (dates as ISO text, booleans as 0/1).
    for i, it in enumerate(items):
        p = it.payload
        rid = ids[i]
        households[p.kk] = (p.kk, p.desa_code, p.dusun, p.rt, p.rw, p.address, now, now)  # last row of a KK wins
        entries.append((
            rid, p.nik, p.kk, p.name, it.name_key, p.birth_place, p.birth_date, p.sex, p.desa_code, p.dusun, p.rt,
            p.rw, p.address, p.phone, ",".join(p.criteria), p.programme, p.notes, p.latitude, p.longitude,
            p.override_reason, _dumps(list(it.warnings)) if it.warnings else "[]", now, now, actor, actor, 1, new,
            0, "", *entry_tail))
        payload_json = p.model_dump_json()
        ops.append((op_ids[i], seq + i, rid, upsert, 1, payload_json, now, *outbox_tail))
        audits.append((rid, create, actor, device_id, now, payload_json[:-1] + ',"deleted":false}', it.audit_reason,
                       *audit_tail))
    cur = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cur.executemany(_HOUSEHOLD_UPSERT_SQL, list(households.values()))
        cur.executemany(entry_sql, entries)
        cur.executemany(outbox_sql, ops)
        cur.executemany(audit_sql, audits)
    finally:
        cur.close()
    return ids
