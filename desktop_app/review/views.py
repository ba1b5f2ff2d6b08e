"""View records of the review client and the mapping from the wire (sync.review_protocol) to them.

The widgets depend on these records only, never on the wire schemas. Pure: no HTTP, no Qt.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from desktop_app.review.family import (
    HouseholdView,
    MemberView,
    household_view,
    member_view,
    ordered_members,
)
from desktop_app.review.flags import FlagView, explain_flag, flag_key
from domain import criteria as crit
from domain import regions, review_fields
from domain.dates import format_date
from domain.flags import DUP_FLAGS, FlagCode
from domain.programmes import DEFAULT as PROGRAMMES
from domain.programmes import Target
from domain.proposal_codes import MUSDESUS_DECISION, PROPOSAL_TYPE, REMOVAL_REASON
from domain.reasons import reason_text
from domain.states import REVIEW_LABELS, ReviewState, Role
from sync.review_protocol import FLAG_TEXT as SERVER_FLAG_TEXT
from sync.review_protocol import (
    GROUP_KIND_TEXT,
    BatchSummary,
    DecidedProposal,
    DuplicateGroupInfo,
    Flag,
    GroupMember,
    GroupState,
    ReviewProposal,
    StatsResponse,
)

REVIEW_ROLES = frozenset({Role.REVIEWER, Role.SUPERVISOR})
STATE_LABELS: dict[str, str] = {str(k): v for k, v in REVIEW_LABELS.items()}
DUP_FLAG_CODES = frozenset(DUP_FLAGS.values())

# Where the reviewer session is kept in the store's meta table (the token stays in the keyring).
META_URL = "review_server_url"
META_USER = "review_username"
META_ROLE = "review_role"
META_AREA = "review_area"


@dataclass(frozen=True, slots=True)
class ReviewSession:
    server_url: str
    username: str
    role: str
    area_code: str
    token: str
    expires_at: datetime | None = None

    @property
    def can_review(self) -> bool:
        return self.role in REVIEW_ROLES

    @property
    def is_supervisor(self) -> bool:
        """A kab/kota supervisor: settles the duplicate groups that span kecamatan."""
        return self.role == Role.SUPERVISOR

    @property
    def area_text(self) -> str:
        name = regions.name_of(self.area_code) if self.area_code else None
        level = "Kecamatan" if self.role == Role.REVIEWER else "Kabupaten/Kota"
        return f"{level} {name or '-'} ({regions.dotted(self.area_code)})" if self.area_code else "Seluruh wilayah"


@dataclass(frozen=True, slots=True)
class BatchView:
    batch_id: str
    desa_code: str
    desa_name: str
    operator: str
    received_at: datetime | None
    entry_count: int
    manifest_entry_count: int | None
    manifest_hash: str | None
    arrived_whole: bool | None  # None: the village sent no manifest
    flag_counts: dict[str, int]
    decision_counts: dict[str, int]

    @property
    def whole_text(self) -> str:
        if self.arrived_whole is None:
            return "Tanpa manifes"
        if self.arrived_whole:
            return "Utuh"
        return f"TIDAK UTUH ({self.entry_count} dari {self.manifest_entry_count})"

    @property
    def pending(self) -> int:
        return self.decision_counts.get(ReviewState.PENDING, 0)

    @property
    def flagged(self) -> int:
        return sum(self.flag_counts.values())




@dataclass(slots=True)
class ProposalView:
    """A proposal under review with its family beside it: `household`, its `members` (head first) and
    `member` — the person a person programme targets, or a household programme's pengurus."""

    record_id: str
    version: int
    batch_id: str
    desa_code: str
    desa_name: str
    programme: str
    type: str  # domain.proposal_codes.ProposalType
    target: str  # "household" or "person"
    criteria: list[str]
    proposal_note: str
    removal_reason: str
    musdesus_decision: str
    musdesus_date: str
    musdesus_ref: str
    review_state: str
    reason_code: str | None
    note: str | None  # the reviewer's note
    review_fields: list[str]
    flags: list[FlagView]
    payload: dict[str, Any]
    household: HouseholdView | None = None
    members: list[MemberView] = field(default_factory=list)
    member: MemberView | None = None
    approved_version: int | None = None
    conflict: dict[str, Any] | None = None
    operator: str = ""
    change_seq: int = 0  # sent back with a decision: the server skips the proposal if it changed since
    musdesus_minutes_sha256: str = ""  # the signed minutes the village attached (issue 15)
    # Citizens' sanggah against the family (issue 16): (reason words, explanation, ticket); from the detail only.
    objections: list[tuple[str, str, str]] = field(default_factory=list)

    # What the tables show of the person behind the proposal: the target or pengurus, else the head.
    @property
    def person(self) -> MemberView | None:
        if self.member is not None:
            return self.member
        heads = [m for m in self.members if m.relation == "kepala_keluarga"]
        return heads[0] if heads else (self.members[0] if self.members else None)

    @property
    def name(self) -> str:
        p = self.person
        return p.name if p else "-"

    @property
    def nik(self) -> str:
        p = self.person
        return p.id_text if p else ""

    @property
    def kk(self) -> str:
        return self.household.kk_text if self.household else ""

    @property
    def birth_date(self) -> str:
        p = self.person
        return p.birth_date if p else ""

    @property
    def birth_date_text(self) -> str:
        p = self.person
        return p.birth_date_text if p else "-"

    @property
    def address(self) -> str:
        return self.household.address if self.household else ""

    @property
    def kpm_key(self) -> str:
        """The family this proposal counts for (KPM)."""
        return self.household.record_id if self.household else self.record_id

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.review_state, self.review_state)

    @property
    def type_label(self) -> str:
        return PROPOSAL_TYPE.label(self.type)

    @property
    def target_label(self) -> str:
        return "Keluarga (KPM)" if self.target == Target.HOUSEHOLD else "Perorangan"

    @property
    def member_role(self) -> str:
        """What `member` is to this proposal, in words."""
        return "Pengurus (penerima)" if self.target == Target.HOUSEHOLD else "Sasaran usulan"

    @property
    def musdesus_text(self) -> str:
        if not self.musdesus_decision:
            return "belum diputuskan"
        parts = [MUSDESUS_DECISION.label(self.musdesus_decision)]
        if self.musdesus_date:
            parts.append(_date_text(self.musdesus_date))
        if self.musdesus_ref:
            parts.append(f"BA {self.musdesus_ref}")
        if self.musdesus_minutes_sha256:
            parts.append(f"berita acara terlampir (sha256 {self.musdesus_minutes_sha256[:12]}…)")
        return ", ".join(parts)

    @property
    def review_fields_text(self) -> str:
        return review_fields.labels_text(self.review_fields)

    @property
    def outcome_text(self) -> str:
        if self.review_state == ReviewState.REJECTED:
            text = f"Ditolak: {reason_text(self.reason_code)}"
            return text + (f" — {self.note}" if self.note else "")
        if self.review_state == ReviewState.RETURNED:
            fields = f" (perbaiki: {self.review_fields_text})" if self.review_fields else ""
            return f"Dikembalikan: {self.note or '-'}{fields}"
        return self.state_label

    @property
    def flag_codes(self) -> list[str]:
        return [f.code for f in self.flags]

    @property
    def pending(self) -> bool:
        return self.review_state == ReviewState.PENDING

    @property
    def family_ids(self) -> set[str]:
        """This proposal's id and its family's (a duplicate group of any of them concerns it)."""
        ids = {self.record_id, *(m.record_id for m in self.members)}
        if self.household is not None:
            ids.add(self.household.record_id)
        if self.member is not None:
            ids.add(self.member.record_id)
        return ids

    @property
    def in_duplicate_group(self) -> bool:
        """Flagged as (or with its family in) a duplicate group: a decision on it changes the groups."""
        return any(f.code in DUP_FLAG_CODES for f in self.flags)

    def conflict_source(self) -> tuple[str, str, dict[str, Any], dict[str, Any]] | None:
        """(record type, record id, conflict, server payload) of the hard conflict to settle first: the
        proposal's own, else its member's, else its household's; None when none of them is in conflict."""
        if self.conflict:
            return "proposal", self.record_id, self.conflict, self.payload
        for rtype, rec in (("member", self.member), ("household", self.household)):
            if rec is not None and rec.conflict:
                return rtype, rec.record_id, rec.conflict, rec.payload
        return None

    @property
    def has_conflict(self) -> bool:
        return self.conflict_source() is not None

    def conflict_rows(self) -> list[tuple[str, str, str, str]]:
        """(field, label, server value, village value) per contested field of `conflict_source`; []
        without a conflict."""
        src = self.conflict_source()
        if src is None:
            return []
        rtype, _rid, conflict, payload = src
        whose = {"proposal": "usulan", "member": "anggota", "household": "keluarga"}[rtype]
        fields = [str(f) for f in conflict.get("fields", [])]
        if conflict.get("delete"):
            return [("deleted", f"Status {whose}", "tetap ada", "dihapus desa: "
                     + str(conflict.get("delete_reason") or "-"))]
        village = conflict.get("village") or {}
        return [(f, field_label(rtype, f), _cell(payload.get(f)), _cell(village.get(f))) for f in fields]

    @property
    def programme_label(self) -> str:
        p = PROGRAMMES.get(self.programme)
        return p.name if p else self.programme


