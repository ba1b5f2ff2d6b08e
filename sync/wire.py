"""How an outbox op and a batch look on the wire: compact, deterministic JSON (a resend is byte for
byte the same), and the messages an op that fails the wire schema is marked INVALID with."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import ValidationError

from sync.protocol import EntryPayload, Op

# Payload fields whose default value is left off the wire (EntryPayload fills them back in).
_PAYLOAD_DEFAULTS: dict[str, Any] = {
    name: (f.default_factory() if f.default_factory is not None else f.default)  # type: ignore[call-arg]
    for name, f in EntryPayload.model_fields.items()
    if not f.is_required()
}
validate_op = Op.__pydantic_validator__.validate_python
compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class OpRow(Protocol):
    """What op_wire reads: an Outbox ORM object or a Core row of the outbox table."""

    @property
    def op_id(self) -> str: ...
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
    """One outbox row as a compact wire op: default-valued fields are left out."""
    op: dict[str, Any] = {"op_id": row.op_id, "record_id": row.record_id, "local_rev": row.local_rev,
                          "kind": str(row.kind)}
    if row.base_version is not None:
        op["base_version"] = row.base_version
    payload = json.loads(row.payload) if row.payload else None
    if payload is not None:
        op["payload"] = {k: v for k, v in payload.items()
                         if not (k in _PAYLOAD_DEFAULTS and v == _PAYLOAD_DEFAULTS[k])}
    return op


@dataclass(frozen=True, slots=True)
class WireOp:
    """One op of a batch as it goes out: its keys for applying the answer, and its encoded JSON."""

    op_id: str
    record_id: str
    local_rev: int
    text: str

    @classmethod
    def of(cls, row: OpRow) -> WireOp:
        return cls(row.op_id, row.record_id, row.local_rev, compact(op_wire(row)))


def encode_body(device_id: str, ops: Sequence[dict[str, Any]]) -> bytes:
    """The batch body: deterministic for the same ops, so a resend is byte-for-byte the same."""
    return encode_texts(device_id, [compact(op) for op in ops])


def encode_texts(device_id: str, op_texts: Sequence[str]) -> bytes:
    """encode_body from ops already encoded one by one (the same bytes: compact JSON joins with ",")."""
    head = compact({"device_id": device_id, "entry_count": len(op_texts)})
    return f'{head[:-1]},"ops":[{",".join(op_texts)}]}}'.encode()


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def errors_json(messages: Iterable[dict[str, str]]) -> str:
    """entry.conflict_data of an INVALID entry."""
    return json.dumps({"kind": "invalid", "errors": list(messages)}, ensure_ascii=False)


def validation_messages(e: ValidationError) -> list[dict[str, str]]:
    """Why an op cannot go out, per field, in Indonesian."""
    out = []
    for err in e.errors()[:10]:
        loc = [str(p) for p in err.get("loc", ()) if p != "payload"]
        fld = loc[0] if loc else ""
        out.append({"field": fld, "code": "schema",
                    "message": f"Isian {fld or 'entri'} tidak bisa dikirim: {err.get('msg', '')}."})
    return out
