"""What ingest's bulk paths write. The batch response: exactly what sync.protocol.BatchResponse
writes, for every kind of result (ingest joins the results' JSON texts itself instead of dumping one
model per op). The rows: every column of each record table, ledger timestamps, and duplicate groups
created or reused several at a time. On SQLite and, when reachable, PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, update
from sqlmodel import Session, col

from domain.programmes import DEFAULT
from domain.records import RecordType
from server import db
from server.models import DuplicateGroup, DuplicateMember, HouseholdRow, RecordVersion, table_of
from server.services import bulk, ingest
from server.services.records import COLUMNS
from sync.protocol import BatchResponse
from tests.support.pg import fresh_schema_url
from tests.support.serverapp import Api
from tests.support.serverdata import DESA_A, DESA_B, batch, household, member, nik_for, op, proposal


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        eng = db.make_engine(f"sqlite:///{tmp_path / 'server.db'}")
        db.create_all(eng)
        yield eng
        eng.dispose()
        return
    with fresh_schema_url() as url:
        eng = db.make_engine(url)
        db.create_all(eng)
        yield eng
        eng.dispose()


def _setup(api: Api) -> str:
    api.user("op1", "operator", DESA_A)
    api.user("rev1", "reviewer", DESA_A[:6])
    return api.device("op1", DESA_A)


def _send(api: Api, dev: str, ops: list[dict[str, Any]], key: str | None = None) -> str:
    r = api.send("op1", batch(dev, ops), key)
    assert r.status_code == 200, r.text
    return str(r.text)


def _as_pydantic_writes_it(body: str) -> list[dict[str, Any]]:
    """The body must be byte for byte BatchResponse's own JSON of what it says; returns its results."""
    parsed = BatchResponse.model_validate_json(body)
    assert parsed.model_dump_json() == body
    return [r.model_dump(mode="json") for r in parsed.results]


def test_every_kind_of_result_is_written_exactly_as_batch_response_writes_it(api: Api) -> None:
    dev = _setup(api)
    a, v, odd = str(uuid.uuid4()), str(uuid.uuid4()), 'rec"\\\x01\tquoted'
    first = [
        op(a, household()),
        op(v, household(serial=2, latitude=-2.75, longitude=107.65)),
        op(p=member(a, nik="190201570580000")),  # 15 digits: INVALID with errors
        op(kind="DELETE", record_type="member"),  # a record the server never saw: ACCEPTED, version null
        op("rekord-ü-0001", household(serial=4), op_id="op-ü-000000001"),
        op(odd, household(serial=5), op_id='op"\\\x7f\nescaped'),
    ]
    body = _send(api, dev, first, "wire-batch-0001")
    results = _as_pydantic_writes_it(body)
    assert [r["status"] for r in results] == ["ACCEPTED", "ACCEPTED", "INVALID", "ACCEPTED", "ACCEPTED", "ACCEPTED"]
    assert [r["version"] for r in results] == [1, 1, None, None, 1, 1]
    assert [r["record_type"] for r in results] == ["household", "household", "member", "member", "household",
                                                   "household"]
    assert results[2]["errors"][0]["field"] == "nik"
    assert (results[5]["op_id"], results[5]["record_id"]) == ('op"\\\x7f\nescaped', odd)
    # The stored response is replayed byte for byte.
    assert _send(api, dev, first, "wire-batch-0001") == body

    _send(api, dev, [op(a, household(address="Jl. Kenanga 5"), base_version=1, local_rev=2)])
    with Session(api.engine) as s:  # voided by a reviewer (the review service's part)
        s.execute(update(HouseholdRow).where(col(HouseholdRow.record_id) == v).values(voided=True))
        s.commit()
    hard = op(a, household(address="Jl. Mawar 9"), base_version=1, local_rev=3)
    second = [
        first[0],  # already applied: DUPLICATE
        op(a, household(phone="081234567890"), base_version=1, local_rev=3),  # stale base, other field: soft
        hard,  # stale base, same field: hard, with the server copy
        op(v, household(serial=2, address="x"), base_version=1, local_rev=2),
    ]
    results = _as_pydantic_writes_it(_send(api, dev, second))
    assert [(r["status"], r["conflict_kind"]) for r in results] == [
        ("DUPLICATE", None), ("ACCEPTED", "soft"), ("CONFLICT", "hard"), ("CONFLICT", "deleted")]
    assert results[1]["conflict_fields"] == ["phone"] and results[1]["version"] == 3
    assert results[2]["server_copy"]["payload"]["address"] == "Jl. Kenanga 5"
    assert results[2]["server_copy"]["record_type"] == "household"
    assert results[3]["server_copy"]["voided"] is True
    assert results[3]["server_copy"]["payload"]["latitude"] == -2.75
    # A stored hard conflict sent again under a new batch id is still a conflict, with its server copy.
    [again] = _as_pydantic_writes_it(_send(api, dev, [hard]))
    assert (again["status"], again["conflict_fields"]) == ("CONFLICT", ["address"])


