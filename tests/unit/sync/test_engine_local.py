"""Push steps that happen before any answer, on a real local store with no server reachable."""

from __future__ import annotations

import json
import socket

from sqlalchemy import select

from desktop_app.context import AppContext
from domain.states import SyncState
from local_db import repository as repo
from local_db.models import Batch, Outbox
from sync.batching import BatchCap
from sync.client import SyncClient
from sync.engine import SyncEngine
from sync.protocol import EntryPayload
from sync.wire import body_hash, encode_body, op_wire
from tests.support.people import people


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def engine_for(ctx: AppContext, **kw: object) -> SyncEngine:
    client = SyncClient(closed_port_url(), "token", connect_timeout=0.5)
    return SyncEngine(ctx.engine, client, ctx.device_id, sleep=lambda _s: None, **kw)  # type: ignore[arg-type]


def add(ctx: AppContext, n: int, start: int = 0) -> list[str]:
    es = ctx.entry_service()
    return [es.save(row).record_id for row in people(n, seed=start + 3, start=start)]


def test_the_batch_is_saved_before_its_first_send_and_resent_unchanged(ctx: AppContext) -> None:
    ids = add(ctx, 5)
    rep = engine_for(ctx, max_attempts=2).run()
    assert rep.error_kind == "offline" and "tidak bisa dihubungi" in (rep.error or "")
    with repo.session_scope(ctx.engine) as s:
        batches = list(s.execute(select(Batch)).scalars())
        assert len(batches) == 1
        b = batches[0]
        assert b.done_at is None and b.attempts == 2 and b.last_error
        rows = list(s.execute(select(Outbox).where(Outbox.batch_id == b.batch_id)).scalars())
    order = json.loads(b.op_ids)
    rows.sort(key=lambda r: order.index(r.op_id))
    assert b.body_hash == body_hash(encode_body(ctx.device_id, [op_wire(r) for r in rows]))
    assert all(ctx.entry_service().get(r).sync_state == SyncState.UPLOADING for r in ids)  # type: ignore[union-attr]
    engine_for(ctx, max_attempts=1).run()  # the next run: the same batch, nothing new built
    with repo.session_scope(ctx.engine) as s:
        again = list(s.execute(select(Batch)).scalars())
    assert [x.batch_id for x in again] == [b.batch_id] and again[0].attempts == 3
    with repo.session_scope(ctx.engine, write=True) as s:
        assert repo.get_meta(s, "sync.last_error")


def test_one_op_per_record_per_batch_and_the_cap_holds(ctx: AppContext) -> None:
    ids = add(ctx, 4)
    es = ctx.entry_service()
    e = es.get(ids[0])
    assert e is not None
    row = {"nik": e.nik, "kk": e.kk, "name": e.name, "birth_date": e.birth_date.isoformat(), "sex": e.sex,
           "desa_code": e.desa_code, "programme": e.programme, "address": "Jl. Kedua"}
    es.save(row, record_id=ids[0])
    engine_for(ctx, cap=BatchCap(max_ops=3), max_attempts=1).run()
    with repo.session_scope(ctx.engine) as s:
        b = s.execute(select(Batch)).scalars().one()
        ops = list(s.execute(select(Outbox).where(Outbox.batch_id == b.batch_id)).scalars())
        waiting = list(s.execute(select(Outbox).where(Outbox.batch_id.is_(None))).scalars())  # type: ignore[union-attr]
    assert len(ops) == 3 and len({o.record_id for o in ops}) == 3
    assert sorted((o.record_id, o.local_rev) for o in waiting) == sorted([(ids[0], 2), (ids[3], 1)])


def test_an_op_that_cannot_pass_the_wire_schema_is_marked_invalid_and_does_not_block(ctx: AppContext) -> None:
    good = add(ctx, 2)
    row = next(people(1, seed=99, start=500))
    p = EntryPayload.model_validate({**row, "notes": "x"})
    with repo.session_scope(ctx.engine, write=True) as s:
        bad = repo.create_entry(s, payload=p, name_key="x", warnings=[], actor="t", device_id="t")
        op = s.execute(select(Outbox).where(Outbox.record_id == bad.record_id)).scalars().one()
        data = json.loads(op.payload)
        data["notes"] = "x" * 2000  # an older client or a hand-edited file: over the wire limit
        op.payload = json.dumps(data)
        s.add(op)
        bad_id = bad.record_id
    engine_for(ctx, max_attempts=1).run()
    e = ctx.entry_service().get(bad_id)
    assert e is not None and e.sync_state == SyncState.INVALID
    assert "notes" in (e.conflict_data or "")
    assert all(ctx.entry_service().get(r).sync_state == SyncState.UPLOADING for r in good)  # type: ignore[union-attr]
