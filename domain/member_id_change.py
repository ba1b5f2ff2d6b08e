"""Giving a member with a temporary id the NIK that has since been issued, with the history kept.

A pure function: it returns the member's new payload and the change (old id -> NIK) for the caller
to save as one edit and one audit row; the temporary id stays in `former_ids`, so a search, a report
or a server that still knows the old id can find the person.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.entry import parse_date
from domain.idnumbers import parse_nik
from domain.issues import Issue, error
from domain.records import MemberPayload


@dataclass(frozen=True, slots=True)
class IdReplacement:
    old_id: str  # the temporary id given up
    new_nik: str  # the NIK (digits) now in force; "" when refused
    payload: MemberPayload | None  # the member after the change; None when refused
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)  # e.g. the NIK's date differs from the birth date typed

    @property
    def ok(self) -> bool:
        return self.payload is not None


def replace_temp_id(member: MemberPayload, nik: str, *, operator_kabkota: str | None = None) -> IdReplacement:
    old = member.temp_id.strip().upper()
    if not old:
        return IdReplacement(old, "", None, [error("nik", "no_temp_id",
                                                   "Anggota ini tidak memakai nomor sementara; ubah NIK lewat "
                                                   "perbaikan data biasa.")])
    parsed = parse_nik(nik, typed_birth_date=parse_date(member.birth_date), typed_sex=member.sex.upper() or None,
                       operator_kabkota=operator_kabkota)
    if parsed.errors:
        return IdReplacement(old, "", None, list(parsed.errors), list(parsed.warnings))
    new = member.model_copy(update={"nik": parsed.digits, "temp_id": "", "former_ids": [*member.former_ids, old]})
    return IdReplacement(old, parsed.digits, new, [], list(parsed.warnings))
