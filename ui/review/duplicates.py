"""The duplicates tab (Ctrl+3): the duplicate groups of the area — members with the same NIK, households
with the same KK, a second open proposal for one programme and target — their records side by side, and
the outcome: "keep this one" (Ctrl+Enter; the others' open proposals are rejected as duplicates) or
"not the same" (Ctrl+Shift+N). Both villages learn it through their next sync."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.review.views import DuplicateGroupView
from ui.review.common import ReviewTools, shortcut, table_view
from ui.review.models import ROW_ROLE, SORT_ROLE, ComparisonModel, DuplicateGroupModel


class DuplicatesTab(QWidget):
    settled = Signal()  # a group was settled: proposals, inbox and dashboard changed
    open_count_changed = Signal(int)

    def __init__(self, tools: ReviewTools, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tools = tools
        self.group_model = DuplicateGroupModel(self)
        self.group_proxy = QSortFilterProxyModel(self)
        self.group_proxy.setSortRole(SORT_ROLE)
        self.group_proxy.setSourceModel(self.group_model)
        self.compare_model = ComparisonModel(self)
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.show_settled = QCheckBox("Tampilkan grup yang sudah selesai")
        self.show_settled.toggled.connect(lambda _on: self.load())
        top.addWidget(QLabel("Grup kemungkinan duplikat di wilayah Anda. Pilih grup, lalu pilih kolom data yang "
                             "dipertahankan (panah kiri/kanan) dan tekan Ctrl+Enter, atau Ctrl+Shift+N bila bukan "
                             "data yang sama."))
        top.addStretch(1)
        top.addWidget(self.show_settled)
        lay.addLayout(top)
        split = QSplitter(Qt.Orientation.Vertical)
        self.group_view = table_view("groupView")
        self.group_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.group_view.setModel(self.group_proxy)
        self.group_view.selectionModel().currentRowChanged.connect(self._on_current_group)
        self.compare_view = QTableView()
        self.compare_view.setObjectName("compareView")
        self.compare_view.setModel(self.compare_model)
        self.compare_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectColumns)
        self.compare_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.compare_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.compare_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.compare_view.setWordWrap(True)
        # A light selection: the chosen column stays readable and its differences (bold) still show.
        self.compare_view.setStyleSheet("QTableView#compareView { selection-background-color: #d6e8fa; "
                                        "selection-color: black; }")
        split.addWidget(self.group_view)
        split.addWidget(self.compare_view)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        lay.addWidget(split, 1)
        bottom = QHBoxLayout()
        self.group_note = QLabel("")
        self.group_note.setObjectName("groupNote")
        self.group_note.setWordWrap(True)
        self.keep_button = QPushButton("Pertahankan data terpilih (Ctrl+Enter)")
        self.keep_button.setObjectName("keepButton")
        self.keep_button.setToolTip("Usulan terbuka dari data lainnya ditolak sebagai duplikat (R03).")
        self.keep_button.clicked.connect(lambda: self.keep_selected_member())
        self.not_same_button = QPushButton("Bukan data yang sama (Ctrl+Shift+N)")
        self.not_same_button.setObjectName("notSameButton")
        self.not_same_button.clicked.connect(lambda: self.mark_not_same())
        bottom.addWidget(self.group_note, 1)
        bottom.addWidget(self.not_same_button)
        bottom.addWidget(self.keep_button)
        lay.addLayout(bottom)
        shortcut(self, "Ctrl+Return", self.keep_selected_member)
        shortcut(self, "Ctrl+Enter", self.keep_selected_member)
        shortcut(self, "Ctrl+Shift+N", self.mark_not_same)

    def load(self, *, quiet: bool = False) -> None:
        include = self.show_settled.isChecked()
        self.tools.tasks.run("Memuat grup duplikat",
                             lambda _p: self.tools.service.duplicate_groups(include_settled=include),
                             self._groups_loaded, key="review-groups", quiet=quiet)

    def _groups_loaded(self, groups: list[DuplicateGroupView]) -> None:
        current = self.current_group()
        for g in groups:
            self.tools.with_operators(g.members)
        self.group_model.set_rows(groups)
        self.group_view.resizeColumnsToContents()
        self.open_count_changed.emit(sum(1 for g in groups if g.open))
        row = 0
        if current is not None:
            src = self.group_model.row_of_key(str(current.group_id))
            if src >= 0:
                row = self.group_proxy.mapFromSource(self.group_model.index(src, 0)).row()
        if self.group_proxy.rowCount():
            self.group_view.selectRow(row)
        else:
            self.compare_model.set_members([])
            self.group_note.setText("Tidak ada grup duplikat yang terbuka.")

    def operators_known(self) -> None:
        """The inbox loaded: group members shown before it learn their operator."""
        for grp in self.group_model.rows():
            self.tools.with_operators(grp.members)
        cur = self.current_group()
        if cur is not None:
            self.compare_model.set_members(cur.members, cur.kept_record_id)
            self.compare_view.selectColumn(0)

    def current_group(self) -> DuplicateGroupView | None:
        idx = self.group_view.currentIndex()
        if not idx.isValid():
            return None
        g = self.group_proxy.data(idx, ROW_ROLE)
        return g if isinstance(g, DuplicateGroupView) else None

    def _on_current_group(self, current: QModelIndex, _previous: QModelIndex) -> None:
        g = self.group_proxy.data(current, ROW_ROLE) if current.isValid() else None
        if not isinstance(g, DuplicateGroupView):
            self.compare_model.set_members([])
            return
        self.compare_model.set_members(g.members, g.kept_record_id)
        if g.members:
            self.compare_view.selectColumn(0)
        supervisor = self.tools.service.session.is_supervisor
        can = g.open and (not g.spans_kecamatan or supervisor)
        self.keep_button.setEnabled(can)
        self.not_same_button.setEnabled(can)
        if not g.open:
            self.group_note.setText(f"Grup ini sudah diselesaikan: {g.state_label.lower()}."
                                    + (f" Catatan: {g.note}" if g.note else ""))
        elif g.spans_kecamatan and not supervisor:
            self.group_note.setText("Grup ini melibatkan kecamatan lain: diputuskan oleh supervisor kabupaten.")
        else:
            self.group_note.setText(f"{g.kind_label}: {len(g.members)} data. Bandingkan kolom yang disorot.")

    def select_group(self, group_id: int) -> bool:
        src = self.group_model.row_of_key(str(group_id))
        if src < 0:
            return False
        self.group_view.selectRow(self.group_proxy.mapFromSource(self.group_model.index(src, 0)).row())
        return True

    def select_group_of(self, record_ids: set[str]) -> bool:
        """Select the first group holding one of `record_ids` (a proposal and its family); False when none."""
        for g in sorted(self.group_model.rows(), key=lambda x: not x.open):
            if any(m.record_id in record_ids for m in g.members):
                self.select_group(g.group_id)
                return True
        return False

    def keep_selected_member(self, column: int | None = None) -> None:
        g = self.current_group()
        if g is None or not g.open:
            self.tools.say("Pilih grup duplikat yang masih terbuka.", error=True)
            return
        if column is None or isinstance(column, bool):
            cols = self.compare_view.selectionModel().selectedColumns()
            column = cols[0].column() if cols else self.compare_view.currentIndex().column()
        keep = self.compare_model.member(column)
        if keep is None:
            self.tools.say("Pilih kolom data yang dipertahankan.", error=True)
            return
        gid, rid = g.group_id, keep.record_id

        def done(_g: DuplicateGroupView) -> None:
            self.tools.say(f"Grup diselesaikan: data {keep.desa_name} dipertahankan; usulan terbuka dari "
                           f"{len(g.members) - 1} data lainnya ditolak sebagai duplikat. Kedua desa menerima "
                           "hasilnya saat sinkronisasi.")
            self.settled.emit()

        self.tools.tasks.run("Menyelesaikan grup duplikat", lambda _p: self.tools.service.settle_group(gid, rid), done,
                             write=True)

    def mark_not_same(self) -> None:
        """The records only look alike (twins, two people of one name): close the group, reject nothing."""
        g = self.current_group()
        if g is None or not g.open:
            self.tools.say("Pilih grup duplikat yang masih terbuka.", error=True)
            return
        gid = g.group_id

        def done(_g: DuplicateGroupView) -> None:
            self.tools.say(f"Grup ditandai bukan data yang sama ({len(g.members)} data tetap). Kedua desa "
                           "menerima hasilnya saat sinkronisasi.")
            self.settled.emit()

        self.tools.tasks.run("Menandai bukan data yang sama",
                             lambda _p: self.tools.service.settle_group(gid, None, "Bukan data yang sama."), done,
                             write=True)
