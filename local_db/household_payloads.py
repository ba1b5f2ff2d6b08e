"""Rows of the household tables <-> the wire payloads of domain.records (one place for both the
migration and the repository, so an op's payload is always what the row holds).

Rows are plain mappings of column name -> SQLite value (JSON columns as text, lists of codes as
comma-separated text where the table says so).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel

from domain.records import HouseholdPayload, Housing, MemberPayload, ProposalPayload, RecordType

HOUSING_FIELDS: tuple[str, ...] = tuple(Housing.model_fields)


def _list(text: str | None) -> list[str]:
    return [c for c in (text or "").split(",") if c]


def _json(text: str | None, default: Any) -> Any:
    return json.loads(text) if text else default


def household_payload(row: Mapping[str, Any]) -> HouseholdPayload:
    return HouseholdPayload(
        kk=row["kk"] or "", kk_pending=bool(row["kk_pending"]), desa_code=row["desa_code"], dusun=row["dusun"] or "",
        rt=row["rt"] or "", rw=row["rw"] or "", address=row["address"] or "", phone=row["phone"] or "",
        latitude=row["latitude"], longitude=row["longitude"],
        housing=Housing(**{f: row[f] if row[f] is not None else Housing.model_fields[f].default for f in HOUSING_FIELDS}),
        assets=_json(row["assets"], []), livestock=_json(row["livestock"], {}), notes=row["notes"] or "",
        desil=row["desil"],
    )


def household_columns(p: HouseholdPayload) -> dict[str, Any]:
    """The village-owned columns of a household (desil stays server-owned)."""
    return {
        "kk": p.kk, "kk_pending": int(p.kk_pending), "desa_code": p.desa_code, "dusun": p.dusun, "rt": p.rt, "rw": p.rw,
        "address": p.address, "phone": p.phone, "latitude": p.latitude, "longitude": p.longitude,
        **p.housing.model_dump(), "assets": json.dumps(p.assets, sort_keys=True),
        "livestock": json.dumps(p.livestock, sort_keys=True),
        "notes": p.notes,
    }


def member_payload(row: Mapping[str, Any]) -> MemberPayload:
    born = row["birth_date"]
    return MemberPayload(
        household_id=row["household_id"], nik=row["nik"] or "", temp_id=row["temp_id"] or "",
        former_ids=_json(row["former_ids"], []), name=row["name"], birth_place=row["birth_place"] or "",
        birth_date=str(born)[:10], sex=row["sex"], relation=row["relation"] or "",
        marital_status=row["marital_status"] or "", education=row["education"] or "",
        school_status=row["school_status"] or "", occupation=row["occupation"] or "",
        difficulties=_json(row["difficulties"], {}), chronic_illness=row["chronic_illness"] or "",
        pregnant=bool(row["pregnant"]), ppks=_list(row["ppks"]), criteria=_list(row["criteria"]),
        phone=row["phone"] or "", notes=row["notes"] or "", override_reason=row["override_reason"] or "",
    )


def member_columns(p: MemberPayload, name_key: str) -> dict[str, Any]:
    return {
        "household_id": p.household_id, "nik": p.nik, "temp_id": p.temp_id, "former_ids": json.dumps(p.former_ids),
        "name": p.name, "name_key": name_key, "birth_place": p.birth_place, "birth_date": p.birth_date, "sex": p.sex,
        "relation": p.relation, "marital_status": p.marital_status, "education": p.education,
        "school_status": p.school_status, "occupation": p.occupation,
        "difficulties": json.dumps(p.difficulties, sort_keys=True), "chronic_illness": p.chronic_illness,
        "pregnant": int(p.pregnant), "ppks": ",".join(p.ppks), "criteria": ",".join(p.criteria), "phone": p.phone,
        "notes": p.notes, "override_reason": p.override_reason,
    }


def proposal_payload(row: Mapping[str, Any]) -> ProposalPayload:
    return ProposalPayload(
        type=row["type"], programme=row["programme"], household_id=row["household_id"] or "",
        member_id=row["member_id"] or "", pengurus_id=row["pengurus_id"] or "", criteria=_list(row["criteria"]),
        note=row["note"] or "", removal_reason=row["removal_reason"] or "",
        musdesus_decision=row["musdesus_decision"] or "", musdesus_date=row["musdesus_date"] or "",
        musdesus_ref=row["musdesus_ref"] or "", musdesus_minutes_sha256=row.get("musdesus_minutes_sha256") or "",
    )


def proposal_columns(p: ProposalPayload) -> dict[str, Any]:
    return {
        "type": p.type, "programme": p.programme, "household_id": p.household_id, "member_id": p.member_id,
        "target_id": p.target_id, "pengurus_id": p.pengurus_id, "criteria": ",".join(p.criteria), "note": p.note,
        "removal_reason": p.removal_reason, "musdesus_decision": p.musdesus_decision,
        "musdesus_date": p.musdesus_date, "musdesus_ref": p.musdesus_ref,
        "musdesus_minutes_sha256": p.musdesus_minutes_sha256,
    }


PAYLOAD_OF: dict[RecordType, Callable[[Mapping[str, Any]], BaseModel]] = {
    RecordType.HOUSEHOLD: household_payload, RecordType.MEMBER: member_payload, RecordType.PROPOSAL: proposal_payload,
}
