"""Printing use cases, shared by the GUI (through TaskRunner) and `bansos print`.

`PrintRequest` says what to print; `build(ctx, req)` reads the store and returns the document;
`print_pdf` writes it to a file and `print_to(device)` paints it on a printer chosen in
QPrintDialog. All of it is slow work: the GUI runs it off the GUI thread.
Logs carry the kind and counts, never names, NIK or KK (UU PDP).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtGui import QPagedPaintDevice

from desktop_app.printing import documents as docs
from desktop_app.printing import settings, source
from desktop_app.printing.documents import Kind
from desktop_app.printing.engine import Document, Paper, PrintError, render, write_pdf
from desktop_app.printing.model import DecisionBatch, Letterhead, Meeting, Status
from desktop_app.review import views as review_views
from domain import regions
from domain.idnumbers import normalize
from domain.programmes import UnknownProgramme

log = logging.getLogger(__name__)

# The reviewer session a `bansos print decisions` resumes: the keys ui.review keeps in the store's meta.


@dataclass(frozen=True, slots=True)
class PrintRequest:
    kind: str
    paper: Paper = Paper.A4
    period: str | None = None
    programme: str | None = None
    kk: str | None = None
    batch_id: str | None = None
    meeting: Meeting | None = None
    approved_only: bool = False
    printed_on: date | None = None
    kop: tuple[str, ...] | None = None  # None: the saved setting (or its default)


@dataclass(frozen=True, slots=True)
class PrintResult:
    kind: str
    pages: int
    items: int  # families (or decision rows) printed
    path: Path | None = None


def check(ctx: Any, req: PrintRequest) -> PrintRequest:
    """Validate the request before any work; PrintError names the field. Returns it normalised."""
    if req.kind not in Kind.ALL:
        raise PrintError(f"Jenis dokumen '{req.kind}' tidak dikenal. Pilihan: {', '.join(Kind.ALL)}.")
    source.parse_period(req.period)
    programme = req.programme
    if programme:
        try:
            programme = ctx.catalogue.resolve(programme).code
        except UnknownProgramme as exc:
            raise PrintError(f"Program (--programme): {exc}") from exc
    kk = normalize(req.kk or "") or None
    if req.kind == Kind.HOUSEHOLD and not kk:
        raise PrintError("Nomor KK (--kk) wajib diisi untuk ringkasan data keluarga.")
    if req.kind == Kind.DECISIONS and not (req.batch_id or "").strip():
        raise PrintError("Nomor batch (--batch) wajib diisi untuk daftar keputusan.")
    if req.kind == Kind.MINUTES and req.meeting is None:
        raise PrintError("Tanggal musyawarah wajib diisi untuk berita acara.")
    return replace(req, period=req.period or None, programme=programme, kk=kk,
                   batch_id=(req.batch_id or "").strip() or None)


def letterhead(ctx: Any, req: PrintRequest) -> Letterhead:
    desa = ctx.desa_code
    name = (regions.name_of(desa) if desa else None) or "-"
    return Letterhead(kop=req.kop or settings.kop_lines(ctx), desa_name=name, desa_kind=settings.desa_kind(desa),
                      printed_on=req.printed_on or date.today(), period=req.period or "",
                      programme=req.programme or "", operator=ctx.operator_name,
                      programme_names={p.code: p.name for p in ctx.catalogue.all()})


def build(ctx: Any, req: PrintRequest, *, decisions: DecisionBatch | None = None) -> tuple[Document, int]:
    """The document for a checked request, and how many families / rows it lists."""
    lh = letterhead(ctx, req)
    if req.kind == Kind.DECISIONS:
        batch = decisions if decisions is not None else load_decisions(ctx, req.batch_id or "")
        return docs.decision_list(batch, lh), len(batch.rows)
    if req.kind == Kind.HOUSEHOLD:
        fams = source.load_families(ctx.engine, kk=req.kk)
        if not fams:
            raise PrintError("Tidak ada keluarga dengan nomor KK itu di data desa ini. Periksa nomor KK (--kk).")
        return docs.household_sheet(fams[0], lh), 1
    statuses = ((Status.APPROVED,) if req.approved_only else (Status.PROPOSED, Status.APPROVED)) \
        if req.kind == Kind.ANNOUNCEMENT else (Status.PROPOSED,)
    fams = source.load_families(ctx.engine, period=req.period, programme=req.programme, statuses=statuses)
    if req.kind == Kind.DELIBERATION:
        return docs.deliberation_list(fams, lh), len(fams)
    if req.kind == Kind.MINUTES:
        assert req.meeting is not None
        return docs.minutes(fams, req.meeting, lh), len(fams)
    return docs.announcement(fams, lh, approved_only=req.approved_only), len(fams)


def print_pdf(ctx: Any, req: PrintRequest, out: Path, *, decisions: DecisionBatch | None = None,
              progress: Callable[[int], None] | None = None) -> PrintResult:
    req = check(ctx, req)
    doc, n = build(ctx, req, decisions=decisions)
    pages = write_pdf(doc, Path(out), req.paper, progress)
    log.info("printed %s to PDF: %d pages, %d items", req.kind, pages, n)
    return PrintResult(req.kind, pages, n, Path(out))


def print_to(ctx: Any, req: PrintRequest, device: QPagedPaintDevice, *, decisions: DecisionBatch | None = None,
             progress: Callable[[int], None] | None = None) -> PrintResult:
    """Paint on a printer (its page layout is what the operator chose in the print dialog)."""
    req = check(ctx, req)
    doc, n = build(ctx, req, decisions=decisions)
    pages = render(doc, device, progress)
    log.info("printed %s on a printer: %d pages, %d items", req.kind, pages, n)
    return PrintResult(req.kind, pages, n)


def load_decisions(ctx: Any, batch_id: str) -> DecisionBatch:
    """One batch's decisions from the server, through the reviewer session kept on this PC."""
    from desktop_app import credentials
    from desktop_app.review.service import ReviewService

    url, user = ctx.get_meta(review_views.META_URL), ctx.get_meta(review_views.META_USER)
    role = ctx.get_meta(review_views.META_ROLE)
    token = credentials.load_token(url, user) if url and user else None
    if not (url and user and token and role in ("reviewer", "supervisor")):
        raise PrintError("Daftar keputusan diambil dari server: masuk dulu sebagai peninjau kecamatan "
                         "(menu Sinkronisasi > Masuk sebagai peninjau kecamatan).")
    session = review_views.ReviewSession(url, user, role, ctx.get_meta(review_views.META_AREA) or "", token)
    svc = ReviewService.from_context(ctx, session)
    entries = svc.batch_proposals(batch_id)  # a KnownError (offline, refused) reaches the user as it is
    batch = next((b for b in svc.batches() if b.batch_id == batch_id), None)
    if not entries and batch is None:
        raise PrintError(f"Batch {batch_id} tidak ditemukan di server (--batch).")
    return source.decision_batch(batch_id, entries, batch=batch, reviewer=user)
