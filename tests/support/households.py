"""Households, members and proposals on a real local store, written through the app's own writes
(local_db.household_repo: record + outbox op + audit row), for the sync tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from domain.records import HouseholdPayload, MemberPayload, ProposalPayload, RecordType
from local_db import household_repo as hr
from local_db.household_payloads import PAYLOAD_OF
from local_db.repository import session_scope
from tests.support.people import DESA, people

WHO = hr.Who("Operator Uji", "dev-00000001")


@dataclass(frozen=True, slots=True)
class Family:
    household_id: str
    member_ids: list[str]
    proposal_id: str  # a PKH proposal for the household, the head as pengurus


def families(engine: Engine, n: int, *, members: int = 1, seed: int = 1, start: int = 0, desa: str = DESA,
             who: hr.Who = WHO, propose: bool = True) -> list[Family]:
    """`n` families of `members` persons each (the first the head), each with one PKH proposal;
    `start` keeps two calls apart (no shared NIK or KK)."""
    rows = list(people(n * members, seed=seed + start, start=start, desa=desa))  # seed too: NIKs differ
    out: list[Family] = []
    for i in range(n):
        group = rows[i * members:(i + 1) * members]
        with session_scope(engine, write=True) as s:
            hid = hr.save_household(s, HouseholdPayload(kk=group[0]["kk"], desa_code=desa, rt="001", rw="002",
                                                        address=group[0]["address"]), who).record_id
            mids = [hr.save_member(s, MemberPayload(
                household_id=hid, nik=p["nik"], name=p["name"], birth_date=p["birth_date"], sex=p["sex"],
                relation="kepala_keluarga" if j == 0 else "famili_lain"), who).record_id
                for j, p in enumerate(group)]
            pid = hr.save_proposal(s, ProposalPayload(programme="PKH", household_id=hid, pengurus_id=mids[0]),
                                   who).record_id if propose else ""
        out.append(Family(hid, mids, pid))
    return out


def row(engine: Engine, record_type: RecordType, record_id: str) -> dict[str, Any]:
    with session_scope(engine) as s:
        r = hr.get(s, record_type, record_id)
    assert r is not None, record_id
    return r


def payload(engine: Engine, record_type: RecordType, record_id: str) -> Any:
    return PAYLOAD_OF[record_type](row(engine, record_type, record_id))


def edit(engine: Engine, record_type: RecordType, record_id: str, who: hr.Who = WHO, **changes: Any) -> None:
    """Save the record again with some fields changed, as the operator's form would."""
    p = payload(engine, record_type, record_id).model_copy(update=changes)
    with session_scope(engine, write=True) as s:
        if record_type is RecordType.HOUSEHOLD:
            hr.save_household(s, p, who, record_id=record_id)
        elif record_type is RecordType.MEMBER:
            hr.save_member(s, p, who, record_id=record_id)
        else:
            hr.save_proposal(s, p, who, record_id=record_id)


def move(engine: Engine, member_id: str, household_id: str, who: hr.Who = WHO) -> None:
    with session_scope(engine, write=True) as s:
        hr.move_member(s, member_id, household_id, who)


def delete(engine: Engine, record_type: RecordType, record_id: str, reason: str = "Data ganda",
           who: hr.Who = WHO) -> None:
    with session_scope(engine, write=True) as s:
        hr.soft_delete(s, record_type, record_id, who, reason=reason)


def count(engine: Engine, sql: str, *params: Any) -> int:
    with engine.connect() as conn:
        return int(conn.exec_driver_sql(sql, params).scalar_one())
