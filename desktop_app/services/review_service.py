"""Kecamatan review use cases: the reviewer's view of the server's batches, entries, duplicate groups
and statistics, and the decisions sent back (issue 6).

Qt-free. Every method that talks to the server is blocking and meant to run through
`desktop_app.tasks.TaskRunner` (never on the GUI thread). Wire schemas (sync.review_protocol) are
mapped here to small view records so the widgets depend on this module only.
Logs carry record and batch ids, never NIK or names (UU PDP).
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from domain import criteria as crit
from domain import regions
from domain.entry import FIELD_LABELS
from domain.idnumbers import SEX_NAMES, IdNumber, parse_kk, parse_nik
from domain.programmes import DEFAULT as PROGRAMMES
from domain.reasons import NOTE_REQUIRED, REJECT_REASONS, reason_text
from domain.states import REVIEW_LABELS, ReviewState, Role
from sync import review_client as rc
from sync.client import AuthError, Offline, Rejected, ServerError, SyncError
from sync.review_protocol import FLAG_TEXT as SERVER_FLAG_TEXT
from sync.review_protocol import (
    AuditRow,
    BatchSummary,
    DuplicateGroupInfo,
    ReviewEntry,
    StatsResponse,
    VersionInfo,
)

log = logging.getLogger(__name__)

REVIEW_ROLES = frozenset({Role.REVIEWER.value, Role.SUPERVISOR.value})
DECISIONS = ("approve", "reject", "return")
DECISION_LABELS = {"approve": "Setujui", "reject": "Tolak", "return": "Kembalikan untuk perbaikan"}
STATE_LABELS: dict[str, str] = {str(k): v for k, v in REVIEW_LABELS.items()}
REASONS: dict[str, str] = dict(REJECT_REASONS)
REASONS_NEEDING_NOTE = NOTE_REQUIRED
DUPLICATE_REASON = "R03"

__all__ = [
    "DECISIONS",
    "REASONS",
    "AuthError",
    "Offline",
    "Rejected",
    "ReviewError",
    "ServerError",
]


class ReviewError(Exception):
    """An expected failure of a review action; str(e) is an Indonesian message for the reviewer."""


def user_text(exc: BaseException) -> str | None:
    """The reviewer-facing text of an expected failure (None: a bug)."""
    if isinstance(exc, Offline):
        return ("Server tidak bisa dihubungi. Periksa koneksi internet, lalu tekan F5 atau tombol "
                "'Coba lagi'.")
    if isinstance(exc, AuthError):
        return "Sesi login sudah berakhir atau tidak sah. Silakan login ulang."
    if isinstance(exc, Rejected):
        if exc.status in (403, 404):
            return f"Data ini di luar wilayah Anda atau tidak ada ({exc})."
        return f"Server menolak permintaan: {exc}"
    if isinstance(exc, ServerError):
        return f"Server sedang bermasalah: {exc} Coba lagi sebentar lagi."
    if isinstance(exc, (ReviewError, SyncError)):
        return str(exc)
    return None


# ---- view records ------------------------------------------------------------------------------


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
    def area_text(self) -> str:
        name = regions.name_of(self.area_code) if self.area_code else None
        level = "Kecamatan" if self.role == Role.REVIEWER.value else "Kabupaten/Kota"
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
        return self.decision_counts.get(ReviewState.PENDING.value, 0)

    @property
    def flagged(self) -> int:
        return sum(self.flag_counts.values())


@dataclass(frozen=True, slots=True)
class FlagView:
    code: str
    title: str
    explanation: str
    severity: str  # "error" (likely reject), "warning" (check)
    related: tuple[str, ...] = ()  # record ids of the other entries involved


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

    # Read back on demand (the entry panel shows one entry): opening a 1,000-entry batch stays fast.
    @property
    def nik_lines(self) -> list[str]:
        if self._nik_lines is None:
            self._nik_lines = decode_nik_lines(self.nik, self.birth_date, self.sex)
        return self._nik_lines

    @property
    def kk_lines(self) -> list[str]:
        if self._kk_lines is None:
            self._kk_lines = decode_kk_lines(self.kk)
        return self._kk_lines

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.review_state, self.review_state)

    @property
    def outcome_text(self) -> str:
        if self.review_state == ReviewState.REJECTED.value:
            text = f"Ditolak: {reason_text(self.reason_code)}"
            return text + (f" — {self.note}" if self.note else "")
        if self.review_state == ReviewState.RETURNED.value:
            return f"Dikembalikan: {self.note or '-'}"
        return self.state_label

    @property
    def flag_codes(self) -> list[str]:
        return [f.code for f in self.flags]

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
        return self.state == "OPEN"


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


@dataclass(frozen=True, slots=True)
class HistoryItem:
    """One line of an entry's trail (the Riwayat panel)."""

    at: datetime | None  # aware (UTC when the server sent a naive time)
    who: str  # server account, "sistem", or "" for the village (the panel names the batch's operator)
    action: str  # Indonesian: "Disetujui", "Diubah desa (versi 3)", ...
    reason: str  # reason code with its text and/or the note; "" when none
    changes: tuple[str, ...]  # "Status verifikasi: Menunggu verifikasi → Disetujui", one per changed field
    source: str  # "server" (audit row) or "desa" (a version the village sent)
    batch_id: str | None = None  # the village's batch (source "desa")

    @property
    def changes_text(self) -> str:
        return "; ".join(self.changes)


