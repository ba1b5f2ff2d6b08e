"""Backup and restore of the local store: round trip, refusals, safety copy, daily rotation."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from desktop_app import paths, store_key
from desktop_app.backup import (
    BackupError,
    daily_backup,
    daily_backups,
    make_backup,
    restore_backup,
    summarize,
)
from desktop_app.cli import main
from desktop_app.context import AppContext
from desktop_app.services.households import ListFilter, View
from domain import regions
from local_db.migrations import SCHEMA_VERSION
from tests.support.household_seed import service
from tests.support.people import DESA, people
from tests.support.store import data_dir_key, raw

OTHER_DESA = next(r.digits for r in regions.children("19.02.01") if r.digits != DESA)


def same_key_as(data_dir: Path, source: Path) -> Path:
    """Give `data_dir` (no store yet) the store key of `source`, as IT does with its recovery key."""
    data_dir.mkdir(parents=True, exist_ok=True)
    store_key.unlock(paths.db_path(data_dir), recovery=store_key.recovery_code(data_dir_key(source)))
    return data_dir


def fill(data_dir: Path, n: int, *, desa: str = DESA, start: int = 0) -> list[str]:
    """A store for `desa` with one household of `n` members saved through the household service
    (outbox and audit rows written by it: n + 1 each)."""
    rows = list(people(n, desa=desa, start=start, seed=start + 1))
    with AppContext.open(data_dir) as ctx:
        ctx.configure(desa_code=desa)
        svc = service(ctx)
        hid = svc.save_household({"kk": rows[0]["kk"], "address": rows[0]["address"]}).record_id
        return [svc.save_member({"household_id": hid, "nik": r["nik"], "name": r["name"], "birth_date": r["birth_date"],
                                 "sex": r["sex"], "relation": "kepala_keluarga" if i == 0 else "famili_lain"},
                                override_reason="uji").record_id for i, r in enumerate(rows)]


def niks(data_dir: Path) -> list[str]:
    with AppContext.open(data_dir) as ctx:
        return sorted(str(r[2]) for r in service(ctx).rows(View.MEMBERS, ListFilter()))


def test_backup_restore_round_trip(data_dir: Path, tmp_path: Path) -> None:
    fill(data_dir, 5)
    before = niks(data_dir)
    dest, summary = make_backup(paths.db_path(data_dir), tmp_path / "cadangan.sqlite3")
    assert (summary.households, summary.members, summary.proposals, summary.desa_code) == (1, 5, 0, DESA)
    assert (summary.outbox, summary.audit_rows) == (6, 6)
    assert summary.outbox_by_type == {"household": 1, "member": 5}

    fill(data_dir, 3, start=1000)  # work done after the backup
    assert len(niks(data_dir)) == 8

    restored, safety = restore_backup(paths.db_path(data_dir), dest)
    assert restored.members == 5
    assert niks(data_dir) == before
    # The safety copy holds the store as it was just before the restore (8 members).
    assert safety is not None and safety.parent == paths.backups_dir(data_dir)
    assert summarize(safety, data_dir_key(data_dir)).members == 8


def test_backup_of_a_store_in_use_is_complete(data_dir: Path, tmp_path: Path) -> None:
    fill(data_dir, 2)
    with AppContext.open(data_dir):  # the app is running: WAL mode, connection open
        dest, summary = make_backup(paths.db_path(data_dir), tmp_path)
    assert dest.parent == tmp_path and dest.name.startswith(f"bansos-{DESA}-")
    assert summary.members == 2
    # The backup is one self-contained file.
    conn = raw(dest, data_dir_key(data_dir))
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    conn.close()


def test_backup_never_overwrites(data_dir: Path, tmp_path: Path) -> None:
    fill(data_dir, 1)
    target = tmp_path / "ada.sqlite3"
    target.write_text("penting")
    with pytest.raises(BackupError, match="sudah ada"):
        make_backup(paths.db_path(data_dir), target)
    assert target.read_text() == "penting"


def test_restore_refuses_backup_of_another_desa(tmp_path: Path) -> None:
    ours, theirs = tmp_path / "kita", tmp_path / "mereka"
    fill(ours, 2)
    fill(same_key_as(theirs, ours), 3, desa=OTHER_DESA)  # readable here: the desa check itself refuses
    foreign, _ = make_backup(paths.db_path(theirs), tmp_path / "mereka.sqlite3")

    with pytest.raises(BackupError) as info:
        restore_backup(paths.db_path(ours), foreign)
    message = str(info.value)
    assert "ditolak" in message
    assert regions.dotted(OTHER_DESA) in message and regions.dotted(DESA) in message
    assert len(niks(ours)) == 2  # untouched
    assert not paths.backups_dir(ours).exists() or not list(paths.backups_dir(ours).glob("*sebelum-restore*"))


def test_restore_refuses_backup_from_a_newer_schema(data_dir: Path, tmp_path: Path) -> None:
    fill(data_dir, 1)
    newer, _ = make_backup(paths.db_path(data_dir), tmp_path / "baru.sqlite3")
    conn = raw(newer, data_dir_key(data_dir))
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(BackupError, match="versi aplikasi yang lebih baru"):
        restore_backup(paths.db_path(data_dir), newer)


@pytest.mark.parametrize("content", [b"", b"bukan basis data" * 100])
def test_restore_refuses_a_file_that_is_not_a_store(data_dir: Path, tmp_path: Path, content: bytes) -> None:
    fill(data_dir, 1)
    bad = tmp_path / "salah.sqlite3"
    bad.write_bytes(content)
    with pytest.raises(BackupError, match="bukan"):
        restore_backup(paths.db_path(data_dir), bad)
    assert len(niks(data_dir)) == 1


def test_restore_refused_while_the_app_has_the_store_open(data_dir: Path, tmp_path: Path) -> None:
    fill(data_dir, 1)
    dest, _ = make_backup(paths.db_path(data_dir), tmp_path / "c.sqlite3")
    with AppContext.open(data_dir), pytest.raises(BackupError, match="masih terbuka"):
        restore_backup(paths.db_path(data_dir), dest)


def test_restore_onto_a_fresh_pc(tmp_path: Path) -> None:
    old_pc, new_pc = tmp_path / "lama", tmp_path / "baru"
    fill(old_pc, 4)
    dest, _ = make_backup(paths.db_path(old_pc), tmp_path / "c.sqlite3")
    # A new PC: IT first enters the old store's recovery key, then restores.
    same_key_as(new_pc, old_pc)
    restored, safety = restore_backup(paths.db_path(new_pc), dest)
    assert safety is None and restored.members == 4
    with AppContext.open(new_pc) as ctx:
        assert ctx.desa_code == DESA
        assert service(ctx).count(View.MEMBERS) == 4


def test_daily_backup_once_a_day_with_rotation(data_dir: Path) -> None:
    fill(data_dir, 1)
    store = paths.db_path(data_dir)
    start = date(2026, 1, 1)
    for i in range(10):
        assert daily_backup(store, keep=7, today=start + timedelta(days=i)) is not None
    assert daily_backup(store, keep=7, today=start + timedelta(days=9)) is None  # already done today
    kept = daily_backups(paths.backups_dir(data_dir))
    assert [d for d, _ in kept] == [start + timedelta(days=i) for i in range(3, 10)]
    assert summarize(kept[-1][1], data_dir_key(data_dir)).members == 1


def test_daily_backup_without_a_store_does_nothing(data_dir: Path) -> None:
    assert daily_backup(paths.db_path(data_dir)) is None
    assert not paths.backups_dir(data_dir).exists()


def test_cli_backup_and_foreign_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ours, theirs = tmp_path / "kita", tmp_path / "mereka"
    fill(ours, 2)
    fill(same_key_as(theirs, ours), 1, desa=OTHER_DESA)
    ours_file, theirs_file = tmp_path / "kita.sqlite3", tmp_path / "mereka.sqlite3"

    assert main(["--data-dir", str(ours), "backup", str(ours_file)]) == 0
    assert "1 keluarga, 2 anggota, 0 usulan" in capsys.readouterr().out
    assert main(["--data-dir", str(theirs), "backup", str(theirs_file)]) == 0
    capsys.readouterr()

    assert main(["--data-dir", str(ours), "restore", str(theirs_file), "--ya"]) == 1
    err = capsys.readouterr().err
    assert "ditolak" in err and "Traceback" not in err

    fill(ours, 1, start=5000)
    assert main(["--data-dir", str(ours), "restore", str(ours_file), "--ya"]) == 0
    assert "Pemulihan selesai" in capsys.readouterr().out
    assert len(niks(ours)) == 2


def test_cli_restore_without_confirmation_changes_nothing(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(data_dir, 1)
    dest = tmp_path / "c.sqlite3"
    assert main(["--data-dir", str(data_dir), "backup", str(dest)]) == 0
    fill(data_dir, 1, start=5000)
    assert main(["--data-dir", str(data_dir), "restore", str(dest)]) == 1  # stdin is not a terminal
    assert "--ya" in capsys.readouterr().err
    assert len(niks(data_dir)) == 2


def test_restore_refuses_a_backup_under_another_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Another PC's backup (its own store key): locked here, refused, nothing changed."""
    ours, theirs = tmp_path / "kita", tmp_path / "mereka"
    fill(ours, 2)
    fill(theirs, 3)
    foreign, _ = make_backup(paths.db_path(theirs), tmp_path / "mereka.sqlite3")
    with pytest.raises(BackupError) as info:
        restore_backup(paths.db_path(ours), foreign)
    assert str(info.value).startswith("Data terkunci") and "ditolak" in str(info.value)
    assert main(["--data-dir", str(ours), "restore", str(foreign), "--ya"]) == 1
    err = capsys.readouterr().err
    assert "Data terkunci" in err and "Traceback" not in err
    assert len(niks(ours)) == 2
