"""local_db.outbox on a real store: a batch of household, member and proposal ops saved before its
send, and every kind of answer applied to the right table with the local_rev guard (a record edited
while its batch was in flight keeps its edit)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from domain.records import RecordType
from domain.states import OpStatus, SyncState
from local_db import outbox
from local_db import repository as repo
from tests.support.households import count, edit, families, row
from tests.support.store import store

NOW = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
H, M, P = RecordType.HOUSEHOLD, RecordType.MEMBER, RecordType.PROPOSAL


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    with store(tmp_path / "s.sqlite3") as e:
        yield e


def saved_batch(engine: Engine, n: int = 1, members: int = 2, batch_id: str = "batch-0001") -> list[outbox.ChosenOp]:
    """n families (household, members, PKH proposal), their ops put into one saved batch."""
    families(engine, n, members=members, seed=5)
    with repo.session_scope(engine, write=True) as s:
        ops = [outbox.ChosenOp(r.op_id, r.record_type, r.record_id, r.local_rev, r.base_version)
               for r in outbox.unbatched_ops(s, 100)]
        outbox.save_batch(s, batch_id, ops, "hash-1", NOW)
    return ops


def state(engine: Engine, op: outbox.ChosenOp) -> str:
    return str(row(engine, RecordType(op.record_type), op.record_id)["sync_state"])


def test_a_saved_batch_marks_its_records_uploading_and_is_found_again_in_order(engine: Engine) -> None:
    ops = saved_batch(engine)
    # Save order: the household before its members, a member before the proposal naming it.
    assert [o.record_type for o in ops] == [H, M, M, P]
    assert all(state(engine, o) == SyncState.UPLOADING for o in ops)
    with repo.session_scope(engine, write=True) as s:
        assert outbox.unbatched_ops(s, 100) == []
        pending = list(outbox.unanswered_batches(s, NOW))
        assert outbox.outbox_count(s) == 4
    assert [(b.batch_id, b.body_hash) for b in pending] == [("batch-0001", "hash-1")]
    assert [(r.op_id, r.record_type) for r in pending[0].ops] == [(o.op_id, o.record_type) for o in ops]


def test_each_answer_is_applied_only_to_the_revision_and_table_it_was_for(engine: Engine) -> None:
    ok, edited, silent, refused = saved_batch(engine)
    # The second member is edited while the batch is in flight: local_rev 2, a new op waits.
    edit(engine, M, edited.record_id, phone="081234567890")
    errors = json.dumps({"kind": "invalid", "errors": [{"field": "programme", "message": "Program salah."}]})
    outcomes = [
        outbox.OpOutcome(ok.op_id, ok.record_type, ok.record_id, ok.local_rev, OpStatus.ACCEPTED, 1),
        outbox.OpOutcome(edited.op_id, edited.record_type, edited.record_id, edited.local_rev, OpStatus.ACCEPTED, 1),
        outbox.OpOutcome(silent.op_id, silent.record_type, silent.record_id, silent.local_rev, None),  # no result
        outbox.OpOutcome(refused.op_id, refused.record_type, refused.record_id, refused.local_rev, OpStatus.INVALID,
                         None, errors),
    ]
    with repo.session_scope(engine, write=True) as s:
        assert outbox.apply_results(s, "batch-0001", outcomes, NOW) == 3
    h = row(engine, H, ok.record_id)
    assert (h["sync_state"], h["base_version"], h["server_version"]) == (SyncState.SYNCED, 1, 1)
    m = row(engine, M, edited.record_id)
    assert (m["sync_state"], m["phone"], m["base_version"], m["server_version"]) == (
        SyncState.DIRTY, "081234567890", 1, 1)
    assert row(engine, M, silent.record_id)["sync_state"] == SyncState.NEW  # never accepted: a draft again
    p = row(engine, P, refused.record_id)
    assert p["sync_state"] == SyncState.INVALID
    assert json.loads(p["conflict_data"])["errors"][0]["field"] == "programme"
    with repo.session_scope(engine, write=True) as s:
        waiting = {(r.record_type, r.record_id) for r in outbox.unbatched_ops(s, 100)}
        assert waiting == {(M, edited.record_id), (M, silent.record_id)}  # both go out again
        # The same answer a second time (another process got there first): nothing applied.
        assert outbox.apply_results(s, "batch-0001", outcomes, NOW) is None
    assert count(engine, "SELECT count(*) FROM batch WHERE done_at IS NOT NULL") == 1


def test_a_conflict_keeps_the_answer_beside_the_record_and_learns_the_server_version(engine: Engine) -> None:
    ops = saved_batch(engine, members=1)
    data = json.dumps({"kind": "hard", "fields": ["address"], "server_copy": {}, "server_version": 3})
    outcomes = [outbox.OpOutcome(o.op_id, o.record_type, o.record_id, o.local_rev,
                                 OpStatus.CONFLICT if o.record_type == H else OpStatus.DUPLICATE,
                                 3 if o.record_type == H else 1, data if o.record_type == H else None) for o in ops]
    with repo.session_scope(engine, write=True) as s:
        outbox.apply_results(s, "batch-0001", outcomes, NOW)
    h = row(engine, H, ops[0].record_id)
    assert (h["sync_state"], h["server_version"], json.loads(h["conflict_data"])["fields"]) == (
        SyncState.CONFLICT, 3, ["address"])
    assert all(state(engine, o) == SyncState.SYNCED for o in ops[1:])


def test_a_batch_refused_as_a_whole_releases_its_ops(engine: Engine) -> None:
    ops = saved_batch(engine)
    with repo.session_scope(engine, write=True) as s:
        outbox.release_batch(s, "batch-0001", [(o.record_type, o.record_id) for o in ops])
        outbox.close_batch(s, "batch-0001", NOW, "ditolak (422): isi lain")
        assert {r.op_id for r in outbox.unbatched_ops(s, 100)} == {o.op_id for o in ops}
        assert list(outbox.unanswered_batches(s, NOW)) == []
    assert all(state(engine, o) == SyncState.NEW for o in ops)


def test_an_op_refused_on_its_own_leaves_the_queue(engine: Engine) -> None:
    ops = saved_batch(engine, members=1)
    op = ops[-1]
    with repo.session_scope(engine, write=True) as s:
        outbox.mark_invalid(s, op.op_id, op.record_type, op.record_id, op.local_rev, '{"kind": "invalid", "errors": []}')
        assert outbox.outbox_count(s) == len(ops) - 1
    assert state(engine, op) == SyncState.INVALID
    assert all(state(engine, o) == SyncState.UPLOADING for o in ops[:-1])


def test_an_old_entry_op_the_migration_could_not_convert_never_goes_out(engine: Engine) -> None:
    families(engine, 1)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO outbox (op_id, seq, record_id, kind, local_rev, payload, created_at, record_type) "
            "VALUES ('old-op-0001', 0, 'gone-entry-0001', 'DELETE', 2, 'null', '2025-01-01', 'entry')")
    with repo.session_scope(engine, write=True) as s:
        assert "old-op-0001" not in {r.op_id for r in outbox.unbatched_ops(s, 100)}
        assert outbox.outbox_count(s) == 3
