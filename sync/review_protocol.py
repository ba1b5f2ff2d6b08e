"""Wire schemas of the review, stats, audit and admin API (server <-> desktop review workspace).

Dependency-light like sync.protocol: pydantic + domain only.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from domain.decisions import DECISION_STATES as DECISION_STATES  # re-exported: the server imports it here
from domain.decisions import Decision as Decision
from domain.flags import FlagCode
from domain.reasons import NOTE_REQUIRED, REJECT_REASONS
from sync.protocol import EntryPayload

# Every flag the server sets, explained for the reviewer (and the village) in Indonesian.
FLAG_TEXT: dict[str, str] = {
    FlagCode.DUP_NIK: "NIK yang sama juga terdaftar di entri lain (mungkin di desa lain).",
    FlagCode.DUP_KK: "Satu KK sudah punya entri lain di program yang sama (satu keluarga, satu bantuan).",
    FlagCode.DUP_PERSON: "Kemungkinan orang yang sama: tanggal lahir sama dan nama sangat mirip dengan entri lain.",
    FlagCode.REF_MATCH: "NIK ada di daftar penerima bantuan (data referensi).",
    FlagCode.REF_REJECT: "Sudah menerima bantuan pusat; tidak bisa menerima program provinsi/kabupaten "
                         "(ditolak otomatis).",
    FlagCode.EDITED_AFTER_APPROVAL: "Diubah desa setelah disetujui; perlu disetujui ulang.",
    FlagCode.RESUBMITTED: "Dikirim ulang setelah ditolak atau dikembalikan.",
    FlagCode.CONFLICT_SOFT: "Diubah di desa dan di server pada kolom berbeda; digabung otomatis.",
    FlagCode.CONFLICT_HARD: "Diubah di desa dan di server pada kolom yang sama; perlu dipilih per kolom.",
    FlagCode.DATA_WARNING: "Ada peringatan data (misalnya tanggal lahir atau jenis kelamin tidak cocok dengan NIK).",
    FlagCode.OVERRIDE: "Operator menyimpan walau ada peringatan kemungkinan duplikat (lihat alasannya).",
}


class GroupState(StrEnum):
    """A duplicate group's state."""

    OPEN = "OPEN"
    SETTLED = "SETTLED"
    DISSOLVED = "DISSOLVED"  # its members no longer collide (never sent to reviewers)


class GroupKind(StrEnum):
    NIK = "nik"  # the same NIK
    KK_PROGRAMME = "kk_programme"  # one KK twice in one programme
    PERSON = "person"  # probably the same person


GROUP_KIND_TEXT: dict[str, str] = {
    GroupKind.NIK: "NIK sama", GroupKind.KK_PROGRAMME: "KK sama dalam satu program",
    GroupKind.PERSON: "Kemungkinan orang yang sama",
}


class SkipCode(StrEnum):
    """Why a decision skipped an entry, when the client must act on it ("" otherwise)."""

    STALE = "stale"  # changed since the reviewer opened it: reload, then decide again


class Flag(BaseModel):
    code: str  # a FlagCode; a plain str so an older client still shows a flag added later
    message: str
    related_record_ids: list[str] = Field(default_factory=list)


class IdInfo(BaseModel):
    """A decoded NIK or KK, for the reviewer's eyes."""

    digits: str
    valid: bool
    region: str = ""  # "Tanjungpandan, Kabupaten Belitung, ..."
    date_text: str | None = None  # DD-MM-YY (the century is not in the number)
    sex: str | None = None
    problems: list[str] = Field(default_factory=list)


class ReviewEntry(BaseModel):
    record_id: str
    version: int
    change_seq: int
    desa_code: str
    desa_name: str
    payload: EntryPayload
    nik_info: IdInfo | None = None
    kk_info: IdInfo | None = None
    review_state: str
    review_reason_code: str | None = None
    review_reason_text: str | None = None
    review_note: str | None = None
    flags: list[Flag] = Field(default_factory=list)
    warnings: list[dict[str, str]] = Field(default_factory=list)
    deleted: bool = False
    voided: bool = False
    conflict: dict[str, Any] | None = None
    batch_id: str
    updated_at: datetime


class EntryPage(BaseModel):
    items: list[ReviewEntry]
    total: int
    offset: int
    limit: int


class VersionInfo(BaseModel):
    version: int
    change: str  # create, update, merge, delete, conflict
    payload: dict[str, Any]
    review_state: str
    op_id: str | None = None
    batch_id: str | None = None
    device_id: str | None = None
    created_at: datetime


class DuplicateGroupInfo(BaseModel):
    group_id: int
    kind: str  # a GroupKind
    kind_text: str
    state: str  # a GroupState: OPEN or SETTLED
    spans_kecamatan: bool  # True: the supervisor settles it
    score: float | None = None
    kept_record_id: str | None = None
    members: list[ReviewEntry]


