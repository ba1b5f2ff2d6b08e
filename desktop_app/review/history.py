"""A proposal's history (the Riwayat panel): the server's audit rows and the versions the village sent
of the proposal and of its family (household, member) as one trail, newest first, each item worded in
Indonesian with what changed; the version the reviewer approved is marked, also after a later edit.
Pure: tested without a server."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from desktop_app.review.views import STATE_LABELS, field_label
from domain import criteria as crit
from domain import housing_codes as hc
from domain import member_codes as mc
from domain import review_fields
from domain.codelist import CodeList
from domain.decisions import Decision
from domain.proposal_codes import MUSDESUS_DECISION, PROPOSAL_TYPE, REMOVAL_REASON
from domain.reasons import reason_text
from domain.records import RECORD_TYPE_LABELS, RecordType
from sync.review_protocol import AuditRow, GroupState, VersionInfo


@dataclass(frozen=True, slots=True)
class HistoryItem:
    """One line of a proposal's trail (the Riwayat panel)."""

    at: datetime | None  # aware (UTC when the server sent a naive time)
    who: str  # server account, "sistem", or "" for the village (the panel names the batch's operator)
    action: str  # Indonesian: "Disetujui", "Diubah desa (versi 3)", ...
    reason: str  # reason code with its text and/or the note; "" when none
    changes: tuple[str, ...]  # "Status verifikasi: Menunggu verifikasi → Disetujui", one per changed field
    source: str  # "server" (audit row) or "desa" (a version the village sent)
    batch_id: str | None = None  # the village's batch (source "desa")
    approved: bool = False  # the proposal's version the reviewer approved

    @property
    def changes_text(self) -> str:
        return "; ".join(self.changes)


_ACTION_LABELS = {
    Decision.APPROVE: "Disetujui", Decision.REJECT: "Ditolak", Decision.RETURN: "Dikembalikan untuk perbaikan",
    Decision.VOID: "Dibatalkan",
    "auto_reject": "Ditolak otomatis (daftar penerima)", "settle_conflict": "Konflik diselesaikan",
    "settle_duplicates": "Grup duplikat diselesaikan", "not_same": "Grup duplikat: bukan data yang sama",
}
_VERSION_LABELS = {
    "create": "Dikirim desa", "update": "Diubah desa", "merge": "Diubah desa, digabung otomatis",
    "delete": "Dihapus desa", "conflict": "Diubah desa: konflik, nilai desa disimpan terpisah",
    "migrate": "Dipindahkan dari data lama (per entri)",
    "approved": "Versi yang disetujui, disimpan saat desa mengubahnya",
}
_CHANGE_LABELS = {
    "review_state": "Status verifikasi", "review_reason_code": "Kode alasan", "review_note": "Catatan",
    "voided": "Dibatalkan", "deleted": "Dihapus", "state": "Status grup", "kept": "Dipertahankan",
    "rejected": "Ditolak sebagai duplikat", "members": "Anggota grup", "version": "Versi",
    "group_id": "Grup", "choices": "Pilihan per kolom", "conflict": "Konflik",
    "review_fields": "Isian yang harus diperbaiki",
}
_GROUP_STATES: dict[str, str] = {GroupState.OPEN: "terbuka", GroupState.SETTLED: "selesai",
                                 GroupState.DISTINCT: "bukan data yang sama"}


# Coded fields of the payloads: the history says "Jenis atap terluas: Jerami/ijuk → Genteng", not the codes.
_CODES: dict[str, CodeList[Any]] = {
    "tenure": hc.TENURE, "floor_material": hc.FLOOR_MATERIAL, "wall_material": hc.WALL_MATERIAL,
    "roof_material": hc.ROOF_MATERIAL, "water_source": hc.WATER_SOURCE, "lighting": hc.LIGHTING,
    "wattage": hc.WATTAGE, "cooking_fuel": hc.COOKING_FUEL, "toilet_facility": hc.TOILET_FACILITY,
    "toilet_type": hc.TOILET_TYPE, "sewage": hc.SEWAGE, "relation": mc.RELATION, "sex": mc.SEX,
    "marital_status": mc.MARITAL_STATUS, "education": mc.EDUCATION, "school_status": mc.SCHOOL_STATUS,
    "occupation": mc.OCCUPATION, "chronic_illness": mc.CHRONIC_ILLNESS, "type": PROPOSAL_TYPE,
    "removal_reason": REMOVAL_REASON, "musdesus_decision": MUSDESUS_DECISION,
}
_LIST_CODES: dict[str, CodeList[Any]] = {"assets": hc.ASSET}


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
        return ", ".join(crit.label(str(x)) for x in v)
    if key in _CODES and isinstance(v, str):
        return _CODES[key].label(v)
    if key in _LIST_CODES and isinstance(v, list):
        return ", ".join(_LIST_CODES[key].label(str(x)) for x in v) or "-"
    if key == "choices" and isinstance(v, dict):
        return ", ".join(f"{field_label('proposal', k)}: {'nilai desa' if c == 'village' else 'nilai server'}"
                         for k, c in v.items())
    if key == "review_fields" and isinstance(v, list):
        return review_fields.labels_text(str(x) for x in v)
    if isinstance(v, list):
        return ", ".join(str(x) for x in v) if len(v) <= 3 else f"{len(v)} data"
    if isinstance(v, dict):
        return f"{len(v)} kolom"
    return str(v)


