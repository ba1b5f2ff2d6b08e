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
from domain.records import HouseholdPayload, MemberPayload, ProposalPayload
from domain.review_fields import REVIEW_FIELDS
from domain.review_fields import unknown as unknown_fields

# Every flag the server sets, explained for the reviewer (and the village) in Indonesian.
FLAG_TEXT: dict[str, str] = {
    FlagCode.DUP_NIK: "NIK yang sama juga terdaftar pada anggota keluarga lain (mungkin di desa lain).",
    FlagCode.DUP_KK: "Nomor KK yang sama juga terdaftar pada keluarga lain (mungkin di desa lain).",
    FlagCode.DUP_PERSON: "Kemungkinan orang yang sama: tanggal lahir sama dan nama sangat mirip dengan anggota lain.",
    FlagCode.REF_MATCH: "NIK ada di daftar penerima bantuan (data referensi).",
    FlagCode.REF_REJECT: "Sudah menerima bantuan pusat; tidak bisa menerima program provinsi/kabupaten "
                         "(ditolak otomatis).",
    FlagCode.EDITED_AFTER_APPROVAL: "Diubah desa setelah disetujui; perlu disetujui ulang.",
    FlagCode.RESUBMITTED: "Dikirim ulang setelah ditolak atau dikembalikan.",
    FlagCode.CONFLICT_SOFT: "Diubah di desa dan di server pada kolom berbeda; digabung otomatis.",
    FlagCode.CONFLICT_HARD: "Diubah di desa dan di server pada kolom yang sama; perlu dipilih per kolom.",
    FlagCode.DATA_WARNING: "Ada peringatan data (misalnya tanggal lahir atau jenis kelamin tidak cocok dengan NIK).",
    FlagCode.OVERRIDE: "Operator menyimpan walau ada peringatan kemungkinan duplikat (lihat alasannya).",
    FlagCode.DUP_KEPT: "Peninjau memutuskan data ini yang dipertahankan dari grup duplikatnya.",
    FlagCode.DUP_OTHER_KEPT: "Peninjau mempertahankan data yang sama di desa lain; usulan terbuka data ini ditolak "
                             "sebagai duplikat (R03).",
    FlagCode.DUP_NOT_SAME: "Peninjau memastikan data ini bukan orang/keluarga yang sama dengan data mirip di desa lain.",
}


class GroupState(StrEnum):
    """A duplicate group's state."""

    OPEN = "OPEN"
    SETTLED = "SETTLED"  # the reviewer kept one record
    DISTINCT = "DISTINCT"  # the reviewer marked the records "not the same"
    DISSOLVED = "DISSOLVED"  # its members no longer collide (never sent to reviewers)


class GroupKind(StrEnum):
    NIK = "nik"  # members with the same NIK (design.md §3 rule 1)
    KK = "kk"  # households with the same KK number (rule 2)
    PERSON = "person"  # members that are probably the same person under another NIK (rule 3)
    KK_PROGRAMME = "kk_programme"  # a second open proposal for the same programme and target (rule 4)


GROUP_KIND_TEXT: dict[str, str] = {
    GroupKind.NIK: "NIK sama (anggota keluarga)", GroupKind.KK: "Nomor KK sama (keluarga)",
    GroupKind.PERSON: "Kemungkinan orang yang sama",
    GroupKind.KK_PROGRAMME: "Usulan ganda: program dan sasaran sama",
}


class SkipCode(StrEnum):
    """Why a decision skipped a proposal, when the client must act on it ("" otherwise)."""

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


class HouseholdInfo(BaseModel):
    """A proposal's household as the server holds it: the KK, the house and the assets."""

    record_id: str
    version: int
    desa_code: str
    payload: HouseholdPayload
    kk_info: IdInfo | None = None
    desil: int | None = None
    flags: list[Flag] = Field(default_factory=list)
    deleted: bool = False
    voided: bool = False
    conflict: dict[str, Any] | None = None  # a village edit kept beside the server values (hard conflict)


class MemberInfo(BaseModel):
    """One member of a household as the server holds it, its NIK decoded."""

    record_id: str
    version: int
    desa_code: str
    payload: MemberPayload
    nik_info: IdInfo | None = None
    desil: int | None = None
    flags: list[Flag] = Field(default_factory=list)
    warnings: list[dict[str, str]] = Field(default_factory=list)
    deleted: bool = False
    voided: bool = False
    conflict: dict[str, Any] | None = None  # a village edit kept beside the server values (hard conflict)