class EntryDetail(BaseModel):
    entry: ReviewEntry
    history: list[VersionInfo]
    duplicate_groups: list[DuplicateGroupInfo] = Field(default_factory=list)


class BatchSummary(BaseModel):
    batch_id: str
    desa_code: str
    desa_name: str
    device_id: str
    device_label: str
    operator: str
    received_at: datetime
    entry_count: int  # ops in the batch
    flag_counts: dict[str, int]
    decision_counts: dict[str, int]  # review state -> entries of this batch
    manifest_entry_count: int | None = None
    manifest_content_hash: str | None = None
    arrived_whole: bool | None = None  # None when the client sent no manifest


class BatchPage(BaseModel):
    items: list[BatchSummary]
    total: int


SeenMap = dict[Annotated[str, StringConstraints(max_length=64)], Annotated[int, Field(ge=0)]]


class DecisionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    record_ids: list[str] = Field(min_length=1, max_length=10_000)
    decision: Decision
    reason_code: str | None = Field(default=None, max_length=10)
    note: str = Field(default="", max_length=1000)
    # Optional optimistic checks, per entry, of what the reviewer had on screen (old requests send
    # neither). `versions`: record_id -> the entry's `version` (the village's data); `change_seqs`:
    # record_id -> its `change_seq` (any change: another reviewer's decision, a new flag). An entry
    # whose current value differs is skipped with a reason; nothing is applied to it.
    versions: SeenMap | None = Field(default=None, max_length=10_000)
    change_seqs: SeenMap | None = Field(default=None, max_length=10_000)

    @model_validator(mode="after")
    def _reason(self) -> DecisionRequest:
        if self.decision == Decision.REJECT:
            if self.reason_code not in REJECT_REASONS:
                raise ValueError(f"Alasan penolakan wajib salah satu kode: {', '.join(REJECT_REASONS)}.")
            if self.reason_code in NOTE_REQUIRED and not self.note.strip():
                raise ValueError(f"Alasan {self.reason_code} memerlukan catatan.")
        elif self.reason_code is not None:
            raise ValueError("Kode alasan hanya untuk keputusan tolak.")
        if self.decision == Decision.RETURN and not self.note.strip():
            raise ValueError("Pengembalian untuk perbaikan memerlukan catatan untuk desa.")
        return self


class DecisionSkip(BaseModel):
    record_id: str
    reason: str
    code: str = ""  # a SkipCode, or "" (nothing to do but read the reason)


class DecidedEntry(BaseModel):
    """What a decision changed on an entry, as the server now has it. Its data (payload, version) did not
    change, so a bulk decision's answer stays small: a few dozen bytes per entry, not the whole entry."""

    record_id: str
    change_seq: int
    review_state: str  # a ReviewState
    review_reason_code: str | None = None  # a ReasonCode
    review_reason_text: str | None = None
    review_note: str | None = None
    voided: bool = False
    flags: list[str] = Field(default_factory=list)  # FlagCode values still set (a decision clears some)
    updated_at: datetime


class DecisionResult(BaseModel):
    decided: int
    skipped: list[DecisionSkip] = Field(default_factory=list)
    # record_id -> the entry's change_seq after this decision, so the reviewer's next decision on it
    # (a change of mind) carries the current value.
    change_seqs: dict[str, int] = Field(default_factory=dict)
    # The decided entries' review columns as they are now, in the order asked, so the client shows the
    # server's outcome instead of working it out again. Older servers send none.
    entries: list[DecidedEntry] = Field(default_factory=list)


class SettleDuplicateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    keep_record_ids: list[str] = Field(min_length=1, max_length=100)
    note: str = Field(default="", max_length=1000)
    # Also void the rejected ones (they disappear from the village's active list).
    void_others: bool = False


class SettleConflictRequest(BaseModel):
    """Per contested field: keep the server's value or take the village's."""

    model_config = ConfigDict(extra="forbid")

    choices: dict[str, str] = Field(default_factory=dict)  # field -> "server" | "village"


class StatsRow(BaseModel):
    desa_code: str
    desa_name: str
    programme: str
    review_state: str
    count: int


class CriteriaRow(BaseModel):
    desa_code: str
    desa_name: str
    criterion: str
    criterion_label: str
    count: int


class StatsResponse(BaseModel):
    area_code: str
    rows: list[StatsRow]
    by_criteria: list[CriteriaRow]
    total: int


class AuditRow(BaseModel):
    id: int
    at: datetime
    username: str
    action: str
    record_id: str | None
    before: dict[str, Any]
    after: dict[str, Any]


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=100)
    role: str = Field(max_length=20)
    area_code: str = Field(default="", max_length=20)
    password: str = Field(min_length=12, max_length=200)


class UserInfo(BaseModel):
    id: int
    username: str
    role: str
    area_code: str
    active: bool
    created_at: datetime
