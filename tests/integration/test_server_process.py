"""The real `bansos-server serve` process: start, ingest, pull, failpoints, restart on the same DB."""

from __future__ import annotations

import gzip
import json
import uuid
from pathlib import Path

import requests

from tests.support.serverdata import batch, payload, person_ops
from tests.support.serverproc import ServerProcess, running_server  # noqa: F401  (fixture)


def _post(srv: ServerProcess, user: str, body: dict, key: str) -> requests.Response:
    return srv.post("/api/v1/sync/batches", user, data=gzip.compress(json.dumps(body).encode()),
                    headers={"Idempotency-Key": key, "Content-Encoding": "gzip", "Content-Type": "application/json"})


def test_gzip_batch_then_pull_over_loopback(running_server: ServerProcess) -> None:  # noqa: F811
    srv = running_server
    dev = srv.register_device("op1")
    rid = str(uuid.uuid4())
    ops = person_ops(payload(), rid)
    r = _post(srv, "op1", batch(dev, ops), "batch-0001")
    assert r.status_code == 200, r.text
    assert [x["status"] for x in r.json()["results"]] == ["ACCEPTED"] * 3
    page = srv.get("/api/v1/sync/changes", "op1", params={"since": 0, "device_id": dev}).json()
    assert [c["record"]["record_id"] for c in page["changes"]] == [o["record_id"] for o in ops]
    assert page["has_more"] is False
    # One worker still writes the application's log lines: the batch by id, never a NIK or a name.
    log = srv.log_text()
    assert "bansos.server.ingest" in log and "batch-0001" in log, log[-2000:]
    member = next(o["payload"] for o in ops if o["record_type"] == "member")
    assert member["nik"] not in log and member["name"] not in log


def test_failpoint_before_commit_loses_nothing_after_restart(tmp_path: Path) -> None:
    with ServerProcess(tmp_path, failpoints="ingest_before_commit=exit").setup() as srv:
        dev = srv.register_device("op1")
        body = batch(dev, person_ops(payload()))
        try:
            _post(srv, "op1", body, "batch-fp-01")
            raise AssertionError("the failpoint should have killed the server mid-request")
        except requests.ConnectionError:
            pass
        assert srv.wait_exit(30) == 1
        srv.restart()
        # Nothing was committed: the same batch now applies, exactly once.
        first = _post(srv, "op1", body, "batch-fp-01")
        again = _post(srv, "op1", body, "batch-fp-01")
        assert first.status_code == again.status_code == 200
        assert first.json()["results"][0]["status"] == "ACCEPTED"
        assert again.json() == first.json()


def test_failpoint_after_commit_replays_stored_response(tmp_path: Path) -> None:
    with ServerProcess(tmp_path, failpoints="ingest_after_commit=exit").setup() as srv:
        dev = srv.register_device("op1")
        body = batch(dev, person_ops(payload()))
        try:
            _post(srv, "op1", body, "batch-fp-02")
        except requests.ConnectionError:
            pass
        srv.wait_exit(30)
        srv.restart()
        r = _post(srv, "op1", body, "batch-fp-02")
        assert r.status_code == 200
        assert r.json()["results"][0]["status"] == "ACCEPTED"
        page = srv.get("/api/v1/sync/changes", "op1", params={"device_id": dev}).json()
        assert len(page["changes"]) == 3  # household, member, proposal: once each


def test_real_process_on_postgresql_ingest_and_review(tmp_path: Path) -> None:
    from tests.support.pg import fresh_schema_url

    with fresh_schema_url() as url, ServerProcess(tmp_path, database_url=url).setup() as srv:
        dev = srv.register_device("op1")
        rid = str(uuid.uuid4())
        r = _post(srv, "op1", batch(dev, person_ops(payload(), rid)), "batch-pg-0001")
        assert r.status_code == 200 and {x["status"] for x in r.json()["results"]} == {"ACCEPTED"}
        d = srv.post("/api/v1/review/decisions", "rev1", json={"record_ids": [rid], "decision": "approve"})
        assert d.status_code == 200 and d.json()["decided"] == 1
        page = srv.get("/api/v1/sync/changes", "op1", params={"device_id": dev}).json()
        assert page["changes"][-1]["record"]["review_state"] == "APPROVED"
        # Another kecamatan's reviewer sees nothing of it.
        assert srv.get(f"/api/v1/review/proposals/{rid}", "rev2").status_code == 404


def test_concurrent_sends_of_the_same_batch_apply_once(running_server: ServerProcess) -> None:  # noqa: F811
    import threading

    srv = running_server
    dev = srv.register_device("op1")
    body = batch(dev, [o for i in range(1, 21) for o in person_ops(payload(serial=i, kk_serial=i))])
    answers: list[requests.Response] = []

    def send() -> None:
        answers.append(_post(srv, "op1", body, "batch-concurrent-01"))

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [a.status_code for a in answers] == [200] * 6
    assert all(a.json() == answers[0].json() for a in answers)
    page = srv.get("/api/v1/sync/changes", "op1", params={"device_id": dev, "limit": 100}).json()
    assert len(page["changes"]) == 60
