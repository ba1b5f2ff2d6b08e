"""The fixture bodies the sync integration, fault and UI tests share: one real server process per
test module, its database, a TcpProxy in front of it, a village client. Each is a generator that a
test module wraps in a thin fixture of the scope it needs (module scope for the server, so each
module still starts exactly one server process):

    @pytest.fixture(scope="module")
    def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
        yield from module_server(tmp_path_factory, "faultsrv")
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from tests.support.serverproc import ServerProcess
from tests.support.sync_env import SYNC_USERS, Village
from tests.support.sync_invariants import server_engine
from tests.support.tcp_proxy import TcpProxy


def module_server(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[ServerProcess]:
    """A started server with SYNC_USERS in a fresh temp dir `name`; killed afterwards."""
    s = ServerProcess(tmp_path_factory.mktemp(name))
    try:
        s.setup(users=SYNC_USERS)
        yield s
    finally:
        s.kill()


def server_db_of(srv: ServerProcess) -> Iterator[Engine]:
    """An engine on the server's own database, for checking what it stored."""
    eng = server_engine(srv.database_url)
    yield eng
    eng.dispose()


def proxy_to(srv: ServerProcess) -> Iterator[TcpProxy]:
    """A TcpProxy in front of the server: the village connection the test controls."""
    with TcpProxy("127.0.0.1", srv.port) as p:
        yield p


def village_at(data_dir: Path, server_url: str, username: str, **engine_kw: Any) -> Iterator[Village]:
    """A village client logged in as `username`; its store is closed afterwards."""
    v = Village.create(data_dir, server_url, username, **engine_kw)
    yield v
    v.close()
