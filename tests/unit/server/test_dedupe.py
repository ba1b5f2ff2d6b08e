"""`bansos-server dedupe FILE --out PAIRS.csv`: a dinas cleans a file of persons."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
import xlsxwriter

from domain.matching import PersonRecord
from server.cli import main
from server.services.dedupe import dedupe, read_persons
from tests.support.serverapp import Api
from tests.support.serverdata import DESA_A, DESA_C, batch, nik_for, payload, person_ids, person_ops

BORN = date(1975, 9, 9)
NIK = nik_for(DESA_A, BORN, "P", 31)
ROWS = [
    # nama / tanggal_lahir / jenis_kelamin: the member import's Indonesian headers; "catatan" is ignored
    ["nik", "kk", "nama", "tanggal_lahir", "jenis_kelamin", "desa_code", "dusun", "rt", "rw", "catatan"],
    [NIK, "1902010101100001", "Masnah Suartini", "1975-09-09", "P", DESA_A, "Krajan", "1", "2", "x"],
    [NIK[:14] + NIK[15] + NIK[14], "1902010101100002", "MASNAH", "09-09-1975", "PEREMPUAN", DESA_A, "", "", "", ""],
    ["", "", "", "1980-01-01", "L", DESA_A, "", "", "", "nama kosong"],
    ["123", "", "Budi", "tanggal?", "L", DESA_A, "", "", "", "tanggal dan NIK rusak"],
    [nik_for(DESA_A, BORN, "L", 31), "1902010101100003", "Masnah Suartini", "1975-09-09", "L", DESA_A, "", "", "", ""],
]


def _pairs(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_csv_pairs_by_row_number_bad_rows_reported_not_fatal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "warga.csv"
    with src.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=";").writerows(ROWS)
    out = tmp_path / "pasangan.csv"
    assert main(["dedupe", str(src), "--out", str(out)]) == 1  # finished, with rows left out
    err = capsys.readouterr().err
    assert "dilewati, baris 4: nama kosong" in err
    assert "dilewati, baris 5: tanggal lahir tidak terbaca dan NIK bukan 16 angka" in err
    assert "selesai: 3 baris dibaca, 2 dilewati, 1 pasangan" in err
    [pair] = _pairs(out)
    assert (pair["id_a"], pair["id_b"]) == ("2", "3")  # rows 2 and 3; not the man in row 6
    assert pair["decision"] in ("same", "probable") and float(pair["score"]) >= 50
    assert "dua angka NIK tertukar" in pair["reasons"]


def test_xlsx_with_an_id_column(tmp_path: Path) -> None:
    src = tmp_path / "warga.xlsx"
    wb = xlsxwriter.Workbook(str(src))
    ws = wb.add_worksheet()
    header = ["no_urut", *ROWS[0]]
    for r, row in enumerate([header] + [[f"W{i}", *row] for i, row in enumerate(ROWS[1:], start=1)]):
        ws.write_row(r, 0, row)
    wb.close()
    out = tmp_path / "pasangan.csv"
    assert main(["dedupe", str(src), "--id-column", "no_urut", "--out", str(out)]) == 1
    assert [(p["id_a"], p["id_b"]) for p in _pairs(out)] == [("W1", "W2")]


def test_missing_header_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "x.csv"
    src.write_text("nik,kk\n1,2\n", encoding="utf-8")
    assert main(["dedupe", str(src), "--out", str(tmp_path / "o.csv")]) == 2
    assert "Kolom wajib tidak ada" in capsys.readouterr().err
    assert not (tmp_path / "o.csv").exists()


def test_against_the_server_members(api: Api, tmp_path: Path) -> None:
    api.user("op1", "operator", DESA_C)
    dev = api.device("op1", DESA_C)
    p = payload(DESA_C, name="Tiomina Br Situmorang", sex="P", born=date(1966, 2, 14), serial=4)
    _hid, rid = person_ids(p)  # the member
    assert api.send("op1", batch(dev, person_ops(p))).json()["results"][1]["status"] == "ACCEPTED"
    wrong_digit = p["nik"][:13] + ("0" if p["nik"][13] != "0" else "1") + p["nik"][14:]
    me = PersonRecord(id="row-7", nik=wrong_digit, kk="", name="SITUMORANG TIOMINA", birth_date=date(1966, 2, 14),
                      sex="P")
    other = PersonRecord(id="row-8", nik=nik_for(DESA_A, date(1990, 1, 1), "L", 2), kk="", name="Budi",
                         birth_date=date(1990, 1, 1), sex="L")
    found = dedupe([me, other], server=api.engine)
    assert [(a, b) for a, b, _m in found] == [("row-7", rid)]


def test_reader_keeps_an_invalid_nik_for_matching(tmp_path: Path) -> None:
    src = tmp_path / "w.csv"
    src.write_text("nik,name,birth_date\n1902019913850123,Rudi,1985-09-13\n", encoding="utf-8")
    [rec], bad = read_persons(src)
    assert bad == [] and rec.nik == "1902019913850123" and rec.birth_date == date(1985, 9, 13)
