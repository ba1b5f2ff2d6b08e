"""A real `bansos-server serve` process on a free 127.0.0.1 port, for integration and fault tests.

API
---
    from tests.support.serverproc import ServerProcess, running_server, PASSWORD, DEMO_USERS

    srv = ServerProcess(tmp_path)            # SQLite file tmp_path/server/bansos-server.db
    srv = ServerProcess(tmp_path, database_url="postgresql+psycopg://postgres@127.0.0.1/test")
    srv.init()                               # `bansos-server init` (alembic upgrade head)
    srv.create_user("op1", "operator", "1902012003")        # `bansos-server create-user`
    srv.create_users(DEMO_USERS)             # the same by a Python call (fast)
    srv.start()                              # spawns the server, waits for /api/v1/health
    srv.url                                  # "http://127.0.0.1:<port>"
    srv.token("op1") / srv.headers("op1")    # logs in (cached), {"Authorization": "Bearer ..."}
    srv.register_device("op1")               # POST /api/v1/devices for the user's desa -> device_id
    srv.stop()                               # SIGTERM, wait (SIGKILL after a timeout)
    srv.kill()                               # SIGKILL: a crash, no cleanup
    srv.restart(failpoints=None)             # same database, same port if still free
    srv.wait_exit(timeout)                   # after a failpoint `exit`, returns the exit code
    srv.log_path / srv.log_text()            # stdout+stderr of every start, appended
    ServerProcess(..., failpoints="ingest_before_commit=exit", env={"BANSOS_X": "..."})
    ServerProcess(..., serve_args=("--workers", "2"))      # several worker processes
    with ServerProcess(tmp_path).setup() as srv: ...   # init + DEMO_USERS + start; stop on exit

Fixture `running_server` (function scope): a started server with DEMO_USERS, password PASSWORD:
op1 (operator, desa 19.02.01.2003), op2 (operator, desa 19.02.01.2004), op3 (operator, desa
19.02.02.2001 in another kecamatan), rev1 (reviewer, kec 19.02.01), rev2 (reviewer, kec 19.02.02),
sup1 (supervisor, kab 19.02), admin1 (admin).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

PASSWORD = "rahasia-uji-123"
DEMO_USERS: tuple[tuple[str, str, str], ...] = (
    ("op1", "operator", "1902012003"),
    ("op2", "operator", "1902012004"),
    ("op3", "operator", "1902022001"),
    ("rev1", "reviewer", "190201"),
    ("rev2", "reviewer", "190202"),
    ("sup1", "supervisor", "1902"),
    ("admin1", "admin", ""),
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server_command() -> list[str]:
    script = Path(sys.executable).parent / ("bansos-server.exe" if os.name == "nt" else "bansos-server")
    if script.exists():
        return [str(script)]
    found = shutil.which("bansos-server")
    return [found] if found else [sys.executable, "-m", "server.cli"]


class ServerError(RuntimeError):
    pass


class ServerProcess:
    def __init__(
        self,
        workdir: Path,
        *,
        database_url: str | None = None,
        failpoints: str | None = None,
        env: dict[str, str] | None = None,
        port: int | None = None,
        serve_args: tuple[str, ...] = (),
    ) -> None:
        self.workdir = Path(workdir) / "server"
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.database_url = database_url or f"sqlite:///{(self.workdir / 'bansos-server.db').resolve()}"
        self.failpoints = failpoints
        self.serve_args = serve_args  # extra `serve` options, e.g. ("--workers", "2")
        self.extra_env = dict(env or {})
        self.port = port or free_port()
        self.secret = "uji-" + uuid.uuid4().hex
        self.log_path = self.workdir / "server.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self._tokens: dict[str, str] = {}
        self.users: dict[str, tuple[str, str]] = {}

    # -- environment and CLI ----------------------------------------------------------------

    def env(self) -> dict[str, str]:
        e = {k: v for k, v in os.environ.items() if not k.startswith("BANSOS_")}
        e.update({
            "BANSOS_ENVIRONMENT": "test",
            "BANSOS_SECRET_KEY": self.secret,
            "BANSOS_DATABASE_URL": self.database_url,
            "BANSOS_DATA_DIR": str(self.workdir),
            "PYTHONUNBUFFERED": "1",
        })
        if self.failpoints:
            e["BANSOS_FAILPOINTS"] = self.failpoints
        e.update(self.extra_env)
        return e

    def cli(self, *args: str, stdin: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Run `bansos-server ARGS` with this server's settings; raises ServerError on failure."""
        res = subprocess.run([*_server_command(), *args], input=stdin, capture_output=True, text=True,
                             env=self.env(), cwd=self.workdir, timeout=timeout, check=False)
        if res.returncode != 0:
            raise ServerError(f"bansos-server {' '.join(args)} failed ({res.returncode}):\n{res.stdout}\n{res.stderr}")
        return res

    def init(self) -> ServerProcess:
        self.cli("init")
        return self

    def create_user(self, username: str, role: str, area: str = "", password: str = PASSWORD) -> None:
        args = ["create-user", "--username", username, "--role", role, "--replace"]
        if area:
            args += ["--area", area]
        self.cli(*args, stdin=password + "\n")
        self.users[username] = (role, area)

    def create_users(self, users: tuple[tuple[str, str, str], ...] = DEMO_USERS, password: str = PASSWORD) -> None:
        """Create accounts by a Python call on the same database (faster than one CLI run each)."""
        from sqlmodel import Session

        from server import db
        from server.services.users import create_user

        engine = db.make_engine(self.database_url)
        try:
            with Session(engine) as s:
                for username, role, area in users:
                    create_user(s, username=username, role=role, area=area, password=password, replace=True,
                                fast_hash=True)
                    self.users[username] = (role, area)
        finally:
            engine.dispose()

    def setup(self, users: tuple[tuple[str, str, str], ...] = DEMO_USERS) -> ServerProcess:
        """init (CLI) + accounts + start."""
        self.init()
        self.create_users(users)
        return self.start()

    # -- process -----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> ServerProcess:
        if self.proc is not None and self.proc.poll() is None:
            raise ServerError("server already running")
        for attempt in range(3):
            with open(self.log_path, "ab") as log:
                log.write(f"\n=== start {time.strftime('%H:%M:%S')} port {self.port} ===\n".encode())
                log.flush()
                self.proc = subprocess.Popen(
                    [*_server_command(), "serve", "--host", "127.0.0.1", "--port", str(self.port),
                     *self.serve_args],
                    stdout=log, stderr=subprocess.STDOUT, env=self.env(), cwd=self.workdir,
                    start_new_session=True,
                )
            if self._wait_healthy(timeout):
                return self
            if attempt < 2 and "address already in use" in self.log_text().lower():
                self.port = free_port()
                continue
            break
        self.kill()
        raise ServerError(f"server did not become healthy on {self.url}; log:\n{self.log_text()[-4000:]}")

    def _wait_healthy(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                return False
            try:
                if requests.get(f"{self.url}/api/v1/health", timeout=2).status_code == 200:
                    return True
            except requests.RequestException:
                pass
            time.sleep(0.1)
        return False

    def stop(self, timeout: float = 15) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None

    def kill(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.kill()  # SIGKILL
            self.proc.wait(10)
        self.proc = None

    def wait_exit(self, timeout: float = 30) -> int:
        """Wait for the process to end by itself (e.g. a failpoint `exit`); return its exit code."""
        if self.proc is None:
            raise ServerError("server not running")
        code = self.proc.wait(timeout)
        self.proc = None
        return code

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def restart(self, *, failpoints: str | None = None, timeout: float = 60) -> ServerProcess:
        """Stop (if running) and start again on the same database; failpoints replace the old ones."""
        self.stop()
        self.failpoints = failpoints
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                s.bind(("127.0.0.1", self.port))
        except OSError:
            self.port = free_port()
        self._tokens.clear()
        return self.start(timeout)

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    # -- HTTP helpers ------------------------------------------------------------------------

    def token(self, username: str, password: str = PASSWORD) -> str:
        if username not in self._tokens:
            r = requests.post(f"{self.url}/api/v1/auth/login", json={"username": username, "password": password},
                              timeout=10)
            if r.status_code != 200:
                raise ServerError(f"login {username}: {r.status_code} {r.text}")
            self._tokens[username] = r.json()["access_token"]
        return self._tokens[username]

    def headers(self, username: str) -> dict[str, str]:
        """The account's token and the protocol header of an upgraded client (ADR 0005)."""
        from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION

        return {"Authorization": f"Bearer {self.token(username)}", PROTOCOL_HEADER: str(PROTOCOL_VERSION)}

    def register_device(self, username: str, desa: str | None = None, label: str = "uji") -> str:
        desa = desa or self.users.get(username, ("", ""))[1]
        r = requests.post(f"{self.url}/api/v1/devices", json={"desa_code": desa, "label": label},
                          headers=self.headers(username), timeout=10)
        if r.status_code != 200:
            raise ServerError(f"device for {username}: {r.status_code} {r.text}")
        return str(r.json()["device_id"])

    def get(self, path: str, username: str | None = None, **kw: Any) -> requests.Response:
        headers = {**(self.headers(username) if username else {}), **kw.pop("headers", {})}
        return requests.get(f"{self.url}{path}", headers=headers, timeout=kw.pop("timeout", 30), **kw)

    def post(self, path: str, username: str | None = None, **kw: Any) -> requests.Response:
        headers = {**(self.headers(username) if username else {}), **kw.pop("headers", {})}
        return requests.post(f"{self.url}{path}", headers=headers, timeout=kw.pop("timeout", 60), **kw)

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill() if exc[0] is not None else self.stop()


@pytest.fixture
def running_server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A started server on SQLite with DEMO_USERS (password PASSWORD); stopped after the test."""
    srv = ServerProcess(tmp_path)
    try:
        srv.setup()
        yield srv
    finally:
        srv.kill()