class ReviewProposal(BaseModel):
    """A proposal under review with its family: the household (house, assets), every live member of it,
    and `member_id` — the person a person programme targets, or a household programme's pengurus."""

    record_id: str
    version: int
    change_seq: int
    desa_code: str
    desa_name: str
    payload: ProposalPayload
    target: str  # domain.programmes.Target value: "household" or "person"
    household: HouseholdInfo | None = None
    members: list[MemberInfo] = Field(default_factory=list)  # the household's members, head first
    member_id: str = ""  # the target member or the pengurus; one of `members` (else in `member`)
    member: MemberInfo | None = None  # that member when it is not (or no longer) in `members`
    review_state: str
    review_reason_code: str | None = None
    review_reason_text: str | None = None
    review_note: str | None = None
    review_fields: list[str] = Field(default_factory=list)  # domain.review_fields codes of a return
    approved_version: int | None = None  # the version last approved (kept when the village edits after)
    flags: list[Flag] = Field(default_factory=list)
    warnings: list[dict[str, str]] = Field(default_factory=list)
    deleted: bool = False
    voided: bool = False
    conflict: dict[str, Any] | None = None
    batch_id: str
    updated_at: datetime


class ProposalPage(BaseModel):
    items: list[ReviewProposal]
    total: int
    offset: int
    limit: int


class VersionInfo(BaseModel):
    version: int
    change: str  # create, update, merge, delete, conflict, resolve
    payload: dict[str, Any]
    review_state: str
    op_id: str | None = None
    batch_id: str | None = None
    device_id: str | None = None
    created_at: datetime
    record_type: str = "proposal"  # a RecordType value: the proposal's own versions, or its family's
    record_id: str = ""
    approved: bool = False  # the proposal's version the reviewer approved (kept after a later edit)


class GroupMember(BaseModel):
    """One record of a duplicate group with what the reviewer compares: for a member its household, for a
    household itself, for a proposal the proposal with its family."""

    record_type: str  # RecordType value
    record_id: str
    desa_code: str
    desa_name: str
    household: HouseholdInfo | None = None
    member: MemberInfo | None = None
    members: list[MemberInfo] = Field(default_factory=list)  # the household's members (member/household groups)
    proposal: ReviewProposal | None = None
    kept: bool = False


class DuplicateGroupInfo(BaseModel):
    group_id: int
    kind: str  # a GroupKind
    kind_text: str
    record_type: str  # RecordType value of its records
    state: str  # a GroupState: OPEN, SETTLED or DISTINCT
    spans_kecamatan: bool  # True: the supervisor settles it
    score: float | None = None
    kept_record_id: str | None = None
    note: str | None = None
    members: list[GroupMember]


class Objection(BaseModel):
    """A citizen's sanggah against someone of the proposal's family (issue 16): no reporter identity."""

    ticket: str
    reason_code: str
    reason_text: str  # the reason code's words
    explanation: str
    state: str  # server.public.states.ReportState
    created_at: datetime


class ProposalDetail(BaseModel):
    proposal: ReviewProposal
    history: list[VersionInfo]
    approved: VersionInfo | None = None  # the approved version, when the current one is newer
    duplicate_groups: list[DuplicateGroupInfo] = Field(default_factory=list)
    objections: list[Objection] = Field(default_factory=list)


class BatchSummary(BaseModel):
    batch_id: str
    desa_code: str
    desa_name: str
    device_id: str
    device_label: str
    operator: str
    received_at: datetime
    entry_count: int  # ops in the batch (households, members and proposals)
    flag_counts: dict[str, int]
    decision_counts: dict[str, int]  # review state -> proposals this batch concerns
    manifest_entry_count: int | None = None
    manifest_content_hash: str | None = None
    arrived_whole: bool | None = None  # None when the client sent no manifest


class BatchPage(BaseModel):
    items: list[BatchSummary]
    total: int


SeenMap = dict[Annotated[str, StringConstraints(max_length=64)], Annotated[int, Field(ge=0)]]


