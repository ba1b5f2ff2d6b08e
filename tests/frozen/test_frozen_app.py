"""The frozen (PyInstaller) app works as installed on a village PC.

Builds it with `python build_spec/build.py` (or reuses build/frozen/ when it matches the source),
then runs the bundle as a program: --version, check-nik, provision, add, list, backup, doctor and
the GUI's --screenshot under QT_QPA_PLATFORM=offscreen. Every step is time-boxed and a failure
shows the command with its output.
"""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.frozen]

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "build" / "frozen"
BUILD_TIMEOUT_S = 1800  # a full build takes ~3 min on 2 busy cores
RUN_TIMEOUT_S = 120
DESA = "1902012003"
STORE_PASSPHRASE = "sandi-basis-data-beku"
NIK, KK = "1902015507900001", "1902011505100001"
# Added once, then again: the second time it must be refused as a duplicate.
ADD_SITI = ("add", "--nik", NIK, "--kk", KK, "--name", "Siti Aminah", "--birth-date", "1990-07-15",
            "--sex", "P", "--programme", "PKH")


def _tail(text: str, n: int = 3000) -> str:
    return text if len(text) <= n else "...\n" + text[-n:]


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The frozen app's executable (built or reused)."""
    figures = tmp_path_factory.mktemp("build") / "figures.json"
    cmd = [
        sys.executable,
        str(ROOT / "build_spec" / "build.py"),
        "--reuse",
        "--runs",
        "0",
        "--no-archives",
        "--out",
        str(OUT),
        "--json",
        str(figures),
    ]
    try:
        r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        pytest.fail(f"build_spec/build.py did not finish within {BUILD_TIMEOUT_S} s\n{_tail(out)}")
    if r.returncode != 0:
        pytest.fail(f"build_spec/build.py failed (exit {r.returncode})\n{_tail(r.stdout)}\n{_tail(r.stderr)}")
    app_dir = Path(json.loads(figures.read_text())["app_dir"])
    exe = app_dir / ("bansos.exe" if os.name == "nt" else "bansos")
    assert exe.is_file(), f"no executable at {exe}\n{_tail(r.stdout)}"
    return exe


def _app_log(data_dir: Path | None) -> str:
    """The tail of the app's own log (background-task errors land there, not on stderr)."""
    if data_dir is None:
        return ""
    logs = sorted((data_dir / "logs").glob("*.log")) if (data_dir / "logs").is_dir() else []
    return "".join(f"\n--- {p.name}:\n{_tail(p.read_text(errors='replace'))}" for p in logs)


def _text(b: bytes | str | None) -> str:
    return b.decode(errors="replace") if isinstance(b, bytes) else (b or "")


def run(
    exe: Path, args: Sequence[str], *, data_dir: Path | None = None, ok: bool = True
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "BANSOS_"))}
    env["QT_QPA_PLATFORM"] = "offscreen"
    # A headless box has no keyring: the encrypted store opens with a passphrase (desktop_app.store_key).
    env["BANSOS_STORE_PASSPHRASE"] = STORE_PASSPHRASE
    cmd = [str(exe), *(["--data-dir", str(data_dir)] if data_dir else []), *args]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=RUN_TIMEOUT_S, env=env, check=False)
    except subprocess.TimeoutExpired as e:
        pytest.fail(
            f"frozen `{' '.join(args)}` did not finish within {RUN_TIMEOUT_S} s\n"
            f"stdout:\n{_tail(_text(e.stdout))}\nstderr:\n{_tail(_text(e.stderr))}{_app_log(data_dir)}"
        )
    if ok and r.returncode != 0:
        pytest.fail(
            f"frozen `{' '.join(args)}` exit {r.returncode}\n"
            f"stdout:\n{_tail(r.stdout)}\nstderr:\n{_tail(r.stderr)}{_app_log(data_dir)}"
        )
    assert "Traceback" not in r.stderr, r.stderr
    return r


def test_version_shows_version_and_build(app: Path) -> None:
    out = run(app, ["--version"]).stdout
    match = re.search(r'__version__\s*=\s*"([^"]+)"', (ROOT / "domain" / "version.py").read_text())
    assert match, "domain/version.py has no __version__"
    version = match.group(1)
    assert out.startswith(f"bansos {version} build ")
    assert "(frozen)" in out
    assert " build dev" not in out  # the build id was stamped into the bundle


def test_check_nik(app: Path) -> None:
    good = json.loads(run(app, ["check-nik", NIK, "--json"]).stdout)
    assert good[0]["valid"] is True
    assert good[0]["kecamatan"]["name"] == "Tanjungpandan"  # region data is in the bundle
    bad = run(app, ["check-nik", "1902019907900001"], ok=False)
    assert bad.returncode != 0 and "tidak valid" in bad.stdout + bad.stderr


def test_provision_add_list_backup_doctor(app: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    prov = tmp_path / "desa.json"
    prov.write_text(
        json.dumps(
            {
                "format": 1,
                "server_url": "https://bansos.example.go.id",
                "desa_code": DESA,
                "desa_name": "Buluh Tumbang",
                "ca_cert_pem": None,
                "created_at": "2026-11-22",
            }
        )
    )
    assert "Buluh Tumbang" in run(app, ["provision", str(prov)], data_dir=data).stdout

    record_id = run(app, ADD_SITI, data_dir=data).stdout.strip().splitlines()[-1]
    [family] = json.loads(run(app, ["list", "--json"], data_dir=data).stdout)["households"]
    assert [m["nik"] for m in family["members"]] == [NIK]
    assert [(p["record_id"], p["pengurus_nik"]) for p in family["proposals"]] == [(record_id, NIK)]

    dup = run(app, ADD_SITI, data_dir=data, ok=False)
    assert dup.returncode != 0  # a second open PKH proposal for the same family is blocked

    backup = tmp_path / "cadangan.sqlite3"
    assert "3 perubahan belum terkirim" in run(app, ["backup", str(backup)], data_dir=data).stdout
    report = run(app, ["doctor", "--tanpa-server"], data_dir=data, ok=False).stdout
    # The household, the member and the proposal: three ops.
    assert "quick_check" in report and "3 perubahan belum terkirim" in report
    assert NIK not in report and "Siti" not in report
    # SQLCipher is in the bundle: the store and its backup are encrypted, and opened again above.
    assert re.search(r"Enkripsi basis data\s+ya", report), report
    for f in (data / "bansos.sqlite3", backup):
        raw = f.read_bytes()
        assert not raw.startswith(b"SQLite format 3\x00") and NIK.encode() not in raw and b"Siti" not in raw


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def test_gui_screenshot_offscreen(app: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    run(
        app,
        [
            "add",
            "--desa",
            DESA,
            "--nik",
            NIK,
            "--kk",
            KK,
            "--name",
            "Siti Aminah",
            "--birth-date",
            "1990-07-15",
            "--sex",
            "P",
            "--programme",
            "PKH",
        ],
        data_dir=data,
    )
    shot = tmp_path / "window.png"
    run(app, ["gui", "--screenshot", str(shot)], data_dir=data)
    assert shot.is_file(), "the frozen GUI wrote no screenshot"
    assert _png_size(shot) == (1280, 760)
    assert shot.stat().st_size > 10_000  # a drawn window, not an empty image