def _diff(before: dict[str, Any], after: dict[str, Any], record_type: str = RecordType.PROPOSAL) -> list[str]:
    """'Label: before → after' for every field whose value differs; a record's payload field by field."""
    out: list[str] = []
    for key in dict.fromkeys([*before, *after]):
        b, a = before.get(key), after.get(key)
        if b == a:
            continue
        if key in ("payload", "housing") and isinstance(b, dict) and isinstance(a, dict):
            out += _diff(b, a, record_type)
        elif key == "conflict":
            continue  # the contested values themselves show as the payload's changes
        elif key in ("kept", "rejected", "members", "choices", "version", "group_id") and b is None:
            out.append(f"{_CHANGE_LABELS.get(key, key)}: {_shown(key, a)}")  # new information, no "before"
        elif (shown_b := _shown(key, b)) != (shown_a := _shown(key, a)):  # None and "" are both "-"
            label = _CHANGE_LABELS.get(key) or (_CODES[key].title if key in _CODES and key not in (
                "type", "relation", "sex") else field_label(record_type, key))
            out.append(f"{label}: {shown_b} → {shown_a}")
    return out


def history_items(rows: Iterable[AuditRow], versions: Iterable[VersionInfo] = ()) -> list[HistoryItem]:
    """Audit rows and the village's versions (of the proposal and its family) as one trail, newest first.
    A household's or member's version says whose it is ("Keluarga: diubah desa (versi 2)")."""
    items: list[tuple[datetime, int, int, HistoryItem]] = []
    epoch = datetime.min.replace(tzinfo=UTC)
    for r in rows:
        after = r.after or {}
        code = after.get("review_reason_code") if r.action in (Decision.REJECT, "auto_reject") else None
        note = after.get("review_note") if r.action != "settle_duplicates" else None
        fields = after.get("review_fields") if r.action == Decision.RETURN else None
        fix = f"perbaiki: {review_fields.labels_text(fields)}" if fields else ""
        reason = " — ".join(x for x in (f"{code} ({reason_text(code)})" if code else "", str(note or ""), fix) if x)
        item = HistoryItem(_aware(r.at), r.username, _ACTION_LABELS.get(r.action, r.action), reason,
                           tuple(_diff(r.before or {}, after)), "server")
        items.append((item.at or epoch, 1, 0, item))  # an audit row after the version of the same instant
    previous: dict[str, dict[str, Any]] = {}  # per record: the payload of its previous version
    for v in sorted(versions, key=lambda x: (x.record_type, x.record_id, x.version)):
        key = f"{v.record_type}|{v.record_id}"
        before = previous.get(key)
        previous[key] = v.payload
        if v.change in ("resolve", "review"):  # settling a conflict, a decision: its audit row says what changed
            continue
        label = _VERSION_LABELS.get(v.change, v.change)
        if v.record_type != RecordType.PROPOSAL:
            whose = RECORD_TYPE_LABELS.get(RecordType(v.record_type), v.record_type) \
                if v.record_type in RecordType._value2member_map_ else v.record_type
            label = f"{whose}: {label[0].lower()}{label[1:]}"
        if v.approved and v.change != "approved":
            label += " — versi yang disetujui"
        changes = tuple(_diff(before, v.payload, v.record_type)) if before is not None else ()
        item = HistoryItem(_aware(v.created_at), "", f"{label} (versi {v.version})", "", changes, "desa",
                           v.batch_id, v.approved)
        items.append((item.at or epoch, 0, v.version, item))  # same instant: the newer version on top
    items.sort(key=lambda x: (x[0], x[1], x[2]), reverse=True)
    return [i for _at, _order, _version, i in items]
