"""Cek status: NIK + KK in; only when both belong to one member, that person's programmes in plain words.

Every path does the same work (one member lookup by NIK with the KK in the join, then one proposal
lookup, with ids that match nothing when no member matched), and the caller pads every answer to the
same floor (server.public.api), so a wrong pair, an unknown NIK and a NIK without proposals look and
take alike."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, bindparam, or_, select
from sqlmodel import Session

from domain import idnumbers, regions
from domain.errors import KnownError
from domain.programmes import Catalogue
from server.models import HouseholdRow, MemberRow, ProposalRow, table_of
from server.public.states import proposal_words

_M = table_of(MemberRow)
_H = table_of(HouseholdRow)
_P = table_of(ProposalRow)
_NOTHING = "-"  # an id no record has: the proposal query still runs when no member matched
_PROPOSALS = (
    select(_P.c.record_id, _P.c.programme, _P.c.review_state, _P.c.review_reason_code, _P.c.payload, _P.c.desa_code)
    .where(_P.c.province_code == bindparam("province"),
           or_(_P.c.member_id == bindparam("member_id"),
               and_(_P.c.member_id == "", _P.c.household_id == bindparam("household_id"))),
           _P.c.type == "new", _P.c.deleted.is_(False), _P.c.voided.is_(False))
)

NOT_FOUND_TEXT = ("Data tidak ditemukan. Periksa kembali NIK dan nomor KK sesuai kartu. Bila sudah benar, "
                  "berarti belum ada usulan bantuan atas nama Anda; hubungi kantor desa/kelurahan Anda atau "
                  "kirim laporan melalui menu Usul.")


@dataclass(frozen=True)
class ProgrammeStatus:
    programme: str
    programme_name: str
    state: str  # plain words (server.public.states.proposal_words)
    review_state: str


@dataclass
class StatusAnswer:
    found: bool
    programmes: list[ProgrammeStatus] = field(default_factory=list)
    desa: list[str] = field(default_factory=list)  # "Desa, Kecamatan, Kabupaten, Provinsi" to contact
    message: str = ""


class StatusInputError(KnownError):
    """NIK or KK is not 16 digits: said about the form, never about the database."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def check_input(nik: str, kk: str) -> tuple[str, str]:
    n, k = idnumbers.normalize((nik or "").strip()), idnumbers.normalize((kk or "").strip())
    errs: dict[str, str] = {}
    if not (n.isdigit() and len(n) == 16):
        errs["nik"] = "NIK harus 16 angka sesuai KTP/KK."
    if not (k.isdigit() and len(k) == 16):
        errs["kk"] = "Nomor KK harus 16 angka sesuai Kartu Keluarga."
    if errs:
        raise StatusInputError(errs)
    return n, k


def lookup(session: Session, nik: str, kk: str, catalogue: Catalogue) -> StatusAnswer:
    # The tables are partitioned by the desa's province (PostgreSQL): reading every partition costs
    # ~30 ms of planning and locks per request, so the search is limited to the provinces the KK and the
    # NIK were issued in. A family registered in a desa of another province than both is not found here
    # (its desa is asked instead). Which provinces are read depends on the numbers typed, never on what
    # the database holds, so it tells nothing.
    provinces = sorted({kk[:2], nik[:2]})
    live = and_(_M.c.deleted.is_(False), _M.c.voided.is_(False), _H.c.deleted.is_(False), _H.c.voided.is_(False))
    members = session.execute(
        select(_M.c.record_id, _M.c.household_id, _M.c.desa_code, _M.c.province_code)
        .join(_H, _H.c.record_id == _M.c.household_id)
        .where(_M.c.province_code.in_(provinces), _H.c.province_code.in_(provinces), _M.c.nik == nik, _H.c.kk == kk,
               live)
    ).all()
    # One proposal query per matching member (almost always exactly one), and one with ids that match
    # nothing when none matched. Plain equality binds keep the SQL text fixed, so PostgreSQL plans it once
    # per connection (an IN list of varying length would be planned afresh on every request).
    targets = [(m.record_id, m.household_id, m.province_code) for m in members] or [(_NOTHING, _NOTHING, kk[:2])]
    found: dict[str, Any] = {}
    for member_id, household_id, province in targets:
        params = {"member_id": member_id, "household_id": household_id, "province": province}
        for r in session.execute(_PROPOSALS, params):
            found[r.record_id] = r  # two members of one household would list its proposals twice
    rows = sorted(found.values(), key=lambda r: r.programme)
    if not members or not rows:
        return StatusAnswer(found=False, message=NOT_FOUND_TEXT)
    programmes = []
    for r in rows:
        payload = json.loads(r.payload or "{}")
        prog = catalogue.get(r.programme)
        programmes.append(ProgrammeStatus(
            programme=r.programme, programme_name=prog.name if prog else r.programme,
            state=proposal_words(r.review_state, str(payload.get("musdesus_decision", "")),
                                 reason_code=r.review_reason_code),
            review_state=r.review_state))
    desa = sorted({regions.path_text(m.desa_code) or regions.dotted(m.desa_code) for m in members})
    return StatusAnswer(found=True, programmes=programmes, desa=desa,
                        message="Data ditemukan. Untuk pertanyaan, hubungi kantor desa/kelurahan berikut.")
