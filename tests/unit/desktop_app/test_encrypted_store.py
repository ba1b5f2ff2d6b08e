"""The store is encrypted at rest (issue 17): nothing readable in the files, opened with the keyring key,
or with the recovery key on a new PC, refused with a clear message with neither."""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from desktop_app import paths, store_key
from desktop_app.backup import daily_backup, make_backup
from desktop_app.cli import main
from desktop_app.context import AppContext
from desktop_app.services.households import ListFilter, View
from local_db import cipher
from tests.support.household_seed import service
from tests.support.memory_keyring import FileKeyring
from tests.support.people import DESA, people

SQLITE_HEADER = b"SQLite format 3\x00"


def fill(ctx: AppContext, n: int, start: int = 0) -> list[dict[str, str]]:
    ctx.configure(desa_code=DESA)
    rows = list(people(n, desa=DESA, start=start, seed=start + 7))
    svc = service(ctx)
    households: dict[str, str] = {}  # kk -> household id: every NIK, KK and name is written
    for row in rows:
        hid = households.get(row["kk"])
        relation = "famili_lain" if hid else "kepala_keluarga"
        if hid is None:
            hid = households[row["kk"]] = svc.save_household({"kk": row["kk"], "address": row["address"]}).record_id
        svc.save_member({"household_id": hid, "nik": row["nik"], "name": row["name"], "birth_date": row["birth_date"],
                         "sex": row["sex"], "relation": relation}, override_reason="uji")
    return rows


def niks(ctx: AppContext) -> list[str]:
    return sorted(str(r[2]) for r in service(ctx).rows(View.MEMBERS, ListFilter()))


def secrets_of(rows: list[dict[str, str]]) -> list[bytes]:
    """What must never be readable in a file: every NIK, KK and name (and the names' parts)."""
    out: list[bytes] = []
    for r in rows:
        out += [r["nik"].encode(), r["kk"].encode(), r["name"].encode()]
        out += [part.encode() for part in r["name"].split() if len(part) >= 5]
    return out


def store_files(data_dir: Path) -> list[Path]:
    """The store, its -wal, and every backup in the data dir."""
    files = [p for p in data_dir.rglob("*") if p.is_file() and ".sqlite3" in p.name and not p.name.endswith(".json")]
    return sorted(p for p in files if not p.name.endswith("-shm"))


def assert_unreadable(files: list[Path], rows: list[dict[str, str]]) -> None:
    needles = secrets_of(rows)
    for f in files:
        data = f.read_bytes()
        if not data:
            continue
        assert not data.startswith(SQLITE_HEADER), f"{f.name} is a plain SQLite file"
        leaked = [n for n in needles if n in data]
        assert not leaked, f"{f.name} holds {len(leaked)} readable NIK/KK/name(s)"


