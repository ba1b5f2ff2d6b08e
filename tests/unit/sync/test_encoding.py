"""The wire encoding of a batch: compact, deterministic, and exactly what the server parses."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime

from domain.states import OpKind
from local_db.models import Outbox
from sync.client import gzip_bytes
from sync.protocol import BatchRequest, EntryPayload
from sync.wire import body_hash, encode_body, op_wire

PAYLOAD = EntryPayload(nik="1902015705800001", kk="1902010101100001", name="Siti Aminah", birth_date="1980-05-17",
                       sex="P", desa_code="1902012003", programme="PKH", address="Jl. Melati")


def outbox(**kw: object) -> Outbox:
    base: dict[str, object] = dict(op_id="op-000001", seq=1, record_id="rec-000001", kind=OpKind.UPSERT, local_rev=1,
                                   base_version=None, payload=PAYLOAD.model_dump_json(),
                                   created_at=datetime(2026, 1, 1, tzinfo=UTC))
    base.update(kw)
    return Outbox(**base)  # type: ignore[arg-type]


def test_default_fields_are_left_off_and_the_server_reads_them_back() -> None:
    wire = op_wire(outbox())
    assert "base_version" not in wire
    assert set(wire["payload"]) == {"nik", "kk", "name", "birth_date", "sex", "desa_code", "programme", "address"}
    req = BatchRequest.model_validate_json(encode_body("device-0001", [wire]))
    assert req.ops[0].payload == PAYLOAD
    assert req.ops[0].base_version is None and req.entry_count == 1


def test_a_resent_batch_is_byte_for_byte_the_same() -> None:
    rows = [outbox(), outbox(op_id="op-000002", record_id="rec-000002", base_version=3, local_rev=4)]
    a = gzip_bytes(encode_body("device-0001", [op_wire(r) for r in rows]))
    b = gzip_bytes(encode_body("device-0001", [op_wire(r) for r in rows]))
    assert a == b  # no gzip timestamp, no dict-order surprises
    assert body_hash(gzip.decompress(a)) == body_hash(encode_body("device-0001", [op_wire(r) for r in rows]))
    assert json.loads(gzip.decompress(a))["ops"][1]["base_version"] == 3


def test_a_delete_op_keeps_its_reason() -> None:
    p = PAYLOAD.model_copy(update={"delete_reason": "pindah domisili"})
    wire = op_wire(outbox(kind=OpKind.DELETE, payload=p.model_dump_json()))
    assert wire["kind"] == "DELETE" and wire["payload"]["delete_reason"] == "pindah domisili"
