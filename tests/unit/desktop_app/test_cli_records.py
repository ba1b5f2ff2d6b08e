"""The real `bansos` CLI: check-nik, add, propose, delete, list, duplicates, import, export, config
(subprocess and main())."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

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


def listed(data_dir: Path, *extra: str) -> list[dict[str, Any]]:
    r = bansos("list", "--json", *extra, data_dir=data_dir)
    assert r.returncode == 0, r.stderr
    return list(json.loads(r.stdout)["households"])


def households(capsys: pytest.CaptureFixture[str], d: list[str], *extra: str) -> list[dict[str, Any]]:
    capsys.readouterr()
    assert main([*d, "list", "--json", *extra]) == 0
    out = capsys.readouterr().out
    return list(json.loads(out[out.index("{"):])["households"])


def test_add_on_a_fresh_data_dir_prints_the_record_id(data_dir: Path) -> None:
    r = bansos(*ADD, data_dir=data_dir)
    assert r.returncode == 0, r.stderr
    rid = r.stdout.strip()
    assert len(rid) == 36
    [h] = listed(data_dir)
    assert (h["kk"], h["desa_code"], h["sync_state"]) == ("1902010101100001", "1902012003", "NEW")
    [m] = h["members"]
    assert (m["nik"], m["name"], m["relation"], m["sync_state"]) == ("1902015708850001", "Hj. Siti Aminah", "", "NEW")
    [p] = h["proposals"]
    # PKH is a household programme: the proposal is on the family, the person added is its pengurus.
    assert (p["record_id"], p["programme"], p["type"], p["member_nik"], p["pengurus_nik"]) == (
        rid, "PKH", "new", None, "1902015708850001")
    assert (p["review_state"], p["review_reason_code"], p["review_note"], p["sync_state"]) == (None, None, None, "NEW")


def test_add_refuses_with_exit_2_naming_the_field(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(data_dir)]
    bad = [*ADD]
    bad[bad.index("1985-08-17")] = "1985-02-30"
    assert main([*d, *bad]) == 2
    err = capsys.readouterr().err
    assert "Tanggal lahir (--birth-date)" in err and "Traceback" not in err
    assert main([*d, *ADD]) == 0
    capsys.readouterr()
    assert main([*d, *ADD]) == 2  # same family, same programme: a second open proposal
    err = capsys.readouterr().err
    assert "Program (--programme)" in err and "sudah punya usulan PKH" in err
    other_kk = [*ADD]
    other_kk[other_kk.index("1902010101100001")] = "1902010101100009"
    assert main([*d, *other_kk]) == 2  # the NIK is a member of another family
    err = capsys.readouterr().err
    assert "NIK (--nik)" in err and "sudah terdaftar" in err and "KK 1902010101100001" in err
    [h] = households(capsys, d)
    assert len(h["members"]) == 1 and len(h["proposals"]) == 1  # nothing of the refused adds was written


def test_add_finds_the_family_by_kk_and_the_member_by_nik(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(data_dir)]
    assert main([*d, *ADD, "--relation", "kepala_keluarga"]) == 0
    child = [*ADD]
    for old, new in (("1902015708850001", "1902011203100001"), ("Hj. Siti Aminah", "Rizki"),
                     ("1985-08-17", "2010-03-12"), ("P", "L"), ("pkh", "PBI-JK")):
        child[child.index(old)] = new
    assert main([*d, *child, "--relation", "anak"]) == 0
    assert main([*d, *[a if a != "pkh" else "bpnt" for a in ADD]]) == 0  # same person, another programme
    [h] = households(capsys, d)
    assert [m["relation"] for m in h["members"]] == ["kepala_keluarga", "anak"]
    assert sorted((p["programme"], p["member_nik"], p["pengurus_nik"]) for p in h["proposals"]) == [
        ("BPNT", None, "1902015708850001"), ("PBI-JK", "1902011203100001", None), ("PKH", None, "1902015708850001")]


def test_add_probable_duplicate_needs_override_reason(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(data_dir)]
    assert main([*d, *ADD]) == 0
    other = [*ADD]
    other[other.index("1902015708850001")] = "1902015708850002"
    other[other.index("1902010101100001")] = "1902010101100002"
    capsys.readouterr()
    assert main([*d, *other]) == 2
    assert "--override-reason" in capsys.readouterr().err
    assert len(households(capsys, d)) == 1  # the refused family was not created either
    assert main([*d, *other, "--override-reason", "Orang berbeda"]) == 0
    out = capsys.readouterr()
    assert len(out.out.strip()) == 36 and "Peringatan" in out.err and "Mungkin orang yang sama" in out.err


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
    bad_prog = [a if a != "pkh" else "bantuan bulan" for a in ADD]
    assert main([*d, *bad_prog]) == 2
    assert "Program (--programme)" in capsys.readouterr().err
    no_prog = [a for a in ADD if a not in ("--programme", "pkh")]
    assert main([*d, *no_prog]) == 0  # no programme and none configured: household and member only
    [h] = households(capsys, d)
    assert len(h["members"]) == 1 and h["proposals"] == []
    assert main([*d, "config", "--desa", "1902012003", "--default-programme", "Sembako"]) == 0
    capsys.readouterr()
    assert main([*d, *[a for a in no_prog if a not in ("--desa", "19.02.01.2003")]]) == 0
    [h] = households(capsys, d)
    assert [p["programme"] for p in h["proposals"]] == ["BPNT"]


def test_propose_household_and_person_programmes(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(data_dir)]
    assert main([*d, *ADD, "--no-programme", "--relation", "kepala_keluarga"]) == 0
    kk, nik = "1902010101100001", "1902015708850001"
    capsys.readouterr()
    assert main([*d, "propose", "--programme", "PKH", "--kk", kk]) == 0  # pengurus: the head by default
    pkh = capsys.readouterr().out.strip()
    assert len(pkh) == 36
    assert main([*d, "propose", "--programme", "pkh", "--kk", kk, "--nik", nik]) == 2
    assert "sudah punya usulan PKH" in capsys.readouterr().err
    assert main([*d, "propose", "--programme", "PBI-JK", "--kk", kk]) == 2
    assert "NIK (--nik): program PBI-JK untuk perorangan" in capsys.readouterr().err
    assert main([*d, "propose", "--programme", "PBI-JK", "--kk", kk, "--nik", nik]) == 0
    pbi = capsys.readouterr().out.strip()
    assert main([*d, "propose", "--programme", "BPNT", "--kk", kk, "--nik", "1902011203100001"]) == 2
    assert "bukan anggota keluarga" in capsys.readouterr().err
    assert main([*d, "propose", "--programme", "BPNT", "--kk", "1902010101100099"]) == 2
    assert "Nomor KK (--kk)" in capsys.readouterr().err
    assert main([*d, "propose", "--programme", "BLT-DD", "--kk", kk, "--type", "removal"]) == 2
    assert "Alasan penghapusan" in capsys.readouterr().err
    assert main([*d, "propose", "--programme", "BLT-DD", "--kk", kk, "--type", "hapus", "--reason", "meninggal"]) == 0
    capsys.readouterr()
    [h] = households(capsys, d)
    got = {p["record_id"]: (p["programme"], p["type"], p["member_nik"], p["pengurus_nik"]) for p in h["proposals"]}
    assert got[pkh] == ("PKH", "new", None, nik) and got[pbi] == ("PBI-JK", "new", nik, None)
    assert ("BLT-DD", "removal", None, None) in got.values()


def test_delete_by_record_id_with_a_reason(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(data_dir)]
    assert main([*d, *ADD]) == 0
    proposal = capsys.readouterr().out.strip()
    [h] = households(capsys, d)
    member = h["members"][0]["record_id"]
    assert main([*d, "delete", member, "--reason", "salah input"]) == 2
    assert "masih menjadi sasaran atau pengurus usulan" in capsys.readouterr().err
    assert main([*d, "delete", "00000000-0000-0000-0000-000000000000", "--reason", "x"]) == 2
    assert "tidak ada" in capsys.readouterr().err
    assert main([*d, "delete", proposal, "--reason", "salah program"]) == 0
    assert main([*d, "delete", member, "--reason", "salah input"]) == 0
    assert main([*d, "delete", h["record_id"], "--reason", "salah input"]) == 0
    assert households(capsys, d) == []
    [h] = households(capsys, d, "--all")
    assert h["deleted"] and h["members"][0]["deleted"] and h["proposals"][0]["deleted"]
    assert main([*d, "list"]) == 0
    assert "Belum ada data keluarga" in capsys.readouterr().out


def test_move_a_member_to_another_family(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(data_dir)]
    assert main([*d, *ADD, "--no-programme"]) == 0
    other = [*ADD]
    for old, new in (("1902015708850001", "1902010905780001"), ("Hj. Siti Aminah", "Ahmad Fauzi"),
                     ("1985-08-17", "1978-05-09"), ("P", "L"), ("1902010101100001", "1902010101100002")):
        other[other.index(old)] = new
    assert main([*d, *other, "--no-programme", "--relation", "kepala_keluarga"]) == 0
    capsys.readouterr()
    assert main([*d, "move", "--nik", "1902015708850001", "--kk", "1902010101100002", "--reason", "menikah"]) == 0
    assert "pindah ke keluarga KK 1902010101100002" in capsys.readouterr().out
    assert main([*d, "move", "--nik", "1902015708850001", "--kk", "1902010101100002"]) == 2
    assert "sudah di keluarga tersebut" in capsys.readouterr().err
    assert main([*d, "move", "--nik", "1902015708850001", "--kk", "1902010101100099"]) == 2
    assert "Nomor KK (--kk)" in capsys.readouterr().err
    fams = {h["kk"]: sorted(m["nik"] for m in h["members"]) for h in households(capsys, d)}
    assert fams == {"1902010101100001": [], "1902010101100002": ["1902010905780001", "1902015708850001"]}


def test_list_and_duplicates_text_and_json(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(data_dir)]
    assert main([*d, "list"]) == 0
    assert "Belum ada data keluarga" in capsys.readouterr().out
    assert main([*d, "duplicates"]) == 0
    assert "Tidak ada duplikat" in capsys.readouterr().out
    main([*d, *ADD])
    bst = [*ADD]
    bst[bst.index("pkh")] = "BST"
    main([*d, *bst])
    capsys.readouterr()
    assert main([*d, "list"]) == 0
    out = capsys.readouterr().out
    assert out.count("Hj. Siti Aminah") == 3  # the member line and the pengurus of two proposals
    assert "KK 1902010101100001" in out and "Usulan PKH" in out and "Usulan BST" in out
    assert "Draf, belum dikirim" in out and "1 keluarga, 1 anggota, 2 usulan." in out
    twin = [*ADD]
    twin[twin.index("1902015708850001")] = "1902015708850002"
    twin[twin.index("1902010101100001")] = "1902010101100002"
    assert main([*d, *twin, "--override-reason", "kembar"]) == 0
    capsys.readouterr()
    assert main([*d, "duplicates", "--json"]) == 0
    groups = json.loads(capsys.readouterr().out)
    assert [g["kind"] for g in groups] == ["probable_person"]
    assert {r["nik"] for r in groups[0]["records"]} == {"1902015708850001", "1902015708850002"}
    assert main([*d, "duplicates"]) == 0
    assert "Mungkin orang yang sama" in capsys.readouterr().out


def test_import_in_a_real_process(tmp_path: Path, data_dir: Path) -> None:
    rows = list(people(50))
    rows[10]["nik"] = "abc"
    f = write_csv(tmp_path / "warga.csv", rows)
    r = bansos("import", str(f), data_dir=data_dir)
    assert r.returncode == 1, r.stderr
    assert "50 baris, diterima 49, ditolak 1" in r.stdout
    rejects = (tmp_path / "warga.csv.rejects.csv").read_text(encoding="utf-8-sig")
    assert "12," in rejects and "NIK hanya boleh berisi angka" in rejects
    assert len(listed(data_dir)) == 49
    r = bansos("export", str(tmp_path / "ekspor.xlsx"), data_dir=data_dir)
    assert r.returncode == 0 and "49 keluarga, 49 anggota, 49 usulan" in r.stdout, r.stderr
    r = bansos("import", str(tmp_path / "nope.csv"), data_dir=data_dir)
    assert r.returncode == 2 and "tidak ditemukan" in r.stderr and "Traceback" not in r.stderr


def test_store_problems_are_one_indonesian_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = tmp_path / "d"
    d.mkdir()
    (d / "bansos.sqlite3").write_bytes(b"garbage" * 1000)
    assert main(["--data-dir", str(d), "list"]) == 1
    err = capsys.readouterr().err
    assert "rusak" in err and "Traceback" not in err
