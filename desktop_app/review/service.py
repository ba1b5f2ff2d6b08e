"""The kecamatan reviewer's use cases: login, reads (batches, entries, duplicate groups, statistics,
history), decisions and settlements, and the XLSX exports (issue 6).

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
    EntryView,
    ReviewSession,
    batch_view,
    criteria_text,
    dashboard_of,
    decided_view,
    entry_view,
    group_view,
    seen_of,
)
from domain import criteria as crit
from domain import regions
from domain.decisions import REVIEWER_DECISIONS, Decision
from domain.errors import KnownError
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

    def batch_entries(self, batch_id: str) -> list[EntryView]:
        return [entry_view(e) for e in self._client().batch_entries(batch_id)]

    def pending_entries(self) -> list[EntryView]:
        return [entry_view(e) for e in self._client().entries(state=ReviewState.PENDING)]

    def entry(self, record_id: str) -> EntryView:
        return entry_view(self._client().entry(record_id).entry)

    def duplicate_groups(self, *, include_settled: bool = False) -> list[DuplicateGroupView]:
        groups = [group_view(g) for g in self._client().duplicate_groups(include_settled=include_settled)]
        return sorted(groups, key=lambda g: (not g.open, g.group_id))

    def dashboard(self) -> Dashboard:
        return dashboard_of(self._client().stats())

    def audit(self, record_id: str) -> list[AuditRow]:
        return self._client().audit(record_id=record_id)

    def history(self, record_id: str) -> list[HistoryItem]:
        """The entry's trail, newest first: every server audit row (decisions, conflicts settled, duplicate
        groups, automatic rejections) and every version the village sent, with what changed."""
        c = self._client()
        rows = c.audit(record_id=record_id)
        versions = c.entry(record_id).history
        return history_items(rows, versions)

    # -- decisions

    def decide(self, record_ids: Sequence[str], decision: str, *, reason_code: str | None = None,
               note: str = "", versions: Mapping[str, int] | None = None,
               change_seqs: Mapping[str, int] | None = None,
               shown_entries: Sequence[EntryView] = ()) -> DecisionResult:
        """`versions` / `change_seqs`: what the reviewer saw per entry (see `seen_of`); an entry that
        changed since is not decided and comes back in `failed` (and `stale`) with the reason. Those of
        `shown_entries` that were decided come back in `entries` as the server has them now."""
        check_decision(decision, reason_code, note)
        if not record_ids:
            raise ReviewError("Pilih minimal satu entri.")
        res = self._client().decide(list(record_ids), decision, reason_code=reason_code, note=note.strip(),
                                    versions=versions, change_seqs=change_seqs)
        log.info("review decision %s on %d entries: %d applied, %d failed (%d changed since opened)", decision,
                 len(record_ids), len(res.applied), len(res.failed), len(res.stale))
        shown = {e.record_id: e for e in shown_entries}
        return DecisionResult(list(res.applied), dict(res.failed), res.stale, dict(res.change_seqs),
                              tuple(decided_view(shown[d.record_id], d) for d in res.decided if d.record_id in shown))

    def decide_entries(self, entries: Sequence[EntryView], decision: str, *, reason_code: str | None = None,
                       note: str = "") -> DecisionResult:
        """Decide the entries as displayed: the version and change_seq shown go along, so an entry
        the village or another reviewer changed meanwhile is skipped, not decided blind. The result's
        `entries` are these entries with the server's answer (state, reason, note, flags)."""
        versions, seqs = seen_of(entries)
        return self.decide([e.record_id for e in entries], decision, reason_code=reason_code, note=note,
                           versions=versions, change_seqs=seqs, shown_entries=entries)

    def settle_group(self, group_id: int, keep_record_id: str, note: str = "") -> DecisionResult:
        g = self._client().settle_group(group_id, keep_record_id, note=note)
        log.info("duplicate group %s settled, kept %s", group_id, keep_record_id)
        others = [m for m in g.members if m.record_id != keep_record_id]
        failed = {m.record_id: f"masih {STATE_LABELS.get(m.review_state, m.review_state)}" for m in others
                  if m.review_state != ReviewState.REJECTED}
        return DecisionResult([m.record_id for m in others if m.record_id not in failed], failed,
                              entries=tuple(entry_view(m) for m in g.members))

    def settle_conflict(self, record_id: str, choices: dict[str, str]) -> EntryView:
        bad = {v for v in choices.values()} - {"server", "village"}
        if bad:
            raise ReviewError("Pilih nilai server atau nilai desa untuk setiap kolom yang berkonflik.")
        e = entry_view(self._client().settle_conflict(record_id, choices))
        log.info("conflict settled on %s (%d fields)", record_id, len(choices))
        return e

    # -- exports

    def export_entries(self, path: Path, entries: Sequence[EntryView]) -> int:
        return export_entries(path, entries)


def check_decision(decision: str, reason_code: str | None, note: str) -> None:
    """The reviewer's choices checked before anything is sent (the server checks them again)."""
    if decision not in REVIEWER_DECISIONS:
        raise ReviewError(f"Keputusan '{decision}' tidak dikenal.")
    if decision == Decision.REJECT:
        if not reason_code or reason_code not in REJECT_REASONS:
            raise ReviewError("Pilih alasan penolakan dari daftar.")
        if reason_code in NOTE_REQUIRED and not note.strip():
            raise ReviewError(f"Alasan {reason_code} ({reason_text(reason_code)}) memerlukan catatan.")
    if decision == Decision.RETURN and not note.strip():
        raise ReviewError("Tulis catatan perbaikan untuk desa sebelum mengembalikan entri.")


def export_entries(path: Path, entries: Sequence[EntryView]) -> int:
    """The entries as shown (one row each) as .xlsx; NIK, KK, birth date and desa code as text."""
    headers = ["NIK", "No. KK", "Nama", "Tanggal lahir", "JK", "Desa", "Kode desa", "Program", "Kriteria",
               "Status verifikasi", "Alasan/catatan", "Tanda"]
    rows = ([e.nik, e.kk, e.name, e.birth_date_text, e.sex, e.desa_name, regions.dotted(e.desa_code), e.programme,
             criteria_text(e.criteria), e.state_label, "" if e.pending else e.outcome_text,
             ", ".join(f.title for f in e.flags)] for e in entries)
    return xlsx_writer.write_table(path, headers, rows, text_columns=(0, 1, 3, 6), sheet="Entri")


def export_dashboard(path: Path, dash: Dashboard) -> int:
    """The dashboard table (one row per desa) as .xlsx; desa codes as text."""
    progs = dash.programmes()
    crits = dash.criteria()
    states = list(ReviewState)
    headers = (["Kode desa", "Desa", "Jumlah"] + [STATE_LABELS[s] for s in states]
               + [f"Program {p}" for p in progs] + [crit.label(c) for c in crits])
    rows = ([regions.dotted(line.desa_code), line.desa_name, line.total]
            + [line.by_state.get(s, 0) for s in states]
            + [line.by_programme.get(p, 0) for p in progs]
            + [line.by_criterion.get(c, 0) for c in crits] for line in dash.per_desa())
    return xlsx_writer.write_table(path, headers, rows, text_columns=(0,), sheet="Dasbor")


def warm_up() -> None:
    """Load the region table the NIK/KK read-back needs (first use costs a few hundred ms)."""
    regions.province_codes()