@dataclass(slots=True)
class GroupMemberView:
    """One record of a duplicate group, with what the reviewer compares."""

    record_type: str
    record_id: str
    desa_code: str
    desa_name: str
    household: HouseholdView | None
    member: MemberView | None
    proposal: ProposalView | None
    members: list[MemberView] = field(default_factory=list)  # the household's members
    operator: str = ""

    @property
    def batch_id(self) -> str:
        return self.proposal.batch_id if self.proposal else ""

    @property
    def title(self) -> str:
        if self.proposal is not None:
            return f"Usulan {self.proposal.programme}: {self.proposal.name}"
        if self.member is not None:
            return self.member.name
        return f"KK {self.household.kk_text}" if self.household else self.record_id


@dataclass(slots=True)
class DuplicateGroupView:
    group_id: int
    kind: str
    kind_label: str
    record_type: str
    state: str
    score: float | None
    spans_kecamatan: bool
    kept_record_id: str | None
    note: str | None
    members: list[GroupMemberView]

    @property
    def open(self) -> bool:
        return self.state == GroupState.OPEN

    @property
    def state_label(self) -> str:
        if self.open:
            return "Lintas kecamatan (supervisor)" if self.spans_kecamatan else "Terbuka"
        return "Bukan data yang sama" if self.state == GroupState.DISTINCT else "Selesai"


