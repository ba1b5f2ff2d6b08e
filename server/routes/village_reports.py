"""Citizens' reports for the village (issue 16, stage 2): the desa's open reports as a feed, and the
village's finding sent back to the ticket. The desa's operator works its own desa; a field verifier
(PSM: one desa, TKSK: one kecamatan) works any desa of its area and names it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, Field

from domain import regions
from domain.states import Role
from server.areas import covers
from server.deps import SessionDep, VerifierUser, require_protocol
from server.models import Device, User
from server.public import tickets, village

router = APIRouter(prefix="/sync/reports", tags=["sync"], dependencies=[Depends(require_protocol)])
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Belum login"}, 403: {"description": "Di luar wilayah akun, atau aplikasi versi lama"},
    404: {"description": "Laporan tidak ada di desa ini"}, 409: {"description": "Laporan sudah selesai dengan hasil lain"},
    422: {"description": "Isi tidak sah"}}


class ReportPage(BaseModel):
    items: list[dict[str, Any]]
    next_cursor: int
    has_more: bool


class OutcomeRequest(BaseModel):
    state: str = Field(description="IN_VERIFICATION, PROPOSED (layak, sudah diusulkan), NOT_ELIGIBLE or CLOSED")
    note: str = Field(default="", max_length=1000, description="what the citizen reads on the ticket")
    proposal_id: str = Field(default="", max_length=64, description="record_id of the proposal made of it")


class OutcomeReply(BaseModel):
    ticket: str
    state: str
    state_text: str
    outcome_text: str


def _pull_desa(user: User, session: SessionDep, device_id: str | None, desa: str | None) -> str:
    role = Role(user.role)
    if role is Role.OPERATOR:
        if device_id:
            device = session.get(Device, device_id)
            if device is None or device.user_id != user.id:
                raise HTTPException(403, "Perangkat ini tidak terdaftar untuk akun ini.")
            return device.desa_code
        return user.area_code
    code = regions.digits_of(desa or "") or (user.area_code if role is Role.PSM else "")
    if len(code) != 10:
        raise HTTPException(422, "Pilih desa (kode 10 digit) yang laporannya hendak diambil.")
    if not covers(user.area_code, code):
        raise HTTPException(403, "Desa itu di luar wilayah akun ini.")
    return code


@router.get("", response_model=ReportPage, responses=_ERRORS)
def get_reports(
    user: VerifierUser,
    session: SessionDep,
    since: Annotated[int, Query(ge=0, le=2**31 - 1, description="next_cursor of the previous page; 0 at first")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    device_id: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    desa: Annotated[str | None, Query(max_length=13, description="field verifiers: the desa to pull")] = None,
) -> ReportPage:
    code = _pull_desa(user, session, device_id, desa)
    items, last, more = village.report_changes(session, code, since, limit)
    return ReportPage(items=items, next_cursor=last, has_more=more)


@router.post("/{ticket}/outcome", response_model=OutcomeReply, responses=_ERRORS)
def post_outcome(ticket: str, body: OutcomeRequest, user: VerifierUser, session: SessionDep) -> OutcomeReply:
    code = tickets.normalize(ticket)
    desa = village.report_desa(session, code) if code else None
    # Unknown ticket and another area's ticket answer alike: a verifier learns nothing outside its area.
    if code is None or desa is None or not covers(user.area_code, desa):
        raise HTTPException(404, "Laporan tidak ditemukan di wilayah akun ini.")
    try:
        view = village.record_outcome(session, code, body.state, body.note, actor=user.username, desa=desa,
                                      proposal_id=body.proposal_id)
    except village.ReportNotFound as e:
        raise HTTPException(404, e.message) from None
    except village.ReportFinished as e:
        raise HTTPException(409, e.message) from None
    except village.OutcomeRefused as e:
        raise HTTPException(422, e.message) from None
    return OutcomeReply(ticket=view.ticket, state=view.state, state_text=view.state_text,
                        outcome_text=view.outcome_text)
