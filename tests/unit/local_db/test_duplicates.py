"""Duplicate rules of design.md §3 on a real store, and that each check uses an index."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from desktop_app.services.entries import EntryService
from domain.programmes import Catalogue, Programme, SourceLevel
from local_db import duplicates as dup
from local_db import repository as repo
from local_db.models import ReferenceRecipient
from tests.support.store import entry, service, store

BORN = date(1985, 8, 17)
CATALOGUE = Catalogue([
    Programme("BANSOS-BABEL", "Bansos Provinsi Babel", SourceLevel.PROVINSI),
    Programme("BLT-BLT", "BLT Kabupaten Belitung", SourceLevel.KABUPATEN, allow_pusat_recipients=True),
])


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    with store(tmp_path / "s.sqlite3") as e:
        yield e


@pytest.fixture
def svc(engine: Engine) -> EntryService:
    return service(engine, catalogue=CATALOGUE)


def find(engine: Engine, **kw: object) -> list[dup.DuplicateHit]:
    args: dict[str, object] = {"nik": "1902015708850001", "kk": "1902010101100001", "programme": "PKH",
                               "name": "Siti Aminah", "birth_date": BORN, "catalogue": CATALOGUE}
    args.update(kw)
    with repo.session_scope(engine) as s:
        return dup.find_duplicates(s, **args)  # type: ignore[arg-type]


def kinds(hits: list[dup.DuplicateHit]) -> list[tuple[str, bool]]:
    return [(h.kind, h.blocking) for h in hits]


def test_empty_store_has_no_duplicates(engine: Engine) -> None:
    assert find(engine) == []


def test_same_nik_same_programme_blocks_other_programme_warns(engine: Engine, svc: EntryService) -> None:
    rid = svc.save(entry()).record_id
    hits = find(engine)
    assert kinds(hits) == [("nik", True)]
    assert hits[0].record_id == rid and hits[0].programme == "PKH" and "sudah terdaftar" in hits[0].message
    hits = find(engine, programme="bst", kk="1902010101100009")
    assert kinds(hits) == [("nik", False)]
    assert "program lain" in hits[0].message


def test_same_kk_same_programme_blocks_unless_the_programme_allows(engine: Engine, svc: EntryService) -> None:
    svc.save(entry())
    other = {"nik": "1902011708900002", "name": "Budi Santoso", "birth_date": date(1990, 8, 17)}
    hits = find(engine, **other)
    assert kinds(hits) == [("kk_programme", True)]
    assert "Satu KK" in hits[0].message and hits[0].nik == "1902015708850001"
    assert find(engine, **other, programme="BST") == []
    svc.save(entry(programme="PBI-JK", nik="1902015708850001"))
    assert find(engine, **other, programme="PBI-JK") == []  # multiple_per_kk


def test_probable_same_person_warns_with_a_score(engine: Engine, svc: EntryService) -> None:
    rid = svc.save(entry(name="Hj. Siti Aminah")).record_id
    hits = find(engine, nik="1902015708850002", kk="1902010101100002", name="Siti Aminnah")
    assert kinds(hits) == [("probable_person", False)]
    h = hits[0]
    assert h.record_id == rid and h.score is not None and 85 <= h.score <= 100
    assert "Mungkin orang yang sama" in h.message and "alasan" in h.message
    # Another birth date (and a NIK that encodes it) or a different name: nothing.
    assert find(engine, nik="1902015908800002", kk="1902010101100002", birth_date=date(1980, 8, 19)) == []
    assert find(engine, nik="1902015708850002", kk="1902010101100002", name="Dewi Lestari") == []
    # A NIK one digit away with a mistyped birth date: the NIK's own date finds her (issue 14).
    hits = find(engine, nik="1902015708850002", kk="1902010101100002", birth_date=date(1985, 8, 18))
    assert [(h.kind, h.record_id) for h in hits] == [("probable_person", rid)]
    assert "NIK beda satu angka" in hits[0].reasons


def test_deleted_entries_and_the_entry_itself_are_not_duplicates(engine: Engine, svc: EntryService) -> None:
    rid = svc.save(entry()).record_id
    assert find(engine, exclude_record_id=rid) == []
    svc.delete(rid, reason="salah input")
    assert find(engine) == []


def add_reference(engine: Engine, nik: str, programme: str, level: str, status: str = "aktif") -> None:
    with repo.session_scope(engine, write=True) as s:
        s.add(ReferenceRecipient(nik=nik, programme=programme, level=level, status=status))


def test_reference_list_rules(engine: Engine) -> None:
    add_reference(engine, "1902015708850001", "PKH", "pusat")
    hits = find(engine, programme="BST")
    assert kinds(hits) == [("reference", False)]
    assert hits[0].record_id is None and hits[0].name == "" and "daftar penerima" in hits[0].message
    hits = find(engine, programme="bansos provinsi babel")
    assert kinds(hits) == [("reference", True)]
    assert "bantuan pusat" in hits[0].message
    assert kinds(find(engine, programme="BLT-BLT")) == [("reference", False)]  # configured to allow


def test_inactive_or_regional_reference_only_warns(engine: Engine) -> None:
    add_reference(engine, "1902015708850001", "PKH", "pusat", status="nonaktif")
    add_reference(engine, "1902015708850001", "BANSOS-BABEL", "provinsi")
    hits = find(engine, programme="BANSOS-BABEL")
    assert kinds(hits) == [("reference", False), ("reference", False)]


def test_blocking_hits_come_first(engine: Engine, svc: EntryService) -> None:
    svc.save(entry(programme="BST"))
    svc.save(entry(nik="1902015708850002", name="Siti Amina", kk="1902010101100002"), override_reason="kembar")
    hits = find(engine, programme="BST", nik="1902015708850003", kk="1902010101100001")
    assert kinds(hits) == [("kk_programme", True), ("probable_person", False), ("probable_person", False)]


@pytest.mark.parametrize("sql", [dup._SQL_NIK, dup._SQL_KK, dup._SQL_BIRTH, dup._SQL_REF,
                                 dup._SQL_NIK_NEAR.format("?,?,?")])
def test_every_check_is_an_index_search_not_a_scan(engine: Engine, sql: str) -> None:
    n = sql.count("?")
    with engine.connect() as c:
        plan = " ".join(str(r[-1]) for r in c.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", ("x",) * n))
    assert "SEARCH" in plan and "USING INDEX" in plan, plan
    assert "SCAN" not in plan, plan


def test_nik_date_block_reads_only_its_covering_index_then_rows_by_rowid(engine: Engine) -> None:
    with engine.connect() as c:
        plan = " ".join(str(r[-1]) for r in c.exec_driver_sql(f"EXPLAIN QUERY PLAN {dup._SQL_NIK_DATE}", ("170885",)))
        assert "USING COVERING INDEX ix_entry_nik_date" in plan, plan
        plan = " ".join(str(r[-1]) for r in c.exec_driver_sql(
            f"EXPLAIN QUERY PLAN {dup._SQL_BY_ROWID.format('?,?')}", (1, 2, "x", "x")))
    assert "SEARCH entry USING INTEGER PRIMARY KEY" in plan and "SCAN" not in plan, plan
