"""Citizens' reports (usul, sanggah): checking the form, stage 1, storing with a ticket, following it,
and deleting them after the retention period."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from domain import idnumbers, regions
from domain.errors import KnownError
from server import db
from server.models import table_of
from server.public import audit, tickets
from server.public.models import PublicPhoto, PublicReport
from server.public.recipients import is_recipient
from server.public.states import (
    AUTO_CLOSED_TEXT,
    OBJECTION_REASONS,
    RECEIVED_SANGGAH_TEXT,
    RECEIVED_USUL_TEXT,
    REPORT_STATE_WORDS,
    ReportKind,
    ReportState,
)

MAX_PHOTOS = 3
_R = table_of(PublicReport)
_PH = table_of(PublicPhoto)
_PHONE = re.compile(r"^\+?[0-9]{8,15}$")


class ReportRefused(KnownError):
    """The form has mistakes: `errors` maps each field to its Indonesian message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("Periksa isian: " + "; ".join(errors.values()))


@dataclass
class Photo:
    content_type: str
    data: bytes  # already stripped of EXIF (server.public.photos)


@dataclass
class ReportInput:
    kind: str
    name: str
    desa_code: str
    address: str = ""
    reason: str = ""
    nik: str = ""
    reason_code: str = ""
    announcement_ref: str = ""
    self_report: bool = False
    reporter_name: str = ""
    reporter_phone: str = ""
    photos: list[Photo] = field(default_factory=list)


@dataclass(frozen=True)
class TicketView:
    ticket: str
    kind: str
    state: str
    state_text: str
    outcome_text: str
    desa_name: str
    created_at: datetime
    updated_at: datetime


def _clean(s: str, limit: int) -> str:
    return " ".join((s or "").split())[:limit]


def check(inp: ReportInput) -> ReportInput:
    """The input with whitespace tidied, or ReportRefused naming every field in error."""
    errs: dict[str, str] = {}
    kind = (inp.kind or "").strip().lower()
    if kind not in (ReportKind.USUL, ReportKind.SANGGAH):
        errs["kind"] = "Jenis laporan harus 'usul' atau 'sanggah'."
    out = ReportInput(
        kind=kind, name=_clean(inp.name, 100), desa_code=regions.digits_of(inp.desa_code or ""),
        address=_clean(inp.address, 300), reason=(inp.reason or "").strip()[:2000],
        nik=idnumbers.normalize((inp.nik or "").strip()), reason_code=(inp.reason_code or "").strip(),
        announcement_ref=_clean(inp.announcement_ref, 40), self_report=inp.self_report,
        reporter_name=_clean(inp.reporter_name, 100), reporter_phone=re.sub(r"[\s\-.]", "", inp.reporter_phone or ""),
        photos=list(inp.photos),
    )
    if out.nik:
        parsed = idnumbers.parse_nik(out.nik)
        if not parsed.valid:
            errs["nik"] = parsed.errors[0].message + " Kosongkan NIK bila tidak diketahui."
    if len(out.name) < 2:
        errs["name"] = "Nama orang yang dilaporkan wajib diisi."
    if len(out.desa_code) != 10 or not regions.is_desa(out.desa_code):
        errs["desa_code"] = "Desa/kelurahan wajib dipilih (kode 10 digit dari daftar wilayah)."
    if kind == ReportKind.USUL:
        if len(out.address) < 5:
            errs["address"] = "Alamat (dusun/RT/RW/jalan) wajib diisi agar petugas dapat berkunjung."
        if len(out.reason) < 10:
            errs["reason"] = "Alasan wajib diisi (paling sedikit 10 huruf): mengapa orang ini layak dibantu."
    if kind == ReportKind.SANGGAH:
        if out.reason_code not in OBJECTION_REASONS:
            errs["reason_code"] = "Alasan sanggahan wajib dipilih dari daftar."
        if len(out.reason) < 10:
            errs["reason"] = "Penjelasan wajib diisi (paling sedikit 10 huruf)."
    if not out.self_report or kind == ReportKind.SANGGAH:
        if len(out.reporter_name) < 2:
            errs["reporter_name"] = "Nama pelapor wajib diisi (boleh dikosongkan hanya untuk melaporkan diri sendiri)."
        if not _PHONE.match(out.reporter_phone):
            errs["reporter_phone"] = "Nomor HP pelapor wajib diisi: 8-15 angka, boleh diawali +."
    elif out.reporter_phone and not _PHONE.match(out.reporter_phone):
        errs["reporter_phone"] = "Nomor HP pelapor: 8-15 angka, boleh diawali +."
    if len(out.photos) > MAX_PHOTOS:
        errs["photos"] = f"Foto paling banyak {MAX_PHOTOS}."
    if errs:
        raise ReportRefused(errs)
    return out


