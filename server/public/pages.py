"""The HTML pages under /publik/: server-rendered, no JavaScript, small enough for 2G."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from domain import regions
from server.deps import SessionDep
from server.public import reports, service
from server.public.forms import FormTooLarge, read_form
from server.public.service import StatusKind, SubmitKind
from server.public.states import KIND_WORDS, OBJECTION_REASONS

router = APIRouter(prefix="/publik", tags=["publik"], include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def _page(request: Request, name: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"kind_words": KIND_WORDS, **ctx}, status_code=status_code,
                                      headers={"Cache-Control": "no-store"})


def _picker(code: str) -> dict[str, Any]:
    """The region picker, one level a step (no JavaScript): the chosen path and the next level's list."""
    digits = regions.digits_of(code or "")
    region = regions.get(digits) if digits else None
    if region is None:
        digits = ""
    path = regions.parents(digits) if digits else []
    desa = region if region is not None and region.level == 4 else None
    options = [] if desa else regions.children(digits or None)
    next_level = "provinsi" if not digits else regions.LEVEL_NAMES.get(len(path) + 1, "")
    return {"path": path, "desa": desa, "options": options, "next_level": next_level}


@router.get("", include_in_schema=False)
def root() -> RedirectResponse:
    return RedirectResponse("/publik/", status_code=308)


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    return _page(request, "index.html", title="Layanan Publik Bansos")


@router.get("/cek", response_class=HTMLResponse)
def cek_form(request: Request) -> HTMLResponse:
    return _page(request, "cek.html", title="Cek Status", form={}, errors={}, answer=None)


@router.post("/cek", response_class=HTMLResponse)
async def cek(request: Request, session: SessionDep) -> HTMLResponse:
    form = await read_form(request)
    result = await service.check_status(service.context(request, session), form.get("nik"), form.get("kk"))
    if result.kind is StatusKind.LOCKED:
        return _page(request, "locked.html", 429, title="Coba lagi nanti", text=service.LOCKED_TEXT)
    if result.kind is StatusKind.INPUT:
        return _page(request, "cek.html", 422, title="Cek Status", form=form.fields, errors=result.errors or {},
                     answer=None)
    # The answer never echoes the NIK/KK typed: the page of a found person is only theirs.
    return _page(request, "cek.html", title="Cek Status", form={}, errors={}, answer=result.answer)


def _report_form(request: Request, kind: str, wilayah: str, form: dict[str, str], errors: dict[str, str],
                 status_code: int = 200) -> HTMLResponse:
    picker = _picker(form.get("desa_code") or wilayah)
    return _page(request, f"{kind}.html", status_code, title=KIND_WORDS[kind], form=form, errors=errors,
                 picker=picker, reasons=OBJECTION_REASONS, kind=kind)


@router.get("/usul", response_class=HTMLResponse)
def usul_form(request: Request, wilayah: str = "") -> HTMLResponse:
    return _report_form(request, "usul", wilayah[:20], {}, {})


@router.get("/sanggah", response_class=HTMLResponse)
def sanggah_form(request: Request, wilayah: str = "") -> HTMLResponse:
    return _report_form(request, "sanggah", wilayah[:20], {}, {})


async def _send(request: Request, session: SessionDep, kind: str) -> Response:
    try:
        form = await read_form(request)
    except FormTooLarge as e:
        return _report_form(request, kind, "", {}, {"photos": e.message}, 413)
    ctx = service.context(request, session)
    try:
        photos = service.photos_from(ctx, [data for name, data in form.files if name == "photos"])
    except reports.ReportRefused as e:
        return _report_form(request, kind, "", form.fields, e.errors, 422)
    inp = reports.ReportInput(
        kind=kind, nik=form.get("nik"), name=form.get("name"), desa_code=form.get("desa_code"),
        address=form.get("address"), reason=form.get("reason"), reason_code=form.get("reason_code"),
        announcement_ref=form.get("announcement_ref"), self_report=form.get("self_report") == "1",
        reporter_name=form.get("reporter_name"), reporter_phone=form.get("reporter_phone"), photos=photos)
    result = service.submit_report(ctx, inp, form.get("website"))
    if result.kind is SubmitKind.LOCKED:
        return _page(request, "locked.html", 429, title="Coba lagi nanti", text=service.LOCKED_TEXT)
    if result.kind is SubmitKind.REFUSED:
        return _report_form(request, kind, "", form.fields, result.errors or {}, 422)
    return _page(request, "ticket.html", title="Laporan terkirim", view=result.view, new=True)


@router.post("/usul", response_class=HTMLResponse)
async def usul(request: Request, session: SessionDep) -> Response:
    return await _send(request, session, "usul")


@router.post("/sanggah", response_class=HTMLResponse)
async def sanggah(request: Request, session: SessionDep) -> Response:
    return await _send(request, session, "sanggah")


@router.get("/lacak", response_class=HTMLResponse)
def lacak(request: Request, session: SessionDep, tiket: str = "") -> HTMLResponse:
    if not tiket.strip():
        return _page(request, "lacak.html", title="Lacak Laporan", tiket="", missing=False)
    locked, view = service.track(service.context(request, session), tiket[:40])
    if locked:
        return _page(request, "locked.html", 429, title="Coba lagi nanti", text=service.LOCKED_TEXT)
    if view is None:
        return _page(request, "lacak.html", 404, title="Lacak Laporan", tiket=tiket[:40], missing=True)
    return _page(request, "ticket.html", title="Lacak Laporan", view=view, new=False)
