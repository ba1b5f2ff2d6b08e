"""Village clients for sync integration and fault tests: a real local store per client, logged in
to a real server process (tests.support.serverproc), optionally through a TcpProxy.

    srv = ServerProcess(tmp).setup(users=SYNC_USERS)
    proxy = TcpProxy("127.0.0.1", srv.port)
    a = Village.create(tmp / "a", proxy.url, "op1")
    ids = a.add(5); a.edit(ids[0], address="Jl. Baru"); a.delete(ids[1])
    report = a.sync()
    check_sync_invariants(a.engine, server_engine(srv.database_url), a.desa)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

from desktop_app.context import AppContext
from desktop_app.services.sync_service import SyncService
from local_db.models import Entry
from sync.report import SyncReport
from tests.support.people import people
from tests.support.serverproc import PASSWORD

SYNC_USERS: tuple[tuple[str, str, str], ...] = (
    ("op1", "operator", "1902012003"),
    ("op2", "operator", "1902012004"),
    ("rev1", "reviewer", "190201"),
)
DESA_OF = {"op1": "1902012003", "op2": "1902012004"}

_serials = count(1)


def fresh_rows(n: int, desa: str) -> Iterator[dict[str, str]]:
    """Rows no other call in this process shares a NIK or KK with."""
    start = next(_serials) * 10_000  # people() keeps NIK/KK distinct across distinct starts (n < 10,000)
    return people(n, seed=start, desa=desa, start=start)


@dataclass
class Village:
    """One desktop installation: data dir, store, services, logged in as an operator."""

    ctx: AppContext
    svc: SyncService
    username: str
    desa: str
    engine_kw: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def create(cls, data_dir: Path, server_url: str, username: str, **engine_kw: Any) -> Village:
        desa = DESA_OF[username]
        ctx = AppContext.open(data_dir)
        ctx.configure(desa_code=desa, operator_name=f"{username}-{data_dir.name}")
        svc = SyncService.from_context(ctx)
        out = svc.login(server_url, username, PASSWORD, desa_code=desa, label=data_dir.name)
        ctx.device_id = out.device_id
        engine_kw.setdefault("sleep", lambda _s: None)
        return cls(ctx, svc, username, desa, engine_kw)

    @classmethod
    def reopen(cls, data_dir: Path, username: str, **engine_kw: Any) -> Village:
        """The same installation after a restart (the token is still in the test keyring)."""
        ctx = AppContext.open(data_dir)
        engine_kw.setdefault("sleep", lambda _s: None)
        return cls(ctx, SyncService.from_context(ctx), username, DESA_OF[username], engine_kw)

    @property
    def engine(self) -> Any:
        return self.ctx.engine

    # -- operator actions ----------------------------------------------------------------------

    def add(self, n: int = 1) -> list[str]:
        es = self.ctx.entry_service()
        return [es.save(row).record_id for row in fresh_rows(n, self.desa)]

    def add_row(self, row: dict[str, Any]) -> str:
        return self.ctx.entry_service().save(row).record_id

    def row(self, record_id: str) -> dict[str, Any]:
        e = self.get(record_id)
        assert e is not None
        return {
            "nik": e.nik, "kk": e.kk, "name": e.name, "birth_place": e.birth_place,
            "birth_date": e.birth_date.isoformat(), "sex": e.sex, "desa_code": e.desa_code, "dusun": e.dusun,
            "rt": e.rt, "rw": e.rw, "address": e.address, "phone": e.phone, "criteria": e.criteria,
            "programme": e.programme, "notes": e.notes,
        }

    def edit(self, record_id: str, **changes: Any) -> None:
        es = self.ctx.entry_service()
        es.save({**self.row(record_id), **changes}, record_id=record_id, override_reason="uji")

    def delete(self, record_id: str, reason: str = "pindah domisili") -> None:
        self.ctx.entry_service().delete(record_id, reason=reason)

    def get(self, record_id: str) -> Entry | None:
        return self.ctx.entry_service().get(record_id)

    def state(self, record_id: str) -> str:
        e = self.get(record_id)
        assert e is not None
        return str(e.sync_state)

    def sync(self, **kw: Any) -> SyncReport:
        return self.svc.sync_once(**{**self.engine_kw, **kw})

    def close(self) -> None:
        self.ctx.close()
