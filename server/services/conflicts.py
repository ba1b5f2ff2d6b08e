"""Conflict classification of one village edit against the server's copy (design.md §4 table).

Pure functions over payload dicts, so every row of the table is testable without a database. The
compared fields are the record type's village-owned fields (domain.records *_FIELDS); `follow` are
operator annotations that go with the village edit in a merge (a member's override reason).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from domain.records import HOUSEHOLD_FIELDS, MEMBER_FIELDS, PROPOSAL_FIELDS, RecordType

FIELDS: dict[RecordType, tuple[str, ...]] = {RecordType.HOUSEHOLD: HOUSEHOLD_FIELDS, RecordType.MEMBER: MEMBER_FIELDS,
                                             RecordType.PROPOSAL: PROPOSAL_FIELDS}
FOLLOW: dict[RecordType, tuple[str, ...]] = {RecordType.HOUSEHOLD: (), RecordType.MEMBER: ("override_reason",),
                                             RecordType.PROPOSAL: ()}


class Outcome(StrEnum):
    APPLY = "apply"  # base is current: take the village edit
    NOOP = "noop"  # the edit equals the server copy
    MERGE = "merge"  # stale base, different fields changed: merged, soft conflict
    HARD = "hard"  # stale base, same fields changed differently: server values kept


@dataclass(frozen=True, slots=True)
class Classification:
    outcome: Outcome
    payload: dict[str, Any] = field(default_factory=dict)  # what to store for APPLY/MERGE
    fields: tuple[str, ...] = ()  # village-changed fields (MERGE) or contested fields (HARD)


def changed_fields(a: dict[str, Any], b: dict[str, Any] | None, fields: Sequence[str]) -> set[str]:
    if b is None:
        return set(fields)
    return {f for f in fields if a.get(f) != b.get(f)}


def classify_upsert(
    new: dict[str, Any],
    current: dict[str, Any],
    *,
    base_version: int | None,
    current_version: int,
    base_payload: dict[str, Any] | None,
    record_type: RecordType,
) -> Classification:
    """`base_payload` is the server's payload at `base_version` (None when unknown)."""
    fields, follow = FIELDS[record_type], FOLLOW[record_type]
    if not changed_fields(new, current, (*fields, *follow)):
        return Classification(Outcome.NOOP, dict(current))
    if base_version == current_version:
        return Classification(Outcome.APPLY, dict(new))
    village = changed_fields(new, base_payload, fields)
    server = changed_fields(current, base_payload, fields)
    contested = sorted(f for f in village & server if new.get(f) != current.get(f))
    if contested:
        return Classification(Outcome.HARD, dict(current), tuple(contested))
    merged = dict(current)
    for f in (*village, *follow):
        merged[f] = new.get(f)
    return Classification(Outcome.MERGE, merged, tuple(sorted(village)))
