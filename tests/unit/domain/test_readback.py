"""The NIK / KK read back in words (domain.readback): the reviewer's panel lines and the entry form's line."""

from __future__ import annotations

from domain import readback
from domain.idnumbers import parse_nik
from tests.support.serverdata import DESA_A, payload


def test_nik_read_back_in_words() -> None:
    p = payload(DESA_A, serial=12)  # woman born 17-05-1980
    lines = readback.nik_lines(p["nik"], p["birth_date"], p["sex"])
    text = "\n".join(lines)
    assert "Tanjung Pandan" in text or "Tanjungpandan" in text.replace(" ", "")
    assert "Lahir 17-05-80" in text and "perempuan" in text
    assert "✔ Struktur NIK sah" in text


def test_nik_contradicting_typed_data_is_explained() -> None:
    p = payload(DESA_A, serial=12)
    lines = readback.nik_lines(p["nik"], "1980-05-18", "L")
    assert any(line.startswith("⚠") and "tidak cocok" in line for line in lines)
    bad = readback.nik_lines("1902019913800001")
    assert any(line.startswith("✖") for line in bad)
    assert any("pencatatan" in line for line in readback.kk_lines(p["kk"]))


def test_one_line_summary_for_the_entry_form() -> None:
    p = payload(DESA_A, serial=12)  # woman born 17-05-1980, issued in Tanjung Pandan, Belitung
    text = readback.summary(parse_nik(p["nik"]))
    assert text.startswith("perempuan, lahir 17-05-80 · Kec. ")
    assert "Belitung" in text