@dataclass(frozen=True, slots=True)
class StatRow:
    desa_code: str
    desa_name: str
    programme: str
    proposal_type: str
    review_state: str
    count: int  # proposals
    kpm: int  # families


@dataclass(frozen=True, slots=True)
class CriteriaRow:
    desa_code: str
    desa_name: str
    criterion: str
    count: int


@dataclass(slots=True)
class Dashboard:
    rows: list[StatRow] = field(default_factory=list)
    criteria_rows: list[CriteriaRow] = field(default_factory=list)
    total_kpm: int = 0  # distinct families over the whole area (a family in two programmes once)
    kpm_by_desa: dict[str, int] = field(default_factory=dict)  # desa -> its distinct families
    # (desa, "state" | "programme" | "type", value) -> distinct families; empty from an older server
    kpm_by: dict[tuple[str, str, str], int] = field(default_factory=dict)

    def per_desa(self) -> list[DashboardLine]:
        """One line per desa: families (KPM) by review state, by programme and by proposal type, each family
        once per column (the server counts distinct households; without those counts, the rows' KPM summed)."""
        by: dict[str, DashboardLine] = {}
        for r in self.rows:
            line = by.setdefault(r.desa_code, DashboardLine(r.desa_code, r.desa_name,
                                                            kpm=self.kpm_by_desa.get(r.desa_code, 0)))
            line.proposals += r.count
            if not self.kpm_by:
                line.by_state[r.review_state] = line.by_state.get(r.review_state, 0) + r.kpm
                line.by_programme[r.programme] = line.by_programme.get(r.programme, 0) + r.kpm
                line.by_type[r.proposal_type] = line.by_type.get(r.proposal_type, 0) + r.kpm
        for (desa, dim, value), n in self.kpm_by.items():
            if (found := by.get(desa)) is not None:
                {"state": found.by_state, "programme": found.by_programme, "type": found.by_type}[dim][value] = n
        for c in self.criteria_rows:
            line = by.setdefault(c.desa_code, DashboardLine(c.desa_code, c.desa_name))
            line.by_criterion[c.criterion] = line.by_criterion.get(c.criterion, 0) + c.count
        return sorted(by.values(), key=lambda x: (x.desa_name, x.desa_code))

    def programmes(self) -> list[str]:
        return sorted({r.programme for r in self.rows})

    def types(self) -> list[str]:
        return [t for t in PROPOSAL_TYPE if t in {r.proposal_type for r in self.rows}]

    def criteria(self) -> list[str]:
        return sorted({c.criterion for c in self.criteria_rows})

    @property
    def total_proposals(self) -> int:
        return sum(r.count for r in self.rows)


