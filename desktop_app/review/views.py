"""View records of the review client and the mapping from the wire (sync.review_protocol) to them.

The widgets depend on these records only, never on the wire schemas. Pure: no HTTP, no Qt.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from desktop_app.review.flags import FlagView, explain_flag, flag_key
from domain import criteria as crit
from domain import readback, regions
from domain.dates import format_date
from domain.entry import FIELD_LABELS
from domain.flags import DUP_FLAGS, FlagCode
from domain.programmes import DEFAULT as PROGRAMMES
from domain.reasons import reason_text
from domain.states import REVIEW_LABELS, ReviewState, Role
from sync.review_protocol import FLAG_TEXT as SERVER_FLAG_TEXT
from sync.review_protocol import (
    GROUP_KIND_TEXT,
    BatchSummary,
    DecidedEntry,
    DuplicateGroupInfo,
    GroupState,
    ReviewEntry,
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
class EntryView:
    record_id: str
    version: int
    batch_id: str
    desa_code: str
    desa_name: str
    nik: str
    kk: str
    name: str
    birth_place: str
    birth_date: str
    sex: str
    programme: str
    criteria: list[str]
    address: str
    review_state: str
    reason_code: str | None
    note: str | None
    flags: list[FlagView]
    payload: dict[str, Any]
    conflict: dict[str, Any] | None = None
    operator: str = ""
    change_seq: int = 0  # sent back with a decision: the server skips the entry if it changed since
    _nik_lines: list[str] | None = None
    _kk_lines: list[str] | None = None

    @property
    def birth_date_text(self) -> str:
        """17-08-1985, as the operator's screens show it (the wire carries ISO)."""
        try:
            return format_date(date.fromisoformat(self.birth_date))
        except ValueError:
            return self.birth_date

    # Read back on demand (the entry panel shows one entry): opening a 1,000-entry batch stays fast.
    @property
    def nik_lines(self) -> list[str]:
        if self._nik_lines is None:
            self._nik_lines = readback.nik_lines(self.nik, self.birth_date, self.sex)
        return self._nik_lines

    @property
    def kk_lines(self) -> list[str]:
        if self._kk_lines is None:
            self._kk_lines = readback.kk_lines(self.kk)
        return self._kk_lines

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.review_state, self.review_state)

    @property
    def outcome_text(self) -> str:
        if self.review_state == ReviewState.REJECTED:
            text = f"Ditolak: {reason_text(self.reason_code)}"
            return text + (f" — {self.note}" if self.note else "")
        if self.review_state == ReviewState.RETURNED:
            return f"Dikembalikan: {self.note or '-'}"
        return self.state_label

    @property
    def flag_codes(self) -> list[str]:
        return [f.code for f in self.flags]

    @property
    def pending(self) -> bool:
        return self.review_state == ReviewState.PENDING

    @property
    def in_duplicate_group(self) -> bool:
        """Flagged as a member of a duplicate group (a decision on it changes the groups)."""
        return any(f.code in DUP_FLAG_CODES for f in self.flags)

    def conflict_rows(self) -> list[tuple[str, str, str, str]]:
        """(field, label, server value, village value) per contested field; [] without a conflict."""
        if not self.conflict:
            return []
        fields = [str(f) for f in self.conflict.get("fields", [])]
        if self.conflict.get("delete"):
            return [("deleted", "Status entri", "tetap ada", "dihapus desa: "
                     + str(self.conflict.get("delete_reason") or "-"))]
        village = self.conflict.get("village") or {}
        return [(f, FIELD_LABELS.get(f, f), _cell(self.payload.get(f)), _cell(village.get(f))) for f in fields]

    @property
    def programme_label(self) -> str:
        p = PROGRAMMES.get(self.programme)
        return p.name if p else self.programme


@dataclass(slots=True)
class DuplicateGroupView:
    group_id: int
    kind: str
    kind_label: str
    state: str
    score: float | None
    spans_kecamatan: bool
    kept_record_id: str | None
    members: list[EntryView]

    @property
    def open(self) -> bool:
        return self.state == GroupState.OPEN


