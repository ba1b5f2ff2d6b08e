"""Ids of records migrated from old entries: the same on every machine, distinct where they must be."""

from __future__ import annotations

import uuid

from domain.legacy_ids import NAMESPACE, derived_op_id, household_id_for, member_id_for
from domain.records import RecordType

DESA, OTHER_DESA = "1902012003", "1902012004"
KK, NIK = "1902011403123100", "1902010905780001"


def test_ids_are_stable_across_runs_and_machines() -> None:
    # Pinned values: a change here would split every migrated record in two between village and server.
    assert str(NAMESPACE) == "6f1d3c2e-5b0a-4f7e-9c41-2a8e7d3b9f10"
    assert household_id_for(DESA, KK) == "b9b1d4e7-a341-56ef-84a5-9c6d846dbfeb"
    assert member_id_for(DESA, NIK) == "48e5488d-9606-57e4-bcd7-7d241d9ee32e"
    assert household_id_for("19.02.01.2003", "1902 0114 0312 3100") == household_id_for(DESA, KK)
    assert member_id_for(DESA, NIK) == member_id_for("19.02.01.2003", NIK)


def test_ids_differ_by_desa_kind_and_number() -> None:
    ids = {household_id_for(DESA, KK), household_id_for(OTHER_DESA, KK), member_id_for(DESA, NIK),
           member_id_for(OTHER_DESA, NIK), member_id_for(DESA, KK), household_id_for(DESA, NIK)}
    assert len(ids) == 6  # the same number as KK and as NIK, or in two desas, never collides


def test_derived_op_ids() -> None:
    old = "0b8f5a8e-2f57-4f57-9b3c-1c2d3e4f5a6b"
    assert derived_op_id(old, RecordType.PROPOSAL) == old
    hh, mem = derived_op_id(old, RecordType.HOUSEHOLD), derived_op_id(old, RecordType.MEMBER)
    assert len({old, hh, mem}) == 3 and hh == derived_op_id(old, RecordType.HOUSEHOLD)
    assert len(hh) == 36 and uuid.UUID(hh).version == 5