_ACTION_LABELS = {
    "approve": "Disetujui", "reject": "Ditolak", "return": "Dikembalikan untuk perbaikan", "void": "Dibatalkan",
    "auto_reject": "Ditolak otomatis (daftar penerima)", "settle_conflict": "Konflik diselesaikan",
    "settle_duplicates": "Grup duplikat diselesaikan",
}
_VERSION_LABELS = {
    "create": "Dikirim desa", "update": "Diubah desa", "merge": "Diubah desa, digabung otomatis",
    "delete": "Dihapus desa", "conflict": "Diubah desa: konflik, nilai desa disimpan terpisah",
}
_CHANGE_LABELS = {
    "review_state": "Status verifikasi", "review_reason_code": "Kode alasan", "review_note": "Catatan",
    "voided": "Dibatalkan", "deleted": "Dihapus", "state": "Status grup", "kept": "Dipertahankan",
    "rejected": "Ditolak sebagai duplikat", "members": "Anggota grup", "version": "Versi",
    "group_id": "Grup", "choices": "Pilihan per kolom", "conflict": "Konflik",
}
_GROUP_STATES = {"OPEN": "terbuka", "SETTLED": "selesai"}


def _aware(t: datetime | None) -> datetime | None:
    return t.replace(tzinfo=UTC) if t is not None and t.tzinfo is None else t


def _shown(key: str, v: object) -> str:
    if v is None or v == "" or v == []:
        return "-"
    if isinstance(v, bool):
        return "ya" if v else "tidak"
    if key == "review_state":
        return STATE_LABELS.get(str(v), str(v))
    if key == "state":
        return _GROUP_STATES.get(str(v), str(v))
    if key == "criteria" and isinstance(v, list):
        return criteria_text(str(x) for x in v)
    if key == "choices" and isinstance(v, dict):
        return ", ".join(f"{FIELD_LABELS.get(k, k)}: {'nilai desa' if c == 'village' else 'nilai server'}"
                         for k, c in v.items())
    if isinstance(v, list):
        return ", ".join(str(x) for x in v) if len(v) <= 3 else f"{len(v)} entri"
    if isinstance(v, dict):
        return f"{len(v)} kolom"
    return str(v)


