"""Push steps that happen before any answer, on a real local store, against a loopback HTTP server
scripted per path (health answers protocol 2 unless a test says otherwise; batches get no answer)."""

from __future__ import annotations

import json

from desktop_app.context import AppContext
from domain.records import RecordType
from domain.states import SyncState
from local_db import repository as repo
from sync.batching import BatchCap
from sync.client import SyncClient
from sync.engine import SyncEngine
from sync.protocol import OLD_CLIENT_MESSAGE, OLD_SERVER_MESSAGE, PROTOCOL_HEADER
from sync.wire import body_hash, encode_body, op_wire
from tests.support.households import count, edit, families, row
from tests.unit.sync.conftest import HEALTH_OLD, Routes

BATCHES = "/api/v1/sync/batches"
NO_ANSWER = (503, {"detail": "sedang sibuk"})


def engine_for(ctx: AppContext, url: str, **kw: object) -> SyncEngine:
    client = SyncClient(url, "token", connect_timeout=0.5)
    return SyncEngine(ctx.engine, client, ctx.device_id, sleep=lambda _s: None, **kw)  # type: ignore[arg-type]


def states(ctx: AppContext) -> set[str]:
    with ctx.engine.connect() as conn:
        return {r[0] for t in ("households", "members", "proposals")
                for r in conn.exec_driver_sql(f"SELECT sync_state FROM {t}")}


def test_the_batch_is_saved_before_its_first_send_and_resent_unchanged(
        ctx: AppContext, fake_server: tuple[str, Routes]) -> None:
    url, routes = fake_server
    routes.answers[BATCHES] = NO_ANSWER
    families(ctx.engine, 2, members=2)
    rep = engine_for(ctx, url, max_attempts=2).run()
    assert rep.error_kind == "server" and "Coba lagi" in (rep.error or "")
    with ctx.engine.connect() as conn:
        (batch_id, op_ids, attempts, done_at, last_error, saved_hash) = conn.exec_driver_sql(
            "SELECT batch_id, op_ids, attempts, done_at, last_error, body_hash FROM batch").one()
        rows = conn.exec_driver_sql("SELECT * FROM outbox WHERE batch_id = ?", (batch_id,)).all()
    assert done_at is None and attempts == 2 and last_error
    order = json.loads(op_ids)
    rows = sorted(rows, key=lambda r: order.index(r.op_id))
    assert saved_hash == body_hash(encode_body(ctx.device_id, [op_wire(r) for r in rows]))
    assert {r.record_type for r in rows} == {"household", "member", "proposal"}
    assert states(ctx) == {SyncState.UPLOADING}
    engine_for(ctx, url, max_attempts=1).run()  # the next run: the same batch, nothing new built
    assert count(ctx.engine, "SELECT count(*) FROM batch") == 1
    assert count(ctx.engine, "SELECT attempts FROM batch") == 3
    # Every request of the run said protocol 2, and health was read before anything was sent.
    assert routes.seen[0][1] == "/api/v1/health"
    assert all(h.get(PROTOCOL_HEADER) == "2" for _m, _p, h in routes.seen)
    with repo.session_scope(ctx.engine) as s:
        assert repo.get_meta(s, "sync.last_error")


def test_an_old_server_gets_nothing_and_the_work_stays_as_it_was(
        ctx: AppContext, fake_server: tuple[str, Routes]) -> None:
    url, routes = fake_server
    routes.answers["/api/v1/health"] = (200, HEALTH_OLD)
    families(ctx.engine, 2)
    rep = engine_for(ctx, url).run()
    assert rep.error == OLD_SERVER_MESSAGE and rep.error_kind == "old_server"
    assert routes.paths("POST") == [] and routes.paths() == ["/api/v1/health"]  # no batch, no pull
    assert count(ctx.engine, "SELECT count(*) FROM batch") == 0
    assert count(ctx.engine, "SELECT count(*) FROM outbox") == 6
    assert states(ctx) == {SyncState.NEW}


def test_refused_as_an_old_client_the_run_stops_and_touches_nothing(
        ctx: AppContext, fake_server: tuple[str, Routes]) -> None:
    url, routes = fake_server
    routes.answers[BATCHES] = (403, {"detail": OLD_CLIENT_MESSAGE})
    families(ctx.engine, 2)
    rep = engine_for(ctx, url).run()
    assert rep.error == OLD_CLIENT_MESSAGE and rep.error_kind == "old_client"
    assert routes.paths("POST") == [BATCHES]  # one try: no splitting into smaller batches
    # Nothing turned INVALID, no op dropped; the saved batch goes out unchanged next time.
    assert count(ctx.engine, "SELECT count(*) FROM outbox") == 6
    assert count(ctx.engine, "SELECT count(*) FROM batch WHERE done_at IS NULL") == 1
    assert SyncState.INVALID not in states(ctx)


def test_one_op_per_record_per_batch_and_the_cap_holds(ctx: AppContext, fake_server: tuple[str, Routes]) -> None:
    url, routes = fake_server
    routes.answers[BATCHES] = NO_ANSWER
    fam = families(ctx.engine, 2)
    edit(ctx.engine, RecordType.HOUSEHOLD, fam[0].household_id, address="Jl. Kedua")
    engine_for(ctx, url, cap=BatchCap(max_ops=4), max_attempts=1).run()
    with ctx.engine.connect() as conn:
        ops = conn.exec_driver_sql("SELECT record_type, record_id FROM outbox WHERE batch_id IS NOT NULL").all()
        waiting = conn.exec_driver_sql(
            "SELECT record_type, record_id, local_rev FROM outbox WHERE batch_id IS NULL").all()
    assert len(ops) == 4 and len({r.record_id for r in ops}) == 4
    assert ("household", fam[0].household_id, 2) in {tuple(w) for w in waiting}


def test_an_op_that_cannot_pass_the_wire_schema_is_marked_invalid_and_does_not_block(
        ctx: AppContext, fake_server: tuple[str, Routes]) -> None:
    url, routes = fake_server
    routes.answers[BATCHES] = NO_ANSWER
    (good,) = families(ctx.engine, 1)
    (bad,) = families(ctx.engine, 1, start=50, propose=False)
    with ctx.engine.begin() as conn:
        # An older client or a hand-edited file: a note over the wire limit.
        payload = json.loads(conn.exec_driver_sql("SELECT payload FROM outbox WHERE record_id = ?",
                                                  (bad.member_ids[0],)).scalar_one())
        payload["notes"] = "x" * 2000
        conn.exec_driver_sql("UPDATE outbox SET payload = ? WHERE record_id = ?",
                             (json.dumps(payload), bad.member_ids[0]))
    engine_for(ctx, url, max_attempts=1).run()
    m = row(ctx.engine, RecordType.MEMBER, bad.member_ids[0])
    assert m["sync_state"] == SyncState.INVALID and "Catatan" in m["conflict_data"]
    assert row(ctx.engine, RecordType.HOUSEHOLD, bad.household_id)["sync_state"] == SyncState.UPLOADING
    assert row(ctx.engine, RecordType.PROPOSAL, good.proposal_id)["sync_state"] == SyncState.UPLOADING
