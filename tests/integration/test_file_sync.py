"""Sync by file with the network off (issue 17; design.md §4-§5): a village's batches go to the
server as a sealed file and the reply comes back; every refusal case of domain.sealed_file as the
operator / IT officer meets it. Attachments are not part of this (built by another branch).

Real parts: a real server process (stopped while the file travels: nothing answers HTTP), its
`bansos-server import-file` CLI, real village stores logged in once before going offline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from domain.sealed_file import FileKind, KeyPair, Refusal, SealedFileRefused, seal
from server.settings import Settings
from sync import file_sync
from tests.support.serverproc import ServerError, ServerProcess
from tests.support.sync_env import SYNC_USERS, Village
from tests.support.sync_invariants import check_sync_invariants, server_engine

DESA = "1902012003"


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    s = ServerProcess(tmp_path_factory.mktemp("filesrv"))
    try:
        s.setup(users=SYNC_USERS)
        yield s
    finally:
        s.kill()


@pytest.fixture(scope="module")
def sdb(srv: ServerProcess) -> Iterator[Engine]:
    eng = server_engine(srv.database_url)
    yield eng
    eng.dispose()


def _online(srv: ServerProcess) -> None:
    if not srv.running:
        srv.start()


def _village(srv: ServerProcess, data_dir: Path, user: str = "op1") -> Village:
    """A village that logged in once (device registered), then set up for file sync by IT."""
    _online(srv)
    v = Village.create(data_dir, srv.url, user)
    file_sync.set_server_keys(v.engine, srv.cli("file-keys").stdout.strip())
    srv.cli("register-device-key", v.ctx.device_id or "", file_sync.device_keys(v.engine).public().to_text())
    return v


def _import(srv: ServerProcess, batch: Path, reply: Path) -> str:
    return srv.cli("import-file", str(batch), "--reply", str(reply)).stdout


def _count(sdb: Engine, table: str) -> int:
    with sdb.connect() as c:
        return int(c.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())


def test_2000_records_by_file_then_second_device_pulls_over_http(srv: ServerProcess, sdb: Engine,
                                                                   tmp_path: Path) -> None:
    a = _village(srv, tmp_path / "a")
    b = _village(srv, tmp_path / "b")
    try:
        srv.stop()  # the network is off from here on: nothing answers HTTP
        assert a.sync().error_kind == "offline"
        fams = a.families(500, members=2)  # 500 x (household + 2 members + proposal) = 2,000 records
        assert len(fams) == 500
        batch, reply = tmp_path / "kiriman.bansos", tmp_path / "balasan.bansos"
        res = file_sync.export_file(a.engine, batch)
        assert res.ops == 2000
        raw = batch.read_bytes()
        assert fams[0].household_id.encode() not in raw  # sealed: no id, NIK or name readable
        before = _count(sdb, "srv_applied_op")
        out = _import(srv, batch, reply)
        assert "0 ditolak" in out
        assert _count(sdb, "srv_applied_op") - before == 2000
        # The same file again changes nothing on the server.
        _import(srv, batch, tmp_path / "balasan2.bansos")
        assert _count(sdb, "srv_applied_op") - before == 2000

        report = file_sync.read_reply(a.engine, reply)
        assert report.accepted == 2000 and report.invalid == 0 and report.conflict == 0
        check_sync_invariants(a.engine, sdb, DESA, label="device A after the reply")

        # The second device of the desa pulls the same records over HTTP once the network is back.
        srv.start()
        rep_b = b.sync()
        assert rep_b.error is None
        assert rep_b.pulled >= 2000
        check_sync_invariants([a.engine, b.engine], sdb, DESA, label="both devices")
        # A later HTTP run of device A sends nothing again and changes nothing.
        rep_a = a.sync()
        assert rep_a.error is None and rep_a.batches == 0
    finally:
        a.close()
        b.close()


def test_batches_in_flight_when_exported_are_the_same_ids_as_http(srv: ServerProcess, sdb: Engine,
                                                                  tmp_path: Path) -> None:
    """A batch file then an HTTP run of the same pending ops: the server applies each op once."""
    a = _village(srv, tmp_path / "a")
    try:
        a.families(3)
        file_sync.export_file(a.engine, tmp_path / "k.bansos")  # the file is lost on the way
        rep = a.sync()  # network is back: HTTP sends the same saved batches
        assert rep.error is None and rep.accepted == 9
        _import(srv, tmp_path / "k.bansos", tmp_path / "r.bansos")  # the file turns up later anyway
        rep2 = file_sync.read_reply(a.engine, tmp_path / "r.bansos")
        assert rep2.accepted == 0
        check_sync_invariants(a.engine, sdb, DESA, label="http then file")
    finally:
        a.close()


# ----------------------------------------------------------------------------- refusals


@pytest.fixture(scope="module")
def pair(srv: ServerProcess, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Village, Village]]:
    d = tmp_path_factory.mktemp("pair")
    a, b = _village(srv, d / "a"), _village(srv, d / "b")
    yield a, b
    a.close()
    b.close()


def _settings(srv: ServerProcess) -> Settings:
    return Settings(database_url=srv.database_url, secret_key=srv.secret, data_dir=srv.workdir)  # type: ignore[arg-type]


def _import_refused(srv: ServerProcess, batch: Path, reply: Path) -> str:
    with pytest.raises(ServerError) as exc:
        _import(srv, batch, reply)
    assert not reply.exists()
    return str(exc.value)


def test_tampered_and_truncated_files_are_refused(srv: ServerProcess, sdb: Engine, pair: tuple[Village, Village],
                                                  tmp_path: Path) -> None:
    a, _b = pair
    a.families(1)
    batch = tmp_path / "k.bansos"
    file_sync.export_file(a.engine, batch)
    data = bytearray(batch.read_bytes())
    before = _count(sdb, "srv_applied_op")
    tampered = tmp_path / "ubah.bansos"
    data[len(data) // 2] ^= 0x01
    tampered.write_bytes(bytes(data))
    assert "rusak atau telah diubah" in _import_refused(srv, tampered, tmp_path / "r1")
    cut = tmp_path / "potong.bansos"
    cut.write_bytes(batch.read_bytes()[:-100])
    assert "terpotong" in _import_refused(srv, cut, tmp_path / "r2")
    assert _count(sdb, "srv_applied_op") == before


def test_wrong_key_unknown_device_and_other_desa_are_refused(srv: ServerProcess, pair: tuple[Village, Village],
                                                             tmp_path: Path) -> None:
    a, _b = pair
    server_pub = file_sync.PublicKeys.from_text(srv.cli("file-keys").stdout.strip())
    device = a.ctx.device_id or ""
    body = {"format": 1, "device_id": device, "since": 0, "batches": []}

    # Signed with a key that is not the one IT registered for this device.
    forged = tmp_path / "palsu.bansos"
    forged.write_bytes(seal(body, kind=FileKind.BATCHES, sender=device, sender_keys=KeyPair.generate(),
                            recipient="server", recipient_keys=server_pub, desa_code=DESA))
    assert "rusak atau telah diubah" in _import_refused(srv, forged, tmp_path / "r1")

    # A device whose key was never registered.
    unknown = tmp_path / "asing.bansos"
    unknown.write_bytes(seal({**body, "device_id": "x"}, kind=FileKind.BATCHES, sender="perangkat-asing",
                             sender_keys=KeyPair.generate(), recipient="server", recipient_keys=server_pub,
                             desa_code=DESA))
    assert "tidak terdaftar di server" in _import_refused(srv, unknown, tmp_path / "r2")

    # The right device and key, claiming another desa.
    other = tmp_path / "desa-lain.bansos"
    other.write_bytes(seal(body, kind=FileKind.BATCHES, sender=device, sender_keys=file_sync.device_keys(a.engine),
                           recipient="server", recipient_keys=server_pub, desa_code="1902012004"))
    assert "desa lain" in _import_refused(srv, other, tmp_path / "r3")


def test_reply_refusals_wrong_direction_other_device_replayed_older(srv: ServerProcess,
                                                                     pair: tuple[Village, Village],
                                                                     tmp_path: Path) -> None:
    a, b = pair
    a.families(1)
    batch, r1, r2 = tmp_path / "k.bansos", tmp_path / "r1.bansos", tmp_path / "r2.bansos"
    file_sync.export_file(a.engine, batch)
    _import(srv, batch, r1)
    file_sync.export_file(a.engine, tmp_path / "k2.bansos")
    _import(srv, tmp_path / "k2.bansos", r2)

    # Wrong direction: a batch file read as a reply, a reply imported as a batch file.
    with pytest.raises(SealedFileRefused) as e1:
        file_sync.read_reply(a.engine, batch)
    assert e1.value.reason == Refusal.WRONG_KIND and "berkas balasan server" in e1.value.message
    assert "bukan berkas kiriman desa" in _import_refused(srv, r1, tmp_path / "x")

    # The reply for device A taken to device B of the same desa.
    with pytest.raises(SealedFileRefused) as e2:
        file_sync.read_reply(b.engine, r1)
    assert e2.value.reason == Refusal.WRONG_RECIPIENT and "penerima lain" in e2.value.message

    # The newer reply first, then the older one: refused, nothing applied.
    file_sync.read_reply(a.engine, r2)
    with pytest.raises(file_sync.ReplyOutdated, match="lebih lama"):
        file_sync.read_reply(a.engine, r1)
    # The same reply again.
    with pytest.raises(file_sync.ReplyAlreadyRead, match="sudah pernah dibaca"):
        file_sync.read_reply(a.engine, r2)


def test_cli_export_and_reply_messages(srv: ServerProcess, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """What the operator sees at the command line: `bansos sync --export-file` / `--import-reply`."""
    from desktop_app.cli import main

    a = _village(srv, tmp_path / "a")  # this test's keyring holds its store key
    a.families(2)
    data_dir = str(a.ctx.data_dir)
    batch, reply = tmp_path / "k.bansos", tmp_path / "r.bansos"
    assert main(["--data-dir", data_dir, "sync", "--export-file", str(batch)]) == 0
    assert "6 entri" in capsys.readouterr().out
    _import(srv, batch, reply)
    assert main(["--data-dir", data_dir, "sync", "--import-reply", str(reply)]) == 0
    assert "6 diterima" in capsys.readouterr().out
    assert main(["--data-dir", data_dir, "sync", "--import-reply", str(reply)]) != 0
    assert "sudah pernah dibaca" in capsys.readouterr().err
    a.close()
