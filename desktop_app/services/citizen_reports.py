"""The "Laporan warga" queue (issue 16, stage 2): the desa's citizens' reports pulled by sync, the
village's finding on each, and an eligible usul turned into household + member + proposal through
the household service (its usual checks: NIK, duplicates, one aid per family). The finding goes to
the server on the next sync run (sync.citizen_reports)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Engine

from desktop_app.services.households import HouseholdService
from domain.errors import KnownError
from domain.programmes import Target
from domain.records import ProposalPayload
from local_db import citizen_reports as store
from local_db.citizen_reports import CitizenReport
from local_db.repository import session_scope

# The finding's states as the server knows them (server.public.states.ReportState).
IN_VERIFICATION, PROPOSED, NOT_ELIGIBLE, CLOSED = "IN_VERIFICATION", "PROPOSED", "NOT_ELIGIBLE", "CLOSED"
FINDING_WORDS = {"": "Belum diperiksa", IN_VERIFICATION: "Sedang diverifikasi", PROPOSED: "Layak, sudah diusulkan",
                 NOT_ELIGIBLE: "Tidak layak", CLOSED: "Ditutup"}
KIND_WORDS = {"usul": "Usul", "sanggah": "Sanggah"}


class FindingRefused(KnownError):
    @classmethod
    def default_message(cls) -> str:
        return "Hasil verifikasi tidak dapat disimpan."


@dataclass(frozen=True)
class Prefill:
    household: dict[str, object]
    member: dict[str, object]


class CitizenReportService:
    def __init__(self, engine: Engine, households: HouseholdService) -> None:
        self.engine = engine
        self.households = households

    def reports(self) -> list[CitizenReport]:
        with session_scope(self.engine) as s:
            return store.list_reports(s)

    def report(self, ticket: str) -> CitizenReport | None:
        with session_scope(self.engine) as s:
            return store.get(s, ticket)

    def open_count(self) -> int:
        return sum(1 for r in self.reports() if not r.finding_state)

    def _require(self, ticket: str) -> CitizenReport:
        r = self.report(ticket)
        if r is None:
            raise FindingRefused(f"Laporan {ticket} tidak ada di komputer ini; jalankan sinkronisasi.")
        if r.finding_state in (PROPOSED, NOT_ELIGIBLE, CLOSED):
            raise FindingRefused(f"Laporan {ticket} sudah selesai ({FINDING_WORDS[r.finding_state]}).")
        return r

    def record_finding(self, ticket: str, state: str, note: str) -> None:
        """Not eligible / closed (with the reason the citizen reads) or still being verified."""
        self._require(ticket)
        note = " ".join((note or "").split())
        if state not in (IN_VERIFICATION, NOT_ELIGIBLE, CLOSED):
            raise FindingRefused(f"Hasil '{state}' tidak dikenal.")
        if state != IN_VERIFICATION and len(note) < 5:
            raise FindingRefused("Keterangan wajib diisi (paling sedikit 5 huruf): warga membacanya pada tiketnya.")
        with session_scope(self.engine, write=True) as s:
            store.record_finding(s, ticket, state, note)

    def prefill(self, ticket: str) -> Prefill:
        r = self._require(ticket)
        return Prefill(household={"desa_code": r.desa_code, "address": r.address},
                       member={"nik": r.nik, "name": r.name, "relation": "kepala_keluarga"})

    def make_proposal(self, ticket: str, household: Mapping[str, object], member: Mapping[str, object],
                      programme: str, note: str = "") -> str:
        """Eligible: household, member (as its head) and a proposal; the report's finding names the
        proposal. Refusals of the household service (MemberRefused, OverrideRequired, ...) pass through,
        and nothing of the report changes then."""
        self._require(ticket)
        prog = self.households.catalogue.resolve(programme)
        hh = self.households.save_household(household)
        mem = self.households.save_member({**member, "household_id": hh.record_id})
        if prog.target is Target.HOUSEHOLD:
            payload = ProposalPayload(programme=prog.code, household_id=hh.record_id, pengurus_id=mem.record_id)
        else:
            payload = ProposalPayload(programme=prog.code, member_id=mem.record_id)
        prop = self.households.save_proposal(payload.model_copy(update={"note": f"Laporan warga {ticket}"}))
        text = " ".join((note or "").split()) or f"Layak; diusulkan desa untuk program {prog.name}."
        with session_scope(self.engine, write=True) as s:
            store.record_finding(s, ticket, PROPOSED, text, prop.record_id)
        return prop.record_id
