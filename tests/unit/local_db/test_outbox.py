"""local_db.outbox on a real store: a batch saved before its send, and every kind of answer applied
with the local_rev guard (an entry edited while its batch was in flight keeps its edit)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from domain.states import OpStatus, SyncState
from local_db import outbox
from local_db import repository as repo
from local_db.models import Batch, Entry, Outbox
from tests.support.people import people
from tests.support.store import service, store

NOW = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    with store(tmp_path / "s.sqlite3") as e:
        yield e


def saved_batch(engine: Engine, n: int, batch_id: str = "batch-0001") -> list[outbox.ChosenOp]:
    """n new entries, their ops put into one saved batch."""
    svc = service(engine)
    for row in people(n, seed=5):
        svc.save(row)
    with repo.session_scope(engine, write=True) as s:
        ops = [outbox.ChosenOp(r.op_id, r.record_id, r.local_rev, r.base_version)
               for r in outbox.unbatched_ops(s, 100)]
        outbox.save_batch(s, batch_id, ops, "hash-1", NOW)
    return ops


def entry(engine: Engine, record_id: str) -> Entry:
    with repo.session_scope(engine) as s:
        e = repo.get_entry(s, record_id)
        assert e is not None
        return e


def test_a_saved_batch_marks_its_entries_uploading_and_is_found_again_in_order(engine: Engine) -> None:
    ops = saved_batch(engine, 3)
    assert all(entry(engine, o.record_id).sync_state == SyncState.UPLOADING for o in ops)
    with repo.session_scope(engine, write=True) as s:
        assert outbox.unbatched_ops(s, 100) == []
        pending = list(outbox.unanswered_batches(s, NOW))
        assert outbox.outbox_count(s) == 3
    assert [(b.batch_id, b.body_hash) for b in pending] == [("batch-0001", "hash-1")]
    assert [r.op_id for r in pending[0].ops] == [o.op_id for o in ops]


def test_each_answer_is_applied_only_to_the_revision_it_was_for(engine: Engine) -> None:
    ops = saved_batch(engine, 4)
    ok, edited, refused, silent = ops
    svc = service(engine)
    e = entry(engine, edited.record_id)  # edited while the batch is in flight: local_rev 2, a new op waits
    svc.save({"nik": e.nik, "kk": e.kk, "name": e.name, "birth_date": e.birth_date.isoformat(), "sex": e.sex,
              "desa_code": e.desa_code, "programme": e.programme, "address": "Jl. Baru"}, record_id=edited.record_id)
    errors = json.dumps({"kind": "invalid", "errors": [{"field": "nik", "message": "NIK salah."}]})
    outcomes = [
        outbox.OpOutcome(ok.op_id, ok.record_id, ok.local_rev, OpStatus.ACCEPTED, 1),
        outbox.OpOutcome(edited.op_id, edited.record_id, edited.local_rev, OpStatus.ACCEPTED, 1),
        outbox.OpOutcome(refused.op_id, refused.record_id, refused.local_rev, OpStatus.INVALID, None, errors),
        outbox.OpOutcome(silent.op_id, silent.record_id, silent.local_rev, None),  # no result for it
    ]
    with repo.session_scope(engine, write=True) as s:
        assert outbox.apply_results(s, "batch-0001", outcomes, NOW) == 3
    a = entry(engine, ok.record_id)
    assert (a.sync_state, a.base_version, a.server_version) == (SyncState.SYNCED, 1, 1)
    b = entry(engine, edited.record_id)
    assert (b.sync_state, b.address, b.base_version, b.server_version) == (SyncState.DIRTY, "Jl. Baru", 1, 1)
    c = entry(engine, refused.record_id)
    assert c.sync_state == SyncState.INVALID and json.loads(c.conflict_data or "{}")["errors"][0]["field"] == "nik"
    assert entry(engine, silent.record_id).sync_state == SyncState.NEW  # never accepted: a draft again
    with repo.session_scope(engine, write=True) as s:
        waiting = {(o.record_id, o.batch_id) for o in s.execute(select(Outbox)).scalars()}
        assert waiting == {(edited.record_id, None), (silent.record_id, None)}  # both go out again
        batch = s.get(Batch, "batch-0001")
        assert batch is not None and batch.done_at is not None
        # The same answer a second time (another process got there first): nothing applied.
        assert outbox.apply_results(s, "batch-0001", outcomes, NOW) is None


def test_a_batch_refused_as_a_whole_releases_its_ops(engine: Engine) -> None:
    ops = saved_batch(engine, 2)
    with repo.session_scope(engine, write=True) as s:
        outbox.release_batch(s, "batch-0001", [o.record_id for o in ops])
        outbox.close_batch(s, "batch-0001", NOW, "ditolak (422): isi lain")
        assert {r.op_id for r in outbox.unbatched_ops(s, 100)} == {o.op_id for o in ops}
        assert list(outbox.unanswered_batches(s, NOW)) == []
    assert all(entry(engine, o.record_id).sync_state == SyncState.NEW for o in ops)


def test_an_op_refused_on_its_own_leaves_the_queue(engine: Engine) -> None:
    (op,) = saved_batch(engine, 1)
    with repo.session_scope(engine, write=True) as s:
        outbox.mark_invalid(s, op.op_id, op.record_id, op.local_rev, '{"kind": "invalid", "errors": []}')
        assert outbox.outbox_count(s) == 0
    assert entry(engine, op.record_id).sync_state == SyncState.INVALID
