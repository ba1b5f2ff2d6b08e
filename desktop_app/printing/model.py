"""View models of the printed documents: plain dataclasses, no Qt, no SQL.

The builders in documents.py read only these, so a new data source (the server's review data)
needs a new provider, never a new document. source.py fills them from the household model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Status(StrEnum):
    """Where a proposal stands, in the words a printed list uses."""

    PROPOSED = "proposed"  # drawn up / sent, not decided yet
    APPROVED = "approved"
    REJECTED = "rejected"
    RETURNED = "returned"


STATUS_LABELS: dict[Status, str] = {
    Status.PROPOSED: "Diusulkan",
    Status.APPROVED: "Disetujui",
    Status.REJECTED: "Ditolak",
    Status.RETURNED: "Dikembalikan untuk perbaikan",
}


@dataclass(frozen=True, slots=True)
class Person:
    nik: str
    name: str
    sex: str  # "L" / "P"
    birth_place: str = ""
    birth_date: date | None = None
    relation: str = ""  # relationship to the head, as printed on the KK ("Istri"); "" when not recorded
    criteria: tuple[str, ...] = ()  # codes of domain.criteria


@dataclass(frozen=True, slots=True)
class Proposal:
    record_id: str
    programme: str  # code of domain.programmes
    recipient: Person
    criteria: tuple[str, ...] = ()
    status: Status = Status.PROPOSED
    reason: str = ""  # rejection reason text
    note: str = ""
    recorded: date | None = None
    # A household programme (PKH, BPNT, ...): the family's proposal, `recipient` is its pengurus.
    household: bool = False


@dataclass(frozen=True, slots=True)
class Family:
    kk: str
    desa_code: str
    dusun: str
    rt: str
    rw: str
    address: str  # the household sheet only; never a public list
    members: tuple[Person, ...]  # the head first
    proposals: tuple[Proposal, ...] = ()

    @property
    def head(self) -> Person:
        return self.members[0]

    @property
    def rt_rw(self) -> str:
        return f"{self.rt or '-'}/{self.rw or '-'}"


@dataclass(frozen=True, slots=True)
class Meeting:
    """The Musdesus fields the minutes print (the meeting record itself belongs to issue 12's model)."""

    held_on: date
    place: str = ""
    chair: str = ""
    secretary: str = ""
    village_head: str = ""
    present: int = 0
    started_at: str = ""  # "09.00" as written; empty: a blank line to fill in by hand


@dataclass(frozen=True, slots=True)
class DecisionRow:
    name: str
    nik: str
    desa_name: str
    programme: str
    status: Status
    reason: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class DecisionBatch:
    batch_id: str
    desa_name: str = ""
    operator: str = ""
    received_at: datetime | None = None
    reviewer: str = ""
    rows: tuple[DecisionRow, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Letterhead:
    """What every document shares: the kop, where it is signed, for which period and programme."""

    kop: tuple[str, ...]
    desa_name: str  # "Buluh Tumbang"
    desa_kind: str = "Desa"  # "Desa" or "Kelurahan"
    place: str = ""  # the place on a signature block; the desa name by default
    printed_on: date | None = None
    period: str = ""  # "2025-07" or ""
    programme: str = ""  # code filter or ""
    operator: str = ""
    programme_names: dict[str, str] = field(default_factory=dict)

    def programme_name(self, code: str) -> str:
        return self.programme_names.get(code, code)
