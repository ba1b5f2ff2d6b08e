"""Hypothesis stateful test: three village stores (two devices of one desa, one of a neighbouring
desa) and one real server process, behind a TcpProxy that breaks connections at random.

Rules: create families, add members, edit households/members/proposals, move a member between
households, propose (a person programme for a member), delete (operators), approve/return/reject/void
(the reviewer, through the review API), sync under a random fault, and settle conflicts as an operator
would. At the end of every example: conflicts settled, clean syncs until quiet, then the four
invariants of tests.support.sync_invariants for each desa.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import Engine

from domain.errors import KnownError
from domain.records import MemberPayload, ProposalPayload, RecordType
from domain.states import SyncState
from local_db import household_repo as hr
from local_db.repository import session_scope
from sync import conflicts
from sync.protocol import PROTOCOL_HEADER
from tests.support.serverproc import ServerProcess
from tests.support.sync_env import SYNC_USERS, Village, fresh_rows
from tests.support.sync_invariants import check_sync_invariants, server_engine
from tests.support.tcp_proxy import Fault, TcpProxy

pytestmark = pytest.mark.slow
BATCHES = "/api/v1/sync/batches"
CHANGES = "/api/v1/sync/changes"
H, M, P = RecordType.HOUSEHOLD, RecordType.MEMBER, RecordType.PROPOSAL
TABLE = {H: "households", M: "members", P: "proposals"}
EDITS: dict[RecordType, dict[str, list[Any]]] = {
    H: {"address": ["Jl. Mawar", "Jl. Melati 2", "Gg. Kenanga"], "rt": ["001", "002", "015"],
        "phone": ["", "081234567890", "085712345678"], "notes": ["", "rumah semi permanen"]},
    M: {"phone": ["", "081234567891"], "birth_place": ["", "Manggar", "Tanjungpandan"],
        "notes": ["", "tanggungan 4"]},
    P: {"note": ["", "catatan desa", "diperbarui"], "criteria": [[], ["lansia"], ["nelayan", "lansia"]]},
}

_ENV: dict[str, Any] = {}

FAULTS = st.one_of(
    st.none(),
    st.builds(lambda n: Fault("cut_upload", "POST", BATCHES, n=n), st.integers(0, 3000)),
    st.builds(lambda n: Fault("cut_response", "POST", BATCHES, n=n), st.integers(0, 600)),
    st.builds(lambda n: Fault("cut_response", "GET", CHANGES, n=n), st.integers(0, 800)),
    st.just(Fault("refuse")),
    st.builds(lambda s: Fault("delay", seconds=s), st.sampled_from([0.05, 0.2])),
)


class SyncMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.srv: ServerProcess = _ENV["srv"]
        self.proxy: TcpProxy = _ENV["proxy"]
        self.server_db: Engine = _ENV["server_db"]
        self.tmp = Path(tempfile.mkdtemp(prefix="sync-stateful-"))
        self.villages: list[Village] = []

    @initialize()
    def start(self) -> None:
        self.proxy.clear()
        for name, user in (("pc-a1", "op1"), ("pc-a2", "op1"), ("pc-b", "op2")):
            self.villages.append(Village.create(self.tmp / name, self.proxy.url, user, max_attempts=1))

    # ------------------------------------------------------------------ helpers

    def _ids(self, v: Village, record_type: RecordType, where: str = "deleted = 0") -> list[str]:
        with v.engine.connect() as c:
            return sorted(r[0] for r in c.exec_driver_sql(f"SELECT record_id FROM {TABLE[record_type]} WHERE {where}"))

    def _pick(self, data: st.DataObject, v: Village, record_type: RecordType, where: str = "deleted = 0") -> str | None:
        ids = self._ids(v, record_type, where)
        return data.draw(st.sampled_from(ids)) if ids else None

    # ------------------------------------------------------------------ rules

    @rule(i=st.integers(0, 2), n=st.integers(1, 2), members=st.integers(1, 3))
    def create(self, i: int, n: int, members: int) -> None:
        self.villages[i].families(n, members=members)

    @rule(i=st.integers(0, 2), data=st.data())
    def add_member(self, i: int, data: st.DataObject) -> None:
        v = self.villages[i]
        hid = self._pick(data, v, H)
        if hid is None:
            return
        p = next(fresh_rows(1, v.desa))
        try:
            with session_scope(v.engine, write=True) as s:
                hr.save_member(s, MemberPayload(household_id=hid, nik=p["nik"], name=p["name"], sex=p["sex"],
                                                birth_date=p["birth_date"], relation="famili_lain"), v.who)
        except KnownError:
            pass  # the household was voided or deleted by a pull meanwhile: the operator is told

    @rule(i=st.integers(0, 2), data=st.data(), record_type=st.sampled_from([H, M, P]))
    def edit(self, i: int, data: st.DataObject, record_type: RecordType) -> None:
        v = self.villages[i]
        rid = self._pick(data, v, record_type)
        if rid is None:
            return
        field = data.draw(st.sampled_from(sorted(EDITS[record_type])))
        try:
            v.edit(rid, **{field: data.draw(st.sampled_from(EDITS[record_type][field]))})
        except KnownError:
            pass  # e.g. deleted meanwhile by a pull: the operator sees the message and moves on

    @rule(i=st.integers(0, 2), data=st.data())
    def move(self, i: int, data: st.DataObject) -> None:
        """A member (not a head) moves to another household of the village: same record, new household."""
        v = self.villages[i]
        mid = self._pick(data, v, M, "deleted = 0 AND relation = 'famili_lain'")
        hid = self._pick(data, v, H)
        if mid is None or hid is None:
            return
        try:
            v.move(mid, hid)
        except KnownError:
            pass  # already in that household, or it is gone

    @rule(i=st.integers(0, 2), data=st.data())
    def propose(self, i: int, data: st.DataObject) -> None:
        v = self.villages[i]
        mid = self._pick(data, v, M)
        if mid is None:
            return
        try:
            with session_scope(v.engine, write=True) as s:
                hr.save_proposal(s, ProposalPayload(programme="PBI-JK", member_id=mid), v.who)
        except KnownError:
            pass  # rule 4: an open PBI-JK proposal for this person already exists

    @rule(i=st.integers(0, 2), data=st.data())
    def delete(self, i: int, data: st.DataObject) -> None:
        # Proposals only: a member deleted on one device while another proposes for it is refused by
        # the server for the operator to sort out (INVALID), which no automatic end of an example settles.
        v = self.villages[i]
        rid = self._pick(data, v, P)
        if rid is None:
            return
        try:
            v.delete(rid, "tidak memenuhi syarat")
        except KnownError:
            pass  # gone meanwhile

    @rule(data=st.data(), decision=st.sampled_from(["approve", "return", "reject", "void"]))
    def review(self, data: st.DataObject, decision: str) -> None:
        v = data.draw(st.sampled_from(self.villages))
        rid = self._pick(data, v, P, "server_version IS NOT NULL")
        if rid is None:
            return
        body: dict[str, Any] = {"record_ids": [rid], "decision": decision}
        if decision == "reject":
            body["reason_code"] = "R01"
        if decision == "return":
            body["review_fields"] = ["proposal.criteria"]
        if decision in ("return", "void", "reject"):
            body["note"] = "catatan peninjau"
        r = self.srv.post("/api/v1/review/decisions", "rev1", json=body, headers={PROTOCOL_HEADER: "2"})
        assert r.status_code == 200, r.text

    @rule(i=st.integers(0, 2), fault=FAULTS)
    def sync(self, i: int, fault: Fault | None) -> None:
        self.proxy.clear()
        if fault is not None:
            self.proxy.add(Fault(fault.kind, fault.method, fault.path, n=fault.n, seconds=fault.seconds))
        rep = self.villages[i].sync()
        self.proxy.clear()
        assert rep.error_kind in (None, "offline", "server"), rep.error

    @precondition(lambda self: bool(self.villages))
    @rule(i=st.integers(0, 2), keep=st.sampled_from([conflicts.VILLAGE, conflicts.SERVER]))
    def settle_conflicts(self, i: int, keep: str) -> None:
        self._settle(self.villages[i], keep)

    @invariant()
    def nothing_stuck_locally(self) -> None:
        for v in self.villages:
            # A record is UPLOADING only while a batch holding its op waits for an answer.
            stuck = [rid for t in TABLE for rid in self._ids(v, t, f"sync_state = '{SyncState.UPLOADING.value}'")]
            with v.engine.connect() as c:
                pending = c.exec_driver_sql("SELECT count(*) FROM outbox WHERE batch_id IS NOT NULL").scalar_one()
            assert not stuck or pending

    # ------------------------------------------------------------------ end of an example

    def _settle(self, v: Village, keep: str) -> int:
        n = 0
        ids = [rid for t in TABLE for rid in self._ids(v, t, f"sync_state = '{SyncState.CONFLICT.value}'")]
        for rid in ids:
            view = v.svc.conflict_view(rid)
            if view is None:
                continue
            if view.kind == "deleted":
                choices = {conflicts.RECORD: conflicts.SERVER}
            else:
                choices = {f.field: keep for f in view.fields}
            try:
                v.svc.resolve_conflict(rid, choices)
            except conflicts.ConflictError:
                if keep == conflicts.SERVER:
                    raise  # the server's values always make a valid record
                continue  # the mix of values is not valid: the operator is told and picks again
            n += 1
        return n

    def teardown(self) -> None:
        try:
            if self.villages:
                self.proxy.clear()
                for _round in range(8):
                    for v in self.villages:
                        rep = v.sync(max_attempts=3)
                        assert rep.ok, rep.error
                    if sum(self._settle(v, conflicts.SERVER) for v in self.villages) == 0:
                        break
                for v in self.villages:  # a quiet round: everyone pulls everyone's last changes
                    assert v.sync().ok
                by_desa: dict[str, list[Engine]] = {}
                for v in self.villages:
                    by_desa.setdefault(v.desa, []).append(v.engine)
                for desa, engines in by_desa.items():
                    check_sync_invariants(engines, self.server_db, desa)
        finally:
            for v in self.villages:
                v.close()
            shutil.rmtree(self.tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    srv = ServerProcess(tmp_path_factory.mktemp("statefulsrv"))
    srv.setup(users=SYNC_USERS)
    proxy = TcpProxy("127.0.0.1", srv.port)
    db = server_engine(srv.database_url)
    _ENV.update(srv=srv, proxy=proxy, server_db=db)
    try:
        yield _ENV
    finally:
        proxy.close()
        db.dispose()
        srv.kill()
        _ENV.clear()


def test_random_edits_reviews_and_faults_keep_the_four_invariants(env: dict[str, Any]) -> None:
    run_state_machine_as_test(SyncMachine, settings=settings(
        max_examples=20, stateful_step_count=30, deadline=None, derandomize=True,
        # No shrinking: a replay meets another server state (new record ids), so hypothesis would
        # report its own "flaky strategy" error instead of the failure itself.
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]))
