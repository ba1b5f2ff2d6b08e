"""Client side of a conflict: what the operator compares, and how a choice becomes a new op.

Any of the three records (household, member, proposal) can be in CONFLICT. It keeps, in
`conflict_data`, what the server answered: the kind ("hard": the same fields changed on both sides,
the server kept its values; "deleted": voided/deleted on the server while edited here), the
contested fields, the server's copy and its version.

Resolution: per field, keep the village's or the server's value. The result is saved like any
edit (record + outbox op + audit, in the caller's transaction) with base_version set to the
server's version, so the server applies it as a normal, current edit on the next sync.

A household's housing fields are shown and chosen one by one (flattened out of `housing`); the
server may name them "housing.<field>", "<field>" or "housing" (all of them).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from domain.errors import KnownError
from domain.household_check import HOUSING_LISTS
from domain.household_check import LABELS as HOUSEHOLD_LABELS
from domain.member_check import LABELS as MEMBER_LABELS
from domain.proposal_check import LABELS as PROPOSAL_LABELS
from domain.records import PAYLOADS, RECORD_TYPE_LABELS, Housing, RecordType
from domain.states import OpKind, SyncState
from local_db import household_repo as hr
from local_db.household_payloads import PAYLOAD_OF
from local_db.pulled import village_columns

VILLAGE = "village"
SERVER = "server"
RECORD = "_record"  # the choice key for a "deleted" conflict: keep the village copy, or the deletion
DELETED = "deleted"  # the pseudo-field of a deletion that met a server edit
RESOLVE_ACTION = "CONFLICT_RESOLVE"

KIND_LABELS = {
    "hard": "Data yang sama diubah di desa dan di server",
    "deleted": "Data sudah dihapus/dibatalkan di server, tetapi diubah di desa",
    "soft": "Perubahan digabung otomatis",
}
HOUSING_FIELDS: tuple[str, ...] = tuple(Housing.model_fields)
_HIDDEN = {"desil", "housing"}  # server-owned, or shown field by field
LABELS: dict[RecordType, dict[str, str]] = {
    RecordType.HOUSEHOLD: {**HOUSEHOLD_LABELS, **{f: HOUSING_LISTS[f].title for f in HOUSING_LISTS}},
    RecordType.MEMBER: {**MEMBER_LABELS, "override_reason": "Alasan tetap disimpan"},
    RecordType.PROPOSAL: PROPOSAL_LABELS,
}


def fields_of(record_type: RecordType) -> tuple[str, ...]:
    """The fields the operator chooses between, in form order."""
    out: list[str] = []
    for f in PAYLOADS[record_type].model_fields:
        if f == "housing":
            out.extend(HOUSING_FIELDS)
        elif f not in _HIDDEN:
            out.append(f)
    return tuple(out)


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
    record_type: RecordType
    record_id: str
    title: str  # which record, for the dialog's title and the picker
    kind: str
    kind_label: str
    server_version: int | None
    fields: list[FieldDiff] = field(default_factory=list)
    village_payload: dict[str, Any] = field(default_factory=dict)  # flat (housing fields at the top)
    server_payload: dict[str, Any] | None = None
    server_deleted: bool = False


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in sorted(value.items()))
    return str(value)


def flat(record_type: RecordType, payload: Mapping[str, Any]) -> dict[str, Any]:
    d = {k: v for k, v in payload.items() if k not in _HIDDEN}
    if record_type is RecordType.HOUSEHOLD:
        d.update(payload.get("housing") or {})
    return d


def _nested(record_type: RecordType, values: Mapping[str, Any]) -> dict[str, Any]:
    d = {k: v for k, v in values.items() if k not in HOUSING_FIELDS or record_type is not RecordType.HOUSEHOLD}
    if record_type is RecordType.HOUSEHOLD:
        d["housing"] = {f: values[f] for f in HOUSING_FIELDS if f in values}
    return d


def _contested(record_type: RecordType, names: list[Any]) -> set[str]:
    out: set[str] = set()
    for n in (str(x) for x in names):
        if record_type is RecordType.HOUSEHOLD and n == "housing":
            out.update(HOUSING_FIELDS)
        else:
            out.add(n.removeprefix("housing."))
    return out


def _server_payload(record_type: RecordType, copy: Mapping[str, Any] | None) -> tuple[dict[str, Any] | None, bool]:
    """The server copy may be a ServerRecord dict (with "payload") or a bare payload."""
    if not copy:
        return None, False
    deleted = bool(copy.get("deleted") or copy.get("voided"))
    inner = copy.get("payload", copy)
    if not isinstance(inner, Mapping):
        return None, deleted
    model = PAYLOADS[record_type]
    try:
        parsed = model.model_validate({k: v for k, v in inner.items() if k in model.model_fields})
    except ValidationError:
        return flat(record_type, inner), deleted
    return flat(record_type, parsed.model_dump()), deleted


def data_of(row: Mapping[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(row["conflict_data"] or "{}")
    except ValueError:
        data = {}
    return data if isinstance(data, dict) else {}


def title_of(record_type: RecordType, row: Mapping[str, Any]) -> str:
    """Names the record for the operator (shown on screen only, never logged)."""
    if record_type is RecordType.HOUSEHOLD:
        return f"Keluarga KK {row['kk'] or '(belum terbit)'} — {row['address']}"
    if record_type is RecordType.MEMBER:
        return f"{row['name']} — NIK {row['nik'] or row['temp_id']}"
    return f"Usulan {row['programme']} ({row['type']})"


def find(s: Session, record_id: str) -> tuple[RecordType, dict[str, Any]] | None:
    """The record with this id, in whichever of the three tables holds it."""
    for rtype in RecordType:
        row = hr.get(s, rtype, record_id)
        if row is not None:
            return rtype, row
    return None


def view_of(record_type: RecordType, row: Mapping[str, Any]) -> ConflictView | None:
    """The side-by-side comparison for a record in CONFLICT (None for any other state)."""
    if row["sync_state"] != SyncState.CONFLICT:
        return None
    data = data_of(row)
    kind = str(data.get("kind") or "hard")
    village = flat(record_type, PAYLOAD_OF[record_type](row).model_dump())
    server, server_deleted = _server_payload(record_type, data.get("server_copy"))
    contested = _contested(record_type, list(data.get("fields") or []))
    labels = LABELS[record_type]
    diffs: list[FieldDiff] = []
    order = fields_of(record_type)
    for f in order:
        v = village.get(f)
        sv = server.get(f) if server is not None else None
        if f not in contested and (server is None or v == sv):
            continue
        diffs.append(FieldDiff(f, labels.get(f, f), _show(v), _show(sv), f in contested))
    if DELETED in contested:  # a deletion against a server edit: the record's status is the field
        diffs.append(FieldDiff(DELETED, "Status data", "Dihapus" if row["deleted"] else "Aktif",
                               "Dihapus" if server_deleted else "Aktif", True))
    rank = {f: i for i, f in enumerate((*order, DELETED))}
    diffs.sort(key=lambda d: (not d.contested, rank[d.field]))
    v_raw = data.get("server_version")
    return ConflictView(
        record_type=record_type, record_id=row["record_id"],
        title=f"{RECORD_TYPE_LABELS[record_type]}: {title_of(record_type, row)}", kind=kind,
        kind_label=KIND_LABELS.get(kind, kind),
        server_version=int(v_raw) if isinstance(v_raw, int) else row["server_version"],
        fields=diffs, village_payload=village, server_payload=server,
        server_deleted=server_deleted or kind == "deleted",
    )


def resolve(session: Session, record_id: str, choices: Mapping[str, str], *, actor: str, device_id: str) -> str:
    """Apply the operator's per-field choices; the merged record goes out as a new op.

    `choices`: field -> "village" | "server" (fields not named keep the village value). For a
    "deleted" conflict, RECORD -> "server" accepts the deletion (no op: the server already has
    it), RECORD -> "village" sends the village copy again. Returns the record id.
    """
    found = find(session, record_id)
    if found is None:
        raise ConflictError("Data tidak ditemukan.")
    rtype, row = found
    view = view_of(rtype, row)
    if view is None:
        raise ConflictError("Data ini tidak sedang dalam konflik.")
    if any(v not in (VILLAGE, SERVER) for v in choices.values()):
        raise ConflictError("Pilihan harus 'desa' atau 'server' untuk setiap isian.")
    who = hr.Who(actor, device_id)
    sv = view.server_version
    if view.kind == "deleted" and choices.get(RECORD) == SERVER:
        _accept_server_deletion(session, rtype, row, view, who)
        return record_id
    if choices.get(DELETED) == VILLAGE and row["deleted"]:
        # Keep the village's deletion: send it again, now based on the server's version.
        return hr.write_record(session, rtype, record_id, {"base_version": sv, "conflict_data": None}, who,
                               kind=OpKind.DELETE, action=RESOLVE_ACTION,
                               reason="Konflik: penghapusan desa dipertahankan")
    merged = dict(view.village_payload)
    if view.server_payload is not None:
        for f, choice in choices.items():
            if choice == SERVER and f in view.server_payload:
                merged[f] = view.server_payload[f]
    try:
        payload = PAYLOADS[rtype].model_validate(_nested(rtype, merged))
    except ValidationError as e:
        raise ConflictError("Gabungan nilai yang dipilih tidak sah; pilih nilai lain untuk isian "
                            f"{', '.join(str(x['loc'][-1]) for x in e.errors()[:3])}.") from e
    values: dict[str, Any] = {**village_columns(rtype, payload), "base_version": sv, "conflict_data": None}
    if choices.get(DELETED) == SERVER:
        values.update(deleted=0, delete_reason="")  # the server kept the record: restore it here
    kept = sorted(f for f, c in choices.items() if c == SERVER and f not in (RECORD, DELETED))
    return hr.write_record(session, rtype, record_id, values, who, action=RESOLVE_ACTION,
                           reason="Konflik diselesaikan; nilai server dipakai untuk: " + (", ".join(kept) or "-"))


def _accept_server_deletion(s: Session, rtype: RecordType, row: Mapping[str, Any], view: ConflictView,
                            who: hr.Who) -> None:
    """Follow the server: the record is deleted here too, with the server's last values; nothing to send."""
    values: dict[str, Any] = {}
    if view.server_payload is not None:
        try:
            values = village_columns(rtype, PAYLOADS[rtype].model_validate(_nested(rtype, view.server_payload)))
        except ValidationError:
            values = {}
    values.update(deleted=1, sync_state=SyncState.SYNCED.value, base_version=view.server_version, conflict_data=None)
    s.connection().exec_driver_sql(
        f"UPDATE {hr.TABLE[rtype]} SET {', '.join(f'{c} = ?' for c in values)} WHERE record_id = ?",
        (*values.values(), row["record_id"]))
    after = hr.get(s, rtype, row["record_id"])
    # The repository's own audit row, so both read alike.
    hr._audit(s, rtype, row["record_id"], RESOLVE_ACTION, who, hr._ts(), row, after,
              "Konflik: mengikuti server (data dihapus)")
