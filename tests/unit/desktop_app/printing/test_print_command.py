"""`bansos print`: exit codes, the file written, Indonesian messages for bad input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.cli import main
from tests.support.household_seed import seed_households
from tests.support.seed import demo_rows
from tests.unit.desktop_app.printing.conftest import page_count, pdf_text

ROOT = Path(__file__).resolve().parents[4]
pytestmark = pytest.mark.usefixtures("qgui")  # the in-process runs share pytest-qt's QApplication


@pytest.fixture
def seeded(data_dir: Path) -> Path:
    seed_households(data_dir, per_person=True, with_states=True)
    return data_dir


def test_announcement_to_pdf_in_a_fresh_process(seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "pengumuman.pdf"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("QT_QPA_PLATFORM", None)  # the command sets up headless Qt itself
    run = subprocess.run([sys.executable, "-m", "desktop_app.cli", "--data-dir", str(seeded), "print", "announcement",
                          "--out", str(out), "--paper", "f4"], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert f"Tersimpan: {out}" in run.stdout
    assert page_count(out) >= 1
    assert "PENGUMUMAN DAFTAR USULAN" in pdf_text(out)


def test_each_kind_writes_a_file(seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kk = str(demo_rows()[0]["kk"])
    cases = {"deliberation": ["--programme", "pkh"], "minutes": ["--date", "2025-07-14", "--chair", "Suhardi",
                                                                  "--present", "40"],
             "household": ["--kk", kk]}
    for kind, extra in cases.items():
        out = tmp_path / f"{kind}.pdf"
        assert main(["--data-dir", str(seeded), "print", kind, "--out", str(out), *extra]) == 0
        assert out.is_file() and page_count(out) >= 1
    assert "PKH" in pdf_text(tmp_path / "deliberation.pdf")
    assert "PBI-JK" not in pdf_text(tmp_path / "deliberation.pdf").split("Kepala keluarga")[1]


@pytest.mark.parametrize(("args", "message"), [
    (["print", "laporan", "--out", "x.pdf"], "Jenis dokumen 'laporan' tidak dikenal"),
    (["print", "deliberation", "--out", "x.pdf", "--period", "2025-13"], "Periode '2025-13' tidak dikenali"),
    (["print", "deliberation", "--out", "x.pdf", "--period", "juli"], "tulis tahun-bulan seperti 2025-07"),
    (["print", "announcement", "--out", "x.pdf", "--paper", "letter"], "Ukuran kertas (--paper)"),
    (["print", "announcement", "--out", "x.pdf", "--programme", "XYZ"], "Program (--programme)"),
    (["print", "household", "--out", "x.pdf"], "Nomor KK (--kk) wajib diisi"),
    (["print", "household", "--out", "x.pdf", "--kk", "1902010101990001"], "Tidak ada keluarga dengan nomor KK"),
    (["print", "minutes", "--out", "x.pdf"], "Tanggal musyawarah (--date) wajib diisi"),
    (["print", "decisions", "--out", "x.pdf"], "Nomor batch (--batch) wajib diisi"),
    (["print", "decisions", "--out", "x.pdf", "--batch", "b1"], "masuk dulu sebagai peninjau kecamatan"),
    (["print", "announcement"], "Berkas tujuan (--out) wajib diisi"),
])
def test_bad_input_is_refused_in_indonesian(seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch, args: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    code = main(["--data-dir", str(seeded), *args])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert not (tmp_path / "x.pdf").exists() and not list(tmp_path.glob("*.part"))


def test_missing_folder_is_a_clear_message(seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--data-dir", str(seeded), "print", "announcement", "--out", str(tmp_path / "nope" / "a.pdf")])
    assert code == 2
    assert "tidak ada. Pilih folder lain" in capsys.readouterr().err


def test_kop_is_a_setting(seeded: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["--data-dir", str(seeded), "print", "kop"]) == 0
    assert capsys.readouterr().out.splitlines() == ["PEMERINTAH KABUPATEN BELITUNG", "KECAMATAN TANJUNGPANDAN",
                                                    "DESA BULUH TUMBANG"]
    assert main(["--data-dir", str(seeded), "print", "kop", "--set",
                 "PEMERINTAH KABUPATEN BELITUNG|DESA BULUH TUMBANG|Jl. Raya Sijuk No. 1"]) == 0
    capsys.readouterr()
    out = tmp_path / "a.pdf"
    assert main(["--data-dir", str(seeded), "print", "announcement", "--out", str(out)]) == 0
    assert "Jl. Raya Sijuk No. 1" in pdf_text(out)
    assert "KECAMATAN TANJUNGPANDAN" not in pdf_text(out)