@dataclass(slots=True)
class DashboardLine:
    """A desa's families (KPM) per review state / programme / proposal type. `kpm` counts each family
    once; a family with proposals in two programmes counts in each programme's column."""

    desa_code: str
    desa_name: str
    kpm: int = 0
    proposals: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    by_programme: dict[str, int] = field(default_factory=dict)
    by_type: dict[str, int] = field(default_factory=dict)
    by_criterion: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """The desa's families (KPM), each once."""
        return self.kpm


@dataclass(frozen=True, slots=True)
class DecisionResult:
    applied: list[str]
    failed: dict[str, str]  # record_id -> Indonesian message
    stale: frozenset[str] = frozenset()  # of `failed`: changed since the reviewer opened them
    change_seqs: dict[str, int] = field(default_factory=dict)  # applied record_id -> its change_seq now
    proposals: tuple[ProposalView, ...] = ()  # the decided proposals as the server has them now

    @property
    def summary(self) -> str:
        return self.describe({})

    def describe(self, names: dict[str, str]) -> str:
        """What happened, naming each proposal that was not decided (`names`: record_id -> name shown)."""
        text = f"{len(self.applied)} usulan diputuskan."
        if self.failed:
            items = list(self.failed.items())
            shown = "; ".join(f"{names[rid]}: {why}" if rid in names else why for rid, why in items[:3])
            more = f" (dan {len(items) - 3} lainnya)" if len(items) > 3 else ""
            text += f" {len(items)} tidak diputuskan — {shown}{more}"
        return text


def _date_text(iso: str) -> str:
    try:
        return format_date(date.fromisoformat(iso))
    except ValueError:
        return iso


# Labels of a payload field for the history and the conflict dialog ("member.name" -> "Nama anggota").
_PAYLOAD_LABELS: dict[str, str] = {
    "type": "Jenis usulan", "programme": "Program", "household_id": "Keluarga sasaran",
    "member_id": "Anggota sasaran", "pengurus_id": "Pengurus", "criteria": "Kriteria", "note": "Catatan usulan",
    "removal_reason": "Alasan penghapusan", "musdesus_decision": "Keputusan Musdesus",
    "musdesus_date": "Tanggal Musdesus", "musdesus_ref": "Nomor berita acara",
    "musdesus_minutes_sha256": "Berkas berita acara (sha256)", "kk": "Nomor KK",
    "kk_pending": "KK belum terbit", "desa_code": "Kode desa", "dusun": "Dusun", "rt": "RT", "rw": "RW",
    "address": "Alamat", "phone": "Telepon", "housing": "Kondisi rumah", "assets": "Aset", "livestock": "Ternak",
    "notes": "Catatan", "nik": "NIK", "temp_id": "Nomor sementara", "name": "Nama", "birth_place": "Tempat lahir",
    "birth_date": "Tanggal lahir", "sex": "Jenis kelamin", "relation": "Hubungan dengan kepala keluarga",
}


def field_label(record_type: str, name: str) -> str:
    return review_fields.REVIEW_FIELDS.get(f"{record_type}.{name}") or _PAYLOAD_LABELS.get(name, name)


