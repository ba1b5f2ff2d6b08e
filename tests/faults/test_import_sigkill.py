"""SIGKILL in the middle of `bansos import`: the store has none of the file's rows or all of them,
and PRAGMA integrity_check is ok (issue 2, "Must show").

Every kill is proven to land during the import: the command logs its progress (phase, rows done)
to the data dir's log, the kill waits for a given progress line, and the log must not yet hold
the import's closing line.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.people import people, write_csv
from tests.support.store import raw_data_dir

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX"),
]
ROOT = Path(__file__).resolve().parents[2]
ROWS = 8_000


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_csv(tmp_path_factory.mktemp("kill") / "big.csv", people(ROWS, seed=3))


def bansos(data_dir: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "desktop_app.cli", "--data-dir", str(data_dir), *args], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def fresh_store(data_dir: Path) -> Path:
    # Create the store first (and close it cleanly) so the WAL only grows from the import itself.
    p = bansos(data_dir, "config", "--desa", "1902012003")
    assert p.wait(timeout=120) == 0
    return data_dir / "bansos.sqlite3"


def outcome(db: Path) -> tuple[int, str]:
    con = raw_data_dir(db.parent)  # the encrypted store, with its key from the test keyring
    try:
        rows = con.execute("SELECT count(*) FROM members").fetchone()[0]
        # One KK per row in this file, each with its PKH proposal: the three records come together.
        families = con.execute("SELECT count(*) FROM households").fetchone()[0]
        proposals = con.execute("SELECT count(*) FROM proposals").fetchone()[0]
        outbox = con.execute("SELECT count(*) FROM outbox").fetchone()[0]
        audit = con.execute("SELECT count(*) FROM auditlog").fetchone()[0]
        assert rows == families == proposals and outbox == audit == 3 * rows  # records, ops, audit rows together
        return rows, con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def wal_size(db: Path) -> int:
    try:
        return os.path.getsize(str(db) + "-wal")
    except OSError:
        return 0


FINISHED = "import: "  # the closing line: "import: N rows, N accepted, N rejected, N proposals"


def log_text(data_dir: Path) -> str:
    try:
        return (data_dir / "logs" / "bansos.log").read_text(encoding="utf-8")
    except OSError:
        return ""


def run_and_kill(tmp_path: Path, csv_file: Path, *, at_line: str | None = None,
                 wal_bytes: int | None = None) -> tuple[bool, int, str]:
    """Kill -9 once the log shows `at_line` or once the WAL holds `wal_bytes`; (killed mid-import, rows, check).

    "Mid-import": the process was still running when killed and its log had no closing line then.
    """
    data_dir = tmp_path / "d"
    db = fresh_store(data_dir)
    before = log_text(data_dir)
    proc = bansos(data_dir, "import", str(csv_file))
    start = time.monotonic()
    killed = False
    while proc.poll() is None and time.monotonic() - start < 180:
        if (at_line is not None and at_line in log_text(data_dir)[len(before):]) or (
                wal_bytes is not None and wal_size(db) >= wal_bytes):
            os.kill(proc.pid, signal.SIGKILL)
            killed = FINISHED not in log_text(data_dir)[len(before):]
            break
        time.sleep(0.005)
    proc.wait(timeout=60)
    rows, check = outcome(db)
    return killed and proc.returncode == -signal.SIGKILL, rows, check


@pytest.mark.parametrize(("at_line", "committed"), [
    (f"import progress: periksa 500/{ROWS}", False),  # checking the rows, before the write transaction
    (f"import progress: cek duplikat 4000/{ROWS}", False),  # inside the write transaction
    ("import progress: simpan 0/", None),  # the bulk insert and its commit: either outcome
], ids=["checking", "duplicate-search", "writing"])
def test_kill_at_each_step_of_the_import(tmp_path: Path, big_csv: Path, at_line: str, committed: bool | None) -> None:
    killed, rows, check = run_and_kill(tmp_path, big_csv, at_line=at_line)
    assert killed, f"the kill did not land during the import (waited for {at_line!r})"
    assert rows in ((0, ROWS) if committed is None else (ROWS if committed else 0,))
    assert check == "ok"


@pytest.mark.parametrize("wal_bytes", [64 * 1024, 1024 * 1024, 4 * 1024 * 1024])
def test_kill_while_the_rows_are_being_written(tmp_path: Path, big_csv: Path, wal_bytes: int) -> None:
    killed, rows, check = run_and_kill(tmp_path, big_csv, wal_bytes=wal_bytes)
    assert killed, "the import finished before the WAL reached the kill point"
    assert rows == 0  # uncommitted: none of the file's rows
    assert check == "ok"
    if wal_bytes != 1024 * 1024:
        return
    # And the store still opens and imports the file whole afterwards.
    p = bansos(tmp_path / "d", "import", str(big_csv))
    assert p.wait(timeout=600) == 0
    assert outcome(tmp_path / "d" / "bansos.sqlite3") == (ROWS, "ok")


def test_an_unkilled_import_has_every_row(tmp_path: Path, big_csv: Path) -> None:
    killed, rows, check = run_and_kill(tmp_path, big_csv)
    assert not killed
    assert (rows, check) == (ROWS, "ok")
