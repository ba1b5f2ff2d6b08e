"""CSV/Excel import of the member table: one row per member, families accepted or rejected whole, all
accepted families in one transaction, rejects with reasons; an export re-imports unchanged."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from desktop_app.services import member_table as mt
from desktop_app.services.csv_import import (
    ImportFileError,
    ImportTarget,
    import_file,
    read_rows,
    rejects_path_for,
    summary_text,
)
from desktop_app.services.household_export import export_table
from domain.programmes import DEFAULT
from domain.records import HouseholdPayload, MemberPayload, ProposalPayload, RecordType
from local_db import household_repo as hr
from local_db.repository import session_scope
from tests.support.people import FIELDS, people, write_csv
from tests.support.store import DESA, store

WHO = hr.Who("Operator Uji", "dev-00000001")


@pytest.fixture
def target(engine: Engine) -> ImportTarget:
    return ImportTarget(engine, WHO, DEFAULT, None)


def count(engine: Engine, table: str, where: str = "1") -> int:
    with engine.connect() as c:
        return int(c.exec_driver_sql(f"SELECT count(*) FROM {table} WHERE {where}").scalar_one())


def rows_of(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as c:
        return [tuple(r) for r in c.exec_driver_sql(sql).fetchall()]


def read_rejects(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def save_person(engine: Engine, nik: str, kk: str, name: str, born: str, sex: str) -> str:
    with session_scope(engine, write=True) as s:
        hid = hr.save_household(s, HouseholdPayload(kk=kk, desa_code=DESA), WHO).record_id
        return hr.save_member(s, MemberPayload(household_id=hid, nik=nik, name=name, birth_date=born, sex=sex,
                                               relation="kepala_keluarga"), WHO).record_id


def test_a_clean_file_is_imported_whole(tmp_path: Path, engine: Engine, target: ImportTarget) -> None:
    f = write_csv(tmp_path / "data.csv", people(300))
    rep = import_file(target, f)
    assert (rep.total, rep.accepted, rep.rejected) == (300, 300, [])
    # One KK per row in this file: 300 households, 300 members, and PKH (a household programme) on each.
    assert count(engine, "households") == count(engine, "members") == count(engine, "proposals") == 300
    assert count(engine, "outbox") == count(engine, "auditlog") == 900
    assert count(engine, "outbox", "record_type = 'household'") == 300
    assert count(engine, "proposals", "pengurus_id != '' AND household_id != '' AND member_id = ''") == 300
    assert rep.rejects_path is None and not rejects_path_for(f).exists()
    assert "diterima 300, ditolak 0" in summary_text(rep) and "300 keluarga, 300 anggota, 300 usulan" in summary_text(rep)
    assert rows_of(engine, "SELECT DISTINCT created_by FROM members") == [("Operator Uji",)]
    # The audit rows say where each record came from.
    first = rep.household_ids[0]
    assert rows_of(engine, f"SELECT action, actor, reason FROM auditlog WHERE record_id = '{first}'") == [
        ("CREATE", "Operator Uji", "impor data.csv baris 2")]
    assert rows_of(engine, f"SELECT reason FROM auditlog WHERE record_id = '{rep.proposal_ids[-1]}'") == [
        ("impor data.csv baris 301",)]


def test_one_row_per_member_makes_one_household_and_one_household_proposal(
        tmp_path: Path, engine: Engine, target: ImportTarget) -> None:
    a, b, c = people(3, seed=3)
    kk = a["kk"]
    rows = [{**a, "relation": "Kepala Keluarga", "programme": "PKH", "dusun": "Air Serkuk", "rt": "1"},
            {**b, "kk": kk, "relation": "istri", "programme": "PKH, PBI-JK", "dusun": "Air Serkuk", "rt": "1"},
            {**c, "kk": kk, "relation": "anak", "programme": "", "dusun": "Air Serkuk", "rt": "1"}]
    f = write_csv(tmp_path / "keluarga.csv", rows, (*FIELDS, "relation", "dusun", "rt"))
    rep = import_file(target, f)
    assert rep.accepted == 3 and not rep.rejected
    [(hid, dusun, rt)] = rows_of(engine, "SELECT record_id, dusun, rt FROM households")
    assert (dusun, rt) == ("Air Serkuk", "001")
    members = dict(rows_of(engine, "SELECT nik, record_id FROM members"))
    assert len(members) == 3
    assert rows_of(engine, "SELECT relation FROM members ORDER BY rowid") == [("kepala_keluarga",), ("istri",), ("anak",)]
    props = sorted(rows_of(engine, "SELECT programme, household_id, member_id, pengurus_id FROM proposals"))
    # PKH once, on the household, pengurus = the first row naming it; PBI-JK on the second member.
    assert props == [("PBI-JK", "", members[b["nik"]], ""), ("PKH", hid, "", members[a["nik"]])]


def test_bad_rows_are_rejected_with_row_and_reason(tmp_path: Path, engine: Engine, target: ImportTarget) -> None:
    save_person(engine, "1902011708900077", "1902010101100077", "Sudah Ada", "1990-08-17", "L")
    good = list(people(6, seed=7))
    rows = [
        good[0],                                                              # 2 ok
        {**good[1], "nik": "19020117089000"},                                 # 3 NIK length
        {**good[2], "nik": good[0]["nik"], "kk": "1902010202100001"},         # 4 NIK repeated in the file
        {**good[3], "nik": "1902011708900078", "kk": "1902010101100078", "name": "Sudah Ada", "sex": "L",
         "birth_date": "1990-08-17"},                                         # 5 probable: in the store
        {**good[0], "nik": good[0]["nik"][:12] + "9999", "kk": "1902010303100001",
         "name": good[0]["name"] + "h"},                                      # 6 probable: row 2 of the file
        {**good[4], "nik": "1902011708900077", "kk": "1902010101100079"},     # 7 NIK in the store
        {**good[5], "programme": "Bantuan Bulan"},                            # 8 unknown programme
        {**good[1], "nik": "1902011708900099", "kk": "1902010909100001", "name": "Sudah Ada",
         "birth_date": "1990-08-17", "sex": "L", "override_reason": "kembar, KTP dicek"},  # 9 ok with reason
    ]
    f = write_csv(tmp_path / "campur.csv", rows, (*FIELDS, "override_reason"))
    rep = import_file(target, f)
    assert rep.accepted == 2
    assert [r.row for r in rep.rejected] == [3, 4, 5, 6, 7, 8]
    rejects = read_rejects(rejects_path_for(f))
    assert [r["baris"] for r in rejects] == ["3", "4", "5", "6", "7", "8"]
    reasons = {int(r["baris"]): r["alasan"] for r in rejects}
    assert "NIK harus 16 digit" in reasons[3]
    assert "baris 2" in reasons[4] and "NIK" in reasons[4]
    assert "Mungkin orang yang sama" in reasons[5] and "override_reason" in reasons[5]
    assert "baris 2" in reasons[6]
    assert "sudah terdaftar sebagai anggota Sudah Ada" in reasons[7]
    assert "Program 'Bantuan Bulan' tidak dikenal" in reasons[8]
    assert rejects[0]["nik"] == "19020117089000"  # the row as written, to fix and re-import
    assert count(engine, "members") == 3
    [(reason,)] = rows_of(engine, "SELECT override_reason FROM members WHERE nik = '1902011708900099'")
    assert reason == "kembar, KTP dicek"


def test_a_bad_member_rejects_its_whole_family_and_nothing_of_it_is_written(
        tmp_path: Path, engine: Engine, target: ImportTarget) -> None:
    a, b, c = people(3, seed=11)
    rows = [{**a, "relation": "kepala_keluarga"}, {**b, "kk": a["kk"], "relation": "kepala_keluarga"},
            {**c, "relation": "kepala_keluarga"}]
    f = write_csv(tmp_path / "dua-kepala.csv", rows, (*FIELDS, "relation"))
    rep = import_file(target, f)
    assert rep.accepted == 1 and [r.row for r in rep.rejected] == [2, 3]
    reasons = {r.row: " ".join(r.reasons) for r in rep.rejected}
    assert "satu kepala keluarga" in reasons[3]
    assert "Ikut ditolak: baris 3" in reasons[2]
    assert rows_of(engine, "SELECT kk FROM households") == [(c["kk"],)]
    assert count(engine, "members") == 1 and count(engine, "outbox", "record_type = 'member'") == 1


def test_rows_of_a_kk_already_in_the_store_join_that_household(
        tmp_path: Path, engine: Engine, target: ImportTarget) -> None:
    head = save_person(engine, "1902011708900077", "1902010101100077", "Kepala Lama", "1990-08-17", "L")
    [new] = people(1, seed=5)
    f = write_csv(tmp_path / "tambah.csv", [{**new, "kk": "1902010101100077", "programme": "PBI-JK"}])
    rep = import_file(target, f)
    assert rep.accepted == 1, rep.rejected
    assert count(engine, "households") == 1
    assert rows_of(engine, "SELECT count(DISTINCT household_id) FROM members") == [(1,)]
    assert count(engine, "proposals", "programme = 'PBI-JK' AND member_id != ''") == 1
    # A household programme on a KK that already has an open one: refused, the row not written.
    with session_scope(engine, write=True) as s:
        hid = rows_of(engine, "SELECT record_id FROM households")[0][0]
        hr.save_proposal(s, ProposalPayload(programme="PKH", household_id=str(hid), pengurus_id=head), WHO)
    [other] = people(1, seed=9)
    f2 = write_csv(tmp_path / "pkh.csv", [{**other, "kk": "1902010101100077", "programme": "PKH"}])
    rep = import_file(target, f2)
    assert rep.accepted == 0 and "sudah punya usulan PKH yang masih terbuka" in rep.rejected[0].reasons[0]
    assert count(engine, "members") == 2


def test_missing_columns_stop_the_whole_file(tmp_path: Path, engine: Engine, target: ImportTarget) -> None:
    f = tmp_path / "x.csv"
    f.write_text("nik,nama\n1902015708850001,Siti\n", encoding="utf-8")
    with pytest.raises(ImportFileError) as e:
        import_file(target, f)
    assert "Kolom wajib tidak ada" in str(e.value) and "kk" in str(e.value)
    assert count(engine, "members") == 0
    with pytest.raises(ImportFileError):
        import_file(target, tmp_path / "none.csv")


def test_indonesian_headers_semicolons_and_bom(tmp_path: Path, engine: Engine, target: ImportTarget) -> None:
    f = tmp_path / "excel.csv"
    f.write_text("\ufeffNIK;No KK;Nama;Tanggal Lahir;Jenis Kelamin;Kode Desa;Program;Alamat;Hubungan;Status Rumah;"
                 "Luas Lantai;Aset;Ternak\n"
                 "1902015708850001;1902010101100001;Siti Aminah;17/08/1985;P;19.02.01.2003;Sembako;Jl. A;"
                 "Kepala Keluarga;Milik sendiri;36,5;lemari_es,sepeda_motor;kambing_domba:3\n"
                 "\n", encoding="utf-8")
    rep = import_file(target, f)
    assert (rep.total, rep.accepted) == (1, 1), rep.rejected
    [(address, tenure, area, assets, livestock)] = rows_of(
        engine, "SELECT address, tenure, floor_area_m2, assets, livestock FROM households")
    assert (address, tenure, area) == ("Jl. A", "milik_sendiri", 36.5)
    assert json.loads(str(assets)) == ["lemari_es", "sepeda_motor"] and json.loads(str(livestock)) == {"kambing_domba": 3}
    assert rows_of(engine, "SELECT programme FROM proposals") == [("BPNT",)]


def test_a_bad_code_names_its_column(tmp_path: Path, engine: Engine, target: ImportTarget) -> None:
    [p] = people(1)
    f = write_csv(tmp_path / "kode.csv", [{**p, "tenure": "istana", "floor_area_m2": "luas"}], (*FIELDS, "tenure",
                                                                                                 "floor_area_m2"))
    rep = import_file(target, f)
    assert rep.accepted == 0
    assert "Luas lantai harus angka" in rep.rejected[0].reasons[0]


def test_xlsx(tmp_path: Path, engine: Engine, target: ImportTarget) -> None:
    import xlsxwriter

    f = tmp_path / "data.xlsx"
    wb = xlsxwriter.Workbook(str(f))
    ws = wb.add_worksheet()
    rows = list(people(4))
    ws.write_row(0, 0, list(FIELDS))
    for i, r in enumerate(rows, start=1):
        ws.write_row(i, 0, [r[k] for k in FIELDS])
    ws.write_number(1, FIELDS.index("desa_code"), 1902012003)  # a number cell, as Excel users type it
    wb.close()
    rep = import_file(target, f)
    assert rep.accepted == 4, rep.rejected
    header, parsed = read_rows(f)
    assert header == list(FIELDS) and parsed[0][1]["desa_code"] == "1902012003"


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_an_export_re_imports_unchanged(tmp_path: Path, engine: Engine, target: ImportTarget, suffix: str) -> None:
    a, b, c, d = people(4, seed=21)
    rows = [
        {**a, "relation": "kepala_keluarga", "programme": "PKH,PBI-JK", "dusun": "Air Serkuk", "rt": "001",
         "rw": "002", "tenure": "milik_sendiri", "floor_area_m2": "36.5", "assets": "lemari_es,sepeda_motor",
         "livestock": "kambing_domba:3,sapi:1", "household_phone": "081234567890", "education": "sma",
         "difficulties": "melihat:parah", "ppks": "fakir_miskin", "criteria": "nelayan", "pregnant": ""},
        {**b, "kk": a["kk"], "relation": "anak", "programme": "PBI-JK", "dusun": "Air Serkuk", "rt": "001",
         "rw": "002", "criteria": "anak_sekolah"},
        {**c, "relation": "kepala_keluarga", "programme": "BLT-DD"},
        {**b, "kk": c["kk"], "nik": "TMP-0A1B2C3D4E5F", "name": "Bayi Tanpa NIK", "birth_date": "2024-01-05",
         "relation": "anak", "programme": ""},  # no NIK yet: a temporary id
        {**d, "relation": "kepala_keluarga", "programme": ""},
    ]
    src = write_csv(tmp_path / "asal.csv", rows, tuple(dict.fromkeys(k for r in rows for k in r)))
    rep = import_file(target, src)
    assert rep.accepted == 5, rep.rejected
    first = tmp_path / f"ekspor1{suffix}"
    res = export_table(engine, first)
    assert (res.households, res.members, res.proposals) == (3, 5, 4)
    with store(tmp_path / "lain.sqlite3") as other:
        rep2 = import_file(ImportTarget(other, WHO, DEFAULT, None), first)
        assert rep2.accepted == 5 and not rep2.rejected, rep2.rejected
        second = tmp_path / f"ekspor2{suffix}"
        export_table(other, second)
    h1, r1 = read_rows(first)
    h2, r2 = read_rows(second)
    assert h1 == h2 == list(mt.COLUMNS)
    assert r1 == r2
    by_nik = {r["nik"]: r for _n, r in r1}
    assert by_nik[a["nik"]]["kk"] == a["kk"] and by_nik[a["nik"]]["programme"] == "PKH,PBI-JK"
    assert by_nik[a["nik"]]["livestock"] == "kambing_domba:3,sapi:1" and by_nik[a["nik"]]["rt"] == "001"
    assert by_nik[b["nik"]]["programme"] == "PBI-JK" and by_nik[b["nik"]]["floor_area_m2"] == "36.5"
    assert by_nik["TMP-0A1B2C3D4E5F"]["name"] == "Bayi Tanpa NIK"
    assert rows_of(engine, "SELECT nik, temp_id FROM members WHERE name = 'Bayi Tanpa NIK'") == [("", "TMP-0A1B2C3D4E5F")]
    if suffix == ".xlsx":  # identifiers are text cells: Excel keeps all 16 digits
        from python_calamine import CalamineWorkbook

        sheet = CalamineWorkbook.from_path(str(first)).get_sheet_by_index(0).to_python()
        assert all(isinstance(r[0], str) and isinstance(r[2], str) for r in sheet[1:])


@pytest.mark.parametrize("size", [2_001, 131_073, 400_000])
def test_an_overlong_cell_names_its_row_and_column_and_writes_nothing(
        tmp_path: Path, engine: Engine, target: ImportTarget, size: int) -> None:
    rows = list(people(5))
    rows[2] = {**rows[2], "name": "A" * size}  # the 4th line of the file (header is line 1)
    f = write_csv(tmp_path / "data.csv", rows)
    with pytest.raises(ImportFileError) as exc:
        import_file(target, f)
    msg = str(exc.value)
    assert "baris 4" in msg and "'name'" in msg and "terlalu panjang" in msg
    assert f"{size:,}".replace(",", ".") in msg
    assert count(engine, "members") == count(engine, "outbox") == 0


def test_imported_proposals_are_stored_as_save_proposal_stores_them(
        tmp_path: Path, engine: Engine, target: ImportTarget) -> None:
    [a] = people(1, seed=31)
    rep = import_file(target, write_csv(tmp_path / "p.csv", [{**a, "programme": "PKH"}]))
    [imported] = rep.proposal_ids
    [hid] = rep.household_ids
    [mid] = rep.member_ids
    with session_scope(engine, write=True) as s:
        saved = hr.save_proposal(s, ProposalPayload(programme="BPNT", household_id=hid, pengurus_id=mid), WHO).record_id
        one = hr.get(s, RecordType.PROPOSAL, imported)
        two = hr.get(s, RecordType.PROPOSAL, saved)
    assert one is not None and two is not None
    skip = {"record_id", "created_at", "updated_at", "programme"}
    assert {k: v for k, v in one.items() if k not in skip} == {k: v for k, v in two.items() if k not in skip}
    ops = rows_of(engine, f"SELECT record_id, record_type, kind, local_rev, payload FROM outbox "
                          f"WHERE record_id IN ('{imported}', '{saved}') ORDER BY seq")
    assert [(o[1], o[2], o[3]) for o in ops] == [("proposal", "UPSERT", 1)] * 2
    assert json.loads(str(ops[0][4])) == {**json.loads(str(ops[1][4])), "programme": "PKH"}
    assert rows_of(engine, f"SELECT action FROM auditlog WHERE record_id = '{imported}'") == [("CREATE",)]
