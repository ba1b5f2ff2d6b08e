"""Entry rows as plain dicts (bulk-friendly) and their wire form (sync.protocol.ServerEntry)."""

from __future__ import annotations

import json
from typing import Any

from domain import regions
from domain.entry import EntryCheck

# Flags the server sets (explanations in sync.review_protocol.FLAG_TEXT); re-exported for the services.
from domain.flags import DECISION_CLEARS as DECISION_CLEARS
from domain.flags import DUP_FLAGS as DUP_FLAGS
from domain.flags import REF_FLAGS as REF_FLAGS
from domain.names import name_key
from sync.protocol import ENTRY_FIELDS, EntryPayload, ServerEntry

ENTRY_COLUMNS = (
    "record_id", "province_code", "desa_code", "kecamatan_code", "kabkota_code", "nik", "kk", "name_key", "birth_date",
    "programme", "criteria", "version", "change_seq", "deleted", "voided", "review_state",
    "review_reason_code", "review_note", "approved_version", "flags", "device_id", "last_batch_id",
    "created_at", "updated_at", "payload", "warnings", "conflict",
)


def normalised_payload(raw: dict[str, Any], check: EntryCheck) -> dict[str, Any]:
    """The payload (EntryPayload.model_dump()) as the server stores it: codes and numbers canonical."""
    d = dict(raw)
    if check.nik is not None:
        d["nik"] = check.nik.digits
    if check.kk is not None:
        d["kk"] = check.kk.digits
    d["desa_code"] = regions.digits_of(raw["desa_code"])
    if check.programme is not None:
        d["programme"] = check.programme.code
    if check.birth_date is not None:
        d["birth_date"] = check.birth_date.isoformat()
    d["sex"] = raw["sex"].strip().upper()
    d["criteria"] = list(check.criteria)
    return d


def index_columns(payload: dict[str, Any]) -> dict[str, Any]:
    desa = payload["desa_code"]
    return {
        "province_code": desa[:2],
        "desa_code": desa,
        "kecamatan_code": desa[:6],
        "kabkota_code": desa[:4],
        "nik": payload["nik"],
        "kk": payload["kk"],
        "name_key": name_key(payload["name"])[:200],
        "birth_date": payload["birth_date"],
        "programme": payload["programme"],
        "criteria": ",".join(payload.get("criteria") or [])[:400],
    }


def same_fields(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return all(a.get(f) == b.get(f) for f in ENTRY_FIELDS)


def flags_of(row: dict[str, Any]) -> list[str]:
    v = row.get("flags")
    if not v:
        return []
    return list(json.loads(v)) if isinstance(v, str) else list(v)


def set_flags(row: dict[str, Any], flags: set[str] | list[str]) -> bool:
    """Set the flags (kept as a sorted list until `flags_json` at write time); True when they changed."""
    new = sorted(set(flags))
    if new == flags_of(row):
        return False
    row["flags"] = new
    return True


def flags_json(row: dict[str, Any]) -> None:
    flags = row.get("flags")
    if not isinstance(flags, str):
        row["flags"] = json.dumps(sorted(flags)) if flags else "[]"


def to_server_entry(row: dict[str, Any]) -> ServerEntry:
    payload = row["payload"]
    conflict = row.get("conflict")
    return ServerEntry(
        record_id=row["record_id"],
        version=row["version"],
        payload=EntryPayload.model_validate(json.loads(payload) if isinstance(payload, str) else payload),
        deleted=bool(row["deleted"]),
        voided=bool(row["voided"]),
        review_state=row["review_state"],
        review_reason_code=row.get("review_reason_code"),
        review_note=row.get("review_note"),
        flags=flags_of(row),
        conflict=json.loads(conflict) if isinstance(conflict, str) else conflict,
    )


def row_of(obj: Any) -> dict[str, Any]:
    """An Entry ORM object or a Row mapping -> a plain dict of its columns."""
    if hasattr(obj, "_mapping"):
        return dict(obj._mapping)
    return {c: getattr(obj, c) for c in ENTRY_COLUMNS}