@pytest.mark.parametrize("rtype", list(RecordType))
def test_a_created_row_has_every_column_of_its_table(rtype: RecordType) -> None:
    now = datetime.now(UTC)
    st = ingest._State(session=None, desa=DESA_A, device_id="dev-0001", batch_id="b-1", now=now,  # type: ignore[arg-type]
                       today=now.date(), catalogue=DEFAULT, rows={t: {} for t in RecordType})
    payloads = {RecordType.HOUSEHOLD: household(), RecordType.MEMBER: member("h-1"),
                RecordType.PROPOSAL: proposal("PBI-JK", member_id="m-1")}
    from domain.records import PAYLOADS

    new = PAYLOADS[rtype].model_validate(payloads[rtype]).model_dump()
    row = ingest._new_row(rtype, "rec-00000001", new, "[]", st)
    assert sorted(row) == sorted(COLUMNS[rtype])
    assert (row["version"], row["flags"], row["kecamatan_code"], row["province_code"]) == (1, [], DESA_A[:6], "19")


def test_bulk_ledger_rows_keep_every_timestamp(engine: Engine) -> None:
    """append_rows binds each distinct value once: equal instants in other zones and distinct ones
    must all come back as the instants they were."""
    now = datetime.now(UTC).replace(microsecond=123456)
    wib = timezone(timedelta(hours=7))
    stamps = [now, now, now.astimezone(wib), now + timedelta(seconds=1), (now - timedelta(days=1)).astimezone(wib)]
    rows = [{"record_type": "member", "record_id": f"rec-{i:08d}", "version": 1, "action": "create", "payload": "{}",
             "review_state": None, "op_id": f"op-{i:08d}", "batch_id": "b-1", "device_id": "dev-0001",
             "actor": "dev-0001", "at": at} for i, at in enumerate(stamps)]
    with Session(engine) as s:
        bulk.append_rows(s, table_of(RecordVersion), rows)
        s.commit()
        got = {r.op_id: r.at for r in s.execute(select(table_of(RecordVersion)))}
    assert [got[f"op-{i:08d}"] for i in range(len(stamps))] == stamps
    assert all(t.utcoffset() == timedelta(0) for t in got.values())


def _groups(engine: Engine) -> dict[int, tuple[str, str, str, set[str]]]:
    """group id -> (kind, key, state, member record ids)."""
    with Session(engine) as s:
        members: dict[int, set[str]] = {}
        for m in s.execute(select(table_of(DuplicateMember))):
            members.setdefault(m.group_id, set()).add(m.record_id)
        return {g.id: (g.kind, g.key, g.state, members.get(g.id, set()))
                for g in s.execute(select(table_of(DuplicateGroup)))}


def test_duplicate_groups_made_and_reused_several_in_one_batch(api: Api, engine: Engine) -> None:
    dev = _setup(api)
    api.user("op2", "operator", DESA_B)
    dev_b = api.device("op2", DESA_B)
    born = date(1961, 4, 2)
    niks = [nik_for(DESA_A, born, "P", serial) for serial in (31, 32, 33)]
    names = ["Siti Aminah", "Rina Wati", "Dewi Lestari", "Yuni Sari", "Lina Marlina", "Tuti Alawiyah"]
    ids = [str(uuid.uuid4()) for _ in range(6)]
    # One batch per village, three NIKs shared between them: three groups made in the second batch.
    ha, hb = str(uuid.uuid4()), str(uuid.uuid4())
    _send(api, dev, [op(ha, household(DESA_A, serial=10)),
                     *[op(ids[i], member(ha, DESA_A, nik=niks[i], born=born, name=names[i])) for i in range(3)]])
    r = api.send("op2", batch(dev_b, [op(hb, household(DESA_B, serial=20)),
                                      *[op(ids[3 + i], member(hb, DESA_B, nik=niks[i], born=born, name=names[3 + i]))
                                        for i in range(3)]]))
    assert r.status_code == 200 and all(x["status"] == "ACCEPTED" for x in r.json()["results"]), r.text
    made = {gid: g for gid, g in _groups(engine).items() if g[0] == "nik"}
    assert sorted((k, key, st, frozenset(m)) for k, key, st, m in made.values()) == sorted(
        ("nik", niks[i], "OPEN", frozenset({ids[i], ids[3 + i]})) for i in range(3))

    # Another batch: a third holder of NIK 0 and the second holder of NIK 1 edited away; both groups
    # are reused (same ids) with their new members, the group of NIK 1 is dissolved, NIK 2's is kept.
    extra = str(uuid.uuid4())
    _send(api, dev, [
        op(extra, member(ha, DESA_A, nik=niks[0], born=born, name="Maya Sari")),
        op(ids[1], member(ha, DESA_A, serial=77, born=born, name=names[1]), base_version=1, local_rev=2),
    ])
    now = {gid: g for gid, g in _groups(engine).items() if g[0] == "nik"}
    assert set(now) == set(made)
    by_key = {key: (gid, st, m) for gid, (_k, key, st, m) in now.items()}
    assert by_key[niks[0]][1:] == ("OPEN", {ids[0], ids[3], extra})
    assert by_key[niks[1]][1] == "DISSOLVED"
    assert by_key[niks[2]][1:] == ("OPEN", {ids[2], ids[5]})
    assert {gid for gid, *_ in by_key.values()} == set(made)