def _diff(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """'Label: before → after' for every field whose value differs; an entry's payload field by field."""
    out: list[str] = []
    for key in dict.fromkeys([*before, *after]):
        b, a = before.get(key), after.get(key)
        if b == a:
            continue
        if key == "payload" and isinstance(b, dict) and isinstance(a, dict):
            out += _diff(b, a)
        elif key == "conflict":
            continue  # the contested values themselves show as the payload's changes
        elif key in ("kept", "rejected", "members", "choices", "version", "group_id") and b is None:
            out.append(f"{_CHANGE_LABELS.get(key, key)}: {_shown(key, a)}")  # new information, no "before"
        elif (shown_b := _shown(key, b)) != (shown_a := _shown(key, a)):  # None and "" are both "-"
            label = _CHANGE_LABELS.get(key) or FIELD_LABELS.get(key, key)
            out.append(f"{label}: {shown_b} → {shown_a}")
    return out


def history_items(rows: Iterable[AuditRow], versions: Iterable[VersionInfo] = ()) -> list[HistoryItem]:
    """Audit rows and the village's versions as one trail, newest first (pure: tested without a server)."""
    items: list[tuple[datetime, int, HistoryItem]] = []
    epoch = datetime.min.replace(tzinfo=UTC)
    for r in rows:
        after = r.after or {}
        code = after.get("review_reason_code") if r.action in ("reject", "auto_reject") else None
        note = after.get("review_note") if r.action != "settle_duplicates" else None
        reason = " — ".join(x for x in (f"{code} ({reason_text(code)})" if code else "", str(note or "")) if x)
        item = HistoryItem(_aware(r.at), r.username, _ACTION_LABELS.get(r.action, r.action), reason,
                           tuple(_diff(r.before or {}, after)), "server")
        items.append((item.at or epoch, 1, item))  # an audit row after the version of the same instant
    previous: dict[str, Any] | None = None
    for v in sorted(versions, key=lambda x: x.version):
        if v.change == "resolve":  # settling a conflict: its audit row already says what changed
            previous = v.payload
            continue
        label = _VERSION_LABELS.get(v.change, v.change)
        changes = tuple(_diff(previous, v.payload)) if previous is not None else ()
        item = HistoryItem(_aware(v.created_at), "", f"{label} (versi {v.version})", "", changes, "desa",
                           v.batch_id)
        items.append((item.at or epoch, 0, item))
        previous = v.payload
    items.sort(key=lambda x: (x[0], x[1]), reverse=True)
    return [i for _at, _order, i in items]


# ---- decoding and flag explanations (pure) -----------------------------------------------------


def _cell(v: object) -> str:
    if isinstance(v, list):
        return ", ".join(crit.label(str(x)) for x in v)
    return "" if v is None else str(v)


def _date_of(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except (TypeError, ValueError):
        return None


def decode_nik_lines(nik: str, birth_date: str = "", sex: str = "") -> list[str]:
    """The NIK read back in words, with its problems, for the entry panel."""
    n = parse_nik(nik, typed_birth_date=_date_of(birth_date), typed_sex=sex or None)
    return _id_lines(n, person=True)


def decode_kk_lines(kk: str) -> list[str]:
    return _id_lines(parse_kk(kk), person=False)


def _id_lines(n: IdNumber, *, person: bool) -> list[str]:
    lines: list[str] = []
    r = n.region
    if r.province_code:
        place = ", ".join(x for x in (
            f"Kec. {r.kecamatan_name}" if r.kecamatan_name else f"kecamatan {r.kecamatan_code} (tidak dikenal)",
            r.kabkota_name or f"kab/kota {r.kabkota_code}",
            r.province_name or f"provinsi {r.province_code}",
        ) if x)
        lines.append(("Diterbitkan di " if person else "Wilayah: ") + place)
    if n.date_text:
        if person:
            lines.append(f"Lahir {n.date_text} (tahun 2 digit), {SEX_NAMES.get(n.sex or '', '-')}")
        else:
            lines.append(f"Tanggal pencatatan {n.date_text}")
    if n.serial:
        lines.append(f"Nomor urut {n.serial}")
    lines.extend(f"✖ {i.message}" for i in n.errors)
    lines.extend(f"⚠ {i.message}" for i in n.warnings)
    if n.valid and not n.warnings:
        lines.append("✔ Struktur " + ("NIK" if person else "nomor KK") + " sah")
    return lines


@dataclass(frozen=True, slots=True)
class FlagInfo:
    title: str
    explanation: str
    severity: str = "warning"


# Flag codes set by the server (server/services/*), explained for the reviewer. Several spellings map
# to one explanation so the list survives a renamed code; an unknown code is still shown, verbatim.
FLAG_INFO: dict[str, FlagInfo] = {
    "nik_invalid": FlagInfo(
        "NIK tidak sah", "Struktur NIK tidak sah menurut aturan Dukcapil (kode wilayah, tanggal lahir atau "
        "nomor urut). Periksa KTP; biasanya ditolak dengan alasan R01.", "error"),
    "kk_invalid": FlagInfo(
        "Nomor KK tidak sah", "Struktur nomor KK tidak sah (kode wilayah, tanggal pencatatan atau nomor urut). "
        "Periksa Kartu Keluarga.", "error"),
    "nik_mismatch": FlagInfo(
        "Data NIK bertentangan", "Tanggal lahir atau jenis kelamin yang diketik operator tidak cocok dengan "
        "yang tersimpan di NIK. Salah satunya salah ketik; minta desa memeriksa KTP."),
    "dup_nik": FlagInfo(
        "NIK sama di desa lain", "NIK yang sama sudah terdaftar di entri lain (desa lain atau program lain). "
        "Satu orang hanya boleh satu entri aktif per program: buka grup duplikat, pertahankan satu, tolak "
        "yang lain (R03).", "error"),
    "dup_kk_programme": FlagInfo(
        "KK sama dalam program ini", "Anggota lain dari Kartu Keluarga yang sama sudah terdaftar di program "
        "yang sama. Satu keluarga, satu bantuan (kecuali program mengizinkan); pilih satu (R04)."),
    "dup_person": FlagInfo(
        "Kemungkinan orang yang sama", "Ada entri lain dengan tanggal lahir sama dan nama sangat mirip "
        "(ejaan lama, gelar, singkatan). Bandingkan berdampingan di tab Duplikat sebelum memutuskan."),
    "reference_rejected": FlagInfo(
        "Ditolak otomatis: penerima bantuan pusat", "NIK ini penerima bantuan pusat di daftar penerima; aturan "
        "program menolaknya otomatis (R05). Setujui hanya bila daftar penerima terbukti keliru.", "error"),
    "reference": FlagInfo(
        "Sudah penerima bantuan lain", "NIK ini ada di daftar penerima (DTKS/bantuan pusat atau daerah). "
        "Yang sudah mendapat bantuan pusat tidak dapat menerima bantuan provinsi/kabupaten; biasanya "
        "ditolak dengan alasan R05.", "error"),
    "edited_after_approval": FlagInfo(
        "Diubah setelah disetujui", "Desa mengubah entri ini setelah disetujui. Versi yang disetujui tersimpan "
        "di riwayat; periksa perubahannya lalu setujui ulang."),
    "resubmitted": FlagInfo(
        "Dikirim ulang setelah perbaikan", "Entri ini sebelumnya ditolak atau dikembalikan, lalu diperbaiki "
        "desa dan dikirim ulang. Catatan sebelumnya tetap terlihat."),
    "conflict_hard": FlagInfo(
        "Konflik data", "Desa dan server mengubah kolom yang sama dari versi lama. Nilai server dipertahankan; "
        "perubahan desa disimpan di sampingnya. Pilih nilai yang benar per kolom atau kembalikan ke desa.",
        "error"),
    "conflict_soft": FlagInfo(
        "Perubahan digabung otomatis", "Desa mengubah dari versi lama, tetapi kolom yang berbeda; perubahan "
        "digabung otomatis. Cukup diperiksa."),
    "conflict_deleted": FlagInfo(
        "Dihapus di desa, berubah di server", "Desa menghapus entri yang di server sudah berubah. Putuskan "
        "apakah entri dibatalkan."),
    "deleted": FlagInfo("Dihapus desa", "Desa menghapus entri ini (dengan alasan)."),
    "data_warning": FlagInfo(
        "Peringatan data", "Operator desa menyimpan entri ini meskipun pemeriksaan data memberi peringatan."),
    "override": FlagInfo(
        "Disimpan walau mirip entri lain", "Operator menyimpan entri ini walau aplikasi desa memperingatkan "
        "kemungkinan duplikat; operator memberi alasan. Bandingkan dengan entri terkait."),
}
_FLAG_ALIASES: dict[str, str] = {
    "invalid_nik": "nik_invalid", "nik_error": "nik_invalid",
    "invalid_kk": "kk_invalid", "kk_error": "kk_invalid",
    "nik_birth_date_mismatch": "nik_mismatch", "nik_sex_mismatch": "nik_mismatch", "nik_data_mismatch": "nik_mismatch",
    "same_nik": "dup_nik", "duplicate_nik": "dup_nik", "nik": "dup_nik", "dup_nik_other_desa": "dup_nik",
    "dup_kk": "dup_kk_programme", "same_kk": "dup_kk_programme", "same_kk_programme": "dup_kk_programme",
    "kk_programme": "dup_kk_programme", "duplicate_kk": "dup_kk_programme",
    "probable_person": "dup_person", "person": "dup_person", "same_person": "dup_person",
    "probable_duplicate": "dup_person", "duplicate_person": "dup_person",
    "ref_match": "reference", "ref_reject": "reference_rejected", "reference_match": "reference", "ref": "reference", "reference_recipient": "reference",
    "already_recipient": "reference", "recipient": "reference", "reference_reject": "reference",
    "edited_after_approve": "edited_after_approval", "reapproval": "edited_after_approval",
    "resubmission": "resubmitted",
    "conflict": "conflict_hard", "hard_conflict": "conflict_hard", "soft_conflict": "conflict_soft",
    "merged": "conflict_soft", "deleted_conflict": "conflict_deleted",
}


def flag_key(code: str) -> str:
    """The canonical flag code (server spellings vary: 'dup_nik', 'DUP_NIK', 'dup_nik:12')."""
    base = code.split(":", 1)[0].strip().lower()
    return _FLAG_ALIASES.get(base, base)


def flag_title(code: str) -> str:
    info = FLAG_INFO.get(flag_key(code))
    return info.title if info else code


def explain_flag(code: str, *, detail: str = "", related: Sequence[str] = ()) -> FlagView:
    key = flag_key(code)
    info = FLAG_INFO.get(key) or FlagInfo(code, "Tanda dari server; periksa data entri.")
    text = info.explanation + (f"\nRincian: {detail}" if detail else "")
    return FlagView(key, info.title, text, info.severity, tuple(related))


def criteria_text(codes: Iterable[str]) -> str:
    return ", ".join(crit.label(c) for c in codes)


def desa_name(code: str) -> str:
    return regions.name_of(code) or regions.dotted(code)


# ---- XLSX export -------------------------------------------------------------------------------


def export_table_xlsx(path: Path, headers: Sequence[str], rows: Iterable[Sequence[object]], *,
                      text_columns: Iterable[int] = (), sheet: str = "Data") -> int:
    """Write a table to .xlsx; `text_columns` (e.g. NIK, KK, region codes) are written as text so
    Excel never turns a 16-digit number into 3.3E+15 or drops a leading zero. Returns rows written."""
    import xlsxwriter

    text_cols = set(text_columns)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "constant_memory": True})
    try:
        ws = wb.add_worksheet(sheet[:31])
        head = wb.add_format({"bold": True, "bg_color": "#DDE6F0", "border": 1})
        text_fmt = wb.add_format({"num_format": "@"})
        widths = [len(h) for h in headers]
        for c, h in enumerate(headers):
            ws.write_string(0, c, h, head)
        n = 0
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row):
                if v is None:
                    continue
                if c in text_cols or isinstance(v, str):
                    ws.write_string(r, c, str(v), text_fmt if c in text_cols else None)
                elif isinstance(v, bool):
                    ws.write_boolean(r, c, v)
                elif isinstance(v, (int, float)):
                    ws.write_number(r, c, v)
                else:
                    ws.write_string(r, c, str(v))
                if c < len(widths):
                    widths[c] = max(widths[c], min(len(str(v)), 60))
            n += 1
        for c, w in enumerate(widths):
            ws.set_column(c, c, w + 2)
        ws.freeze_panes(1, 0)
    finally:
        wb.close()
    log.info("exported %d rows to xlsx", n)
    return n


