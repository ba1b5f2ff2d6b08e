"""How an outbox op and a batch look on the wire (protocol 2): compact, deterministic JSON (a resend
is byte for byte the same), and the messages an op that fails the wire schema is marked INVALID with."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError

from domain.household_check import LABELS as HOUSEHOLD_LABELS
from domain.member_check import LABELS as MEMBER_LABELS
from domain.proposal_check import LABELS as PROPOSAL_LABELS
from domain.records import PAYLOADS, RecordType
from sync.protocol import RecordOp


def _defaults(model: type[BaseModel]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, f in model.model_fields.items():
        if f.is_required():
            continue
        value = f.default_factory() if f.default_factory is not None else f.default  # type: ignore[call-arg]
        out[name] = value.model_dump(mode="json") if isinstance(value, BaseModel) else value
    return out


# Payload fields whose default value is left off the wire (the payload model fills them back in).
_PAYLOAD_DEFAULTS: dict[str, dict[str, Any]] = {t.value: _defaults(m) for t, m in PAYLOADS.items()}
_LABELS = {RecordType.HOUSEHOLD.value: HOUSEHOLD_LABELS, RecordType.MEMBER.value: MEMBER_LABELS,
           RecordType.PROPOSAL.value: PROPOSAL_LABELS}
validate_op = RecordOp.__pydantic_validator__.validate_python
compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class OpRow(Protocol):
    """What op_wire reads: an Outbox ORM object or a Core row of the outbox table."""

    @property
    def op_id(self) -> str: ...
    @property
    def record_type(self) -> str | None: ...
    @property
    def record_id(self) -> str: ...
    @property
    def local_rev(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def base_version(self) -> int | None: ...
    @property
    def payload(self) -> str: ...


def op_wire(row: OpRow) -> dict[str, Any]:
    """One outbox row as a compact wire op: default-valued payload fields are left out."""
    rtype = str(row.record_type)
    op: dict[str, Any] = {"op_id": row.op_id, "record_type": rtype, "record_id": row.record_id,
                          "local_rev": row.local_rev, "kind": str(row.kind)}
    if row.base_version is not None:
        op["base_version"] = row.base_version
    payload = json.loads(row.payload) if row.payload else None
    if payload is not None:
        defaults = _PAYLOAD_DEFAULTS.get(rtype, {})
        op["payload"] = {k: v for k, v in payload.items() if not (k in defaults and v == defaults[k])}
    return op


@dataclass(frozen=True, slots=True)
class WireOp:
    """One op of a batch as it goes out: its keys for applying the answer, and its encoded JSON."""

    op_id: str
    record_type: str
    record_id: str
    local_rev: int
    text: str

    @classmethod
    def of(cls, row: OpRow) -> WireOp:
        return cls(row.op_id, str(row.record_type), row.record_id, row.local_rev, compact(op_wire(row)))


def encode_body(device_id: str, ops: Sequence[dict[str, Any]]) -> bytes:
    """The batch body (RecordBatchRequest): deterministic for the same ops, so a resend is byte-for-byte the same."""
    return encode_texts(device_id, [compact(op) for op in ops])


def encode_texts(device_id: str, op_texts: Sequence[str]) -> bytes:
    """encode_body from ops already encoded one by one (the same bytes: compact JSON joins with ",")."""
    head = compact({"device_id": device_id, "record_count": len(op_texts)})
    return f'{head[:-1]},"ops":[{",".join(op_texts)}]}}'.encode()


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def errors_json(messages: Iterable[dict[str, str]]) -> str:
    """conflict_data of an INVALID record."""
    return json.dumps({"kind": "invalid", "errors": list(messages)}, ensure_ascii=False)


def validation_messages(e: ValidationError, record_type: str = "") -> list[dict[str, str]]:
    """Why an op cannot go out, per field, in Indonesian."""
    noun = {RecordType.HOUSEHOLD.value: "keluarga", RecordType.MEMBER.value: "anggota",
            RecordType.PROPOSAL.value: "usulan"}.get(record_type, "data")
    labels = _LABELS.get(record_type, {})
    out = []
    for err in e.errors()[:10]:
        loc = [str(p) for p in err.get("loc", ()) if p != "payload"]
        fld = ".".join(loc[:2]) if loc[:1] == ["housing"] else (loc[0] if loc else "")
        label = labels.get(fld, fld)
        out.append({"field": fld, "code": "schema",
                    "message": f"Isian {label or noun} pada {noun} ini tidak bisa dikirim: {err.get('msg', '')}."})
    return out
