"""Ids of the records made from the old entries (docs/decisions/0005-household-model.md): the
village's migration and the server's compute them alike, so the two sides agree without talking,
and a converted op resent after the migration is recognised by its id.

    household_id_for("1902012003", "1902011403123100")   same KK in the same desa -> same household
    member_id_for("1902012003", "1902010905780001")      same NIK in the same desa -> same member
    derived_op_id(old_op_id, RecordType.MEMBER)           the member op made from an old entry op
"""

from __future__ import annotations

import uuid

from domain.records import RecordType

# Fixed forever: changing it would make the two sides disagree.
NAMESPACE = uuid.UUID("6f1d3c2e-5b0a-4f7e-9c41-2a8e7d3b9f10")


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def household_id_for(desa_code: str, kk: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"household|{_digits(desa_code)}|{_digits(kk)}"))


def member_id_for(desa_code: str, nik: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"member|{_digits(desa_code)}|{_digits(nik)}"))


def derived_op_id(old_op_id: str, record_type: RecordType) -> str:
    """The op id of the household or member op made from one old entry op; the proposal op keeps
    the old id itself."""
    if record_type is RecordType.PROPOSAL:
        return old_op_id
    return str(uuid.uuid5(NAMESPACE, f"{old_op_id}|{record_type.value}"))
