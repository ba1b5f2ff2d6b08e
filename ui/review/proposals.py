"""The proposal review tab (Ctrl+2): the proposals of a batch (or all pending ones), the proposal panel with
its history (Riwayat, H), and the decision bar (A approve, T reject, K return, C conflict, G group).

A decision moves on to the next proposal at once and runs on the writer thread; what the server answers
(the decided proposals as it has them now) replaces the rows: nothing is worked out again here.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app import messages
from desktop_app.review.views import STATE_LABELS, BatchView, DecisionResult, ProposalView
from domain.decisions import Decision
from domain.flags import FlagCode
from domain.reasons import ReasonCode
from ui.review.common import ReviewTools, shortcut, table_view
from ui.review.dialogs import ConflictDialog, RejectDialog, ReturnDialog
from ui.review.history import HistoryPanel
from ui.review.models import ROW_ROLE, ProposalFilterProxy, ProposalTableModel
from ui.review.proposal_panel import ProposalPanel

_DOING = {Decision.APPROVE: "Menyetujui", Decision.REJECT: "Menolak", Decision.RETURN: "Mengembalikan"}
# The reason the reject dialog proposes for a proposal carrying one of these flags.
_PRESET_REASONS = ((FlagCode.REF_MATCH, ReasonCode.ALREADY_RECIPIENT), (FlagCode.REF_REJECT, ReasonCode.ALREADY_RECIPIENT),
                   (FlagCode.DUP_NIK, ReasonCode.DUPLICATE))


class ProposalsTab(QWidget):
    decided = Signal(bool)  # a decision went through; True: it touched duplicate groups
    group_requested = Signal(object)  # G: show the duplicate group of these record ids (proposal and family)
    HISTORY_DELAY_MS = 200  # paging with PgDn fetches only the history the reviewer stops on

    def __init__(self, tools: ReviewTools, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tools = tools
        self.current_batch: BatchView | None = None
        self.source = "batch"  # "batch" or "pending"
        self._columns_sized = False
        self.proposal_model = ProposalTableModel(self)
        self.proposal_proxy = ProposalFilterProxy(self)
        self.proposal_proxy.setSourceModel(self.proposal_model)
        self._build()
        self._history_timer = QTimer(self)
        self._history_timer.setSingleShot(True)
        self._history_timer.setInterval(self.HISTORY_DELAY_MS)
        self._history_timer.timeout.connect(self.load_history)
        # Citizens' sanggah (issue 16) come with the proposal's detail: fetched once the reviewer rests on it.
        self._objections_timer = QTimer(self)
        self._objections_timer.setSingleShot(True)
        self._objections_timer.setInterval(self.HISTORY_DELAY_MS)
        self._objections_timer.timeout.connect(self.load_objections)
        for keys, slot in (("A", self.approve_selected), ("T", self.reject_selected), ("K", self.return_selected),
                           ("PgDown", self.next_proposal), ("PgUp", self.previous_proposal),
                           ("G", self._request_group), ("C", self.settle_conflict_of_current),
                           ("H", self.toggle_history)):
            shortcut(self, keys, slot)

    def _build(self) -> None:
        lay = QVBoxLayout(self)
        self.batch_title = QLabel("Belum ada kiriman yang dibuka. Pilih di Kotak masuk lalu tekan Enter.")
        self.batch_title.setObjectName("batchTitle")
        self.batch_title.setWordWrap(True)
        lay.addWidget(self.batch_title)
        bar = QHBoxLayout()
        self.proposal_filter = QLineEdit()
        self.proposal_filter.setObjectName("proposalFilter")
        self.proposal_filter.setPlaceholderText("Cari NIK, nama, desa atau tanda… (Ctrl+F)")
        self.proposal_filter.textChanged.connect(self.proposal_proxy.set_text)
        self.proposal_quick = QComboBox()
        self.proposal_quick.setObjectName("proposalQuick")
        for key, label in ProposalFilterProxy.QUICK.items():
            self.proposal_quick.addItem(label, key)
        self.proposal_quick.currentIndexChanged.connect(
            lambda _i: self.proposal_proxy.set_quick(str(self.proposal_quick.currentData())))
        bar.addWidget(self.proposal_filter, 1)
        bar.addWidget(self.proposal_quick)
        lay.addLayout(bar)
        split = QSplitter(Qt.Orientation.Vertical)  # the list above, the proposal and its family below
        self.proposal_table = table_view("proposalView")
        self.proposal_table.setModel(self.proposal_proxy)
        self.proposal_table.selectionModel().currentRowChanged.connect(self._on_current_proposal)
        self.proposal_panel = ProposalPanel()
        self.history_panel = HistoryPanel()
        self.detail_tabs = QTabWidget()
        self.detail_tabs.setObjectName("detailTabs")
        self.detail_tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the table
        self.detail_tabs.addTab(self.proposal_panel, QCoreApplication.translate("ProposalsTab", "Details"))
        self.detail_tabs.addTab(self.history_panel, QCoreApplication.translate("ProposalsTab", "History (H)"))
        self.detail_tabs.currentChanged.connect(lambda _i: self._schedule_history())
        split.addWidget(self.proposal_table)
        split.addWidget(self.detail_tabs)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)  # the proposal and its family need the room
        lay.addWidget(split, 1)
        btns = QHBoxLayout()
        self.approve_button = self._button("Setujui (A)", self.approve_selected, "approveButton")
        self.reject_button = self._button("Tolak (T)", self.reject_selected, "rejectButton")
        self.return_button = self._button("Kembalikan (K)", self.return_selected, "returnButton")
        for b in (self.approve_button, self.reject_button, self.return_button):
            btns.addWidget(b)
        btns.addStretch(1)
        self.export_button = self._button("Ekspor XLSX (Ctrl+E)", lambda: None)  # the workspace connects it
        for b in (self._button("◀ Sebelumnya (PgUp)", self.previous_proposal),
                  self._button("Berikutnya (PgDn) ▶", self.next_proposal),
                  self._button("Konflik (C)", self.settle_conflict_of_current, "conflictButton"),
                  self._button("Grup duplikat (G)", self._request_group), self.export_button):
            btns.addWidget(b)
        lay.addLayout(btns)
        self.proposal_counts = QLabel("")
        self.proposal_counts.setObjectName("proposalCounts")
        lay.addWidget(self.proposal_counts)

    @staticmethod
    def _button(text: str, slot: Any, name: str = "") -> QPushButton:
        b = QPushButton(text)
        if name:
            b.setObjectName(name)
        b.clicked.connect(slot)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys act on the table's selection
        return b

    # ---- loading

    def open_batch(self, batch: BatchView) -> None:
        self.current_batch = batch
        self.source = "batch"
        bid = batch.batch_id
        self.tools.tasks.run("Membuka kiriman", lambda _p: self.tools.service.batch_proposals(bid),
                             self._proposals_loaded, key="review-proposals")

    def open_pending(self) -> None:
        self.current_batch = None
        self.source = "pending"
        self.tools.tasks.run("Memuat usulan yang menunggu", lambda _p: self.tools.service.pending_proposals(),
                             self._proposals_loaded, key="review-proposals")

    def reload(self) -> None:
        """Load again what is open (F5, or after a duplicate group was settled)."""
        self._schedule_history(force=True)
        if self.current_batch is not None and self.source == "batch":
            self.open_batch(self.current_batch)
        elif self.source == "pending" and self.proposal_model.rowCount():
            self.open_pending()

    def _proposals_loaded(self, proposals: list[ProposalView]) -> None:
        self.proposal_model.set_rows(self.tools.with_operators(proposals))
        b = self.current_batch
        if b is not None:
            self.batch_title.setText(
                f"<b>Kiriman {b.desa_name}</b> · operator {b.operator or '-'} · {len(proposals)} usulan "
                f"({b.entry_count} data keluarga, anggota dan usulan dikirim) · "
                f"manifes: {b.whole_text}")
        else:
            self.batch_title.setText(f"<b>Semua usulan yang menunggu verifikasi</b> · {len(proposals)} usulan")
        self._update_counts()
        self.tools.say(f"{len(proposals)} usulan dimuat.")
        if not self._columns_sized and proposals:
            self.proposal_table.resizeColumnsToContents()  # once: later batches keep the reviewer's widths
            self._columns_sized = True
        self.proposal_table.setFocus()
        if self.proposal_proxy.rowCount():
            self._select_proxy_row(self._first_pending_row())

    def operators_known(self) -> None:
        """The inbox loaded: proposals shown before it learn their operator."""
        self.tools.with_operators(self.proposal_model.rows())
        self.proposal_panel.show_proposal(self.current_proposal())

    def _first_pending_row(self) -> int:
        for r in range(self.proposal_proxy.rowCount()):
            e = self.proposal_proxy.data(self.proposal_proxy.index(r, 0), ROW_ROLE)
            if isinstance(e, ProposalView) and e.pending:
                return r
        return 0

    def _update_counts(self) -> None:
        counts: dict[str, int] = {}
        for e in self.proposal_model.rows():
            counts[e.review_state] = counts.get(e.review_state, 0) + 1
        self.proposal_counts.setText(" · ".join(f"{STATE_LABELS.get(k, k)}: {v}" for k, v in sorted(counts.items())))

    def _show_fresh(self, fresh: list[ProposalView]) -> None:
        """Fresher copies of some proposals (from the server) replace their rows."""
        self.proposal_model.replace_many(self.tools.with_operators(fresh))
        self.proposal_panel.show_proposal(self.current_proposal())
        self._update_counts()
        self._history_changed({e.record_id for e in fresh})

    # ---- navigation

    def _select_proxy_row(self, row: int) -> None:
        if not (0 <= row < self.proposal_proxy.rowCount()):
            return
        idx = self.proposal_proxy.index(row, 0)
        self.proposal_table.selectionModel().setCurrentIndex(
            idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.proposal_table.scrollTo(idx)

    def current_proposal(self) -> ProposalView | None:
        idx = self.proposal_table.currentIndex()
        if not idx.isValid():
            return None
        e = self.proposal_proxy.data(idx, ROW_ROLE)
        return e if isinstance(e, ProposalView) else None

    def selected_proposals(self) -> list[ProposalView]:
        rows = sorted({i.row() for i in self.proposal_table.selectionModel().selectedRows()})
        out = [self.proposal_proxy.data(self.proposal_proxy.index(r, 0), ROW_ROLE) for r in rows]
        proposals = [e for e in out if isinstance(e, ProposalView)]
        if not proposals:
            cur = self.current_proposal()
            return [cur] if cur is not None else []
        return proposals

    def shown_proposals(self) -> list[ProposalView]:
        """The rows as filtered and sorted on screen (what an export writes)."""
        rows = [self.proposal_proxy.data(self.proposal_proxy.index(r, 0), ROW_ROLE) for r in range(self.proposal_proxy.rowCount())]
        return [e for e in rows if isinstance(e, ProposalView)]

    def next_proposal(self) -> None:
        self._select_proxy_row(min(self.proposal_table.currentIndex().row() + 1, self.proposal_proxy.rowCount() - 1))

    def previous_proposal(self) -> None:
        self._select_proxy_row(max(self.proposal_table.currentIndex().row() - 1, 0))

    def _on_current_proposal(self, current: QModelIndex, _previous: QModelIndex) -> None:
        e = self.proposal_proxy.data(current, ROW_ROLE) if current.isValid() else None
        self.proposal_panel.show_proposal(e if isinstance(e, ProposalView) else None)
        self._schedule_history()
        self._objections_timer.start()

    def load_objections(self) -> None:
        """Show the citizens' sanggah against the current proposal's family beside it (none: nothing changes)."""
        e = self.current_proposal()
        if e is None:
            return
        rid = e.record_id

        def loaded(fresh: ProposalView) -> None:
            cur = self.current_proposal()
            if cur is not None and cur.record_id == rid and fresh.objections and self.proposal_panel.proposal is cur:
                self.proposal_panel.show_proposal(replace(cur, objections=fresh.objections))

        self.tools.tasks.run("Memuat sanggahan warga", lambda _p: self.tools.service.proposal(rid), loaded,
                             key="review-objections", on_failure=lambda _t: None, quiet=True)

    def _request_group(self) -> None:
        e = self.current_proposal()
        if e is not None:
            self.group_requested.emit(e.family_ids)

    def refocus_table(self) -> None:
        """Back to the table after a dialog, so the next key (A/T/K/PgDn) acts at once."""
        self.window().activateWindow()
        self.proposal_table.setFocus()

    # ---- history (Riwayat)

    @property
    def history_shown(self) -> bool:
        return self.detail_tabs.currentWidget() is self.history_panel

    def toggle_history(self) -> None:
        self.detail_tabs.setCurrentWidget(self.proposal_panel if self.history_shown else self.history_panel)

    def _schedule_history(self, *, force: bool = False) -> None:
        """Load the current proposal's history once the reviewer rests on it, only while the tab shows."""
        e = self.current_proposal()
        if e is None:
            self._history_timer.stop()
            self.history_panel.clear()
            return
        if not self.history_shown or (e.record_id == self.history_panel.record_id and not force):
            return
        self.history_panel.set_loading(e.record_id, e.name)
        self._history_timer.start()

    def load_history(self) -> None:
        e = self.current_proposal()
        if e is None or not self.history_shown:
            return
        rid, name = e.record_id, e.name
        self.history_panel.set_loading(rid, name)

        def loaded(items: list[Any]) -> None:
            cur = self.current_proposal()
            if cur is None or cur.record_id != rid:  # the reviewer moved on meanwhile
                return
            self.history_panel.set_items(rid, name, items, self.tools.operators())

        def failed(text: str) -> None:
            cur = self.current_proposal()
            if cur is not None and cur.record_id == rid:
                self.history_panel.set_error(text)

        self.tools.tasks.run("Memuat riwayat", lambda _p: self.tools.service.history(rid), loaded,
                             key="review-history", on_failure=failed)

    def _history_changed(self, record_ids: set[str]) -> None:
        """A decision or a reload changed these proposals: the shown history is out of date."""
        e = self.current_proposal()
        if e is not None and e.record_id in record_ids:
            self._schedule_history(force=True)

    # ---- decisions

    def approve_selected(self) -> None:
        proposals = self.selected_proposals()
        if proposals:
            self.decide(proposals, Decision.APPROVE)

    def reject_selected(self) -> None:
        proposals = self.selected_proposals()
        if not proposals:
            return
        codes = {c for e in proposals for c in e.flag_codes}
        preset = next((reason for flag, reason in _PRESET_REASONS if flag in codes), None)
        dlg = RejectDialog(len(proposals), self, preset=preset)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.accepted.connect(lambda: self.decide(proposals, Decision.REJECT, reason_code=dlg.reason_code,
                                                 note=dlg.note.text()))
        dlg.finished.connect(lambda _r: self.refocus_table())
        dlg.open()
        dlg.activateWindow()

    def return_selected(self) -> None:
        proposals = self.selected_proposals()
        if not proposals:
            return
        dlg = ReturnDialog(len(proposals), self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.accepted.connect(lambda: self.decide(proposals, Decision.RETURN, note=dlg.note.text(),
                                                 fields=dlg.fields()))
        dlg.finished.connect(lambda _r: self.refocus_table())
        dlg.open()
        dlg.activateWindow()

    def decide(self, proposals: list[ProposalView], decision: str, *, reason_code: str | None = None,
               note: str = "", fields: list[str] | None = None) -> None:
        what = f"{_DOING[Decision(decision)]} {len(proposals)} usulan"
        if len(proposals) == 1:
            # Move on at once: a fast reviewer's next key is for the next proposal, not this one again.
            # Decisions queue on the single writer thread, in order.
            self.next_proposal()
        touches_groups = any(e.in_duplicate_group for e in proposals)
        names = {e.record_id: e.name for e in proposals}
        shown = list(proposals)  # the version and change_seq on screen go along: a changed proposal is skipped

        def done(res: DecisionResult) -> None:
            self._show_fresh(list(res.proposals))  # the server's outcome: state, reason, note, flags
            text = res.describe(names)
            self.tools.say(text, error=bool(res.failed))
            if res.failed:
                messages.warning(text)
            if res.stale:
                self._reload_proposals(sorted(res.stale), text)
            self.decided.emit(touches_groups)

        self.tools.tasks.run(what, lambda _p: self.tools.service.decide_proposals(
            shown, decision, reason_code=reason_code, note=note, fields=fields or ()), done, write=True)

    def _reload_proposals(self, record_ids: list[str], outcome: str) -> None:
        """Proposals that changed since they were shown: fetch the server's current copies, so the reviewer
        decides on what is there now (the skip message stays in the status line)."""
        ids = record_ids[:50]  # a handful in practice; a bigger clash is what F5 is for

        def loaded(fresh: list[ProposalView]) -> None:
            self._show_fresh(fresh)
            # The decision's outcome stays in view: the reviewer must know what was not decided and why.
            self.tools.say(f"{outcome} Usulan yang berubah sudah dimuat ulang; periksa lalu putuskan lagi.",
                           error=True)

        self.tools.tasks.run("Memuat ulang usulan yang berubah", lambda _p: [self.tools.service.proposal(r) for r in ids],
                             loaded, key="review-reload-changed")

    # ---- conflicts

    def settle_conflict_of_current(self) -> None:
        e = self.current_proposal()
        if e is None or not e.conflict_rows():
            self.tools.say("Usulan ini dan keluarganya tidak sedang berkonflik.")
            return
        dlg = ConflictDialog(e.conflict_rows(), self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def settle() -> None:
            choices = dlg.selected()
            self.tools.tasks.run("Menyelesaikan konflik", lambda _p: self.tools.service.settle_conflict(e, choices),
                                 self._conflict_settled, write=True)

        dlg.accepted.connect(settle)
        dlg.finished.connect(lambda _r: self.refocus_table())
        dlg.open()
        dlg.activateWindow()

    def _conflict_settled(self, e: ProposalView) -> None:
        self._show_fresh([e])
        self.tools.say("Konflik diselesaikan; usulan bisa diputuskan.")