# ---- the service -------------------------------------------------------------------------------


ClientFactory = Callable[[ReviewSession], "rc.ReviewClient"]


def ca_verify(ctx: Any) -> str | bool:
    """requests' `verify=` for this PC, as the operators' sync uses it: the CA file saved by
    provisioning (`<data dir>/server-ca.pem`), else True (the system CAs). `ctx`: an AppContext
    (anything with `data_dir`); None or no data dir: True."""
    data_dir = getattr(ctx, "data_dir", None)
    if data_dir is None:
        return True
    from desktop_app.provisioning import ca_bundle_path  # provisioning imports the services: not at load

    ca = ca_bundle_path(Path(data_dir))
    return str(ca) if ca is not None else True


class ReviewService:
    """The reviewer's use cases. Thread-safe: each call makes its own HTTP client (the requests
    Session is not shared across the reader threads)."""

    def __init__(self, session: ReviewSession, *, client_factory: ClientFactory | None = None,
                 verify: str | bool = True) -> None:
        self.session = session
        # requests' `verify=`: the provisioned CA file, or True for the system CAs.
        self.verify: str | bool = verify
        self._factory: ClientFactory = client_factory or self._default_client
        self._local = threading.local()

    @classmethod
    def from_context(cls, ctx: Any, session: ReviewSession, **kw: Any) -> ReviewService:
        """The service for the PC's store: its provisioned CA file (if any) verifies the server."""
        kw.setdefault("verify", ca_verify(ctx))
        return cls(session, **kw)

    def _default_client(self, session: ReviewSession) -> rc.ReviewClient:
        return rc.ReviewClient(session.server_url, session.token, verify=self.verify)

    # -- login (static: there is no session yet)

    @staticmethod
    def login(server_url: str, username: str, password: str, *, verify: str | bool = True) -> ReviewSession:
        with rc.ReviewClient(server_url, verify=verify) as c:
            resp = c.login(username, password)
        return ReviewSession(server_url=server_url.rstrip("/"), username=username, role=resp.role,
                             area_code=resp.area_code, token=resp.access_token, expires_at=resp.expires_at)

    def _client(self) -> rc.ReviewClient:
        c = getattr(self._local, "client", None)
        if c is None:
            c = self._factory(self.session)
            self._local.client = c
        return c

    # -- reads

    def batches(self) -> list[BatchView]:
        return [_batch_view(b) for b in self._client().batches()]

    def batch_entries(self, batch_id: str) -> list[EntryView]:
        return [_entry_view(e) for e in self._client().batch_entries(batch_id)]

    def pending_entries(self) -> list[EntryView]:
        return [_entry_view(e) for e in self._client().entries(state=ReviewState.PENDING.value)]

    def entry(self, record_id: str) -> EntryView:
        return _entry_view(self._client().entry(record_id).entry)

    def duplicate_groups(self, *, include_settled: bool = False) -> list[DuplicateGroupView]:
        groups = [_group_view(g) for g in self._client().duplicate_groups(include_settled=include_settled)]
        return sorted(groups, key=lambda g: (not g.open, g.group_id))

    def dashboard(self) -> Dashboard:
        stats = self._client().stats()
        return _dashboard(stats)

    # -- decisions

    def decide(self, record_ids: Sequence[str], decision: str, *, reason_code: str | None = None,
               note: str = "", versions: Mapping[str, int] | None = None,
               change_seqs: Mapping[str, int] | None = None) -> DecisionResult:
        """`versions` / `change_seqs`: what the reviewer saw per entry (see `seen_of`); an entry that
        changed since is not decided and comes back in `failed` (and `stale`) with the reason."""
        _check_decision(decision, reason_code, note)
        if not record_ids:
            raise ReviewError("Pilih minimal satu entri.")
        res = self._client().decide(list(record_ids), decision, reason_code=reason_code, note=note.strip(),
                                    versions=versions, change_seqs=change_seqs)
        log.info("review decision %s on %d entries: %d applied, %d failed (%d changed since opened)", decision,
                 len(record_ids), len(res.applied), len(res.failed), len(res.stale))
        return DecisionResult(list(res.applied), dict(res.failed), res.stale, dict(res.change_seqs))

    def decide_entries(self, entries: Sequence[EntryView], decision: str, *, reason_code: str | None = None,
                       note: str = "") -> DecisionResult:
        """Decide the entries as displayed: the version and change_seq shown go along, so an entry
        the village or another reviewer changed meanwhile is skipped, not decided blind."""
        versions, seqs = seen_of(entries)
        return self.decide([e.record_id for e in entries], decision, reason_code=reason_code, note=note,
                           versions=versions, change_seqs=seqs)

    def settle_group(self, group_id: int, keep_record_id: str, note: str = "") -> DecisionResult:
        g = self._client().settle_group(group_id, keep_record_id, note=note)
        log.info("duplicate group %s settled, kept %s", group_id, keep_record_id)
        others = [m for m in g.members if m.record_id != keep_record_id]
        failed = {m.record_id: f"masih {STATE_LABELS.get(m.review_state, m.review_state)}" for m in others
                  if m.review_state != ReviewState.REJECTED.value}
        return DecisionResult([m.record_id for m in others if m.record_id not in failed], failed)

    def settle_conflict(self, record_id: str, choices: dict[str, str]) -> EntryView:
        bad = {v for v in choices.values()} - {"server", "village"}
        if bad:
            raise ReviewError("Pilih nilai server atau nilai desa untuk setiap kolom yang berkonflik.")
        e = _entry_view(self._client().settle_conflict(record_id, choices))
        log.info("conflict settled on %s (%d fields)", record_id, len(choices))
        return e

    def audit(self, record_id: str) -> list[AuditRow]:
        return self._client().audit(record_id=record_id)

    def history(self, record_id: str) -> list[HistoryItem]:
        """The entry's trail, newest first: every server audit row (decisions, conflicts settled, duplicate
        groups, automatic rejections) and every version the village sent, with what changed."""
        c = self._client()
        rows = c.audit(record_id=record_id)
        versions = c.entry(record_id).history
        return history_items(rows, versions)

    def export_entries(self, path: Path, entries: Sequence[EntryView]) -> int:
        headers = ["NIK", "No. KK", "Nama", "Tanggal lahir", "JK", "Desa", "Kode desa", "Program", "Kriteria",
                   "Status verifikasi", "Alasan/catatan", "Tanda"]
        rows = ([e.nik, e.kk, e.name, e.birth_date, e.sex, e.desa_name, regions.dotted(e.desa_code), e.programme,
                 criteria_text(e.criteria), e.state_label, e.outcome_text if e.review_state != "PENDING" else "",
                 ", ".join(f.title for f in e.flags)] for e in entries)
        return export_table_xlsx(path, headers, rows, text_columns=(0, 1, 3, 6), sheet="Entri")


