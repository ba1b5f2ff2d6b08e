"""Households, members and proposals written straight into a server database, for the public-side
tests (the status check reads them as the sync would have left them)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from server.models import HouseholdRow, MemberRow, ProposalRow, ReferenceRecipient

DESA = "1902012003"
OTHER_DESA = "1902012004"


@dataclass(frozen=True)
class Person:
    nik: str
    kk: str
    member_id: str
    household_id: str


def _common(desa: str) -> dict[str, object]:
    now = datetime.now(UTC)
    return {"desa_code": desa, "kecamatan_code": desa[:6], "kabkota_code": desa[:4], "province_code": desa[:2],
            "created_at": now, "updated_at": now, "device_id": "dev-uji", "last_batch_id": "batch-uji"}


def add_person(engine: Engine, nik: str, kk: str, *, desa: str = DESA, name: str = "Siti Aminah",
               household_id: str | None = None) -> Person:
    hid = household_id or str(uuid.uuid4())
    mid = str(uuid.uuid4())
    with Session(engine) as s:
        if household_id is None:
            s.add(HouseholdRow(record_id=hid, kk=kk, payload=json.dumps({"kk": kk, "desa_code": desa}),
                               **_common(desa)))  # type: ignore[arg-type]
        s.add(MemberRow(record_id=mid, household_id=hid, nik=nik, name_key=name.lower(),
                        payload=json.dumps({"nik": nik, "name": name}), **_common(desa)))  # type: ignore[arg-type]
        s.commit()
    return Person(nik, kk, mid, hid)


def add_proposal(engine: Engine, person: Person, programme: str, *, household: bool = False,
                 review_state: str = "PENDING", reason_code: str | None = None, musdesus: str = "",
                 desa: str = DESA, deleted: bool = False) -> str:
    pid = str(uuid.uuid4())
    payload = {"type": "new", "programme": programme, "musdesus_decision": musdesus,
               "household_id": person.household_id if household else "",
               "member_id": "" if household else person.member_id,
               "pengurus_id": person.member_id if household else ""}
    with Session(engine) as s:
        s.add(ProposalRow(
            record_id=pid, programme=programme, household_id=person.household_id if household else "",
            member_id="" if household else person.member_id, pengurus_id=person.member_id if household else "",
            target_id=person.household_id if household else person.member_id, review_state=review_state,
            review_reason_code=reason_code, payload=json.dumps(payload), deleted=deleted,
            **_common(desa)))  # type: ignore[arg-type]
        s.commit()
    return pid


def add_reference(engine: Engine, nik: str, programme: str = "PKH", status: str = "aktif") -> None:
    with Session(engine) as s:
        s.add(ReferenceRecipient(nik=nik, programme=programme, level="pusat", status=status, period="2026",
                                 kecamatan_code=nik[:6], imported_at=datetime.now(UTC)))
        s.commit()


def field_errors(body: dict[str, Any]) -> dict[str, str]:
    """A 422 body's errors by field name (the server's shape: [{"loc": ["body", field], "msg": ...}])."""
    return {e["loc"][-1]: e["msg"] for e in body["errors"]}
