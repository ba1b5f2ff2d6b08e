"""Hypothesis stateful test: three village stores (two devices of one desa, one of a neighbouring
desa) and one real server process, behind a TcpProxy that breaks connections at random.

Rules: create, edit, delete (operators), approve/return/reject/void (the reviewer, through the
review API), sync under a random fault, and settle conflicts as an operator would. At the end of
every example: conflicts settled, clean syncs until quiet, then the four invariants of
tests.support.sync_invariants for each desa.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import Engine, select

from desktop_app.services.entries import EntryRejected
from domain.states import SyncState
from local_db import repository as repo
from local_db.models import Entry
from sync import conflicts
from tests.support.serverproc import ServerProcess
from tests.support.sync_env import SYNC_USERS, Village
from tests.support.sync_invariants import check_sync_invariants, server_engine
from tests.support.tcp_proxy import Fault, TcpProxy

pytestmark = pytest.mark.slow
BATCHES = "/api/v1/sync/batches"
CHANGES = "/api/v1/sync/changes"

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

    def _ids(self, v: Village, *, live: bool = True) -> list[str]:
        with repo.session_scope(v.engine) as s:
            q = select(Entry.record_id).where(Entry.deleted == False) if live else select(Entry.record_id)  # noqa: E712
            return sorted(s.execute(q).scalars())

    def _pick(self, data: st.DataObject, v: Village) -> str | None:
        ids = self._ids(v)
        return data.draw(st.sampled_from(ids)) if ids else None

    # ------------------------------------------------------------------ rules

    @rule(i=st.integers(0, 2), n=st.integers(1, 3))
    def create(self, i: int, n: int) -> None:
        self.villages[i].add(n)

    @rule(i=st.integers(0, 2), data=st.data(), field=st.sampled_from(["address", "notes", "rt", "phone"]))
    def edit(self, i: int, data: st.DataObject, field: str) -> None:
        v = self.villages[i]
        rid = self._pick(data, v)
        if rid is None:
            return
        value = {"address": data.draw(st.sampled_from(["Jl. Mawar", "Jl. Melati 2", "Gg. Kenanga"])),
                 "notes": data.draw(st.sampled_from(["", "rumah semi permanen", "tanggungan 4"])),
                 "rt": data.draw(st.sampled_from(["001", "002", "015"])),
                 "phone": data.draw(st.sampled_from(["", "081234567890", "085712345678"]))}[field]
        try:
            v.edit(rid, **{field: value})
        except EntryRejected:
            pass  # e.g. deleted meanwhile by a pull: the operator sees the message and moves on

    @rule(i=st.integers(0, 2), data=st.data())
    def delete(self, i: int, data: st.DataObject) -> None:
        v = self.villages[i]
        rid = self._pick(data, v)
        if rid is not None:
            v.delete(rid, "tidak memenuhi syarat")

    @rule(data=st.data(), decision=st.sampled_from(["approve", "return", "reject", "void"]))
    def review(self, data: st.DataObject, decision: str) -> None:
        v = data.draw(st.sampled_from(self.villages))
        with repo.session_scope(v.engine) as s:
            ids = sorted(s.execute(select(Entry.record_id).where(Entry.server_version.is_not(None))).scalars())  # type: ignore[union-attr]
        if not ids:
            return
        rid = data.draw(st.sampled_from(ids))
        body: dict[str, Any] = {"record_ids": [rid], "decision": decision}
        if decision == "reject":
            body["reason_code"] = "R01"
        if decision in ("return", "void", "reject"):
            body["note"] = "catatan peninjau"
        r = self.srv.post("/api/v1/review/decisions", "rev1", json=body)
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
            with repo.session_scope(v.engine) as s:
                # An entry is UPLOADING only while a batch holding its op waits for an answer.
                stuck = s.execute(select(Entry.record_id).where(Entry.sync_state == SyncState.UPLOADING.value)).all()
                pending = s.execute(select(repo.Outbox.op_id).where(repo.Outbox.batch_id.is_not(None))).all()  # type: ignore[attr-defined]
            assert not stuck or pending

    # ------------------------------------------------------------------ end of an example

    def _settle(self, v: Village, keep: str) -> int:
        n = 0
        with repo.session_scope(v.engine) as s:
            ids = list(s.execute(select(Entry.record_id).where(Entry.sync_state == SyncState.CONFLICT.value)).scalars())
        for rid in ids:
            view = v.svc.conflict_view(rid)
            if view is None:
                continue
            if view.kind == "deleted":
                choices = {conflicts.RECORD: conflicts.SERVER}
            else:
                choices = {f.field: keep for f in view.fields}
            v.svc.resolve_conflict(rid, choices)
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
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]))