def _cell(v: object) -> str:
    if isinstance(v, list):
        return ", ".join(crit.label(str(x)) for x in v)
    return "" if v is None else str(v)


def criteria_text(codes: Iterable[str]) -> str:
    return ", ".join(crit.label(c) for c in codes)


def removal_text(code: str) -> str:
    return REMOVAL_REASON.label(code) if code else ""


def desa_name(code: str) -> str:
    return regions.name_of(code) or regions.dotted(code)


def seen_of(proposals: Iterable[ProposalView]) -> tuple[dict[str, int], dict[str, int]]:
    """(versions, change_seqs) of the proposals as displayed, for DecisionRequest's stale checks."""
    versions: dict[str, int] = {}
    seqs: dict[str, int] = {}
    for e in proposals:
        versions[e.record_id] = e.version
        if e.change_seq:
            seqs[e.record_id] = e.change_seq
    return versions, seqs


# ---- wire -> view ------------------------------------------------------------------------------


# Flags the client derives from the family's data (unchanged by a decision), not sent in a decision's answer.
_CLIENT_FLAGS = frozenset({FlagCode.NIK_INVALID, FlagCode.KK_INVALID, FlagCode.NIK_MISMATCH})


def decided_view(e: ProposalView, d: DecidedProposal) -> ProposalView:
    """The proposal as shown, with what the server answered to a decision on it: its review state, reason,
    note, fields to fix and change_seq, and only the proposal flags the server still sets."""
    family_flags = {f.code for who in (e.member, e.household) if who is not None for f in who.flags}
    still = set(d.flags) | _CLIENT_FLAGS | family_flags
    return replace(e, change_seq=d.change_seq, review_state=d.review_state, reason_code=d.review_reason_code,
                   note=d.review_note, review_fields=list(d.review_fields),
                   approved_version=d.approved_version, flags=[f for f in e.flags if f.code in still])


def batch_view(b: BatchSummary | dict[str, Any]) -> BatchView:
    if isinstance(b, dict):
        b = BatchSummary.model_validate(b)
    whole = b.arrived_whole
    if whole is None and b.manifest_entry_count is not None:
        whole = b.manifest_entry_count == b.entry_count
    return BatchView(
        batch_id=b.batch_id,
        desa_code=b.desa_code,
        desa_name=b.desa_name or desa_name(b.desa_code),
        operator=b.operator or b.device_label,
        received_at=b.received_at,
        entry_count=b.entry_count,
        manifest_entry_count=b.manifest_entry_count,
        manifest_hash=b.manifest_content_hash,
        arrived_whole=whole,
        flag_counts={flag_key(k): int(v) for k, v in b.flag_counts.items()},
        decision_counts={str(k): int(v) for k, v in b.decision_counts.items()},
    )


_MISMATCH_CODES = ("nik_birth_date_mismatch", "nik_sex_mismatch")


def _flag_views(flags: list[Flag], warnings: list[dict[str, str]], seen: set[str],
                override_reason: str = "") -> list[FlagView]:
    out: list[FlagView] = []
    for f in flags:
        key = flag_key(f.code)
        if key in seen:
            continue
        seen.add(key)
        detail = "" if f.message == SERVER_FLAG_TEXT.get(f.code) else f.message
        if key == FlagCode.DATA_WARNING:
            detail = "; ".join(str(w.get("message", "")) for w in warnings
                               if w.get("code") not in _MISMATCH_CODES) or detail
            if not detail:
                continue  # only the NIK mismatch, shown as its own flag
        if key == FlagCode.OVERRIDE and override_reason:
            detail = f"Alasan operator: {override_reason}"
        out.append(explain_flag(f.code, detail=detail, related=f.related_record_ids))
    return out


