"""CSV/Excel import: every row checked, accepted rows in one transaction, rejects with reasons."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import Engine

from desktop_app.services.csv_import import ImportFileError, import_file, read_rows, rejects_path_for, summary_text
from desktop_app.services.entries import EntryService
from tests.support.people import FIELDS, people, write_csv
from tests.support.store import entry, service


def count(engine: Engine, table: str = "entry") -> int:
    with engine.connect() as c:
        return int(c.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())


def read_rejects(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_a_clean_file_is_imported_whole(tmp_path: Path, engine: Engine, svc: EntryService) -> None:
    f = write_csv(tmp_path / "data.csv", people(300))
    rep = import_file(svc, f)
    assert (rep.total, rep.accepted, rep.rejected) == (300, 300, [])
    assert count(engine) == count(engine, "outbox") == count(engine, "auditlog") == 300
    assert rep.rejects_path is None and not rejects_path_for(f).exists()
    assert "diterima 300, ditolak 0" in summary_text(rep)
    e = svc.get(rep.record_ids[0])
    assert e is not None and e.created_by == "Operator Uji"
    [a] = svc.audit_for(rep.record_ids[0])
    assert a.reason == "impor data.csv baris 2"


def test_bad_rows_are_rejected_with_row_and_reason(tmp_path: Path, engine: Engine, svc: EntryService) -> None:
    svc.save(entry(nik="1902011708900077", kk="1902010101100077", name="Sudah Ada", sex="L", birth_date="1990-08-17"))
    good = list(people(3, seed=7))
    rows = [
        good[0],                                                              # 2 ok
        {**good[1], "nik": "19020117089000"},                                 # 3 NIK length
        {**good[2], "nik": good[0]["nik"], "kk": "1902010202100001"},         # 4 NIK repeated in the file
        {**entry(nik="1902014101700001", kk=good[0]["kk"], name="Ani Lain",
                 birth_date="1970-01-01"), "programme": good[0]["programme"]},  # 5 same KK same programme
        entry(nik="1902011708900078", kk="1902010101100078", name="Sudah Ada", sex="L",
              birth_date="1990-08-17"),                                       # 6 probable: in the store
        {**good[0], "nik": good[0]["nik"][:12] + "9999", "kk": "1902010303100001",
         "name": good[0]["name"] + "h"},                                      # 7 probable: row 2 of the file
        entry(nik="1902011708900077", kk="1902010101100079", name="Orang Lain", sex="L",
              birth_date="1990-08-17"),                                       # 8 NIK in the store, same programme
        {**good[1], "programme": "Bantuan Bulan"},                            # 9 unknown programme
        {**good[1], "nik": "1902011708900099", "kk": "1902010909100001", "name": "Sudah Ada",
         "birth_date": "1990-08-17", "sex": "L", "override_reason": "kembar, KTP dicek"},  # 10 ok with reason
    ]
    f = write_csv(tmp_path / "campur.csv", rows, (*FIELDS, "override_reason"))
    rep = import_file(svc, f)
    assert rep.accepted == 2
    assert [r.row for r in rep.rejected] == [3, 4, 5, 6, 7, 8, 9]
    rejects = read_rejects(rejects_path_for(f))
    assert [r["baris"] for r in rejects] == ["3", "4", "5", "6", "7", "8", "9"]
    reasons = {int(r["baris"]): r["alasan"] for r in rejects}
    assert "NIK harus 16 digit" in reasons[3]
    assert "baris 2" in reasons[4] and "NIK" in reasons[4]
    assert "KK" in reasons[5] and "baris 2" in reasons[5]
    assert "Mungkin orang yang sama" in reasons[6] and "override_reason" in reasons[6]
    assert "baris 2" in reasons[7]
    assert "sudah terdaftar" in reasons[8]
    assert "Program 'Bantuan Bulan' tidak dikenal" in reasons[9]
    assert rejects[0]["nik"] == "19020117089000"  # the row as written, to fix and re-import
    assert count(engine) == 3
    ok = [svc.get(r) for r in rep.record_ids]
    assert ok[1] is not None and ok[1].override_reason == "kembar, KTP dicek"


def test_missing_columns_stop_the_whole_file(tmp_path: Path, engine: Engine, svc: EntryService) -> None:
    f = tmp_path / "x.csv"
    f.write_text("nik,nama\n1902015708850001,Siti\n", encoding="utf-8")
    with pytest.raises(ImportFileError) as e:
        import_file(svc, f)
    assert "Kolom wajib tidak ada" in str(e.value) and "kk" in str(e.value)
    assert count(engine) == 0
    with pytest.raises(ImportFileError):
        import_file(svc, tmp_path / "none.csv")


def test_indonesian_headers_semicolons_and_bom(tmp_path: Path, engine: Engine, svc: EntryService) -> None:
    f = tmp_path / "excel.csv"
    f.write_text("\ufeffNIK;No KK;Nama;Tanggal Lahir;Jenis Kelamin;Kode Desa;Program;Alamat\n"
                 "1902015708850001;1902010101100001;Siti Aminah;17/08/1985;P;19.02.01.2003;Sembako;Jl. A\n"
                 "\n", encoding="utf-8")
    rep = import_file(svc, f)
    assert (rep.total, rep.accepted) == (1, 1)
    e = svc.get(rep.record_ids[0])
    assert e is not None and e.programme == "BPNT" and e.address == "Jl. A"


def test_default_programme_fills_a_missing_column(tmp_path: Path, engine: Engine) -> None:
    svc = service(engine, default_programme="PKH")
    f = write_csv(tmp_path / "p.csv", people(5), tuple(k for k in FIELDS if k != "programme"))
    assert import_file(svc, f).accepted == 5


def test_xlsx(tmp_path: Path, engine: Engine, svc: EntryService) -> None:
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
    rep = import_file(svc, f)
    assert rep.accepted == 4, rep.rejected
    header, parsed = read_rows(f)
    assert header == list(FIELDS) and parsed[0][1]["desa_code"] == "1902012003"


@pytest.mark.parametrize("size", [2_001, 131_073, 400_000])
def test_an_overlong_cell_names_its_row_and_column_and_writes_nothing(
        tmp_path: Path, engine: Engine, svc: EntryService, size: int) -> None:
    rows = list(people(5))
    rows[2] = {**rows[2], "name": "A" * size}  # the 4th line of the file (header is line 1)
    f = write_csv(tmp_path / "data.csv", rows)
    with pytest.raises(ImportFileError) as exc:
        import_file(svc, f)
    msg = str(exc.value)
    assert "baris 4" in msg and "'name'" in msg and "terlalu panjang" in msg
    assert f"{size:,}".replace(",", ".") in msg
    assert count(engine) == count(engine, "outbox") == 0
