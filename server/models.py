"""Server tables and their API shapes (FastAPI full-stack template style: Base / Table / Public).

Entries are keyed by the client-made `record_id`; NIK is an indexed field. Times are UTC.
JSON-valued columns are TEXT so the same schema runs on SQLite and PostgreSQL.
`version` counts accepted ops on a record; review outcomes and flags move only `change_seq`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Index, Table, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from sync.review_protocol import GroupState


def _text() -> Column:
    return Column(Text, nullable=False, default="")


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a model (for executemany inserts)."""
    return SQLModel.metadata.tables[str(model.__tablename__)]


# ---- accounts ---------------------------------------------------------------------------------


class UserBase(SQLModel):
    username: str = Field(max_length=100, unique=True, index=True)
    role: str = Field(max_length=20)
    area_code: str = Field(default="", max_length=10)  # digits; "" for admin
    active: bool = True


class User(UserBase, table=True):
    __tablename__ = "srv_user"
    id: int | None = Field(default=None, primary_key=True)
    password_hash: str = Field(max_length=200)
    created_at: datetime


class UserPublic(UserBase):
    id: int
    created_at: datetime


class AuthToken(SQLModel, table=True):
    """Opaque bearer tokens, stored only as a hash."""

    __tablename__ = "srv_token"
    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="srv_user.id", index=True)
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None


class LoginFailure(SQLModel, table=True):
    """Failed logins per username + client address, shared by every worker process (server.throttle)."""

    __tablename__ = "srv_login_failure"
    key: str = Field(primary_key=True, max_length=200)  # lower(username) + " " + peer address
    failures: int = 0
    window_start: float = 0.0  # unix time of the first failure of the current window


class Device(SQLModel, table=True):
    __tablename__ = "srv_device"
    device_id: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="srv_user.id", index=True)
    desa_code: str = Field(max_length=10, index=True)
    label: str = Field(default="", max_length=100)
    created_at: datetime


# ---- sync ------------------------------------------------------------------------------------


class Counter(SQLModel, table=True):
    """Named counters. Its `change_seq` row was the one global change sequence before the per-area
    feeds (srv_area_seq); migration 0003 leaves the row, unused."""

    __tablename__ = "srv_counter"
    name: str = Field(primary_key=True, max_length=40)
    value: int = 0


class AreaSeq(SQLModel, table=True):
    """The last change_seq of each feed: "desa:<code>" (entries), "ref:<kecamatan>" (reference rows).
    A writer locks only its own feeds' rows (server.services.seq), so villages do not wait on each other."""

    __tablename__ = "srv_area_seq"
    area: str = Field(primary_key=True, max_length=20)
    value: int = Field(default=0, sa_type=BigInteger)


class Batch(SQLModel, table=True):
    __tablename__ = "srv_batch"
    batch_id: str = Field(primary_key=True, max_length=100)  # the Idempotency-Key
    device_id: str = Field(foreign_key="srv_device.device_id", index=True)
    user_id: int = Field(foreign_key="srv_user.id")
    desa_code: str = Field(max_length=10, index=True)
    kecamatan_code: str = Field(max_length=6, index=True)
    content_hash: str = Field(max_length=64)  # idempotency: sha256 of device_id + ops_hash
    ops_hash: str = Field(max_length=64)  # sync.protocol.ops_content_hash, as computed here
    received_at: datetime
    op_count: int = 0
    manifest_entry_count: int | None = None
    manifest_content_hash: str | None = Field(default=None, max_length=128)
    response_json: str = Field(sa_column=_text())


class AppliedOp(SQLModel, table=True):
    """Every op the server applied (or stored as a hard conflict): replay returns DUPLICATE."""

    __tablename__ = "srv_applied_op"
    op_id: str = Field(primary_key=True, max_length=64)
    province_code: str = Field(default="", max_length=2, sa_column_kwargs={"server_default": ""})  # partition key (0004)
    record_id: str = Field(max_length=64, index=True)
    batch_id: str = Field(max_length=100, index=True)
    status: str = Field(max_length=20)
    version: int | None = None