@dataclass(frozen=True, slots=True)
class StatRow:
    desa_code: str
    desa_name: str
    programme: str
    review_state: str
    count: int


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

    def per_desa(self) -> list[DashboardLine]:
        """One line per desa: totals by review state and by programme (what the table shows)."""
        by: dict[str, DashboardLine] = {}
        for r in self.rows:
            line = by.setdefault(r.desa_code, DashboardLine(r.desa_code, r.desa_name))
            line.total += r.count
            line.by_state[r.review_state] = line.by_state.get(r.review_state, 0) + r.count
            line.by_programme[r.programme] = line.by_programme.get(r.programme, 0) + r.count
        for c in self.criteria_rows:
            line = by.setdefault(c.desa_code, DashboardLine(c.desa_code, c.desa_name))
            line.by_criterion[c.criterion] = line.by_criterion.get(c.criterion, 0) + c.count
        return sorted(by.values(), key=lambda x: (x.desa_name, x.desa_code))

    def programmes(self) -> list[str]:
        return sorted({r.programme for r in self.rows})

    def criteria(self) -> list[str]:
        return sorted({c.criterion for c in self.criteria_rows})


@dataclass(slots=True)
class DashboardLine:
    desa_code: str
    desa_name: str
    total: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    by_programme: dict[str, int] = field(default_factory=dict)
    by_criterion: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DecisionResult:
    applied: list[str]
    failed: dict[str, str]  # record_id -> Indonesian message
    stale: frozenset[str] = frozenset()  # of `failed`: changed since the reviewer opened them
    change_seqs: dict[str, int] = field(default_factory=dict)  # applied record_id -> its change_seq now
    entries: tuple[EntryView, ...] = ()  # the decided entries as the server has them now (as shown + its answer)

    @property
    def summary(self) -> str:
        return self.describe({})

    def describe(self, names: dict[str, str]) -> str:
        """What happened, naming each entry that was not decided (`names`: record_id -> name shown)."""
        text = f"{len(self.applied)} entri diputuskan."
        if self.failed:
            items = list(self.failed.items())
            shown = "; ".join(f"{names[rid]}: {why}" if rid in names else why for rid, why in items[:3])
            more = f" (dan {len(items) - 3} lainnya)" if len(items) > 3 else ""
            text += f" {len(items)} tidak diputuskan — {shown}{more}"
        return text


def _cell(v: object) -> str:
    if isinstance(v, list):
        return ", ".join(crit.label(str(x)) for x in v)
    return "" if v is None else str(v)


def criteria_text(codes: Iterable[str]) -> str:
    return ", ".join(crit.label(c) for c in codes)


def desa_name(code: str) -> str:
    return regions.name_of(code) or regions.dotted(code)


def seen_of(entries: Iterable[EntryView]) -> tuple[dict[str, int], dict[str, int]]:
    """(versions, change_seqs) of the entries as displayed, for DecisionRequest's stale checks."""
    versions: dict[str, int] = {}
    seqs: dict[str, int] = {}
    for e in entries:
        versions[e.record_id] = e.version
        if e.change_seq:
            seqs[e.record_id] = e.change_seq
    return versions, seqs


# ---- wire -> view ------------------------------------------------------------------------------


# Flags the client derives from the entry's data (unchanged by a decision), not sent in a decision's answer.
_CLIENT_FLAGS = frozenset({FlagCode.NIK_INVALID, FlagCode.KK_INVALID, FlagCode.NIK_MISMATCH})


def decided_view(e: EntryView, d: DecidedEntry) -> EntryView:
    """The entry as shown, with what the server answered to a decision on it: its review state, reason,
    note and change_seq, and only the flags the server still sets (a decision clears some)."""
    still = set(d.flags) | _CLIENT_FLAGS
    return replace(e, change_seq=d.change_seq, review_state=d.review_state, reason_code=d.review_reason_code,
                   note=d.review_note, flags=[f for f in e.flags if f.code in still])


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