def proposal_view(e: ReviewProposal | dict[str, Any]) -> ProposalView:
    if isinstance(e, dict):
        e = ReviewProposal.model_validate(e)
    members = ordered_members([member_view(m) for m in e.members if not (m.deleted or m.voided)])
    household = household_view(e.household) if e.household is not None else None
    member = next((m for m in members if m.record_id == e.member_id), None)
    if member is None and e.member is not None:
        member = member_view(e.member)
    wire_member = e.member or next((m for m in e.members if m.record_id == e.member_id), None)
    # What the shared rules say about the numbers themselves: the server's decode of the member's NIK and
    # the household's KK, and the warnings recorded with the member; no re-parsing here.
    flags: list[FlagView] = []
    seen: set[str] = set()
    nik_info = wire_member.nik_info if wire_member is not None else None
    kk_info = e.household.kk_info if e.household is not None else None
    for info, code in ((nik_info, FlagCode.NIK_INVALID), (kk_info, FlagCode.KK_INVALID)):
        if info is not None and not info.valid:
            flags.append(explain_flag(code, detail="; ".join(info.problems)))
    warnings = list(e.warnings) + (list(wire_member.warnings) if wire_member is not None else [])
    mismatches = [str(w.get("message", "")) for w in warnings if w.get("code") in _MISMATCH_CODES]
    if mismatches:
        flags.append(explain_flag(FlagCode.NIK_MISMATCH, detail="; ".join(mismatches)))
    seen.update(f.code for f in flags)
    override = wire_member.payload.override_reason if wire_member is not None else ""
    flags += _flag_views(e.flags, warnings, seen)
    if wire_member is not None:
        flags += _flag_views(wire_member.flags, warnings, seen, override)
    if e.household is not None:
        flags += _flag_views(e.household.flags, [], seen)
    p = e.payload
    desa = e.desa_code
    return ProposalView(
        record_id=e.record_id, version=e.version, batch_id=e.batch_id, desa_code=desa,
        desa_name=e.desa_name or desa_name(desa), programme=p.programme, type=p.type, target=e.target,
        criteria=list(p.criteria), proposal_note=p.note, removal_reason=p.removal_reason,
        musdesus_decision=p.musdesus_decision, musdesus_date=p.musdesus_date, musdesus_ref=p.musdesus_ref,
        review_state=e.review_state, reason_code=e.review_reason_code, note=e.review_note,
        review_fields=list(e.review_fields), flags=flags, payload=p.model_dump(), household=household,
        members=members, member=member, approved_version=e.approved_version, conflict=e.conflict,
        change_seq=e.change_seq, musdesus_minutes_sha256=p.musdesus_minutes_sha256)


def group_member_view(m: GroupMember) -> GroupMemberView:
    return GroupMemberView(
        record_type=m.record_type, record_id=m.record_id, desa_code=m.desa_code,
        desa_name=m.desa_name or desa_name(m.desa_code),
        household=household_view(m.household) if m.household is not None else None,
        member=member_view(m.member) if m.member is not None else None,
        proposal=proposal_view(m.proposal) if m.proposal is not None else None,
        members=ordered_members([member_view(x) for x in m.members]))


def group_view(g: DuplicateGroupInfo | dict[str, Any]) -> DuplicateGroupView:
    if isinstance(g, dict):
        g = DuplicateGroupInfo.model_validate(g)
    return DuplicateGroupView(
        group_id=g.group_id, kind=g.kind, kind_label=g.kind_text or GROUP_KIND_TEXT.get(g.kind, g.kind),
        record_type=g.record_type, state=g.state, score=g.score, spans_kecamatan=g.spans_kecamatan,
        kept_record_id=g.kept_record_id, note=g.note, members=[group_member_view(m) for m in g.members])


def dashboard_of(stats: StatsResponse) -> Dashboard:
    rows = [StatRow(r.desa_code, r.desa_name or desa_name(r.desa_code), r.programme, r.proposal_type,
                    r.review_state, r.count, r.kpm) for r in stats.rows]
    crows = [CriteriaRow(r.desa_code, r.desa_name or desa_name(r.desa_code), r.criterion, r.count)
             for r in stats.by_criteria]
    kpm_by = {(k.desa_code, k.dimension, k.value): k.kpm for k in stats.kpm_by
              if k.dimension in ("state", "programme", "type")}
    return Dashboard(rows, crows, stats.total_kpm, dict(stats.kpm_by_desa), kpm_by)


def state_counts(proposals: Iterable[ProposalView]) -> Counter[str]:
    return Counter(e.review_state for e in proposals)