def submit(session: Session, inp: ReportInput, *, client: str, active_statuses: list[str]) -> TicketView:
    """Check, apply stage 1 (a usul about a current recipient is closed at once), store with a new ticket
    and its audit row, in one transaction."""
    data = check(inp)
    now = datetime.now(UTC)
    state, outcome = ReportState.RECEIVED, RECEIVED_USUL_TEXT
    if data.kind == ReportKind.SANGGAH:
        outcome = RECEIVED_SANGGAH_TEXT
    elif data.nik and is_recipient(session, data.nik, active_statuses):
        state, outcome = ReportState.AUTO_CLOSED, AUTO_CLOSED_TEXT
    for _ in range(5):  # a ticket collision (50 random bits) is all but impossible; retry anyway
        report = PublicReport(
            ticket=tickets.new_ticket(data.kind), kind=data.kind, state=state, nik=data.nik, name=data.name,
            desa_code=data.desa_code, kecamatan_code=data.desa_code[:6], address=data.address,
            reason_code=data.reason_code, reason=data.reason, announcement_ref=data.announcement_ref,
            self_report=data.self_report, reporter_name=data.reporter_name, reporter_phone=data.reporter_phone,
            outcome_text=outcome, created_at=now, updated_at=now)
        try:
            with db.serialised(session):
                feed = f"lapor:{data.desa_code}"
                report.change_seq = db.lock_feed(session, feed) + 1
                db.store_feed(session, feed, report.change_seq)
                session.add(report)
                session.flush()
                for p in data.photos:
                    session.add(PublicPhoto(report_id=report.id or 0, content_type=p.content_type, data=p.data,
                                            created_at=now))
                audit.record(session, "report_created", ticket=report.ticket, desa_code=data.desa_code,
                             client=client, kind=data.kind, state=state, photos=len(data.photos),
                             with_nik=bool(data.nik))
                session.commit()
        except IntegrityError:
            session.rollback()
            continue
        return _view(report)
    raise KnownError("Laporan belum dapat disimpan; coba kirim lagi.")


def find(session: Session, ticket: str) -> TicketView | None:
    code = tickets.normalize(ticket)
    if code is None:
        return None
    report = session.execute(select(PublicReport).where(_R.c.ticket == code)).scalar_one_or_none()
    return _view(report) if report else None


def _view(r: PublicReport) -> TicketView:
    return TicketView(ticket=r.ticket, kind=r.kind, state=r.state, state_text=REPORT_STATE_WORDS.get(r.state, r.state),
                      outcome_text=r.outcome_text, desa_name=regions.path_text(r.desa_code), created_at=r.created_at,
                      updated_at=r.updated_at)


def purge(session: Session, retention_days: int, *, now: datetime | None = None) -> int:
    """Delete reports sent more than `retention_days` ago, with their photos; one audit row. Returns how many."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=retention_days)
    old = select(_R.c.id).where(_R.c.created_at < cutoff)
    with db.serialised(session):
        count = int(session.execute(select(func.count()).select_from(old.subquery())).scalar_one())
        session.execute(delete(_PH).where(_PH.c.report_id.in_(old)))
        session.execute(delete(_R).where(_R.c.created_at < cutoff))
        audit.record(session, "reports_purged", count=count, retention_days=retention_days,
                     cutoff=cutoff.isoformat())
        session.commit()
    return count
