"""Tables of the public side: citizens' reports (usul/sanggah), their photos, the public audit and the
rate-limit counters. The `srv_` prefix puts them in server_metadata() (migrations, create_all)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, LargeBinary, Text
from sqlmodel import Field, SQLModel


def _text() -> Column:
    return Column(Text, nullable=False, default="")


class PublicReport(SQLModel, table=True):
    """One report from a citizen: `usul` (someone missed) or `sanggah` (objection to a listed person).
    `ticket` is the citizen's only handle on it; `change_seq` orders the desa's "Laporan warga" feed."""

    __tablename__ = "srv_public_report"
    __table_args__ = (
        Index("ix_srv_public_report_desa_seq", "desa_code", "change_seq"),
        Index("ix_srv_public_report_created", "created_at"),
        Index("ix_srv_public_report_nik", "nik"),
    )
    id: int | None = Field(default=None, primary_key=True)
    ticket: str = Field(max_length=20, unique=True)
    kind: str = Field(max_length=10)  # usul | sanggah
    state: str = Field(max_length=20)  # server.public.states.ReportState
    nik: str = Field(default="", max_length=16)
    name: str = Field(max_length=100)
    desa_code: str = Field(max_length=10)
    kecamatan_code: str = Field(max_length=6)
    address: str = Field(default="", max_length=300)
    reason_code: str = Field(default="", max_length=20)  # sanggah: server.public.states.OBJECTION_REASONS
    reason: str = Field(sa_column=_text())  # the citizen's explanation (criteria for usul)
    announcement_ref: str = Field(default="", max_length=40)  # sanggah: the announcement entry's ticket
    self_report: bool = False
    reporter_name: str = Field(default="", max_length=100)
    reporter_phone: str = Field(default="", max_length=20)
    outcome_text: str = Field(sa_column=_text())  # shown to the citizen by the ticket
    change_seq: int = 0
    created_at: datetime
    updated_at: datetime


class PublicPhoto(SQLModel, table=True):
    """Up to three photos of a report, stored with EXIF (and so GPS) stripped."""

    __tablename__ = "srv_public_photo"
    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="srv_public_report.id", index=True)
    content_type: str = Field(max_length=40)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime


class PublicAudit(SQLModel, table=True):
    """Everything the public pages write. No NIK, KK or name: the ticket, the kind, the desa, the state,
    and a keyed hash of the client address (to see abuse from one address without keeping it)."""

    __tablename__ = "srv_public_audit"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    action: str = Field(max_length=40)
    ticket: str = Field(default="", max_length=20, index=True)
    desa_code: str = Field(default="", max_length=10)
    client: str = Field(default="", max_length=16)
    detail: str = Field(sa_column=_text())  # JSON


class PublicRate(SQLModel, table=True):
    """Request counters per (limit, keyed hash of address or NIK) and window, shared by every worker."""

    __tablename__ = "srv_public_rate"
    key: str = Field(primary_key=True, max_length=80)
    hits: int = 0
    window_start: float = Field(default=0.0, index=True)  # unix time the current window began