def entry_view(e: ReviewEntry | dict[str, Any]) -> EntryView:
    if isinstance(e, dict):
        e = ReviewEntry.model_validate(e)
    p = e.payload.model_dump()
    nik, kk = e.payload.nik, e.payload.kk
    flags: list[FlagView] = []
    seen: set[str] = set()
    # What the shared rules say about the numbers themselves (invalid or contradictory NIK data): the
    # server's decode and the warnings recorded with the entry; no re-parsing of 1,000 numbers here.
    for info, code in ((e.nik_info, FlagCode.NIK_INVALID), (e.kk_info, FlagCode.KK_INVALID)):
        if info is not None and not info.valid:
            flags.append(explain_flag(code, detail="; ".join(info.problems)))
    mismatches = [str(w.get("message", "")) for w in e.warnings if w.get("code") in _MISMATCH_CODES]
    if mismatches:
        flags.append(explain_flag(FlagCode.NIK_MISMATCH, detail="; ".join(mismatches)))
    seen.update(f.code for f in flags)
    for f in e.flags:
        key = flag_key(f.code)
        if key in seen:
            continue
        seen.add(key)
        detail = "" if f.message == SERVER_FLAG_TEXT.get(f.code) else f.message
        if key == FlagCode.DATA_WARNING:
            detail = "; ".join(str(w.get("message", "")) for w in e.warnings
                               if w.get("code") not in _MISMATCH_CODES) or detail
            if not detail:
                continue  # only the NIK mismatch, already shown above
        if key == FlagCode.OVERRIDE and e.payload.override_reason:
            detail = f"Alasan operator: {e.payload.override_reason}"
        flags.append(explain_flag(f.code, detail=detail, related=f.related_record_ids))
    addr = ", ".join(x for x in (
        e.payload.address,
        f"Dusun {e.payload.dusun}" if e.payload.dusun else "",
        f"RT {e.payload.rt}/RW {e.payload.rw}" if e.payload.rt or e.payload.rw else "",
    ) if x)
    desa = e.desa_code or e.payload.desa_code
    return EntryView(
        record_id=e.record_id,
        version=e.version,
        batch_id=e.batch_id,
        desa_code=desa,
        desa_name=e.desa_name or desa_name(desa),
        nik=nik,
        kk=kk,
        name=e.payload.name,
        birth_place=e.payload.birth_place,
        birth_date=e.payload.birth_date,
        sex=e.payload.sex,
        programme=e.payload.programme,
        criteria=list(e.payload.criteria),
        address=addr,
        review_state=e.review_state,
        reason_code=e.review_reason_code,
        note=e.review_note,
        flags=flags,
        payload=p,
        conflict=e.conflict,
        change_seq=e.change_seq,
    )


def group_view(g: DuplicateGroupInfo | dict[str, Any]) -> DuplicateGroupView:
    if isinstance(g, dict):
        g = DuplicateGroupInfo.model_validate(g)
    return DuplicateGroupView(
        group_id=g.group_id,
        kind=g.kind,
        kind_label=g.kind_text or GROUP_KIND_TEXT.get(g.kind, g.kind),
        state=g.state,
        score=g.score,
        spans_kecamatan=g.spans_kecamatan,
        kept_record_id=g.kept_record_id,
        members=[entry_view(m) for m in g.members],
    )


def dashboard_of(stats: StatsResponse) -> Dashboard:
    rows = [StatRow(r.desa_code, r.desa_name or desa_name(r.desa_code), r.programme, r.review_state, r.count)
            for r in stats.rows]
    crows = [CriteriaRow(r.desa_code, r.desa_name or desa_name(r.desa_code), r.criterion, r.count)
             for r in stats.by_criteria]
    return Dashboard(rows, crows)


def state_counts(entries: Iterable[EntryView]) -> Counter[str]:
    return Counter(e.review_state for e in entries)