def seen_of(entries: Iterable[EntryView]) -> tuple[dict[str, int], dict[str, int]]:
    """(versions, change_seqs) of the entries as displayed, for DecisionRequest's stale checks."""
    versions: dict[str, int] = {}
    seqs: dict[str, int] = {}
    for e in entries:
        versions[e.record_id] = e.version
        if e.change_seq:
            seqs[e.record_id] = e.change_seq
    return versions, seqs


def _check_decision(decision: str, reason_code: str | None, note: str) -> None:
    if decision not in DECISIONS:
        raise ReviewError(f"Keputusan '{decision}' tidak dikenal.")
    if decision == "reject":
        if not reason_code or reason_code not in REJECT_REASONS:
            raise ReviewError("Pilih alasan penolakan dari daftar.")
        if reason_code in NOTE_REQUIRED and not note.strip():
            raise ReviewError(f"Alasan {reason_code} ({reason_text(reason_code)}) memerlukan catatan.")
    if decision == "return" and not note.strip():
        raise ReviewError("Tulis catatan perbaikan untuk desa sebelum mengembalikan entri.")


def export_dashboard(path: Path, dash: Dashboard) -> int:
    """The dashboard table (one row per desa) as .xlsx; desa codes as text."""
    progs = dash.programmes()
    crits = dash.criteria()
    states = [s.value for s in ReviewState]
    headers = (["Kode desa", "Desa", "Jumlah"] + [STATE_LABELS[s] for s in states]
               + [f"Program {p}" for p in progs] + [crit.label(c) for c in crits])
    rows = ([regions.dotted(line.desa_code), line.desa_name, line.total]
            + [line.by_state.get(s, 0) for s in states]
            + [line.by_programme.get(p, 0) for p in progs]
            + [line.by_criterion.get(c, 0) for c in crits] for line in dash.per_desa())
    return export_table_xlsx(path, headers, rows, text_columns=(0,), sheet="Dasbor")


