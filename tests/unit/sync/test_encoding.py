"""The wire encoding of a protocol-2 batch: compact, deterministic, and exactly what the server parses."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from domain.records import HouseholdPayload, Housing, MemberPayload, ProposalPayload, RecordType
from domain.states import OpKind
from local_db.models import Outbox
from sync.client import gzip_bytes
from sync.protocol import RecordBatchRequest
from sync.wire import body_hash, encode_body, op_wire, validate_op, validation_messages

HOUSEHOLD = HouseholdPayload(kk="1902010101100001", desa_code="1902012003", address="Jl. Melati",
                             housing=Housing(tenure="milik_sendiri"))
MEMBER = MemberPayload(household_id="hh-00000001", nik="1902015705800001", name="Siti Aminah",
                       birth_date="1980-05-17", sex="P", relation="kepala_keluarga")
PROPOSAL = ProposalPayload(programme="PKH", household_id="hh-00000001", pengurus_id="mb-00000001")


def outbox(record_type: RecordType = RecordType.MEMBER, payload: object = MEMBER, **kw: object) -> Outbox:
    base: dict[str, object] = dict(op_id="op-000001", seq=1, record_id="rec-000001", kind=OpKind.UPSERT, local_rev=1,
                                   base_version=None, payload=payload.model_dump_json(),  # type: ignore[attr-defined]
                                   created_at=datetime(2026, 1, 1, tzinfo=UTC), record_type=record_type.value)
    base.update(kw)
    return Outbox(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize("record_type, payload, sent", [
    (RecordType.HOUSEHOLD, HOUSEHOLD, {"kk", "desa_code", "address", "housing"}),
    (RecordType.MEMBER, MEMBER, {"household_id", "nik", "name", "birth_date", "sex", "relation"}),
    (RecordType.PROPOSAL, PROPOSAL, {"programme", "household_id", "pengurus_id"}),
])
def test_each_op_names_its_record_type_default_fields_are_left_off_and_the_server_reads_them_back(
        record_type: RecordType, payload: object, sent: set[str]) -> None:
    wire = op_wire(outbox(record_type, payload))
    assert wire["record_type"] == record_type.value and "base_version" not in wire
    assert set(wire["payload"]) == sent
    req = RecordBatchRequest.model_validate_json(encode_body("device-0001", [wire]))
    assert req.ops[0].record_type is record_type and req.ops[0].payload == payload
    assert req.ops[0].base_version is None and req.record_count == 1


def test_a_resent_batch_is_byte_for_byte_the_same() -> None:
    rows = [outbox(RecordType.HOUSEHOLD, HOUSEHOLD),
            outbox(op_id="op-000002", record_id="rec-000002", base_version=3, local_rev=4)]
    a = gzip_bytes(encode_body("device-0001", [op_wire(r) for r in rows]))
    b = gzip_bytes(encode_body("device-0001", [op_wire(r) for r in rows]))
    assert a == b  # no gzip timestamp, no dict-order surprises
    assert body_hash(gzip.decompress(a)) == body_hash(encode_body("device-0001", [op_wire(r) for r in rows]))
    assert json.loads(gzip.decompress(a))["ops"][1]["base_version"] == 3


def test_a_delete_op_carries_the_record_as_deleted() -> None:
    wire = op_wire(outbox(RecordType.PROPOSAL, PROPOSAL, kind=OpKind.DELETE))
    assert wire["kind"] == "DELETE" and wire["payload"]["programme"] == "PKH"
    validate_op(wire)


def test_an_op_over_the_wire_limits_is_refused_naming_the_field_in_indonesian() -> None:
    wire = op_wire(outbox(RecordType.MEMBER, MEMBER))
    wire["payload"]["notes"] = "x" * 2000
    with pytest.raises(ValidationError) as err:
        validate_op(wire)
    (msg,) = validation_messages(err.value, "member")
    assert msg["field"] == "notes"
    assert msg["message"].startswith("Isian Catatan pada anggota ini tidak bisa dikirim")
