"""Duplicate rule 3 over members, and every duplicate group of the store (`bansos duplicates`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from domain.matching import PersonRecord
from domain.records import HouseholdPayload, MemberPayload, ProposalPayload, RecordType
from local_db import household_repo as hr
from local_db.member_duplicates import probable_members, record_groups
from local_db.repository import session_scope
from tests.support.store import DESA, store

WHO = hr.Who("Operator Uji", "dev-00000001")


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    with store(tmp_path / "s.sqlite3") as e:
        yield e


def family(engine: Engine, kk: str, *people: tuple[str, str, str, str]) -> tuple[str, list[str]]:
    with session_scope(engine, write=True) as s:
        hid = hr.save_household(s, HouseholdPayload(kk=kk, desa_code=DESA, rt="001", rw="002"), WHO).record_id
        mids = [hr.save_member(s, MemberPayload(household_id=hid, nik=nik, name=name, birth_date=born, sex=sex), WHO,
                               ).record_id for nik, name, born, sex in people]
    return hid, mids


def test_a_probable_same_person_under_another_nik_is_found_with_its_family(engine: Engine) -> None:
    _hid, [siti] = family(engine, "1902010101100001", ("1902015708850001", "Hj. Siti Aminah", "1985-08-17", "P"))
    family(engine, "1902010101100003", ("1902010905780001", "Ahmad Fauzi", "1978-05-09", "L"))
    probe = PersonRecord(id="", nik="1902015708850002", kk="1902010101100002", name="Siti Aminah",
                         birth_date=date(1985, 8, 17), sex="P", desa_code=DESA)
    with session_scope(engine) as s:
        [hit] = probable_members(s, probe)
        assert (hit.record_id, hit.kk) == (siti, "1902010101100001")
        assert "Mungkin orang yang sama: Hj. Siti Aminah" in hit.message and "KK 1902010101100001" in hit.message
        # Not the member itself (its own NIK is rule 1), not someone else born on another day.
        assert probable_members(s, PersonRecord(id="", nik="1902015708850001", kk="", name="Siti Aminah",
                                                birth_date=date(1985, 8, 17), sex="P")) == []
        assert probable_members(s, PersonRecord(id="", nik="1902015708860009", kk="", name="Rohana",
                                                birth_date=date(1986, 8, 17), sex="P")) == []
    with session_scope(engine, write=True) as s:
        hr.soft_delete(s, RecordType.MEMBER, siti, WHO, reason="salah input")
    with session_scope(engine) as s:
        assert probable_members(s, probe) == []  # a deleted member is never a duplicate


def test_groups_of_records_a_sync_can_bring(engine: Engine) -> None:
    h1, [a] = family(engine, "1902010101100001", ("1902015708850001", "Siti Aminah", "1985-08-17", "P"))
    h2, [b] = family(engine, "1902010101100002", ("1902010905780001", "Ahmad Fauzi", "1978-05-09", "L"))
    with session_scope(engine, write=True) as s:
        p1 = hr.save_proposal(s, ProposalPayload(programme="PKH", household_id=h1, pengurus_id=a), WHO).record_id
        p2 = hr.save_proposal(s, ProposalPayload(programme="PKH", household_id=h2, pengurus_id=b), WHO).record_id
    with session_scope(engine) as s:
        assert record_groups(s) == []
    # What a pull stores when two devices entered one family (the store refuses it at save time).
    with engine.begin() as c:
        c.exec_driver_sql("UPDATE households SET kk = '1902010101100001' WHERE record_id = ?", (h2,))
        c.exec_driver_sql("UPDATE members SET nik = '1902015708850001' WHERE record_id = ?", (b,))
        c.exec_driver_sql("UPDATE proposals SET household_id = ?, target_id = ? WHERE record_id = ?", (h1, h1, p2))
    with session_scope(engine) as s:
        groups = {(g.kind, g.key): {r["record_id"] for r in g.records} for g in record_groups(s)}
    assert groups == {("nik", "1902015708850001"): {a, b}, ("kk", "1902010101100001"): {h1, h2},
                      ("proposal", f"PKH/{h1}"): {p1, p2}}
    with engine.begin() as c:  # a decided proposal no longer counts as open
        c.exec_driver_sql("UPDATE proposals SET review_state = 'APPROVED' WHERE record_id = ?", (p1,))
    with session_scope(engine) as s:
        assert "proposal" not in {g.kind for g in record_groups(s)}
