"""PostgreSQL at national size (migrations 0004 and 0007): the big tables are partitioned by province,
the rows of an existing database move into their partitions (and 0007's households, members and
proposals into theirs), and the pull reads only its province's partition."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import Engine, insert, text

from domain import regions
from server import db, migrate
from server.models import EntryVersion, table_of
from tests.support.pg import fresh_schema_url
from tests.support.serverapp import make_api
from tests.support.serverdata import DESA_A, KEC, batch, many_payloads, person_ops

pytestmark = pytest.mark.postgres
BIG = ("srv_entry", "srv_entry_version", "srv_applied_op")
RECORDS = ("srv_household", "srv_member", "srv_proposal", "srv_record_version")


@pytest.fixture
def pg_url() -> Iterator[str]:
    with fresh_schema_url() as url:
        yield url


def _partitions(engine: Engine, table: str) -> dict[str, int]:
    """partition name -> rows in it."""
    with engine.connect() as c:
        names = c.execute(text("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                               "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = :t "
                               "AND p.relnamespace = to_regnamespace(current_schema())::oid"), {"t": table}).scalars()
        return {n: c.execute(text(f'SELECT count(*) FROM "{n}"')).scalar_one() for n in names}


def _plan(engine: Engine, sql: str, **params: object) -> str:
    with engine.connect() as c:
        return "\n".join(c.execute(text("EXPLAIN " + sql), params).scalars())


def test_existing_rows_move_into_province_partitions(pg_url: str) -> None:
    engine = db.make_engine(pg_url)
    cfg = migrate.alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
    now = datetime(2026, 11, 1, tzinfo=UTC)
    p = many_payloads(DESA_A, 1)[0]
    rid = str(uuid.uuid4())
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO srv_entry (record_id, desa_code, kecamatan_code, kabkota_code, nik, kk, "
                          "name_key, birth_date, programme, criteria, version, change_seq, deleted, voided, "
                          "review_state, flags, device_id, last_batch_id, created_at, updated_at, payload, warnings) "
                          "VALUES (:r, :d, :k, :kb, :nik, :kk, 'x', '1980-01-01', 'PKH', '', 1, 4, false, false, "
                          "'PENDING', '[]', 'dev', 'b1', :now, :now, :p, '[]')"),
                     {"r": rid, "d": DESA_A, "k": DESA_A[:6], "kb": DESA_A[:4], "nik": p["nik"], "kk": p["kk"],
                      "now": now, "p": json.dumps(p)})
        conn.execute(text("INSERT INTO srv_entry_version (record_id, version, change, payload, review_state, "
                          "created_at) VALUES (:r, 1, 'create', '{}', 'PENDING', :now)"), {"r": rid, "now": now})
        conn.execute(text("INSERT INTO srv_applied_op (op_id, record_id, batch_id, status, version) VALUES "
                          "('op-1', :r, 'b1', 'ACCEPTED', 1), ('op-2', 'never-stored', 'b1', 'ACCEPTED', NULL)"),
                     {"r": rid})
    migrate.upgrade(engine)
    province = DESA_A[:2]
    # 0007 moved the entry into a household, a member and a proposal (each with a migrate history row,
    # the entry's version beside them) and put the entry op's two derived op ids on the ledger.
    want = {"srv_entry": 1, "srv_entry_version": 1, "srv_applied_op": 1 + 2, "srv_household": 1, "srv_member": 1,
            "srv_proposal": 1, "srv_record_version": 3 + 1}
    for table in (*BIG, *RECORDS):
        parts = _partitions(engine, table)
        assert len(parts) == len(regions.province_codes()) + 1  # one per province + DEFAULT
        assert parts[f"{table}_p{province}"] == want[table], (table, parts)
    assert _partitions(engine, "srv_applied_op")["srv_applied_op_pdefault"] == 1  # no entry, no province
    # New rows after the upgrade go to their partition too, and the history's serial goes on.
    with engine.begin() as conn:
        conn.execute(insert(table_of(EntryVersion)), [{"record_id": rid, "province_code": province, "version": 2,
                                                       "change": "update", "payload": "{}",
                                                       "review_state": "PENDING", "created_at": now}])
        ids = conn.execute(text("SELECT id FROM srv_entry_version ORDER BY id")).scalars().all()
    assert ids == [1, 2] and _partitions(engine, "srv_entry_version")[f"srv_entry_version_p{province}"] == 2
    engine.dispose()


def test_ingest_and_pull_run_on_partitions_and_read_one_province(pg_url: str) -> None:
    engine = db.make_engine(pg_url)
    migrate.upgrade(engine)
    for api in make_api(engine):
        api.user("op1", "operator", DESA_A)
        dev = api.device("op1", DESA_A)
        ids = [str(uuid.uuid4()) for _ in range(3)]
        people = many_payloads(DESA_A, 3)
        ops = [o for i, p in zip(ids, people, strict=True) for o in person_ops(p, i)]
        r = api.send("op1", batch(dev, ops))
        assert r.status_code == 200 and {x["status"] for x in r.json()["results"]} == {"ACCEPTED"}
        # Lookups limited to the province's partition still find the ledger and the records.
        again = api.send("op1", batch(dev, ops))
        assert {x["status"] for x in again.json()["results"]} == {"DUPLICATE"}
        [_h, _m, prop] = person_ops(people[1], ids[1], base_version=1, local_rev=2)
        prop["payload"]["note"] = "Rumah rusak"
        edit = api.send("op1", batch(dev, [prop]))
        assert edit.json()["results"][0]["status"] == "ACCEPTED" and edit.json()["results"][0]["version"] == 2
        page = api.changes("op1", dev)
        assert sorted(c["record"]["record_id"] for c in page["changes"] if c["type"] == "proposal") == sorted(ids)
    province = DESA_A[:2]
    for table, n in (("srv_household", 3), ("srv_member", 3), ("srv_proposal", 3), ("srv_applied_op", 10)):
        assert _partitions(engine, table)[f"{table}_p{province}"] == n, table
    # The desa pull and the kecamatan list touch the province's partition only (pruning).
    p = f"srv_proposal_p{province}"
    pull = _plan(engine, "SELECT record_id FROM srv_proposal WHERE province_code = :p AND desa_code = :d "
                 "AND change_seq > 0 ORDER BY change_seq LIMIT 500", p=province, d=DESA_A)
    review = _plan(engine, "SELECT record_id FROM srv_proposal WHERE province_code = :p AND kecamatan_code = :k "
                   "ORDER BY desa_code, change_seq LIMIT 500", p=province, k=KEC)
    for plan in (pull, review):
        assert p in plan and "srv_proposal_p11" not in plan and "pdefault" not in plan, plan
    engine.dispose()
