"""Household, member and proposal rows as plain dicts (bulk-friendly) and their wire form
(sync.protocol.ServerRecord): the indexed columns each payload fills, the stored normal form of a
payload, and the server copy sent back with a conflict or in a pull page."""

from __future__ import annotations

import json
from typing import Any

from domain import regions
from domain.idnumbers import normalize
from domain.names import name_key
from domain.programmes import Catalogue, UnknownProgramme
from domain.records import RecordType
from server.models import HouseholdRow, MemberRow, ProposalRow, RecordBase, table_of
from server.services.entries import flags_of

MODELS: dict[RecordType, type[RecordBase]] = {RecordType.HOUSEHOLD: HouseholdRow, RecordType.MEMBER: MemberRow,
                                              RecordType.PROPOSAL: ProposalRow}
TABLES = {t: table_of(m) for t, m in MODELS.items()}
COLUMNS: dict[RecordType, tuple[str, ...]] = {t: tuple(c.name for c in table.c) for t, table in TABLES.items()}


def normalised(rtype: RecordType, payload: dict[str, Any], *, catalogue: Catalogue) -> dict[str, Any]:
    """The payload as the server stores it: numbers as digits, codes canonical (checked already)."""
    d = dict(payload)
    if rtype is RecordType.HOUSEHOLD:
        d["kk"] = normalize(d["kk"].strip())
        d["desa_code"] = regions.digits_of(d["desa_code"])
    elif rtype is RecordType.MEMBER:
        d["nik"] = normalize(d["nik"].strip())
        d["temp_id"] = d["temp_id"].strip().upper()
        d["sex"] = d["sex"].strip().upper()
        d["household_id"] = d["household_id"].strip()
    else:
        try:
            d["programme"] = catalogue.resolve(d["programme"]).code
        except UnknownProgramme:
            pass  # the check already refused it; kept as typed
        for k in ("household_id", "member_id", "pengurus_id"):
            d[k] = d[k].strip()
    return d


def index_columns(rtype: RecordType, payload: dict[str, Any], desa: str) -> dict[str, Any]:
    """The searched copies of a payload's fields beside it (models.HouseholdRow/MemberRow/ProposalRow)."""
    area = {"province_code": desa[:2], "desa_code": desa, "kecamatan_code": desa[:6], "kabkota_code": desa[:4]}
    if rtype is RecordType.HOUSEHOLD:
        return {**area, "kk": payload["kk"]}
    if rtype is RecordType.MEMBER:
        return {**area, "household_id": payload["household_id"], "nik": payload["nik"], "temp_id": payload["temp_id"],
                "name_key": name_key(payload["name"])[:200], "birth_date": payload["birth_date"]}
    return {**area, "type": payload["type"], "programme": payload["programme"], "household_id": payload["household_id"],
            "member_id": payload["member_id"], "pengurus_id": payload["pengurus_id"],
            "target_id": payload["member_id"] or payload["household_id"]}


def _loads(v: Any) -> Any:
    return json.loads(v) if isinstance(v, str) else v


def server_record(rtype: RecordType, row: dict[str, Any]) -> dict[str, Any]:
    """sync.protocol.ServerRecord of a row, as a JSON-ready dict (no pydantic round trip: the stored
    payload was validated and normalised at ingest; tests parse pages with the model)."""
    out: dict[str, Any] = {
        "record_type": rtype.value, "record_id": row["record_id"], "version": row["version"],
        "desa_code": row["desa_code"], "payload": _loads(row["payload"]), "deleted": bool(row["deleted"]),
        "voided": bool(row["voided"]), "flags": flags_of(row), "conflict": _loads(row.get("conflict")),
        "desil": row.get("desil"), "review_state": None, "review_reason_code": None, "review_note": None,
        "review_fields": [],
    }
    if rtype is RecordType.PROPOSAL:
        out.update(review_state=row["review_state"], review_reason_code=row.get("review_reason_code"),
                   review_note=row.get("review_note"), review_fields=list(_loads(row.get("review_fields")) or []))
    return out
