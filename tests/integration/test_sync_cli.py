"""`bansos login / sync / status / logout` as IT staff run them, against a real server process.

The subprocesses get the `fail` keyring backend (a headless Linux box): the token then lives only
in each process's memory, and `bansos sync` logs in again with BANSOS_PASSWORD.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.context import AppContext
from desktop_app.services.sync_service import META_SERVER_URL
from tests.support.households import families
from tests.support.serverproc import PASSWORD, ServerProcess
from tests.support.sync_fixtures import module_server

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    yield from module_server(tmp_path_factory, "clisrv")


STORE_PASSPHRASE = "sandi-basis-data-uji"


@pytest.fixture(autouse=True)
def store_passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    """The subprocesses have no keyring, so the store is made with a passphrase; this test process opens it
    with the same one (desktop_app.store_key)."""
    monkeypatch.setenv("BANSOS_STORE_PASSPHRASE", STORE_PASSPHRASE)


def bansos(data_dir: Path, *args: str, stdin: str = "", password: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BANSOS_")}
    env.update({"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", "PYTHONPATH": str(ROOT),
                "BANSOS_STORE_PASSPHRASE": STORE_PASSPHRASE})  # no keyring: the store opens with this
    if password:
        env["BANSOS_PASSWORD"] = password
    return subprocess.run([sys.executable, "-m", "desktop_app.cli", "--data-dir", str(data_dir), *args],
                          input=stdin, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_login_sync_status_logout_from_the_command_line(tmp_path: Path, srv: ServerProcess) -> None:
    d = tmp_path / "desa"
    bad = bansos(d, "login", "--server", srv.url, "--username", "op1", "--desa", "1902012003", stdin="salah\n")
    assert bad.returncode == 3 and "Login gagal" in bad.stderr
    out = bansos(d, "login", "--server", srv.url, "--username", "op1", "--desa", "1902012003",
                 stdin=PASSWORD + "\n")
    assert out.returncode == 0, out.stderr
    assert "terdaftar untuk desa 1902012003" in out.stdout
    assert "Keyring sistem tidak tersedia" in out.stdout  # memory only: said so
    assert PASSWORD not in out.stdout + out.stderr
    assert not [p for p in d.rglob("*") if p.is_file() and PASSWORD.encode() in p.read_bytes()]

    with AppContext.open(d) as ctx:
        families(ctx.engine, 2, members=2, seed=41, start=41_000)  # 2 households, 4 members, 2 proposals

    no_token = bansos(d, "sync", "--once")  # new process, no keyring, no BANSOS_PASSWORD
    assert no_token.returncode == 3 and "login" in no_token.stderr.lower()
    ok = bansos(d, "sync", "--once", password=PASSWORD)
    assert ok.returncode == 0, ok.stderr
    assert "8 diterima" in ok.stdout

    st = bansos(d, "status", "--json")
    assert st.returncode == 0, st.stderr
    status = json.loads(st.stdout)
    assert status["counts"]["SYNCED"] == 8 and status["outbox"] == 0 and status["pending_batch"] is None
    assert status["last_success"] and status["skew_seconds"] is not None and status["last_error"] is None
    human = bansos(d, "status")
    assert "Terkirim" in human.stdout and "Sinkron terakhir berhasil" in human.stdout

    bye = bansos(d, "logout")
    assert bye.returncode == 0


def test_sync_once_with_the_server_unreachable_is_offline_not_login_needed(tmp_path: Path, srv: ServerProcess) -> None:
    """docs/cli.md: exit 2 when the server cannot be reached, also when no token is kept (issue 13)."""
    d = tmp_path / "desa"
    out = bansos(d, "login", "--server", srv.url, "--username", "op1", "--desa", "1902012003",
                 stdin=PASSWORD + "\n")
    assert out.returncode == 0, out.stderr
    with socket.socket() as s:  # a port nobody listens on: the server is "switched off"
        s.bind(("127.0.0.1", 0))
        gone = f"http://127.0.0.1:{s.getsockname()[1]}"
    with AppContext.open(d) as ctx:
        ctx.set_meta(META_SERVER_URL, gone)
        families(ctx.engine, 1, seed=42, start=42_000)

    for password in (None, PASSWORD):  # no token kept (no keyring); with BANSOS_PASSWORD the login is tried
        r = bansos(d, "sync", "--once", password=password)
        assert r.returncode == 2, (password, r.returncode, r.stderr)
        assert "Server tidak bisa dihubungi" in r.stderr and "login" not in r.stderr.lower()