# ---- wire -> view ------------------------------------------------------------------------------


def _batch_view(b: BatchSummary | dict[str, Any]) -> BatchView:
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


def _entry_view(e: ReviewEntry | dict[str, Any]) -> EntryView:
    if isinstance(e, dict):
        e = ReviewEntry.model_validate(e)
    p = e.payload.model_dump()
    nik, kk = e.payload.nik, e.payload.kk
    flags: list[FlagView] = []
    seen: set[str] = set()
    # What the shared rules say about the numbers themselves (invalid or contradictory NIK data): the
    # server's decode and the warnings recorded with the entry; no re-parsing of 1,000 numbers here.
    for info, key in ((e.nik_info, "nik_invalid"), (e.kk_info, "kk_invalid")):
        if info is not None and not info.valid:
            flags.append(explain_flag(key, detail="; ".join(info.problems)))
    mismatches = [str(w.get("message", "")) for w in e.warnings if w.get("code") in _MISMATCH_CODES]
    if mismatches:
        flags.append(explain_flag("nik_mismatch", detail="; ".join(mismatches)))
    seen.update(f.code for f in flags)
    for f in e.flags:
        key = flag_key(f.code)
        if key in seen:
            continue
        seen.add(key)
        detail = "" if f.message == SERVER_FLAG_TEXT.get(f.code) else f.message
        if key == "data_warning":
            detail = "; ".join(str(w.get("message", "")) for w in e.warnings
                               if w.get("code") not in _MISMATCH_CODES) or detail
            if not detail:
                continue  # only the NIK mismatch, already shown above
        if key == "override" and e.payload.override_reason:
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


