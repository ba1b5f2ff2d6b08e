"""The entry review panel: the entry's data, its NIK/KK read back in words (domain.readback), every
flag explained (desktop_app.review.flags)."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser, QWidget

from desktop_app.review.views import EntryView, criteria_text
from domain.regions import dotted as region_dotted

_SEVERITY_COLORS = {"error": "#b3261e", "warning": "#8a5a00"}


def entry_html(e: EntryView) -> str:
    def row(label: str, value: str) -> str:
        return f"<tr><td style='color:#555;padding-right:10px'>{escape(label)}</td><td>{escape(value)}</td></tr>"

    parts = [f"<h3 style='margin:0'>{escape(e.name)}</h3>",
             f"<p style='margin:2px 0 8px 0'><b>{escape(e.outcome_text)}</b> · versi {e.version}</p>",
             "<table>",
             row("Desa", f"{e.desa_name} ({region_dotted(e.desa_code)})"),
             row("Program", f"{e.programme} — {e.programme_label}"),
             row("Tempat, tgl lahir", f"{e.birth_place or '-'}, {e.birth_date_text}"),
             row("Jenis kelamin", {"L": "Laki-laki", "P": "Perempuan"}.get(e.sex, e.sex)),
             row("Alamat", e.address or "-"),
             row("Kriteria", criteria_text(e.criteria) or "-"),
             row("Operator", e.operator or "-"),
             "</table>"]
    parts.append(f"<h4 style='margin:10px 0 2px 0'>NIK {escape(e.nik)}</h4><ul style='margin:0'>")
    parts += [f"<li>{escape(line)}</li>" for line in e.nik_lines]
    parts.append(f"</ul><h4 style='margin:8px 0 2px 0'>No. KK {escape(e.kk)}</h4><ul style='margin:0'>")
    parts += [f"<li>{escape(line)}</li>" for line in e.kk_lines]
    parts.append("</ul>")
    if e.flags:
        parts.append(f"<h4 style='margin:10px 0 2px 0'>Tanda ({len(e.flags)})</h4>")
        for f in e.flags:
            color = _SEVERITY_COLORS.get(f.severity, "#333")
            text = escape(f.explanation).replace("\n", "<br>")
            parts.append(f"<p style='margin:4px 0'><b style='color:{color}'>{escape(f.title)}</b><br>{text}</p>")
            if f.related:
                parts.append(f"<p style='margin:0 0 4px 12px;color:#555'>Entri terkait: {len(f.related)} "
                             "(tekan G untuk melihat berdampingan)</p>")
    else:
        parts.append("<p style='color:#2e7d32'>Tidak ada tanda.</p>")
    rows = e.conflict_rows()
    if rows:
        parts.append("<h4 style='margin:10px 0 2px 0;color:#b3261e'>Konflik data (tekan C untuk memilih)</h4>"
                     "<table border='1' cellspacing='0' cellpadding='3'>"
                     "<tr><th>Kolom</th><th>Nilai server</th><th>Nilai desa</th></tr>")
        for _field, label, server, village in rows:
            parts.append(f"<tr><td>{escape(label)}</td><td>{escape(server)}</td><td>{escape(village)}</td></tr>")
        parts.append("</table>")
    return "".join(parts)


class EntryPanel(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entryPanel")
        self.setOpenLinks(False)
        self.entry: EntryView | None = None
        self.show_entry(None)

    def show_entry(self, e: EntryView | None) -> None:
        self.entry = e
        if e is None:
            self.setHtml("<p style='color:#555'>Pilih entri di tabel (panah atas/bawah, PgUp/PgDn).</p>")
        else:
            self.setHtml(entry_html(e))
