"""Wire schemas of the sync protocol (design.md §4), shared by the desktop client and the server.

Keep this module dependency-light (pydantic + domain only): the server imports it.
EntryPayload and ENTRY_FIELDS live in domain.payload (local_db stores them too) and are re-exported here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.payload import ENTRY_FIELDS as ENTRY_FIELDS  # re-exported: part of the wire schema
from domain.payload import EntryPayload as EntryPayload
from domain.records import PAYLOADS, HouseholdPayload, MemberPayload, ProposalPayload, RecordType
from domain.states import OpKind, OpStatus, ReviewState

# Protocol 2 (ADR 0005): an op names its record type (household, member, proposal). Every sync and
# review request carries PROTOCOL_HEADER; an upgraded server refuses a request without it with 403 and
# the Indonesian OLD_CLIENT_MESSAGE (a 403 stops an old client's run without touching its outbox).
PROTOCOL_VERSION = 2
PROTOCOL_HEADER = "X-Bansos-Protocol"
OLD_CLIENT_MESSAGE = (
    "Aplikasi di PC desa ini versi lama dan tidak cocok dengan server yang sudah diperbarui. Data yang "
    "belum terkirim tetap aman di PC ini. Pasang aplikasi versi terbaru, lalu sinkronkan lagi.")
OLD_SERVER_MESSAGE = "Server belum diperbarui; hubungi petugas IT. Data tetap aman di PC ini."
MAX_OPS_PER_BATCH = 2000
MAX_BODY_BYTES = 8 * 1024 * 1024  # decompressed
MAX_COMPRESSED_BYTES = 2 * 1024 * 1024


class Op(BaseModel):
    model_config = ConfigDict(extra="forbid")

    op_id: str = Field(min_length=8, max_length=64)
    record_id: str = Field(min_length=8, max_length=64)
    base_version: int | None = Field(default=None, ge=0)
    local_rev: int = Field(ge=1)
    kind: OpKind
    payload: EntryPayload | None = None  # None for DELETE


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    device_id: str = Field(min_length=8, max_length=64)
    ops: list[Op] = Field(max_length=MAX_OPS_PER_BATCH)
    # Manifest: lets the reviewer see the batch arrived whole.
    entry_count: int | None = None
    content_hash: str | None = Field(default=None, max_length=128)
    client_time: datetime | None = None


class OpError(BaseModel):
    field: str
    code: str
    message: str


RecordPayload = HouseholdPayload | MemberPayload | ProposalPayload


def _typed_payload(data: Any) -> Any:
    """Parse `payload` as the model its `record_type` names (a plain union could pick the wrong one)."""
    if isinstance(data, dict) and isinstance(data.get("payload"), dict):
        try:
            model = PAYLOADS[RecordType(str(data.get("record_type")))]
        except ValueError:
            return data  # the record_type field's own error names it
        data = {**data, "payload": model.model_validate(data["payload"])}
    return data


class RecordOp(BaseModel):
    """One op of protocol 2: a save (UPSERT) or a delete of one household, member or proposal."""

    model_config = ConfigDict(extra="forbid")

    op_id: str = Field(min_length=8, max_length=64)
    record_type: RecordType
    record_id: str = Field(min_length=8, max_length=64)
    base_version: int | None = Field(default=None, ge=0)
    local_rev: int = Field(ge=1)
    kind: OpKind
    payload: RecordPayload | None = None  # None for DELETE

    _typed = model_validator(mode="before")(_typed_payload)


class RecordBatchRequest(BaseModel):
    """POST /api/v1/sync/batches under protocol 2. Ops go in save order: a household before its
    members, a member before the proposal that names it (references are checked within the batch)."""

    model_config = ConfigDict(extra="forbid")

    device_id: str = Field(min_length=8, max_length=64)
    ops: list[RecordOp] = Field(max_length=MAX_OPS_PER_BATCH)
    record_count: int | None = None  # manifest: the reviewer sees the batch arrived whole
    content_hash: str | None = Field(default=None, max_length=128)
    client_time: datetime | None = None


class OpResult(BaseModel):
    op_id: str
    record_type: RecordType | None = None  # set under protocol 2
    record_id: str
    status: OpStatus
    version: int | None = None
    conflict_kind: str | None = None  # "hard", "soft", "deleted"
    conflict_fields: list[str] = Field(default_factory=list)
    server_copy: dict[str, Any] | None = None
    errors: list[OpError] = Field(default_factory=list)


class BatchResponse(BaseModel):
    batch_id: str
    results: list[OpResult]
    server_time: datetime


class ServerEntry(BaseModel):
    """One entry as the server holds it, with its server-owned columns."""

    record_id: str
    version: int
    payload: EntryPayload
    deleted: bool = False
    voided: bool = False  # voided on the server (e.g. a rejected duplicate removed)
    review_state: ReviewState = ReviewState.PENDING
    review_reason_code: str | None = None
    review_note: str | None = None
    flags: list[str] = Field(default_factory=list)
    conflict: dict[str, Any] | None = None  # village edit kept beside the server values


class ServerRecord(BaseModel):
    """One household, member or proposal as the server holds it, with its server-owned columns.

    Review fields are set on proposals only; `desil` (from the reference list) on households and members.
    """

    record_type: RecordType
    record_id: str
    version: int
    desa_code: str
    payload: RecordPayload
    deleted: bool = False
    voided: bool = False
    flags: list[str] = Field(default_factory=list)
    conflict: dict[str, Any] | None = None  # village edit kept beside the server values
    desil: int | None = None
    review_state: ReviewState | None = None
    review_reason_code: str | None = None
    review_note: str | None = None
    review_fields: list[str] = Field(default_factory=list)  # a return names the fields to fix

    _typed = model_validator(mode="before")(_typed_payload)


class ReferenceItem(BaseModel):
    """A reference-list recipient relevant to the desa: no names, by design (UU PDP)."""

    nik: str
    programme: str
    level: str
    status: str


class Change(BaseModel):
    seq: int
    type: str  # "entry" or "reference"
    entry: ServerEntry | None = None
    reference: ReferenceItem | None = None


class RecordChange(BaseModel):
    """One change of a desa feed under protocol 2: `type` is a RecordType value or "reference"."""

    seq: int
    type: str
    record: ServerRecord | None = None
    reference: ReferenceItem | None = None


class RecordChangesPage(BaseModel):
    changes: list[RecordChange]
    next_cursor: int
    has_more: bool
    server_time: datetime


class ChangesPage(BaseModel):
    changes: list[Change]
    next_cursor: int  # opaque: send it back as `since` (the server packs its per-area feed positions in it)
    has_more: bool
    server_time: datetime


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class LoginResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime
    role: str
    area_code: str


class DeviceRegisterRequest(BaseModel):
    desa_code: str = Field(max_length=20)
    label: str = Field(default="", max_length=100)


class DeviceRegisterResponse(BaseModel):
    device_id: str
    desa_code: str


class HealthResponse(BaseModel):
    status: str
    version: str
    server_time: datetime
    protocol: int = 1  # absent on an old server = 1: a protocol-2 client does not push to it


def ops_content_hash(ops: list[Op]) -> str:
    """The manifest hash of a batch's ops (BatchRequest.content_hash): sha256 hex of their canonical
    JSON. The client sets it; the server recomputes it to show the reviewer the batch arrived whole."""
    import hashlib
    import json

    body = json.dumps([op.model_dump(mode="json") for op in ops], sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()
