"""JSON API of the public side under /api/v1/public: the same services as the pages."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from domain import regions
from server.deps import SessionDep
from server.public import reports, service
from server.public.service import StatusKind, SubmitKind
from server.strict_query import no_unknown_query

router = APIRouter(prefix="/api/v1/public", tags=["publik"], dependencies=[Depends(no_unknown_query)])


class StatusRequest(BaseModel):
    nik: str = Field(default="", max_length=40)
    kk: str = Field(default="", max_length=40)


class ProgrammeOut(BaseModel):
    programme: str
    programme_name: str
    state: str


class StatusResponse(BaseModel):
    found: bool
    programmes: list[ProgrammeOut] = []
    desa: list[str] = []
    message: str


class ReportRequest(BaseModel):
    kind: str = Field(max_length=10)
    nik: str = Field(default="", max_length=40)
    name: str = Field(default="", max_length=200)
    desa_code: str = Field(default="", max_length=20)
    address: str = Field(default="", max_length=600)
    reason: str = Field(default="", max_length=4000)
    reason_code: str = Field(default="", max_length=20, description="sanggah: mampu, meninggal, pindah, ...")
    announcement_ref: str = Field(default="", max_length=80, description="sanggah: nomor pada pengumuman")
    self_report: bool = False
    reporter_name: str = Field(default="", max_length=200)
    reporter_phone: str = Field(default="", max_length=40)
    photos: list[str] = Field(default_factory=list, max_length=3, description="JPG/PNG, base64")
    website: str = Field(default="", max_length=200, description="kosongkan (jebakan robot)")


class RegionOut(BaseModel):
    code: str = Field(description="kode Kemendagri tanpa titik, mis. 1902012003")
    name: str
    level: str = Field(description="provinsi, kabupaten/kota, kecamatan, desa/kelurahan")


class TicketOut(BaseModel):
    ticket: str
    kind: str
    state: str
    state_text: str
    outcome_text: str


def _locked() -> JSONResponse:
    return JSONResponse(status_code=429, content={"detail": service.LOCKED_TEXT}, headers={"Retry-After": "600"})


def _refused(errors: dict[str, str]) -> JSONResponse:
    """422 in the server's error shape (server.errors): `errors` lists each field's loc and message."""
    return JSONResponse(status_code=422, content={
        "detail": "Periksa isian: " + "; ".join(errors.values()),
        "errors": [{"loc": ["body", name], "msg": msg} for name, msg in errors.items()]})


def _ticket(view: reports.TicketView) -> TicketOut:
    return TicketOut(ticket=view.ticket, kind=view.kind, state=view.state, state_text=view.state_text,
                     outcome_text=view.outcome_text)


@router.post("/status", response_model=StatusResponse,
             responses={422: {"description": "NIK/KK bukan 16 angka"}, 429: {"description": "Terlalu banyak"}})
async def check_status(body: StatusRequest, request: Request, session: SessionDep) -> StatusResponse | JSONResponse:
    result = await service.check_status(service.context(request, session), body.nik, body.kk)
    if result.kind is StatusKind.LOCKED:
        return _locked()
    if result.kind is StatusKind.INPUT:
        return _refused(result.errors or {})
    a = result.answer
    assert a is not None
    return StatusResponse(found=a.found, desa=a.desa, message=a.message, programmes=[
        ProgrammeOut(programme=p.programme, programme_name=p.programme_name, state=p.state) for p in a.programmes])


@router.post("/reports", response_model=TicketOut,
             responses={422: {"description": "Isian salah (per kolom)"}, 429: {"description": "Terlalu banyak"}})
def send_report(body: ReportRequest, request: Request, session: SessionDep) -> TicketOut | JSONResponse:
    ctx = service.context(request, session)
    try:
        raw = [base64.b64decode(p, validate=True) for p in body.photos]
    except (binascii.Error, ValueError):
        return _refused({"photos": "Foto harus berupa base64 dari berkas JPG/PNG."})
    try:
        photos = service.photos_from(ctx, raw)
    except reports.ReportRefused as e:
        return _refused(e.errors)
    inp = reports.ReportInput(
        kind=body.kind, nik=body.nik, name=body.name, desa_code=body.desa_code, address=body.address,
        reason=body.reason, reason_code=body.reason_code, announcement_ref=body.announcement_ref,
        self_report=body.self_report, reporter_name=body.reporter_name, reporter_phone=body.reporter_phone,
        photos=photos)
    result = service.submit_report(ctx, inp, body.website)
    if result.kind is SubmitKind.LOCKED:
        return _locked()
    if result.kind is SubmitKind.REFUSED:
        return _refused(result.errors or {})
    assert result.view is not None
    return _ticket(result.view)


@router.get("/regions", response_model=list[RegionOut],
            responses={404: {"description": "Kode wilayah tidak dikenal"}})
def regions_under(parent: Annotated[str, Query(max_length=20, description="kosong: daftar provinsi")] = ""
                  ) -> list[RegionOut] | JSONResponse:
    """The region tree one level at a time (the usul/sanggah forms' desa picker)."""
    code = regions.digits_of(parent)
    if code and regions.get(code) is None:
        return JSONResponse(status_code=404, content={"detail": f"Kode wilayah '{parent[:20]}' tidak dikenal."})
    return [RegionOut(code=r.digits, name=r.name, level=r.level_name) for r in regions.children(code or None)]


@router.get("/reports/{ticket}", response_model=TicketOut,
            responses={404: {"description": "Tiket tidak ada"}, 429: {"description": "Terlalu banyak"}})
def get_report(ticket: str, request: Request, session: SessionDep) -> TicketOut | JSONResponse:
    locked, view = service.track(service.context(request, session), ticket[:40])
    if locked:
        return _locked()
    if view is None:
        return JSONResponse(status_code=404, content={
            "detail": "Nomor tiket tidak ditemukan. Periksa kembali nomor pada bukti laporan (contoh: U-AB2CD-EF3GH)."})
    return _ticket(view)
