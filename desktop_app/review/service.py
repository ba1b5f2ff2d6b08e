"""The kecamatan reviewer's use cases: login, reads (batches, proposals with their families, duplicate
groups, statistics, history), decisions and settlements, and the XLSX exports (issues 6 and 12).

Qt-free. Every method that talks to the server is blocking and meant to run through
`desktop_app.tasks.TaskRunner` (never on the GUI thread). Logs carry record and batch ids, never
NIK or names (UU PDP).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from desktop_app import xlsx_writer
from desktop_app.review.history import HistoryItem, history_items
from desktop_app.review.views import (
    STATE_LABELS,
    BatchView,
    Dashboard,
    DecisionResult,
    DuplicateGroupView,
    ProposalView,
    ReviewSession,
    batch_view,
    criteria_text,
    dashboard_of,
    decided_view,
    group_view,
    proposal_view,
    seen_of,
)
from domain import criteria as crit
from domain import regions, review_fields
from domain.decisions import REVIEWER_DECISIONS, Decision
from domain.errors import KnownError
from domain.proposal_codes import PROPOSAL_TYPE
from domain.reasons import NOTE_REQUIRED, REJECT_REASONS, reason_text
from domain.states import ReviewState
from sync import review_client as rc
from sync.review_protocol import AuditRow

log = logging.getLogger(__name__)



class ReviewError(KnownError):
    """An expected failure of a review action (bad choice in a dialog); the message is Indonesian."""

    @classmethod
    def default_message(cls) -> str:
        return "Keputusan tidak bisa diproses. Periksa pilihan dan catatan, lalu coba lagi."


ClientFactory = Callable[[ReviewSession], "rc.ReviewClient"]


def ca_verify(ctx: Any) -> str | bool:
    """requests' `verify=` for this PC, as the operators' sync uses it: the CA file saved by
    provisioning (`<data dir>/server-ca.pem`), else True (the system CAs). `ctx`: an AppContext
    (anything with `data_dir`); None or no data dir: True."""
    data_dir = getattr(ctx, "data_dir", None)
    if data_dir is None:
        return True
    from desktop_app.provisioning import ca_bundle_path  # provisioning imports the services: not at load

    ca = ca_bundle_path(Path(data_dir))
    return str(ca) if ca is not None else True


class ReviewService:
    """The reviewer's use cases. Thread-safe: each thread gets its own HTTP client (the requests
    Session is not shared across the reader threads)."""

    def __init__(self, session: ReviewSession, *, client_factory: ClientFactory | None = None,
                 verify: str | bool = True) -> None:
        self.session = session
        # requests' `verify=`: the provisioned CA file, or True for the system CAs.
        self.verify: str | bool = verify
        self._factory: ClientFactory = client_factory or self._default_client
        self._local = threading.local()

    @classmethod
    def from_context(cls, ctx: Any, session: ReviewSession, **kw: Any) -> ReviewService:
        """The service for the PC's store: its provisioned CA file (if any) verifies the server."""
        kw.setdefault("verify", ca_verify(ctx))
        return cls(session, **kw)

    def _default_client(self, session: ReviewSession) -> rc.ReviewClient:
        return rc.ReviewClient(session.server_url, session.token, verify=self.verify)

    # -- login (static: there is no session yet)

    @staticmethod
    def login(server_url: str, username: str, password: str, *, verify: str | bool = True) -> ReviewSession:
        with rc.ReviewClient(server_url, verify=verify) as c:
            resp = c.login(username, password)
        return ReviewSession(server_url=server_url.rstrip("/"), username=username, role=resp.role,
                             area_code=resp.area_code, token=resp.access_token, expires_at=resp.expires_at)

    def _client(self) -> rc.ReviewClient:
        c = getattr(self._local, "client", None)
        if c is None:
            c = self._factory(self.session)
            self._local.client = c
        return c

    # -- reads

    def batches(self) -> list[BatchView]:
        return [batch_view(b) for b in self._client().batches()]

    def batch_proposals(self, batch_id: str) -> list[ProposalView]:
        return [proposal_view(e) for e in self._client().batch_proposals(batch_id)]

    def pending_proposals(self) -> list[ProposalView]:
        return [proposal_view(e) for e in self._client().proposals(state=ReviewState.PENDING)]

    def proposal(self, record_id: str) -> ProposalView:
        detail = self._client().proposal(record_id)
        view = proposal_view(detail.proposal)
        view.objections = [(o.reason_text or o.reason_code, o.explanation, o.ticket) for o in detail.objections]
        return view

    def duplicate_groups(self, *, include_settled: bool = False) -> list[DuplicateGroupView]:
        groups = [group_view(g) for g in self._client().duplicate_groups(include_settled=include_settled)]
        return sorted(groups, key=lambda g: (not g.open, g.group_id))

    def dashboard(self) -> Dashboard:
        return dashboard_of(self._client().stats())

    def audit(self, record_id: str) -> list[AuditRow]:
        return self._client().audit(record_id=record_id)

    def history(self, record_id: str) -> list[HistoryItem]:
        """The proposal's trail, newest first: every server audit row (decisions, conflicts settled,
        duplicate groups, automatic rejections) and every version the village sent of it and of its family,
        the approved version marked."""
        c = self._client()
        rows = c.audit(record_id=record_id)
        versions = c.proposal(record_id).history
        return history_items(rows, versions)

    # -- decisions

    def decide(self, record_ids: Sequence[str], decision: str, *, reason_code: str | None = None,
               note: str = "", fields: Sequence[str] = (), versions: Mapping[str, int] | None = None,
               change_seqs: Mapping[str, int] | None = None,
               shown: Sequence[ProposalView] = ()) -> DecisionResult:
        """`fields`: a return's fields to fix (domain.review_fields). `versions` / `change_seqs`: what the
        reviewer saw per proposal (see `seen_of`); one that changed since is not decided and comes back in
        `failed` (and `stale`) with the reason. Those of `shown` that were decided come back in `proposals`
        as the server has them now."""
        check_decision(decision, reason_code, note, fields)
        if not record_ids:
            raise ReviewError("Pilih minimal satu usulan.")
        res = self._client().decide(list(record_ids), decision, reason_code=reason_code, note=note.strip(),
                                    review_fields=list(fields) if decision == Decision.RETURN else [],
                                    versions=versions, change_seqs=change_seqs)
        log.info("review decision %s on %d proposals: %d applied, %d failed (%d changed since opened)", decision,
                 len(record_ids), len(res.applied), len(res.failed), len(res.stale))
        by_id = {e.record_id: e for e in shown}
        return DecisionResult(list(res.applied), dict(res.failed), res.stale, dict(res.change_seqs),
                              tuple(decided_view(by_id[d.record_id], d) for d in res.decided if d.record_id in by_id))

    def decide_proposals(self, proposals: Sequence[ProposalView], decision: str, *, reason_code: str | None = None,
                         note: str = "", fields: Sequence[str] = ()) -> DecisionResult:
        """Decide the proposals as displayed: the version and change_seq shown go along, so a proposal the
        village or another reviewer changed meanwhile is skipped, not decided blind. The result's
        `proposals` are these with the server's answer (state, reason, note, fields to fix, flags)."""
        versions, seqs = seen_of(proposals)
        return self.decide([e.record_id for e in proposals], decision, reason_code=reason_code, note=note,
                           fields=fields, versions=versions, change_seqs=seqs, shown=proposals)

    def settle_group(self, group_id: int, keep_record_id: str | None, note: str = "") -> DuplicateGroupView:
        """Keep one record of the group (the others' open proposals are rejected as duplicates), or with
        `keep_record_id` None mark the records "not the same". Both villages learn the outcome by their pull."""
        g = group_view(self._client().settle_group(group_id, keep_record_id, note=note))
        log.info("duplicate group %s settled (%s)", group_id, "kept one" if keep_record_id else "not the same")
        return g

    def settle_conflict(self, proposal: ProposalView, choices: dict[str, str]) -> ProposalView:
        """Settle the hard conflict the proposal shows (its own, else its member's or household's); the
        answer is the proposal as the server now has it."""
        bad = {v for v in choices.values()} - {"server", "village"}
        if bad:
            raise ReviewError("Pilih nilai server atau nilai desa untuk setiap kolom yang berkonflik.")
        src = proposal.conflict_source()
        if src is None:
            raise ReviewError("Usulan ini dan keluarganya tidak sedang berkonflik.")
        rtype, rid, _conflict, _payload = src
        e = proposal_view(self._client().settle_conflict(rid, choices, record_type=rtype,
                                                         proposal_id=proposal.record_id))
        log.info("conflict settled on %s %s (%d fields)", rtype, rid, len(choices))
        return e

    # -- exports

    def export_proposals(self, path: Path, proposals: Sequence[ProposalView]) -> int:
        return export_proposals(path, proposals)