@pytest.fixture
def new_pc() -> Iterator[None]:
    """Another PC or Windows account: a keyring that has never seen this store."""
    previous = keyring.get_keyring()
    path = Path(os.environ[FileKeyring.ENV]).with_name("other-pc-keyring.json")
    keyring.set_keyring(FileKeyring(str(path)))
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def headless() -> Iterator[None]:
    """A Linux box with no keyring backend at all."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def test_store_wal_and_every_backup_hold_nothing_readable(data_dir: Path, tmp_path: Path) -> None:
    with AppContext.open(data_dir) as ctx:
        rows = fill(ctx, 40)
        assert ctx.new_recovery_code  # a new store: its recovery key is there to be shown once
        # While the app runs: the WAL holds the latest pages; the daily copy and a manual one are taken.
        wal = paths.db_path(data_dir).with_name("bansos.sqlite3-wal")
        assert wal.is_file() and wal.stat().st_size > 0
        assert daily_backup(paths.db_path(data_dir), key=ctx.store_key, today=date(2026, 3, 1)) is not None
        manual, _ = make_backup(paths.db_path(data_dir), tmp_path / "cadangan.sqlite3")
        files = [*store_files(data_dir), manual]
        assert wal in files and len([f for f in files if "backups" in str(f)]) == 1
        assert_unreadable(files, rows)
        header = store_key.header_path(paths.db_path(data_dir)).read_text(encoding="utf-8")
        assert ctx.store_key is not None and ctx.store_key.hex() not in header  # no key in a plain file
    assert_unreadable(store_files(data_dir), rows)
    if sys.platform != "win32":
        for f in [*store_files(data_dir), manual, store_key.header_path(paths.db_path(data_dir))]:
            assert stat.S_IMODE(f.stat().st_mode) == 0o600, f.name


def test_opens_with_the_keyring_key_and_only_with_it(data_dir: Path) -> None:
    with AppContext.open(data_dir) as ctx:
        rows = fill(ctx, 5)
        key = ctx.store_key
    with AppContext.open(data_dir) as ctx:  # the next start: the key comes from the keyring, no question
        assert ctx.new_recovery_code is None
        with ctx.engine.connect() as conn:  # the store's PRAGMAs hold on the encrypted file too
            pragma = {p: conn.exec_driver_sql(f"PRAGMA {p}").scalar_one()
                      for p in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")}
        assert pragma == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 5000}
        assert niks(ctx) == sorted(r["nik"] for r in rows)
    db = paths.db_path(data_dir)
    assert key is not None and cipher.key_opens(db, key)
    assert not cipher.key_opens(db, None) and not cipher.key_opens(db, bytes(32))


def test_new_pc_opens_with_the_recovery_key_and_is_refused_without(
    data_dir: Path, capsys: pytest.CaptureFixture[str], request: pytest.FixtureRequest
) -> None:
    with AppContext.open(data_dir) as ctx:
        rows = fill(ctx, 6)
        code = ctx.new_recovery_code
    assert code is not None and len(code.replace("-", "")) == 56

    request.getfixturevalue("new_pc")
    with pytest.raises(store_key.StoreLocked) as info:
        AppContext.open(data_dir)
    assert info.value.message.startswith("Data terkunci") and "kunci pemulihan" in info.value.message
    # The operator's view: one Indonesian line, no traceback, exit 1.
    assert main(["--data-dir", str(data_dir), "list"]) == 1
    err = capsys.readouterr().err
    assert "Data terkunci" in err and "Traceback" not in err

    # A mistyped recovery key is caught by its checksum; nothing is stored.
    typo = ("B" if code[0] != "B" else "C") + code[1:]
    assert main(["--data-dir", str(data_dir), "buka-kunci", "--kunci-pemulihan", typo]) == 1
    assert "salah ketik" in capsys.readouterr().err
    # Another store's (valid) recovery key does not open this one.
    other = store_key.recovery_code(bytes(range(32)))
    assert main(["--data-dir", str(data_dir), "buka-kunci", "--kunci-pemulihan", other]) == 1
    assert "Data terkunci" in capsys.readouterr().err
    with pytest.raises(store_key.StoreLocked):
        AppContext.open(data_dir)

    # IT types the recovery key (case and separators do not matter): kept in this PC's keyring.
    assert main(["--data-dir", str(data_dir), "buka-kunci", "--kunci-pemulihan", code.lower().replace("-", " ")]) == 0
    assert "Kunci basis data diterima" in capsys.readouterr().out
    with AppContext.open(data_dir) as ctx:
        assert niks(ctx) == sorted(r["nik"] for r in rows)


def test_headless_box_uses_a_passphrase_and_never_a_key_file(data_dir: Path, headless: None) -> None:
    with pytest.raises(store_key.StoreLocked) as info:  # no keyring and nobody to ask
        AppContext.open(data_dir)
    assert "kata sandi" in info.value.message
    with pytest.raises(store_key.StoreLocked, match="terlalu pendek"):
        AppContext.open(data_dir, passphrase=lambda _new: "pendek")
    phrase = "kuda-laut-belitung-7"
    with AppContext.open(data_dir, passphrase=lambda _new: phrase) as ctx:
        rows = fill(ctx, 3)
        key = ctx.store_key
        assert ctx.new_recovery_code
    header = json.loads(store_key.header_path(paths.db_path(data_dir)).read_text(encoding="utf-8"))
    assert header["passphrase"]["kdf"] == "argon2id"
    assert key is not None and key.hex() not in json.dumps(header)
    with pytest.raises(store_key.StoreLocked, match="kata sandi basis data salah"):
        AppContext.open(data_dir, passphrase=lambda _new: "kuda-laut-belitung-8")
    with AppContext.open(data_dir, passphrase=lambda _new: phrase) as ctx:
        assert service(ctx).count(View.MEMBERS) == len(rows)
    assert_unreadable(store_files(data_dir), rows)


def test_a_damaged_key_record_still_opens_with_the_recovery_key(data_dir: Path) -> None:
    """The header file lost too (only the .sqlite3 copied): the recovery key alone opens the store."""
    with AppContext.open(data_dir) as ctx:
        fill(ctx, 2)
        code = ctx.new_recovery_code
    store_key.header_path(paths.db_path(data_dir)).unlink()
    with pytest.raises(store_key.StoreLocked, match="Data terkunci"):
        AppContext.open(data_dir)
    assert code is not None
    with AppContext.open(data_dir, recovery=code) as ctx:
        assert service(ctx).count(View.MEMBERS) == 2
    with AppContext.open(data_dir) as ctx:  # and from now on without it
        assert service(ctx).count(View.MEMBERS) == 2


def test_provisioning_prints_the_recovery_key_once_and_it_opens_the_store(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], request: pytest.FixtureRequest
) -> None:
    prov = tmp_path / "desa.json"
    prov.write_text(json.dumps({"format": 1, "server_url": "https://bansos.example.go.id", "desa_code": DESA,
                                "desa_name": "Buluh Tumbang", "ca_cert_pem": None, "created_at": "2026-11-22"}))
    assert main(["--data-dir", str(data_dir), "provision", str(prov)]) == 0
    out = capsys.readouterr()
    assert "KUNCI PEMULIHAN" in out.err and "KUNCI PEMULIHAN" not in out.out  # never in a piped stdout
    code = next(line.strip() for line in out.err.splitlines() if line.startswith("    "))
    assert main(["--data-dir", str(data_dir), "provision", str(prov)]) == 0
    assert "KUNCI PEMULIHAN" not in capsys.readouterr().err  # shown once only

    request.getfixturevalue("new_pc")
    assert main(["--data-dir", str(data_dir), "buka-kunci", "--kunci-pemulihan", code]) == 0
    with AppContext.open(data_dir) as ctx:
        assert ctx.desa_code == DESA
