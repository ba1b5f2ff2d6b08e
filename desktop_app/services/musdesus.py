"""The Musdesus (Musyawarah Desa Khusus) for the operator: open a meeting, pick the proposals it
decides (by default every undecided proposal of the desa the server has not got yet), record each
decision, attach the signed minutes, close. Closing saves each decision onto its proposal with the
meeting's date, minutes number and the minutes' sha256 (one op each: it syncs, and only agreed
proposals go out where the desa requires a Musdesus, local_db.send_rule).

Expected refusals are KnownErrors in Indonesian (MeetingRefused, AttachmentRefused).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from domain.attachment_check import AttachmentRefused
from domain.proposal_codes import MusdesusDecision
from local_db import attachments, meetings
from local_db.household_repo import Who
from local_db.meetings import ItemRow, MeetingRefused, MeetingRow
from local_db.repository import session_scope

__all__ = ["AttachmentRefused", "ItemRow", "MeetingRefused", "MeetingRow", "MusdesusDecision", "MusdesusService"]

_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True, slots=True)
class Item:
    proposal_id: str
    decision: str  # "" while undecided
    note: str


class MusdesusService:
    def __init__(self, engine: Engine, *, operator: str, device_id: str, desa_code: str) -> None:
        self.engine = engine
        self.who = Who(operator, device_id)
        self.desa_code = desa_code

    def open_meeting(self, *, on: date, place: str, chair: str, present: int, ref: str = "",
                     period: str | None = None, proposal_ids: Sequence[str] | None = None) -> str:
        """A new open meeting listing `proposal_ids` (None: every undecided, unsent proposal of the desa)."""
        period = period or on.strftime("%Y-%m")
        if not _PERIOD.match(period):
            raise MeetingRefused(f"Periode: {period} bukan bulan yang sah (tulis TTTT-BB, misalnya 2026-12).")
        if not place.strip():
            raise MeetingRefused("Tempat rapat wajib diisi.")
        if not chair.strip():
            raise MeetingRefused("Pimpinan rapat wajib diisi.")
        if present < 1:
            raise MeetingRefused("Jumlah hadir: isi jumlah peserta yang hadir (paling sedikit 1).")
        with session_scope(self.engine, write=True) as s:
            ids = list(proposal_ids) if proposal_ids is not None else meetings.undecided_proposals(s, self.desa_code)
            mid = meetings.create(s, desa_code=self.desa_code, period=period, date=on.isoformat(),
                                  place=place.strip(), chair=chair.strip(), present=present, ref=ref.strip(),
                                  created_by=self.who.actor)
            meetings.add_items(s, mid, ids)
        return mid

    def meeting(self, meeting_id: str) -> MeetingRow | None:
        with session_scope(self.engine) as s:
            return meetings.get(s, meeting_id)

    def items(self, meeting_id: str) -> list[Item]:
        with session_scope(self.engine) as s:
            return [Item(*r) for r in meetings.items(s, meeting_id)]

    def item_rows(self, meeting_id: str) -> list[ItemRow]:
        """The deliberation list: each proposal with its family, target and the decision so far."""
        with session_scope(self.engine) as s:
            return meetings.item_rows(s, meeting_id)

    def open_meeting_id(self) -> str | None:
        """The desa's meeting still open, if any (the screen resumes it)."""
        with session_scope(self.engine) as s:
            return meetings.open_meeting_id(s, self.desa_code)

    def decide(self, meeting_id: str, proposal_id: str, decision: MusdesusDecision, note: str = "") -> None:
        if decision is MusdesusDecision.NOT_AGREED and not note.strip():
            raise MeetingRefused("Catatan wajib diisi untuk usulan yang tidak disetujui (alasan Musdesus).")
        with session_scope(self.engine, write=True) as s:
            m = meetings.require_open(s, meeting_id)
            meetings.decide(s, m, proposal_id, decision, note)

    def attach_minutes(self, meeting_id: str, path: Path) -> str:
        """Store the signed minutes (PDF/JPG/PNG, at most 10 MB); returns its sha256."""
        try:
            data = path.read_bytes()
        except OSError:
            raise AttachmentRefused(f"Berkas {path.name} tidak bisa dibaca. Periksa letak berkasnya.") from None
        with session_scope(self.engine, write=True) as s:
            meetings.require_open(s, meeting_id)
            att = attachments.put(s, path.name, data)
            meetings.set_minutes(s, meeting_id, att.sha256)
        return att.sha256

    def minutes(self, meeting_id: str) -> tuple[str, bytes] | None:
        """(file name, bytes) of the attached minutes."""
        with session_scope(self.engine) as s:
            m = meetings.get(s, meeting_id)
            if m is None or not m.minutes_sha256:
                return None
            info = attachments.info(s, m.minutes_sha256)
            raw = attachments.data(s, m.minutes_sha256)
            return None if info is None or raw is None else (info.filename, raw)

    def close_meeting(self, meeting_id: str) -> None:
        """Closed only with every listed proposal decided and the minutes attached; then, in the same
        transaction, the decisions (with the meeting's date, minutes number and minutes hash) are saved
        onto the proposals: until then a decision can still be changed and nothing of it is sent."""
        with session_scope(self.engine, write=True) as s:
            m = meetings.require_open(s, meeting_id)
            open_items = sum(1 for _, d, _ in meetings.items(s, meeting_id) if not d)
            if open_items:
                raise MeetingRefused(f"Masih ada {open_items} usulan yang belum diputuskan; putuskan semuanya "
                                     "sebelum menutup Musdesus.")
            if not m.minutes_sha256:
                raise MeetingRefused("Lampirkan berita acara yang sudah ditandatangani sebelum menutup Musdesus.")
            meetings.apply_decisions(s, m, self.who)
            meetings.close(s, meeting_id)