class DecisionRequest(BaseModel):
    """One decision on many proposals (`record_ids` are proposal ids)."""

    model_config = ConfigDict(extra="forbid")

    record_ids: list[str] = Field(min_length=1, max_length=10_000)
    decision: Decision
    reason_code: str | None = Field(default=None, max_length=10)
    note: str = Field(default="", max_length=1000)
    # A return names the fields the village must fix (domain.review_fields codes); the village sees them.
    review_fields: list[str] = Field(default_factory=list, max_length=len(REVIEW_FIELDS))
    # Optional optimistic checks, per proposal, of what the reviewer had on screen. `versions`:
    # record_id -> the proposal's `version` (the village's data); `change_seqs`: record_id -> its
    # `change_seq` (any change: another reviewer's decision, a new flag). A proposal whose current value
    # differs is skipped with a reason; nothing is applied to it.
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
        if self.decision == Decision.RETURN:
            if not self.note.strip():
                raise ValueError("Pengembalian untuk perbaikan memerlukan catatan untuk desa.")
            if not self.review_fields:
                raise ValueError("Pengembalian untuk perbaikan memerlukan daftar isian yang harus diperbaiki.")
            if bad := unknown_fields(self.review_fields):
                raise ValueError(f"Isian tidak dikenal: {', '.join(bad)}.")
        elif self.review_fields:
            raise ValueError("Daftar isian yang harus diperbaiki hanya untuk keputusan kembalikan.")
        return self


class DecisionSkip(BaseModel):
    record_id: str
    reason: str
    code: str = ""  # a SkipCode, or "" (nothing to do but read the reason)


class DecidedProposal(BaseModel):
    """What a decision changed on a proposal, as the server now has it. Its data (payload, version) did not
    change, so a bulk decision's answer stays small: a few dozen bytes per proposal."""

    record_id: str
    change_seq: int
    review_state: str  # a ReviewState
    review_reason_code: str | None = None  # a ReasonCode
    review_reason_text: str | None = None
    review_note: str | None = None
    review_fields: list[str] = Field(default_factory=list)
    approved_version: int | None = None
    voided: bool = False
    flags: list[str] = Field(default_factory=list)  # FlagCode values still set (a decision clears some)
    updated_at: datetime


class DecisionResult(BaseModel):
    decided: int
    skipped: list[DecisionSkip] = Field(default_factory=list)
    # record_id -> the proposal's change_seq after this decision, so the reviewer's next decision on it
    # (a change of mind) carries the current value.
    change_seqs: dict[str, int] = Field(default_factory=dict)
    # The decided proposals' review columns as they are now, in the order asked.
    proposals: list[DecidedProposal] = Field(default_factory=list)


class SettleDuplicateRequest(BaseModel):
    """Settle a duplicate group: keep one record (the others' open proposals are rejected as duplicates),
    or mark the records "not the same" (`not_same`: nothing is rejected, the group stays closed)."""

    model_config = ConfigDict(extra="forbid")

    keep_record_ids: list[str] = Field(default_factory=list, max_length=100)
    not_same: bool = False
    note: str = Field(default="", max_length=1000)
    # Also void the rejected proposals (they disappear from the village's active list).
    void_others: bool = False

    @model_validator(mode="after")
    def _one_outcome(self) -> SettleDuplicateRequest:
        if self.not_same == bool(self.keep_record_ids):
            raise ValueError("Pilih satu data yang dipertahankan, atau tandai 'bukan orang/keluarga yang sama'.")
        return self


class SettleConflictRequest(BaseModel):
    """Per contested field: keep the server's value or take the village's."""

    model_config = ConfigDict(extra="forbid")

    choices: dict[str, str] = Field(default_factory=dict)  # field -> "server" | "village"


class StatsRow(BaseModel):
    """Proposals of one desa x programme x proposal type x review state: how many, and how many families
    (KPM: distinct households — a person programme's proposals counted by their members' households)."""

    desa_code: str
    desa_name: str
    programme: str
    proposal_type: str = "new"  # domain.proposal_codes.ProposalType
    review_state: str
    count: int  # proposals
    kpm: int = 0  # distinct households


class CriteriaRow(BaseModel):
    desa_code: str
    desa_name: str
    criterion: str
    criterion_label: str
    count: int


class KpmRow(BaseModel):
    """Families (distinct households) of one desa with a proposal of one review state, programme or proposal
    type: a family with proposals in two programmes counts once per programme, once per state it has."""

    desa_code: str
    dimension: str  # "state", "programme" or "type"
    value: str
    kpm: int


class StatsResponse(BaseModel):
    area_code: str
    rows: list[StatsRow]
    by_criteria: list[CriteriaRow]  # households (KPM) per criterion of their proposals
    total: int  # proposals
    total_kpm: int = 0  # distinct households over all rows (a family in two programmes counts once)
    kpm_by_desa: dict[str, int] = Field(default_factory=dict)  # desa code -> its distinct households
    kpm_by: list[KpmRow] = Field(default_factory=list)  # per desa x state / programme / type, each family once


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
