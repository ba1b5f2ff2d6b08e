"""Village clients for sync integration and fault tests: a real local store per client, logged in
to a real server process (tests.support.serverproc), optionally through a TcpProxy.

    srv = ServerProcess(tmp).setup(users=SYNC_USERS)
    proxy = TcpProxy("127.0.0.1", srv.port)
    a = Village.create(tmp / "a", proxy.url, "op1")
    fams = a.families(5); a.edit(fams[0].household_id, address="Jl. Baru"); a.delete(fams[1].proposal_id)
    ids = a.add(5)    # five families; the ids of their PKH proposals
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
from domain.programmes import DEFAULT, Target
from domain.records import HouseholdPayload, MemberPayload, ProposalPayload, RecordType
from local_db import household_repo as hr
from local_db.repository import session_scope
from sync.report import SyncReport
from tests.support import households
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

    # -- operator actions (households, members, proposals through local_db.household_repo) ----------

    @property
    def who(self) -> hr.Who:
        return hr.Who(self.ctx.operator_name or self.username, self.ctx.device_id or "")

    def families(self, n: int = 1, members: int = 1, **kw: Any) -> list[households.Family]:
        """`n` new families (household, `members` persons, a PKH proposal), NIK/KK unique in this process."""
        start = next(_serials) * 10_000
        return households.families(self.engine, n, members=members, seed=start, start=start, desa=self.desa,
                                   who=self.who, **kw)

    def add(self, n: int = 1) -> list[str]:
        """`n` new families; the ids of their proposals (what a reviewer decides on)."""
        return [f.proposal_id for f in self.families(n)]

    def add_row(self, row: dict[str, Any]) -> str:
        """One proposal from an entry-like row (nik, kk, name, birth_date, sex, programme, address): the
        household of its KK and the member of its NIK are made when the store does not hold them yet.
        Returns the proposal's id."""
        who = self.who
        with session_scope(self.engine, write=True) as s:
            conn = s.connection()
            hid = conn.exec_driver_sql("SELECT record_id FROM households WHERE kk = ? AND deleted = 0",
                                       (row["kk"],)).scalar()
            if hid is None:
                hid = hr.save_household(s, HouseholdPayload(
                    kk=row["kk"], desa_code=row.get("desa_code", self.desa), address=row.get("address", ""),
                    rt=row.get("rt", ""), rw=row.get("rw", "")), who).record_id
            mid = conn.exec_driver_sql("SELECT record_id FROM members WHERE nik = ? AND deleted = 0",
                                       (row["nik"],)).scalar()
            if mid is None:
                head = not conn.exec_driver_sql("SELECT 1 FROM members WHERE household_id = ? AND deleted = 0",
                                                (hid,)).first()
                mid = hr.save_member(s, MemberPayload(
                    household_id=hid, nik=row["nik"], name=row["name"], birth_date=row["birth_date"], sex=row["sex"],
                    relation="kepala_keluarga" if head else "famili_lain"), who).record_id
            prog = DEFAULT.get(row.get("programme", "PKH"))
            if prog is not None and prog.target is Target.HOUSEHOLD:
                p = ProposalPayload(programme=prog.code, household_id=hid, pengurus_id=mid)
            else:
                p = ProposalPayload(programme=row.get("programme", "PKH"), member_id=mid)
            return hr.save_proposal(s, p, who).record_id

    def kind(self, record_id: str) -> RecordType:
        with session_scope(self.engine) as s:
            for t in RecordType:
                if hr.get(s, t, record_id) is not None:
                    return t
        raise AssertionError(f"no record {record_id}")

    def get(self, record_id: str) -> dict[str, Any] | None:
        with session_scope(self.engine) as s:
            for t in RecordType:
                r = hr.get(s, t, record_id)
                if r is not None:
                    return r
        return None

    def payload(self, record_id: str) -> Any:
        return households.payload(self.engine, self.kind(record_id), record_id)

    def edit(self, record_id: str, **changes: Any) -> None:
        """Save a household, member or proposal again with these fields changed."""
        households.edit(self.engine, self.kind(record_id), record_id, who=self.who, **changes)

    def move(self, member_id: str, household_id: str) -> None:
        households.move(self.engine, member_id, household_id, who=self.who)

    def delete(self, record_id: str, reason: str = "pindah domisili") -> None:
        households.delete(self.engine, self.kind(record_id), record_id, reason=reason, who=self.who)

    def state(self, record_id: str) -> str:
        r = self.get(record_id)
        assert r is not None
        return str(r["sync_state"])

    def sync(self, **kw: Any) -> SyncReport:
        return self.svc.sync_once(**{**self.engine_kw, **kw})

    def close(self) -> None:
        self.ctx.close()
