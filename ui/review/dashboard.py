"""The dashboard tab (Ctrl+4): per desa, families (KPM, distinct households) by review state, programme,
proposal type and criterion, as a stacked bar chart and a table that exports to XLSX."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_app.review.service import export_dashboard
from desktop_app.review.views import STATE_LABELS, Dashboard, DashboardLine
from domain import criteria as crit
from domain.proposal_codes import PROPOSAL_TYPE
from domain.regions import dotted as region_dotted
from domain.states import ReviewState
from ui.review.bar_chart import Series, StackedBarChart
from ui.review.common import ReviewTools, table_view
from ui.review.models import SORT_ROLE, STATE_COLORS, Index

_PALETTE = [QColor(c) for c in ("#3b7dd8", "#2e9e5b", "#e0a030", "#c8453b", "#8e5bc8", "#17a2b8", "#6c757d",
                                "#d45d9a", "#7a9a01", "#a0522d", "#4b0082", "#00838f")]


class DashboardTab(QWidget):
    def __init__(self, tools: ReviewTools, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tools = tools
        self.dash_model = DashboardModel(self)
        self.dash_proxy = QSortFilterProxyModel(self)
        self.dash_proxy.setSortRole(SORT_ROLE)
        self.dash_proxy.setSourceModel(self.dash_model)
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("Grafik per desa menurut:"))
        self.chart_kind = QComboBox()
        self.chart_kind.setObjectName("chartKind")
        for key, label in (("state", "status verifikasi"), ("programme", "program"), ("type", "jenis usulan"),
                           ("criteria", "kriteria")):
            self.chart_kind.addItem(label, key)
        self.chart_kind.currentIndexChanged.connect(lambda _i: self._draw_chart())
        top.addWidget(self.chart_kind)
        top.addStretch(1)
        lay.addLayout(top)
        self.chart = StackedBarChart()
        self.chart.setObjectName("dashboardChart")
        lay.addWidget(self.chart)
        self.dash_view = table_view("dashboardView")
        self.dash_view.setModel(self.dash_proxy)
        lay.addWidget(self.dash_view, 1)
        bar = QHBoxLayout()
        self.dash_summary = QLabel("")
        self.dash_summary.setObjectName("dashboardSummary")
        self.export_button = QPushButton("Ekspor tabel ke XLSX (Ctrl+E)")  # the workspace connects it
        self.export_button.setObjectName("dashboardExport")
        bar.addWidget(self.dash_summary, 1)
        bar.addWidget(self.export_button)
        lay.addLayout(bar)

    def load(self, *, quiet: bool = False) -> None:
        self.tools.tasks.run("Memuat dasbor", lambda _p: self.tools.service.dashboard(), self._dashboard_loaded,
                             key="review-dash", quiet=quiet)

    def _dashboard_loaded(self, dash: Dashboard) -> None:
        self.dash_model.set_dashboard(dash)
        lines = dash.per_desa()
        self._draw_chart()
        self.dash_summary.setText(f"{len(lines)} desa, {dash.total_kpm} KPM (keluarga), "
                                  f"{dash.total_proposals} usulan.")
        self.dash_view.resizeColumnsToContents()

    def _draw_chart(self) -> None:
        dash = self.dash_model.dashboard()
        lines = dash.per_desa()
        kind = str(self.chart_kind.currentData())
        if kind == "programme":
            series = [Series(p, p, _PALETTE[i % len(_PALETTE)]) for i, p in enumerate(dash.programmes())]
            bars = [(line.desa_name, dict(line.by_programme)) for line in lines]
            title = "KPM per desa menurut program"
        elif kind == "type":
            series = [Series(t, PROPOSAL_TYPE.label(t), _PALETTE[i % len(_PALETTE)])
                      for i, t in enumerate(dash.types())]
            bars = [(line.desa_name, dict(line.by_type)) for line in lines]
            title = "KPM per desa menurut jenis usulan"
        elif kind == "criteria":
            series = [Series(c, crit.label(c), _PALETTE[i % len(_PALETTE)]) for i, c in enumerate(dash.criteria())]
            bars = [(line.desa_name, dict(line.by_criterion)) for line in lines]
            title = "KPM per desa menurut kriteria (satu keluarga bisa punya beberapa kriteria)"
        else:
            series = [Series(st, STATE_LABELS.get(st, st), STATE_COLORS.get(st, QColor("gray")))
                      for st in DashboardModel.STATES]
            bars = [(line.desa_name, dict(line.by_state)) for line in lines]
            title = "KPM per desa menurut status verifikasi"
        self.chart.set_data(title, series, bars)

    def export_to(self, path: Path) -> None:
        dash = self.dash_model.dashboard()
        self.tools.tasks.run("Mengekspor dasbor", lambda _p: export_dashboard(path, dash),
                             lambda n: self.tools.say(f"{n} baris diekspor ke {path.name}."))


class DashboardModel(QAbstractTableModel):
    """One row per desa: proposals, families (KPM), and KPM per review state, programme, type and criterion."""

    STATES = tuple(ReviewState)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._dash = Dashboard()
        self._lines: list[DashboardLine] = []
        self._programmes: list[str] = []
        self._types: list[str] = []
        self._criteria: list[str] = []

    def set_dashboard(self, dash: Dashboard) -> None:
        self.beginResetModel()
        self._dash = dash
        self._lines = dash.per_desa()
        self._programmes = dash.programmes()
        self._types = dash.types()
        self._criteria = dash.criteria()
        self.endResetModel()

    def dashboard(self) -> Dashboard:
        return self._dash

    def lines(self) -> list[DashboardLine]:
        return list(self._lines)

    def _headers(self) -> list[str]:
        return (["Desa", "Usulan", "KPM"] + [f"KPM {STATE_LABELS.get(s, s)}" for s in self.STATES]
                + [f"KPM {p}" for p in self._programmes] + [f"KPM {PROPOSAL_TYPE.label(t)}" for t in self._types]
                + [f"KPM {crit.label(c)}" for c in self._criteria])

    def _values(self, line: DashboardLine) -> list[Any]:
        return ([line.desa_name, line.proposals, line.total] + [line.by_state.get(s, 0) for s in self.STATES]
                + [line.by_programme.get(p, 0) for p in self._programmes]
                + [line.by_type.get(t, 0) for t in self._types]
                + [line.by_criterion.get(c, 0) for c in self._criteria])

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headers())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            h = self._headers()
            return h[section] if 0 <= section < len(h) else None
        return str(section + 1) if 0 <= section < len(self._lines) else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._lines):
            return None
        values = self._values(self._lines[index.row()])
        if index.column() >= len(values):
            return None
        v = values[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return str(v)
        if role == SORT_ROLE:
            return v
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return region_dotted(self._lines[index.row()].desa_code)
        return None

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """Headers and rows as shown (for the XLSX export)."""
        return self._headers(), [self._values(line) for line in self._lines]