class EntryBase(SQLModel):
    record_id: str = Field(primary_key=True, max_length=64)
    province_code: str = Field(default="", max_length=2, sa_column_kwargs={"server_default": ""})  # partition key (0004)
    desa_code: str = Field(max_length=10)
    kecamatan_code: str = Field(max_length=6)
    kabkota_code: str = Field(max_length=4)
    nik: str = Field(max_length=40)
    kk: str = Field(max_length=40)
    name_key: str = Field(max_length=200)
    birth_date: str = Field(max_length=20)
    programme: str = Field(max_length=40)
    criteria: str = Field(default="", max_length=400)  # comma-separated codes
    version: int = 1
    change_seq: int = 0
    deleted: bool = False
    voided: bool = False
    review_state: str = Field(default="PENDING", max_length=20)
    review_reason_code: str | None = Field(default=None, max_length=10)
    review_note: str | None = Field(default=None, max_length=1000)
    approved_version: int | None = None
    flags: str = Field(default="[]", max_length=2000)  # JSON list of flag codes
    device_id: str = Field(max_length=64)
    last_batch_id: str = Field(max_length=100)
    created_at: datetime
    updated_at: datetime


class Entry(EntryBase, table=True):
    __tablename__ = "srv_entry"
    __table_args__ = (
        Index("ix_srv_entry_desa_seq", "desa_code", "change_seq"),
        Index("ix_srv_entry_kec", "kecamatan_code", "review_state"),
        Index("ix_srv_entry_kec_list", "kecamatan_code", "desa_code", "change_seq"),  # a kecamatan's review list
        Index("ix_srv_entry_kab", "kabkota_code"),
        Index("ix_srv_entry_nik", "nik"),
        Index("ix_srv_entry_kk_prog", "kk", "programme"),
        Index("ix_srv_entry_birth", "birth_date"),
        Index("ix_srv_entry_name_key", "name_key"),  # person matcher: how common a name is (0006)
        Index("ix_srv_entry_batch", "last_batch_id"),
    )
    payload: str = Field(sa_column=_text())  # JSON of sync.protocol.EntryPayload
    warnings: str = Field(default="[]", sa_column=_text())  # JSON list of Issue dicts
    conflict: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class EntryVersion(SQLModel, table=True):
    """History: one row per accepted op (and per stored hard conflict)."""

    __tablename__ = "srv_entry_version"
    __table_args__ = (Index("ix_srv_entry_version_rec", "record_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    province_code: str = Field(default="", max_length=2, sa_column_kwargs={"server_default": ""})  # partition key (0004)
    record_id: str = Field(max_length=64)
    version: int
    change: str = Field(max_length=30)  # create, update, merge, delete, conflict
    payload: str = Field(sa_column=_text())
    review_state: str = Field(max_length=20)
    op_id: str | None = Field(default=None, max_length=64)
    batch_id: str | None = Field(default=None, max_length=100)
    device_id: str | None = Field(default=None, max_length=64)
    created_at: datetime


# ---- duplicates and reference list ------------------------------------------------------------


class DuplicateGroup(SQLModel, table=True):
    __tablename__ = "srv_dup_group"
    __table_args__ = (Index("ix_srv_dup_key", "kind", "key", "state"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)  # nik, kk_programme, person
    key: str = Field(max_length=200)  # deterministic for nik/kk; first pair for person
    state: str = Field(default=GroupState.OPEN, max_length=20)  # sync.review_protocol.GroupState
    # One kecamatan when every member is in it; "" when the group spans kecamatan (supervisor).
    kecamatan_code: str = Field(default="", max_length=6, index=True)
    kabkota_code: str = Field(default="", max_length=4, index=True)  # "" when spanning kab/kota
    score: float | None = None
    kept_record_id: str | None = Field(default=None, max_length=64)
    settled_by: int | None = None
    settled_at: datetime | None = None
    created_at: datetime


class DupLock(SQLModel, table=True):
    """Row locks that order concurrent duplicate checks sharing a key (server.services.duplicates)."""

    __tablename__ = "srv_dup_lock"
    bucket: int = Field(primary_key=True, sa_type=BigInteger, sa_column_kwargs={"autoincrement": False})


class DuplicateMember(SQLModel, table=True):
    __tablename__ = "srv_dup_member"
    group_id: int = Field(foreign_key="srv_dup_group.id", primary_key=True)
    record_id: str = Field(max_length=64, primary_key=True)


class ReferenceRecipient(SQLModel, table=True):
    """The imported recipient list: NIK + programme + level + status + period. No names."""

    __tablename__ = "srv_reference"
    __table_args__ = (
        UniqueConstraint("nik", "programme", "period", name="uq_srv_reference"),
        Index("ix_srv_reference_kec_seq", "kecamatan_code", "change_seq"),
    )
    id: int | None = Field(default=None, primary_key=True)
    nik: str = Field(max_length=16, index=True)
    programme: str = Field(max_length=40)
    level: str = Field(max_length=20)
    status: str = Field(max_length=40)
    period: str = Field(max_length=20)
    kecamatan_code: str = Field(max_length=6)
    change_seq: int = 0
    imported_at: datetime


class ImportProgress(SQLModel, table=True):
    """Resumable reference imports: the last line committed per file checksum."""

    __tablename__ = "srv_import_progress"
    file_sha256: str = Field(primary_key=True, max_length=64)
    file_name: str = Field(max_length=300)
    last_line: int = 0
    done: bool = False
    updated_at: datetime


# ---- audit -----------------------------------------------------------------------------------


class AuditLog(SQLModel, table=True):
    __tablename__ = "srv_audit"
    __table_args__ = (Index("ix_srv_audit_record", "record_id"),)
    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    user_id: int | None = None
    username: str = Field(max_length=100)
    action: str = Field(max_length=40)
    record_id: str | None = Field(default=None, max_length=64)
    kecamatan_code: str = Field(default="", max_length=6)
    before: str = Field(sa_column=_text())  # JSON
    after: str = Field(sa_column=_text())  # JSON


# ---- households, members, proposals (protocol 2; ADR 0005) -------------------------------------


class RecordBase(SQLModel):
    """Columns every synced record has. `payload` is the village's record (domain.records) as JSON; the
    columns beside it are the indexed copies the server searches by. On PostgreSQL the tables are
    partitioned by province (migration 0007, as 0004 did for srv_entry)."""

    record_id: str = Field(primary_key=True, max_length=64)
    province_code: str = Field(default="", max_length=2, sa_column_kwargs={"server_default": ""})  # partition key
    desa_code: str = Field(max_length=10)
    kecamatan_code: str = Field(max_length=6)
    kabkota_code: str = Field(max_length=4)
    version: int = 1
    change_seq: int = 0  # in the desa's feed (server.services.seq.desa_feed)
    deleted: bool = False
    voided: bool = False
    flags: str = Field(default="[]", max_length=2000)  # JSON list of flag codes
    payload: str = Field(default="{}", sa_type=Text)  # JSON of the record's domain.records payload
    warnings: str = Field(default="[]", sa_type=Text)  # JSON list of Issue dicts
    conflict: str | None = Field(default=None, sa_type=Text)  # village edit kept beside the server values
    device_id: str = Field(default="", max_length=64)
    last_batch_id: str = Field(default="", max_length=100)
    created_at: datetime
    updated_at: datetime


class HouseholdRow(RecordBase, table=True):
    __tablename__ = "srv_household"
    __table_args__ = (
        Index("ix_srv_household_desa_seq", "desa_code", "change_seq"),
        Index("ix_srv_household_kk", "kk"),
        Index("ix_srv_household_kec", "kecamatan_code", "desa_code"),
    )
    kk: str = Field(default="", max_length=40)  # "" while the KK is pending
    desil: int | None = None  # from the reference list (server-owned)


class MemberRow(RecordBase, table=True):
    __tablename__ = "srv_member"
    __table_args__ = (
        Index("ix_srv_member_desa_seq", "desa_code", "change_seq"),
        Index("ix_srv_member_nik", "nik"),
        Index("ix_srv_member_household", "household_id"),
        Index("ix_srv_member_birth", "birth_date"),
        Index("ix_srv_member_name_key", "name_key"),  # person matcher: how common a name is
        Index("ix_srv_member_kec", "kecamatan_code", "desa_code"),
    )
    household_id: str = Field(max_length=64)
    nik: str = Field(default="", max_length=40)  # "" while the person has only a temporary id
    temp_id: str = Field(default="", max_length=20)
    name_key: str = Field(default="", max_length=200)
    birth_date: str = Field(default="", max_length=20)
    desil: int | None = None


class ProposalRow(RecordBase, table=True):
    __tablename__ = "srv_proposal"
    __table_args__ = (
        Index("ix_srv_proposal_desa_seq", "desa_code", "change_seq"),
        Index("ix_srv_proposal_target", "programme", "target_id"),  # duplicate rule 4
        Index("ix_srv_proposal_household", "household_id"),
        Index("ix_srv_proposal_member", "member_id"),
        Index("ix_srv_proposal_pengurus", "pengurus_id"),
        Index("ix_srv_proposal_kec", "kecamatan_code", "review_state"),
        Index("ix_srv_proposal_kec_list", "kecamatan_code", "desa_code", "change_seq"),  # a kecamatan's review list
        Index("ix_srv_proposal_kab", "kabkota_code"),
        Index("ix_srv_proposal_batch", "last_batch_id"),
        Index("ix_srv_proposal_legacy", "legacy_entry_id"),
    )
    type: str = Field(default="new", max_length=20)
    programme: str = Field(max_length=40)
    household_id: str = Field(default="", max_length=64)
    member_id: str = Field(default="", max_length=64)
    pengurus_id: str = Field(default="", max_length=64)
    target_id: str = Field(default="", max_length=64)  # member_id or household_id
    review_state: str = Field(default="PENDING", max_length=20)
    review_reason_code: str | None = Field(default=None, max_length=10)
    review_note: str | None = Field(default=None, max_length=1000)
    review_fields: str = Field(default="[]", max_length=2000)  # JSON list: the fields a return asks to fix
    approved_version: int | None = None
    legacy_entry_id: str | None = Field(default=None, max_length=64)  # the srv_entry it was migrated from


class RecordVersion(SQLModel, table=True):
    """History of every household, member and proposal: one row per accepted op, stored hard conflict,
    review decision or migration step. An approved proposal edited later keeps its approved version here."""

    __tablename__ = "srv_record_version"
    __table_args__ = (Index("ix_srv_record_version_rec", "record_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    province_code: str = Field(default="", max_length=2, sa_column_kwargs={"server_default": ""})  # partition key
    record_type: str = Field(max_length=20)  # domain.records.RecordType
    record_id: str = Field(max_length=64)
    version: int
    action: str = Field(max_length=30)  # create, update, merge, delete, conflict, migrate, review
    review_state: str | None = Field(default=None, max_length=20)
    payload: str = Field(default="{}", sa_type=Text)
    source_payload: str | None = Field(default=None, sa_type=Text)  # migrated history: the old entry payload
    op_id: str | None = Field(default=None, max_length=64)
    batch_id: str | None = Field(default=None, max_length=100)
    device_id: str | None = Field(default=None, max_length=64)
    actor: str = Field(default="", max_length=100)  # "by": username, device id, "migrasi" or "sistem"
    at: datetime


RECORD_TABLES = {"household": HouseholdRow, "member": MemberRow, "proposal": ProposalRow}
