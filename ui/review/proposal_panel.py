"""The proposal review panel. Left: the proposal (programme, type, criteria, Musdesus, outcome, flags) and
the member it is about — the person a person programme targets, or a household programme's pengurus —
with the NIK read back in words (domain.readback). Beside it, right: the household (KK, address, desil),
every member of it (that member marked), the house and the assets. The reviewer judges the proposal
against the family it is for."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QHBoxLayout, QTextBrowser, QWidget

from desktop_app.review.family import HouseholdView, MemberView
from desktop_app.review.views import ProposalView, criteria_text, removal_text
from domain import review_fields
from domain.regions import dotted as region_dotted

_SEVERITY_COLORS = {"error": "#b3261e", "warning": "#8a5a00"}
_MARK = "#fff4d6"  # the member the proposal is about


def _row(label: str, value: str) -> str:
    return f"<tr><td style='color:#555;padding-right:10px'>{escape(label)}</td><td>{escape(value)}</td></tr>"


def _h(text: str) -> str:
    return f"<h4 style='margin:10px 0 2px 0'>{escape(text)}</h4>"


def proposal_html(e: ProposalView) -> str:
    """The proposal itself: what is asked, for whom, the outcome so far and every flag explained."""
    parts = [f"<h3 style='margin:0'>Usulan {escape(e.programme)} — {escape(e.name)}</h3>",
             f"<p style='margin:2px 0 8px 0'><b>{escape(e.outcome_text)}</b> · versi {e.version}"
             + (f" (disetujui: versi {e.approved_version})" if e.approved_version and e.approved_version != e.version
                else "") + "</p>",
             "<table>",
             _row("Program", f"{e.programme} — {e.programme_label}"),
             _row("Jenis usulan", e.type_label),
             _row("Sasaran", e.target_label),
             _row(e.member_role, e.member.name if e.member else "-"),
             _row("Desa", f"{e.desa_name} ({region_dotted(e.desa_code)})"),
             _row("Kriteria", criteria_text(e.criteria) or "-"),
             _row("Musdesus", e.musdesus_text)]
    if e.removal_reason:
        parts.append(_row("Alasan penghapusan", removal_text(e.removal_reason)))
    if e.proposal_note:
        parts.append(_row("Catatan desa", e.proposal_note))
    parts += [_row("Operator", e.operator or "-"), "</table>"]
    if e.objections:  # citizens' sanggah against this family (issue 16)
        parts.append(_h(f"Sanggahan warga ({len(e.objections)})"))
        parts.append("<ul style='margin:0'>" + "".join(
            f"<li><b>{escape(reason)}</b>: {escape(text)} <span style='color:#555'>({escape(ticket)})</span></li>"
            for reason, text, ticket in e.objections) + "</ul>")
    if e.review_fields:
        parts.append(_h("Isian yang harus diperbaiki desa"))
        parts.append("<ul style='margin:0'>" + "".join(f"<li>{escape(review_fields.label(f))}</li>"
                                                       for f in e.review_fields) + "</ul>")
    if e.flags:
        parts.append(_h(f"Tanda ({len(e.flags)})"))
        for f in e.flags:
            color = _SEVERITY_COLORS.get(f.severity, "#333")
            text = escape(f.explanation).replace("\n", "<br>")
            parts.append(f"<p style='margin:4px 0'><b style='color:{color}'>{escape(f.title)}</b><br>{text}</p>")
            if f.related:
                parts.append(f"<p style='margin:0 0 4px 12px;color:#555'>Data terkait: {len(f.related)} "
                             "(tekan G untuk melihat berdampingan)</p>")
    else:
        parts.append("<p style='color:#2e7d32'>Tidak ada tanda.</p>")
    if e.member is not None:
        parts.append(_member_block(e.member, e.member_role))
    rows = e.conflict_rows()
    src = e.conflict_source()
    if rows and src is not None:
        whose = {"proposal": "usulan", "member": "anggota keluarga", "household": "keluarga"}[src[0]]
        parts.append(f"<h4 style='margin:10px 0 2px 0;color:#b3261e'>Konflik data {whose} (tekan C untuk memilih)</h4>"
                     "<table border='1' cellspacing='0' cellpadding='3'>"
                     "<tr><th>Kolom</th><th>Nilai server</th><th>Nilai desa</th></tr>")
        for _field, label, server, village in rows:
            parts.append(f"<tr><td>{escape(label)}</td><td>{escape(server)}</td><td>{escape(village)}</td></tr>")
        parts.append("</table>")
    return "".join(parts)


def _member_block(m: MemberView, role: str) -> str:
    parts = [_h(f"{role}: {m.name}"), "<table>",
             _row("NIK", m.id_text),
             _row("Tempat, tgl lahir", f"{m.birth_place or '-'}, {m.birth_date_text}"),
             _row("Jenis kelamin", m.sex_label),
             _row("Hubungan", m.relation_label),
             _row("Keadaan", "; ".join(m.condition_parts()) or "-")]
    if m.desil is not None:
        parts.append(_row("Desil", str(m.desil)))
    parts.append("</table>")
    if m.nik_lines:
        parts.append("<ul style='margin:0'>" + "".join(f"<li>{escape(line)}</li>" for line in m.nik_lines) + "</ul>")
    return "".join(parts)


def _members_table(members: list[MemberView], marked: str | None) -> str:
    parts = ["<table border='1' cellspacing='0' cellpadding='3'>",
             "<tr><th>Nama</th><th>NIK</th><th>Hubungan</th><th>JK</th><th>Tgl lahir</th><th>Keadaan</th></tr>"]
    for m in members:
        bg = f" style='background:{_MARK}'" if m.record_id == marked else ""
        name = escape(m.name) + (" ◀" if m.record_id == marked else "")
        parts.append(f"<tr{bg}><td>{name}</td><td>{escape(m.id_text)}</td>"
                     f"<td>{escape(m.relation_label)}</td><td>{escape(m.sex)}</td>"
                     f"<td>{escape(m.birth_date_text)}</td><td>{escape('; '.join(m.condition_parts()) or '-')}</td></tr>")
    parts.append("</table>")
    return "".join(parts)


def _household_block(h: HouseholdView) -> str:
    parts = [f"<h3 style='margin:0'>Keluarga: KK {escape(h.kk_text)}</h3>", "<table>",
             _row("Alamat", h.address or "-"),
             _row("Desil", str(h.desil) if h.desil is not None else "belum ada di daftar DTSEN")]
    if h.phone:
        parts.append(_row("Telepon", h.phone))
    parts.append("</table>")
    return "".join(parts)


def family_html(e: ProposalView) -> str:
    """The family beside the proposal: the household, all its members (the one the proposal is about
    marked ◀), the house and the assets."""
    h = e.household
    if h is None:
        return "<p style='color:#b3261e'>Data keluarga usulan ini belum ada di server.</p>"
    parts = [_household_block(h), _h(f"Anggota keluarga ({len(e.members)})")]
    parts.append(_members_table(e.members, e.member.record_id if e.member else None) if e.members
                 else "<p style='color:#b3261e'>Belum ada anggota keluarga.</p>")
    parts.append(_h("Kondisi rumah"))
    housing = list(h.housing)
    if h.floor_area_m2 is not None:
        housing.insert(0, ("Luas lantai", f"{h.floor_area_m2:g} m²"))
    parts.append("<table>" + "".join(_row(q, a) for q, a in housing) + "</table>" if housing
                 else "<p style='color:#555'>Belum diisi desa.</p>")
    parts.append(_h("Aset"))
    assets = h.assets + h.livestock
    parts.append(f"<p style='margin:0'>{escape(', '.join(assets))}</p>" if assets
                 else "<p style='color:#555;margin:0'>Tidak ada aset tercatat.</p>")
    if h.kk_lines:
        parts.append(_h(f"No. KK {h.kk}"))
        parts.append("<ul style='margin:0'>" + "".join(f"<li>{escape(line)}</li>" for line in h.kk_lines) + "</ul>")
    return "".join(parts)


class ProposalPanel(QWidget):
    """Two readers side by side: the proposal (left) and its family (right)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("proposalPanel")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.proposal_text = QTextBrowser()
        self.proposal_text.setObjectName("proposalText")
        self.family_text = QTextBrowser()
        self.family_text.setObjectName("familyText")
        for t, stretch in ((self.proposal_text, 2), (self.family_text, 3)):
            t.setOpenLinks(False)
            lay.addWidget(t, stretch)
        self.proposal: ProposalView | None = None
        self.show_proposal(None)

    def show_proposal(self, e: ProposalView | None) -> None:
        self.proposal = e
        if e is None:
            self.proposal_text.setHtml("<p style='color:#555'>Pilih usulan di tabel (panah atas/bawah, PgUp/PgDn).</p>")
            self.family_text.setHtml("")
        else:
            self.proposal_text.setHtml(proposal_html(e))
            self.family_text.setHtml(family_html(e))

    def toPlainText(self) -> str:
        return self.proposal_text.toPlainText() + "\n" + self.family_text.toPlainText()
