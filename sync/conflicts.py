"""Client side of a conflict: what the operator compares, and how a choice becomes a new op.

An entry in CONFLICT keeps, in `conflict_data`, what the server answered: the kind ("hard": the
same fields changed on both sides, the server kept its values; "deleted": voided/deleted on the
server while edited here), the contested fields, the server's copy and its version.

Resolution: per field, keep the village's or the server's value. The result is saved like any
edit (entry + outbox op + audit, in the caller's transaction) with base_version set to the
server's version, so the server applies it as a normal, current edit on the next sync.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from domain.entry import FIELD_LABELS
from domain.errors import KnownError
from domain.names import name_key
from domain.states import OpKind, SyncState
from local_db import repository as repo
from local_db.models import Entry
from sync.protocol import ENTRY_FIELDS, EntryPayload

VILLAGE = "village"
SERVER = "server"
RECORD = "_record"
DELETED = "deleted"  # the pseudo-field of a deletion that met a server edit  # the choice key for a "deleted" conflict: keep the village copy, or the deletion

KIND_LABELS = {
    "hard": "Data yang sama diubah di desa dan di server",
    "deleted": "Entri sudah dihapus/dibatalkan di server, tetapi diubah di desa",
    "soft": "Perubahan digabung otomatis",
}


class ConflictError(KnownError):
    """An expected problem resolving a conflict; `message` is for the operator."""

    @classmethod
    def default_message(cls) -> str:
        return "Konflik ini tidak bisa diselesaikan. Muat ulang daftar konflik lalu coba lagi."


@dataclass(frozen=True, slots=True)
class FieldDiff:
    field: str
    label: str
    village: str
    server: str
    contested: bool  # named by the server as changed on both sides


@dataclass(slots=True)
class ConflictView:
    record_id: str
    kind: str
    kind_label: str
    server_version: int | None
    fields: list[FieldDiff] = field(default_factory=list)
    village_payload: dict[str, Any] = field(default_factory=dict)
    server_payload: dict[str, Any] | None = None
    server_deleted: bool = False


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _server_payload(copy: Mapping[str, Any] | None) -> tuple[dict[str, Any] | None, bool]:
    """The server copy may be a ServerEntry dict (with "payload") or a bare payload."""
    if not copy:
        return None, False
    deleted = bool(copy.get("deleted") or copy.get("voided"))
    inner = copy.get("payload", copy)
    if not isinstance(inner, Mapping):
        return None, deleted
    try:
        return EntryPayload.model_validate({k: v for k, v in inner.items() if k in EntryPayload.model_fields}).model_dump(), deleted
    except ValidationError:
        return dict(inner), deleted


def data_of(entry: Entry) -> dict[str, Any]:
    try:
        data = json.loads(entry.conflict_data or "{}")
    except ValueError:
        data = {}
    return data if isinstance(data, dict) else {}


def view_of(entry: Entry) -> ConflictView | None:
    """The side-by-side comparison for an entry in CONFLICT (None for any other state)."""
    if entry.sync_state != SyncState.CONFLICT:
        return None
    data = data_of(entry)
    kind = str(data.get("kind") or "hard")
    village = repo.payload_of(entry).model_dump()
    server, server_deleted = _server_payload(data.get("server_copy"))
    contested = set(data.get("fields") or [])
    diffs: list[FieldDiff] = []
    for f in ENTRY_FIELDS:
        if f in contested and f == DELETED:
            continue
        v = village.get(f)
        sv = server.get(f) if server is not None else None
        if server is not None and v == sv and f not in contested:
            continue
        if server is None and f not in contested:
            continue
        diffs.append(FieldDiff(f, FIELD_LABELS.get(f, f), _show(v), _show(sv), f in contested))
    if "deleted" in contested:  # a deletion against a server edit: the record's status is the field
        diffs.append(FieldDiff(DELETED, "Status entri", "Dihapus" if entry.deleted else "Aktif",
                               "Dihapus" if server_deleted else "Aktif", True))
    order = (*ENTRY_FIELDS, DELETED)
    diffs.sort(key=lambda d: (not d.contested, order.index(d.field)))
    v_raw = data.get("server_version")
    return ConflictView(
        record_id=entry.record_id, kind=kind, kind_label=KIND_LABELS.get(kind, kind),
        server_version=int(v_raw) if isinstance(v_raw, int) else entry.server_version,
        fields=diffs, village_payload=village, server_payload=server,
        server_deleted=server_deleted or kind == "deleted",
    )


def resolve(session: Session, record_id: str, choices: Mapping[str, str], *, actor: str, device_id: str) -> Entry:
    """Apply the operator's per-field choices; the merged entry goes out as a new op.

    `choices`: field -> "village" | "server" (fields not named keep the village value). For a
    "deleted" conflict, RECORD -> "server" accepts the deletion (no op: the server already has
    it), RECORD -> "village" sends the village copy again.
    """
    entry = repo.get_entry(session, record_id)
    if entry is None:
        raise ConflictError("Entri tidak ditemukan.")
    view = view_of(entry)
    if view is None:
        raise ConflictError("Entri ini tidak sedang dalam konflik.")
    bad = [v for v in choices.values() if v not in (VILLAGE, SERVER)]
    if bad:
        raise ConflictError("Pilihan harus 'desa' atau 'server' untuk setiap isian.")
    server_version = view.server_version
    if view.kind == "deleted" and choices.get(RECORD) == SERVER:
        before = repo.snapshot(entry)
        if view.server_payload is not None:  # the server's last values, as it keeps them
            server = EntryPayload.model_validate(view.server_payload)
            for k, v in repo.entry_values(server).items():
                setattr(entry, k, v)
            entry.name_key = name_key(server.name)
            entry.delete_reason = server.delete_reason
        entry.deleted = True
        entry.sync_state = SyncState.SYNCED
        entry.base_version = server_version
        entry.conflict_data = None
        session.add(entry)
        repo.add_audit(session, record_id=record_id, action="CONFLICT_RESOLVE", actor=actor, device_id=device_id,
                       at=repo.utcnow(), before=before, after=repo.snapshot(entry),
                       reason="Konflik: mengikuti server (entri dihapus)")
        return entry
    if DELETED in choices and choices[DELETED] == VILLAGE and entry.deleted:
        # Keep the village's deletion: send it again, now based on the server's version.
        before = repo.snapshot(entry)
        entry.base_version = server_version
        entry.conflict_data = None
        entry.local_rev += 1
        entry.sync_state = SyncState.DIRTY
        entry.updated_at = repo.utcnow()
        entry.updated_by = actor
        session.add(entry)
        session.flush()
        repo.add_outbox(session, entry, OpKind.DELETE, repo.utcnow())
        repo.add_audit(session, record_id=record_id, action="CONFLICT_RESOLVE", actor=actor, device_id=device_id,
                       at=repo.utcnow(), before=before, after=repo.snapshot(entry),
                       reason="Konflik: penghapusan desa dipertahankan")
        return entry
    if DELETED in choices and choices[DELETED] == SERVER:
        entry.deleted = False  # the server kept the entry: restore it here, with the chosen values
        entry.delete_reason = ""
    merged = dict(view.village_payload)
    if view.server_payload is not None:
        for f, choice in choices.items():
            if choice == SERVER and f in view.server_payload and f in ENTRY_FIELDS:
                merged[f] = view.server_payload[f]
    payload = EntryPayload.model_validate(merged)
    kept = sorted(f for f, c in choices.items() if c == SERVER and f not in (RECORD, DELETED))
    reason = "Konflik diselesaikan; nilai server dipakai untuk: " + (", ".join(kept) or "-")
    entry.base_version = server_version
    entry.conflict_data = None
    warnings = json.loads(entry.warnings or "[]")
    repo.update_entry(session, entry, payload=payload, name_key=name_key(payload.name), warnings=warnings,
                      actor=actor, device_id=device_id, reason=reason)
    return entry
