"""BANSOS_READ_DATABASE_URL: review lists and the dashboard read the replica; decisions and detail
reads go to the primary. A second SQLite file stands in for the replica (a copy taken earlier, as a
lagging replica would be), so the test can tell which database answered."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from server import db
from tests.support.serverapp import Api, make_api
from tests.support.serverdata import DESA_A, KEC, batch, many_payloads, person_ops


@pytest.fixture
def replica_api(tmp_path: Path) -> Iterator[tuple[Api, Path, Path]]:
    primary, replica = tmp_path / "primary.db", tmp_path / "replica.db"
    engine: Engine = db.make_engine(f"sqlite:///{primary}")
    db.create_all(engine)
    for api in make_api(engine, read_database_url=f"sqlite:///{replica}"):
        yield api, primary, replica
    engine.dispose()


def _copy(src: Path, dst: Path) -> None:
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)


def test_lists_and_stats_come_from_the_replica_and_decisions_from_the_primary(
        replica_api: tuple[Api, Path, Path]) -> None:
    api, primary, replica = replica_api
    api.user("op1", "operator", DESA_A)
    rev = api.user("rev1", "reviewer", KEC)
    dev = api.device("op1", DESA_A)
    first = [str(uuid.uuid4()) for _ in range(2)]
    people = many_payloads(DESA_A, 3)
    assert api.send("op1", batch(dev, [o for r, p in zip(first, people, strict=False) for o in person_ops(p, r)])).status_code == 200
    _copy(primary, replica)  # the replica as of now
    late = str(uuid.uuid4())
    assert api.send("op1", batch(dev, person_ops(people[2], late))).status_code == 200

    listed = api.client.get("/api/v1/review/proposals", headers=rev).json()
    assert sorted(e["record_id"] for e in listed["items"]) == sorted(first) and listed["total"] == 2
    assert api.client.get("/api/v1/stats", headers=rev).json()["total"] == 2
    # The proposal the replica has not received yet is decided on the primary, and its detail is there.
    assert api.client.get(f"/api/v1/review/proposals/{late}", headers=rev).status_code == 200
    r = api.client.post("/api/v1/review/decisions", headers=rev, json={"record_ids": [late], "decision": "approve"})
    assert r.status_code == 200 and r.json()["decided"] == 1
    _copy(primary, replica)  # the replica catches up
    assert api.client.get("/api/v1/stats", headers=rev).json()["total"] == 3