def _group_view(g: DuplicateGroupInfo | dict[str, Any]) -> DuplicateGroupView:
    if isinstance(g, dict):
        g = DuplicateGroupInfo.model_validate(g)
    return DuplicateGroupView(
        group_id=g.group_id,
        kind=g.kind,
        kind_label=g.kind_text or _GROUP_KIND_LABELS.get(g.kind, g.kind),
        state=g.state,
        score=g.score,
        spans_kecamatan=g.spans_kecamatan,
        kept_record_id=g.kept_record_id,
        members=[_entry_view(m) for m in g.members],
    )


_GROUP_KIND_LABELS = {
    "nik": "NIK sama", "kk_programme": "KK sama dalam satu program", "person": "Kemungkinan orang yang sama",
}


def _dashboard(stats: StatsResponse) -> Dashboard:
    rows = [StatRow(r.desa_code, r.desa_name or desa_name(r.desa_code), r.programme, r.review_state, r.count)
            for r in stats.rows]
    crows = [CriteriaRow(r.desa_code, r.desa_name or desa_name(r.desa_code), r.criterion, r.count)
             for r in stats.by_criteria]
    return Dashboard(rows, crows)


def state_counts(entries: Iterable[EntryView]) -> Counter[str]:
    return Counter(e.review_state for e in entries)


def warm_up() -> None:
    """Load the region table the NIK/KK read-back needs (first use costs a few hundred ms)."""
    regions.province_codes()


def criterion_label(code: str) -> str:
    return crit.label(code)


def region_dotted(code: str) -> str:
    return regions.dotted(code)