def check_decision(decision: str, reason_code: str | None, note: str, fields: Sequence[str] = ()) -> None:
    """The reviewer's choices checked before anything is sent (the server checks them again)."""
    if decision not in REVIEWER_DECISIONS:
        raise ReviewError(f"Keputusan '{decision}' tidak dikenal.")
    if decision == Decision.REJECT:
        if not reason_code or reason_code not in REJECT_REASONS:
            raise ReviewError("Pilih alasan penolakan dari daftar.")
        if reason_code in NOTE_REQUIRED and not note.strip():
            raise ReviewError(f"Alasan {reason_code} ({reason_text(reason_code)}) memerlukan catatan.")
    if decision == Decision.RETURN:
        if not note.strip():
            raise ReviewError("Tulis catatan perbaikan untuk desa sebelum mengembalikan usulan.")
        if not fields:
            raise ReviewError("Centang isian yang harus diperbaiki desa sebelum mengembalikan usulan.")
        if bad := review_fields.unknown(fields):
            raise ReviewError(f"Isian tidak dikenal: {', '.join(bad)}.")


def export_proposals(path: Path, proposals: Sequence[ProposalView]) -> int:
    """The proposals as shown (one row each) as .xlsx; NIK, KK, birth date and desa code as text."""
    headers = ["NIK", "No. KK", "Nama", "Tanggal lahir", "JK", "Desa", "Kode desa", "Program", "Jenis usulan",
               "Sasaran", "Anggota keluarga", "Kriteria", "Status verifikasi", "Alasan/catatan", "Tanda"]
    rows = ([e.nik, e.kk, e.name, e.birth_date_text, e.person.sex if e.person else "", e.desa_name,
             regions.dotted(e.desa_code), e.programme, e.type_label, e.target_label, len(e.members),
             criteria_text(e.criteria), e.state_label, "" if e.pending else e.outcome_text,
             ", ".join(f.title for f in e.flags)] for e in proposals)
    return xlsx_writer.write_table(path, headers, rows, text_columns=(0, 1, 3, 6), sheet="Usulan")


def export_dashboard(path: Path, dash: Dashboard) -> int:
    """The dashboard table (one row per desa, families — KPM — not rows) as .xlsx; desa codes as text."""
    progs = dash.programmes()
    types = dash.types()
    crits = dash.criteria()
    states = list(ReviewState)
    headers = (["Kode desa", "Desa", "Usulan", "KPM"] + [f"KPM {STATE_LABELS[s]}" for s in states]
               + [f"KPM {p}" for p in progs] + [f"KPM {PROPOSAL_TYPE.label(t)}" for t in types]
               + [f"KPM {crit.label(c)}" for c in crits])
    rows = ([regions.dotted(line.desa_code), line.desa_name, line.proposals, line.total]
            + [line.by_state.get(s, 0) for s in states]
            + [line.by_programme.get(p, 0) for p in progs]
            + [line.by_type.get(t, 0) for t in types]
            + [line.by_criterion.get(c, 0) for c in crits] for line in dash.per_desa())
    return xlsx_writer.write_table(path, headers, rows, text_columns=(0,), sheet="Dasbor")


def warm_up() -> None:
    """Load the region table the NIK/KK read-back needs (first use costs a few hundred ms)."""
    regions.province_codes()
