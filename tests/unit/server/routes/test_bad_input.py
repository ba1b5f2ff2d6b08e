"""Bad input is a 4xx with a clear message, nothing applied, never a 500."""

from __future__ import annotations

import gzip
import json
import uuid
import zlib

from sqlmodel import Session, func, select

from server.models import AppliedOp, Batch, HouseholdRow, MemberRow, ProposalRow
from tests.support.serverapp import Api
from tests.support.serverdata import DESA_A, DESA_B, batch, household, member, op, payload, person_ops


def _setup(api: Api) -> str:
    api.user("op1", "operator", DESA_A)
    return api.device("op1", DESA_A)


def _post_raw(api: Api, data: bytes, *, gz: bool = False, key: str | None = None) -> tuple[int, str]:
    headers = {**api.auth("op1"), "Idempotency-Key": key or uuid.uuid4().hex, "Content-Type": "application/json"}
    if gz:
        headers["Content-Encoding"] = "gzip"
    r = api.client.post("/api/v1/sync/batches", content=data, headers=headers)
    return r.status_code, str(r.json().get("detail", ""))


def _nothing_applied(api: Api) -> None:
    with Session(api.engine) as s:
        for model in (HouseholdRow, MemberRow, ProposalRow, AppliedOp, Batch):
            assert s.exec(select(func.count()).select_from(model)).one() == 0


def test_malformed_json(api: Api) -> None:
    _setup(api)
    status, msg = _post_raw(api, b'{"device_id": "x", "ops": [')
    assert status == 422 and "bukan JSON" in msg
    _nothing_applied(api)


def test_wrong_types(api: Api) -> None:
    dev = _setup(api)
    body = batch(dev, person_ops(payload()), manifest=False)
    body["ops"][0]["local_rev"] = "satu"
    body["ops"][1]["payload"]["criteria"] = "lansia"
    body["ops"][2]["record_type"] = "entry"  # a protocol-1 kind of record
    status, msg = _post_raw(api, json.dumps(body).encode())
    # The typed payload is parsed by RecordOp's own validator, so its errors are named without "payload".
    assert status == 422 and "ops.0.local_rev" in msg and "ops.1.criteria" in msg and "ops.2.record_type" in msg
    status, msg = _post_raw(api, b"[1, 2, 3]")
    assert status == 422
    _nothing_applied(api)


def test_gzip_bomb_is_refused_without_inflating_it(api: Api) -> None:
    dev = _setup(api)
    prefix = json.dumps(batch(dev, person_ops(payload()), manifest=False))[:-1].encode()
    # 64 MiB of spaces (twice the decompressed limit) in well under a MB of gzip.
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    bomb = comp.compress(prefix) + b"".join(comp.compress(b" " * (1 << 20)) for _ in range(64)) + comp.flush()
    assert len(bomb) < 2 * 1024 * 1024
    status, msg = _post_raw(api, bomb, gz=True)
    assert status == 413 and "gzip" in msg
    _nothing_applied(api)


def test_broken_gzip(api: Api) -> None:
    _setup(api)
    status, msg = _post_raw(api, b"\x1f\x8b\x08\x00garbage", gz=True)
    assert status == 400 and "gzip" in msg
    status, msg = _post_raw(api, gzip.compress(b'{"a": 1}')[:-6], gz=True)
    assert status == 400
    _nothing_applied(api)


def test_body_over_the_size_limit(api: Api) -> None:
    _setup(api)
    status, msg = _post_raw(api, b" " * (8 * 1024 * 1024 + 1))
    assert status == 413 and "terlalu besar" in msg
    _nothing_applied(api)


def test_fifteen_digit_nik_is_invalid_with_a_message(api: Api) -> None:
    dev = _setup(api)
    hid = str(uuid.uuid4())
    r = api.send("op1", batch(dev, [op(hid, household()), op(p=member(hid, nik="190201570580000"))]))
    assert r.status_code == 200
    [_h, res] = r.json()["results"]
    assert res["status"] == "INVALID"
    assert res["errors"][0]["field"] == "nik" and "16 digit" in res["errors"][0]["message"]
    with Session(api.engine) as s:
        assert s.exec(select(func.count()).select_from(MemberRow)).one() == 0


def test_unknown_desa_refuses_the_whole_batch(api: Api) -> None:
    dev = _setup(api)
    r = api.send("op1", batch(dev, [op(p=household()), op(p=household(desa_code="1902019999", serial=2))]))
    assert r.status_code == 422 and "tidak dikenal" in r.json()["detail"]
    _nothing_applied(api)


def test_batch_for_another_desa_refuses_the_whole_batch(api: Api) -> None:
    dev = _setup(api)
    r = api.send("op1", batch(dev, [op(p=household()), op(p=household(DESA_B, serial=2))]))
    assert r.status_code == 422 and "milik desa lain" in r.json()["detail"]
    _nothing_applied(api)


def test_device_of_another_account_is_403(api: Api) -> None:
    dev = _setup(api)
    api.user("op1b", "operator", DESA_A)
    r = api.send("op1b", batch(dev, person_ops(payload())))
    assert r.status_code == 403
    _nothing_applied(api)


def test_missing_idempotency_key_and_unknown_encoding(api: Api) -> None:
    dev = _setup(api)
    r = api.client.post("/api/v1/sync/batches", json=batch(dev, person_ops(payload())), headers=api.auth("op1"))
    assert r.status_code == 422 and "Idempotency-Key" in r.json()["detail"]
    r = api.client.post("/api/v1/sync/batches", content=b"{}", headers={
        **api.auth("op1"), "Idempotency-Key": "k" * 10, "Content-Encoding": "br"})
    assert r.status_code == 415
    _nothing_applied(api)


def test_repeated_op_id_inside_a_batch(api: Api) -> None:
    dev = _setup(api)
    o = op(p=household())
    r = api.send("op1", batch(dev, [o, {**o}]))
    assert r.status_code == 422 and "dua kali" in r.json()["detail"]
    _nothing_applied(api)


def test_too_many_ops_for_the_server_setting(engine: object) -> None:
    from tests.support.serverapp import make_api

    for small in make_api(engine, max_ops_per_batch=3):  # type: ignore[arg-type]
        small.user("op1", "operator", DESA_A)
        dev = small.device("op1", DESA_A)
        r = small.send("op1", batch(dev, [op(p=household(serial=i)) for i in range(1, 5)]))
        assert r.status_code == 413 and "paling banyak 3" in r.json()["detail"]
