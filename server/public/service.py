"""What the JSON API and the HTML pages share: the request's context, rate limits, the padded status
check, report submission and ticket lookup. Routes only translate to JSON or HTML."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import cast

from fastapi import Request
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from domain.programmes import Catalogue
from server.public import audit, photos, ratelimit, reports, status, tickets
from server.public.ratelimit import Limit, keyed_hash
from server.public.settings import PublicSettings
from server.public.states import REPORT_STATE_WORDS, ReportState
from server.settings import Settings

log = logging.getLogger("bansos.server.public")

LOCKED_TEXT = ("Terlalu banyak permintaan. Demi keamanan data warga, permintaan ini dihentikan sementara. "
               "Silakan coba lagi nanti, atau tanyakan langsung ke kantor desa/kelurahan.")


@dataclass
class Ctx:
    session: Session
    engine: Engine
    settings: PublicSettings
    secret: str
    client: str  # keyed hash of the client address
    catalogue: Catalogue
    active_statuses: list[str]


def context(request: Request, session: Session) -> Ctx:
    server: Settings = request.app.state.settings
    secret = server.secret_key.get_secret_value()
    ip = request.client.host if request.client else "-"  # the TCP peer, or a trusted proxy's X-Forwarded-For
    return Ctx(session=session, engine=cast(Engine, session.get_bind()), settings=request.app.state.public_settings,
               secret=secret, client=keyed_hash(secret, "ip:" + ip, 16), catalogue=request.app.state.catalogue,
               active_statuses=server.reference_active_statuses)


def _over(ctx: Ctx, checks: list[tuple[Limit, str]], action: str) -> bool:
    """Count the request under each (limit, key); True when any is exceeded. The first refusal of a
    window is audited (not every one: a flood would flood the audit too)."""
    counts = ratelimit.hit_many(ctx.engine, checks)
    over = [(limit, n) for (limit, _), n in zip(checks, counts, strict=True) if not limit.allows(n)]
    if not over:
        return False
    first = [limit.name for limit, n in over if n == limit.max_hits + 1]
    if first:
        audit.record(ctx.session, action, client=ctx.client, limit=",".join(first))
        ctx.session.commit()
        log.info("public rate limit %s reached", ",".join(first))
    return True


class StatusKind(StrEnum):
    ANSWER = "answer"
    INPUT = "input"
    LOCKED = "locked"


@dataclass
class StatusResult:
    kind: StatusKind
    answer: status.StatusAnswer | None = None
    errors: dict[str, str] | None = None


def _status_work(ctx: Ctx, nik: str, kk: str) -> StatusResult:
    s = ctx.settings
    per_address = (Limit("status-ip", s.status_per_address, s.status_window_seconds), ctx.client)
    try:
        n, k = status.check_input(nik, kk)
    except status.StatusInputError as e:
        if _over(ctx, [per_address], "status_locked"):
            return StatusResult(StatusKind.LOCKED)
        return StatusResult(StatusKind.INPUT, errors=e.errors)
    # Both limits count in one transaction: every check counts for its NIK, found or not.
    per_nik = (Limit("status-nik", s.status_per_nik, s.status_window_seconds), keyed_hash(ctx.secret, "nik:" + n))
    if _over(ctx, [per_address, per_nik], "status_locked"):
        return StatusResult(StatusKind.LOCKED)
    return StatusResult(StatusKind.ANSWER, answer=status.lookup(ctx.session, n, k, ctx.catalogue))


async def check_status(ctx: Ctx, nik: str, kk: str) -> StatusResult:
    """The status check, answered no sooner than the floor after it began (found, not found or locked)."""
    started = time.monotonic()
    result = await run_in_threadpool(_status_work, ctx, nik, kk)
    if result.kind is not StatusKind.INPUT:
        left = ctx.settings.status_floor_ms / 1000 - (time.monotonic() - started)
        if left > 0:
            await asyncio.sleep(left)
    return result


class SubmitKind(StrEnum):
    STORED = "stored"
    REFUSED = "refused"
    LOCKED = "locked"


@dataclass
class SubmitResult:
    kind: SubmitKind
    view: reports.TicketView | None = None
    errors: dict[str, str] | None = None


def submit_report(ctx: Ctx, inp: reports.ReportInput, honeypot: str) -> SubmitResult:
    s = ctx.settings
    if _over(ctx, [(Limit("report-ip", s.reports_per_address, s.reports_window_seconds), ctx.client)], "report_locked"):
        return SubmitResult(SubmitKind.LOCKED)
    if honeypot.strip():
        # A form robot filled the field people never see: it is told "received", nothing is stored.
        audit.record(ctx.session, "honeypot", client=ctx.client, kind=inp.kind)
        ctx.session.commit()
        now = datetime.now(UTC)
        fake = reports.TicketView(ticket=tickets.new_ticket("sanggah" if inp.kind == "sanggah" else "usul"),
                                  kind=inp.kind, state=ReportState.RECEIVED,
                                  state_text=REPORT_STATE_WORDS[ReportState.RECEIVED], outcome_text="",
                                  desa_name="", created_at=now, updated_at=now)
        return SubmitResult(SubmitKind.STORED, view=fake)
    try:
        view = reports.submit(ctx.session, inp, client=ctx.client, active_statuses=ctx.active_statuses)
    except reports.ReportRefused as e:
        return SubmitResult(SubmitKind.REFUSED, errors=e.errors)
    log.info("public report stored (kind=%s state=%s)", view.kind, view.state)
    return SubmitResult(SubmitKind.STORED, view=view)


def photos_from(ctx: Ctx, raw: list[bytes]) -> list[reports.Photo]:
    """Photos as stored (metadata stripped), or ReportRefused naming the photo field."""
    if len(raw) > reports.MAX_PHOTOS:
        raise reports.ReportRefused({"photos": f"Foto paling banyak {reports.MAX_PHOTOS}."})
    out = []
    for i, data in enumerate(raw, 1):
        try:
            ctype, clean = photos.strip(data, max_bytes=ctx.settings.max_photo_bytes)
        except photos.PhotoRefused as e:
            raise reports.ReportRefused({"photos": f"Foto ke-{i}: {e.message}"}) from None
        out.append(reports.Photo(ctype, clean))
    return out


def track(ctx: Ctx, ticket: str) -> tuple[bool, reports.TicketView | None]:
    """(locked, the report's view or None)."""
    s = ctx.settings
    if _over(ctx, [(Limit("track-ip", s.track_per_address, s.track_window_seconds), ctx.client)], "track_locked"):
        return True, None
    return False, reports.find(ctx.session, ticket)
