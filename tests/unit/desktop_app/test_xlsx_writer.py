"""The one XLSX writer (desktop_app.xlsx_writer)."""

from __future__ import annotations

from pathlib import Path

from python_calamine import CalamineWorkbook

from desktop_app.xlsx_writer import write_table


def test_xlsx_keeps_nik_as_text(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    n = write_table(path, ["NIK", "Nama", "Jumlah"], [["0102030405060708", "A", 3], ["1902015705800012", "B", 4]],
                    text_columns=(0,))
    assert n == 2
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert rows[1][0] == "0102030405060708"  # leading zero kept, not 1.02E+14
    assert rows[2][0] == "1902015705800012"
    assert rows[2][2] == 4
