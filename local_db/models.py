"""SQLModel tables of the desktop app's local store.

Every entry is keyed by a client-made UUID `record_id`; NIK is a field, never the key.
Dates/times are stored as UTC.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from domain.states import SyncState


class Household(SQLModel, table=True):
    """One family card (KK) and its address; members are entries with this KK."""

    kk: str = Field(primary_key=True, max_length=16)
    desa_code: str = Field(max_length=10)
    dusun: str = ""
    rt: str = ""
    rw: str = ""
    address: str = ""
    created_at: datetime
    updated_at: datetime


class Entry(SQLModel, table=True):
    """One candidate for one programme."""

    __table_args__ = (
        Index("ix_entry_nik", "nik"),
        Index("ix_entry_kk_programme", "kk", "programme"),
        Index("ix_entry_birth_date", "birth_date"),
        Index("ix_entry_sync_state", "sync_state"),
        Index("ix_entry_updated_at", "updated_at"),
        Index("ix_entry_name_key", "name_key"),  # the list's name search scans this, not the table
    )

    record_id: str = Field(primary_key=True, max_length=36)
    nik: str = Field(max_length=16)
    kk: str = Field(foreign_key="household.kk", max_length=16)
    name: str
    name_key: str  # domain.names.name_key(name): for matching, never shown
    birth_place: str = ""
    birth_date: date
    sex: str = Field(max_length=1)
    desa_code: str = Field(max_length=10)
    dusun: str = ""
    rt: str = ""
    rw: str = ""
    address: str = ""
    phone: str = ""
    criteria: str = ""  # comma-separated codes from domain.criteria
    programme: str
    notes: str = ""
    latitude: float | None = None
    longitude: float | None = None
    warnings: str = "[]"  # JSON list of Issue dicts recorded at save time
    override_reason: str = ""  # why a probable-duplicate warning was overridden
    deleted: bool = False
    delete_reason: str = ""
    created_at: datetime
    updated_at: datetime
    created_by: str = ""
    updated_by: str = ""
    # --- sync columns (design.md §4)
    local_rev: int = 1
    base_version: int | None = None  # last server version seen
    sync_state: str = SyncState.NEW
    # --- server-owned columns
    server_version: int | None = None
    review_state: str | None = None
    review_reason_code: str | None = None
    review_note: str | None = None
    server_flags: str = "[]"  # JSON list of flag codes
    conflict_data: str | None = None  # JSON: server copy + conflicting fields


class Outbox(SQLModel, table=True):
    """One local save waiting to be sent; written in the same transaction as the entry."""

    __table_args__ = (Index("ix_outbox_batch", "batch_id"), Index("ix_outbox_record", "record_id"))

    op_id: str = Field(primary_key=True, max_length=36)
    seq: int | None = Field(default=None, unique=True)  # send order
    record_id: str = Field(max_length=36)
    kind: str  # domain.states.OpKind
    local_rev: int
    base_version: int | None = None
    payload: str  # JSON of the record type's payload (domain.records)
    created_at: datetime
    batch_id: str | None = None  # set when the op is put in a batch (before its first send)
    # domain.records.RecordType of the op (schema 4); "entry" or NULL: an old entry op (legacy_outbox keeps them)
    record_type: str | None = None


class Batch(SQLModel, table=True):
    """A batch is saved with its op ids before its first send, and re-sent unchanged."""

    batch_id: str = Field(primary_key=True, max_length=36)
    created_at: datetime
    op_ids: str  # JSON list, in order
    body_hash: str = ""
    attempts: int = 0
    last_attempt_at: datetime | None = None
    last_error: str = ""
    done_at: datetime | None = None


class AuditLog(SQLModel, table=True):
    """Every change to an entry: who, when, device, before/after (jejak digital)."""

    __table_args__ = (Index("ix_audit_record", "record_id"),)

    id: int | None = Field(default=None, primary_key=True)
    record_id: str = Field(max_length=36)
    action: str  # CREATE, UPDATE, DELETE, SERVER_UPDATE, CONFLICT_RESOLVE, ...
    actor: str = ""
    device_id: str = ""
    at: datetime
    before: str | None = None  # JSON
    after: str | None = None  # JSON
    reason: str = ""


class ReferenceRecipient(SQLModel, table=True):
    """Reference recipient list synced from the server: NIK + programme + status, no names."""

    nik: str = Field(primary_key=True, max_length=16)
    programme: str = Field(primary_key=True)
    level: str = ""
    status: str = ""


class Meta(SQLModel, table=True):
    """Small key/value settings of the store: schema version, device id, desa, cursor, ..."""

    key: str = Field(primary_key=True)
    value: str = ""
