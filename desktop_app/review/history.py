"""An entry's history (the Riwayat panel): the server's audit rows and the village's versions as one
trail, newest first, each item worded in Indonesian with what changed. Pure: tested without a server."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from desktop_app.review.views import STATE_LABELS
from domain import criteria as crit
from domain.decisions import Decision
from domain.entry import FIELD_LABELS
from domain.reasons import reason_text
from sync.review_protocol import AuditRow, GroupState, VersionInfo


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
    Decision.APPROVE: "Disetujui", Decision.REJECT: "Ditolak", Decision.RETURN: "Dikembalikan untuk perbaikan",
    Decision.VOID: "Dibatalkan",
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
_GROUP_STATES: dict[str, str] = {GroupState.OPEN: "terbuka", GroupState.SETTLED: "selesai"}


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
        code = after.get("review_reason_code") if r.action in (Decision.REJECT, "auto_reject") else None
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
