"""Cek status: NIK + KK in; only when both belong to one member, that person's programmes in plain words.

Every path does the same work (one member lookup by NIK with the KK in the join, then one proposal
lookup, with ids that match nothing when no member matched), and the caller pads every answer to the
same floor (server.public.api), so a wrong pair, an unknown NIK and a NIK without proposals look and
take alike."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import and_, or_, select
from sqlmodel import Session

from domain import idnumbers, regions
from domain.programmes import Catalogue
from server.models import HouseholdRow, MemberRow, ProposalRow, table_of
from server.public.states import proposal_words

_M = table_of(MemberRow)
_H = table_of(HouseholdRow)
_P = table_of(ProposalRow)
_NOTHING = "-"  # an id no record has: the proposal query still runs when no member matched

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


class StatusInputError(ValueError):
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
    live = and_(_M.c.deleted.is_(False), _M.c.voided.is_(False), _H.c.deleted.is_(False), _H.c.voided.is_(False))
    members = session.execute(
        select(_M.c.record_id, _M.c.household_id, _M.c.desa_code)
        .join(_H, _H.c.record_id == _M.c.household_id)
        .where(_M.c.nik == nik, _H.c.kk == kk, live)
    ).all()
    member_ids = [m.record_id for m in members] or [_NOTHING]
    household_ids = [m.household_id for m in members] or [_NOTHING]
    rows = session.execute(
        select(_P.c.programme, _P.c.review_state, _P.c.review_reason_code, _P.c.payload, _P.c.desa_code)
        .where(or_(_P.c.member_id.in_(member_ids),
                   and_(_P.c.member_id == "", _P.c.household_id.in_(household_ids))),
               _P.c.type == "new", _P.c.deleted.is_(False), _P.c.voided.is_(False))
        .order_by(_P.c.programme)
    ).all()
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
