"""The real `bansos` CLI: check-nik, add, list, duplicates, import, config (subprocess and main())."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.cli import main
from tests.support.people import people, write_csv

ROOT = Path(__file__).resolve().parents[3]
ADD = [
    "add",
    "--nik",
    "1902015708850001",
    "--kk",
    "1902010101100001",
    "--name",
    "Hj. Siti Aminah",
    "--birth-date",
    "1985-08-17",
    "--sex",
    "P",
    "--desa",
    "19.02.01.2003",
    "--programme",
    "pkh",
]


def bansos(*args: str, data_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    pre = ["--data-dir", str(data_dir)] if data_dir else []
    return subprocess.run(
        [sys.executable, "-m", "desktop_app.cli", *pre, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        # The test keyring (tests/conftest.py) holds the store key, as the OS keyring would.
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
             **{k: v for k, v in os.environ.items() if k in ("PYTHON_KEYRING_BACKEND", "KEYRING_TEST_FILE")}},
    )


def test_check_nik_issue_example_in_a_real_process() -> None:
    r = bansos("check-nik", "1902015708850001")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "NIK valid" in out and "Kabupaten Belitung" in out and "Tanjungpandan" in out
    assert "17-08-85" in out and "17-08-1985" in out and "perempuan" in out
    assert "Traceback" not in r.stderr


def test_check_nik_many_and_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-nik", "1902015708850001", "1902013208850001", "12345"]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    assert "NIK valid" in lines[0] and "NIK tidak valid" in lines[1] and "tidak mungkin" in lines[1]
    assert "16 digit" in lines[2]


def test_check_nik_json_and_typed_comparison(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-nik", "--json", "--sex", "L", "--birth-date", "1985-08-18", "1902015708850001"]) == 0
    [d] = json.loads(capsys.readouterr().out)
    assert d["valid"] is True and d["kabkota"]["name"] == "Kabupaten Belitung"
    assert d["likely_birth_date"] == "1985-08-17" and d["sex_name"] == "perempuan"
    assert {w["code"] for w in d["warnings"]} == {"nik_sex_mismatch", "nik_birth_date_mismatch"}


def test_add_on_a_fresh_data_dir_prints_the_record_id(data_dir: Path) -> None:
    r = bansos(*ADD, data_dir=data_dir)
    assert r.returncode == 0, r.stderr
    rid = r.stdout.strip()
    assert len(rid) == 36
    listed = bansos("list", "--json", data_dir=data_dir)
    [e] = json.loads(listed.stdout)
    assert e["record_id"] == rid and e["programme"] == "PKH" and e["sync_state"] == "NEW"


def test_add_refuses_with_exit_2_naming_the_field(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(data_dir)]
    bad = [*ADD]
    bad[bad.index("1985-08-17")] = "1985-02-30"
    assert main([*d, *bad]) == 2
    err = capsys.readouterr().err
    assert "Tanggal lahir (--birth-date)" in err and "Traceback" not in err
    assert main([*d, *ADD]) == 0
    capsys.readouterr()
    assert main([*d, *ADD]) == 2  # same NIK, same programme
    err = capsys.readouterr().err
    assert "NIK (--nik)" in err and "sudah terdaftar" in err


def test_add_probable_duplicate_needs_override_reason(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(data_dir)]
    assert main([*d, *ADD]) == 0
    other = [*ADD]
    other[other.index("1902015708850001")] = "1902015708850002"
    other[other.index("1902010101100001")] = "1902010101100002"
    capsys.readouterr()
    assert main([*d, *other]) == 2
    assert "--override-reason" in capsys.readouterr().err
    assert main([*d, *other, "--override-reason", "Orang berbeda"]) == 0
    out = capsys.readouterr()
    assert len(out.out.strip()) == 36 and "Peringatan" in out.err


def test_add_warnings_are_printed(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = [*ADD]
    args[args.index("P")] = "L"
    assert main(["--data-dir", str(data_dir), *args]) == 0
    assert "Peringatan - Jenis kelamin (--sex)" in capsys.readouterr().err


def test_add_without_desa_or_programme(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(data_dir)]
    no_desa = [a for a in ADD if a not in ("--desa", "19.02.01.2003")]
    assert main([*d, *no_desa]) == 2
    assert "--desa" in capsys.readouterr().err
    no_prog = [a for a in ADD if a not in ("--programme", "pkh")]
    assert main([*d, *no_prog]) == 2
    assert "Program (--programme)" in capsys.readouterr().err
    assert main([*d, "config", "--desa", "1902012003", "--default-programme", "Sembako"]) == 0
    capsys.readouterr()
    assert main([*d, *[a for a in no_prog if a not in ("--desa", "19.02.01.2003")]]) == 0
    assert main([*d, "list", "--json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out[out.index("[") :])[0]["programme"] == "BPNT"


def test_list_and_duplicates_text_and_json(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(data_dir)]
    assert main([*d, "list"]) == 0
    assert "Belum ada entri" in capsys.readouterr().out
    assert main([*d, "duplicates"]) == 0
    assert "Tidak ada duplikat" in capsys.readouterr().out
    main([*d, *ADD])
    bst = [*ADD]
    bst[bst.index("pkh")] = "BST"
    main([*d, *bst])
    capsys.readouterr()
    assert main([*d, "list"]) == 0
    out = capsys.readouterr().out
    assert out.count("Hj. Siti Aminah") == 2 and "Draf, belum dikirim" in out and "2 entri." in out
    assert main([*d, "duplicates", "--json"]) == 0
    groups = json.loads(capsys.readouterr().out)
    assert (groups[0]["kind"], groups[0]["key"]) == ("nik", "1902015708850001")
    assert main([*d, "duplicates"]) == 0
    assert "NIK sama: 1902015708850001 (2 entri" in capsys.readouterr().out


def test_import_in_a_real_process(tmp_path: Path, data_dir: Path) -> None:
    rows = list(people(50))
    rows[10]["nik"] = "abc"
    f = write_csv(tmp_path / "warga.csv", rows)
    r = bansos("import", str(f), data_dir=data_dir)
    assert r.returncode == 1, r.stderr
    assert "50 baris, diterima 49, ditolak 1" in r.stdout
    rejects = (tmp_path / "warga.csv.rejects.csv").read_text(encoding="utf-8-sig")
    assert "12," in rejects and "NIK hanya boleh berisi angka" in rejects
    r = bansos("import", str(tmp_path / "nope.csv"), data_dir=data_dir)
    assert r.returncode == 2 and "tidak ditemukan" in r.stderr and "Traceback" not in r.stderr


def test_store_problems_are_one_indonesian_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = tmp_path / "d"
    d.mkdir()
    (d / "bansos.sqlite3").write_bytes(b"garbage" * 1000)
    assert main(["--data-dir", str(d), "list"]) == 1
    err = capsys.readouterr().err
    assert "rusak" in err and "Traceback" not in err
