"""Validation of one proposal (ProposalPayload): its type, its programme and whether the target fits
the programme (a household for PKH/BPNT/BST/BLT-DD, one member for PBI-JK; the catalogue says which),
the pengurus, the removal reason and the Musdesus decision. Whether the target records exist, and
whether a second open proposal exists (duplicate rule 4), is for the store and the server to check;
`open_key` is the key they compare.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from domain import criteria as crit
from domain import proposal_codes as pc
from domain.entry import parse_date
from domain.findings import Findings
from domain.issues import Issue, error, warning
from domain.programmes import DEFAULT, Catalogue, Programme, UnknownProgramme
from domain.records import ProposalPayload

LABELS: dict[str, str] = {
    "type": "Jenis usulan", "programme": "Program", "household_id": "Keluarga sasaran",
    "member_id": "Anggota sasaran", "pengurus_id": "Pengurus", "criteria": "Kriteria", "note": "Catatan",
    "removal_reason": "Alasan penghapusan", "musdesus_decision": "Keputusan Musdesus",
    "musdesus_date": "Tanggal Musdesus", "musdesus_ref": "Nomor berita acara",
    "musdesus_minutes_sha256": "Berkas berita acara",
}


def validate_proposal(
    p: ProposalPayload,
    *,
    catalogue: Catalogue = DEFAULT,
    household_member_ids: Collection[str] | None = None,
    today: date | None = None,
) -> Findings:
    """`household_member_ids`: the target household's members, when the caller knows them (the
    pengurus must be one of them)."""
    today = today or date.today()
    res = Findings()
    res.add(pc.PROPOSAL_TYPE.check("type", p.type, required=True))
    try:
        prog: Programme | None = catalogue.resolve(p.programme)
    except UnknownProgramme as e:
        prog = None
        res.add(error("programme", "unknown", str(e)))
    if prog is not None:
        res.extend(_target(p, prog, household_member_ids))
    res.extend(_removal(p))
    _codes, unknown = crit.parse_list(",".join(p.criteria))
    if unknown:
        res.add(error("criteria", "unknown", f"Kriteria tidak dikenal: {', '.join(unknown)}."))
    if p.type == pc.ProposalType.CORRECTION and not p.note.strip():
        res.add(warning("note", "correction_without_note", "Perbaikan data: tulis di catatan data apa yang diperbaiki."))
    res.extend(_musdesus(p, today))
    return res


def _target(p: ProposalPayload, prog: Programme, member_ids: Collection[str] | None) -> list[Issue]:
    hh, member, pengurus = p.household_id.strip(), p.member_id.strip(), p.pengurus_id.strip()
    out: list[Issue] = []
    if prog.is_household:
        if member:
            out.append(error("member_id", "household_programme_on_member",
                             f"Program {prog.code} ditujukan untuk keluarga (KPM), bukan perorangan; ajukan untuk "
                             "keluarganya dan pilih anggota ini sebagai pengurus."))
        if not hh:
            out.append(error("household_id", "empty", f"Program {prog.code} untuk keluarga: pilih keluarga sasarannya."))
        if not pengurus and p.type != pc.ProposalType.REMOVAL:
            out.append(error("pengurus_id", "empty",
                             f"Program {prog.code}: pilih pengurus, yaitu anggota keluarga yang menerima bantuan."))
        elif pengurus and member_ids is not None and pengurus not in member_ids:
            out.append(error("pengurus_id", "not_a_member", "Pengurus harus anggota keluarga sasaran."))
        return out
    if hh and not member:
        out.append(error("household_id", "person_programme_on_household",
                         f"Program {prog.code} ditujukan untuk perorangan, bukan keluarga; ajukan untuk anggota "
                         "keluarga yang bersangkutan."))
    elif hh:
        out.append(error("household_id", "both_targets",
                         f"Program {prog.code} untuk perorangan: sasaran cukup anggotanya, kosongkan keluarga."))
    elif not member:
        out.append(error("member_id", "empty", f"Program {prog.code} untuk perorangan: pilih anggota sasarannya."))
    if pengurus:
        out.append(error("pengurus_id", "person_programme",
                         f"Pengurus hanya untuk program keluarga; {prog.code} untuk perorangan."))
    return out


def _removal(p: ProposalPayload) -> list[Issue]:
    reason = p.removal_reason.strip()
    if p.type != pc.ProposalType.REMOVAL:
        if reason:
            return [error("removal_reason", "not_removal", "Alasan penghapusan hanya diisi untuk usulan penghapusan.")]
        return []
    if not reason:
        return [error("removal_reason", "empty",
                      f"Usulan penghapusan wajib punya alasan. Pilihan: {pc.REMOVAL_REASON.choices_text()}.")]
    issue = pc.REMOVAL_REASON.check("removal_reason", reason)
    if issue:
        return [issue]
    if reason in pc.NOTE_REQUIRED_REASONS and not p.note.strip():
        return [error("note", "reason_needs_note", "Alasan penghapusan 'lain' memerlukan catatan.")]
    return []


def _musdesus(p: ProposalPayload, today: date) -> list[Issue]:
    out: list[Issue | None] = [pc.MUSDESUS_DECISION.check("musdesus_decision", p.musdesus_decision)]
    when = p.musdesus_date.strip()
    if when:
        d = parse_date(when)
        if d is None:
            out.append(error("musdesus_date", "format",
                             f"Tanggal Musdesus '{when}' tidak dikenali; tulis seperti 2025-06-12 atau 12-06-2025."))
        elif d > today:
            out.append(error("musdesus_date", "future", "Tanggal Musdesus tidak boleh di masa depan."))
    if p.musdesus_decision and not when:
        out.append(error("musdesus_date", "empty", "Keputusan Musdesus diisi: isi juga tanggal musyawarahnya."))
    if not p.musdesus_decision and (when or p.musdesus_ref.strip()):
        out.append(warning("musdesus_decision", "empty", "Tanggal/berita acara Musdesus diisi tetapi keputusannya belum."))
    return [i for i in out if i is not None]


def open_key(p: ProposalPayload, catalogue: Catalogue = DEFAULT) -> tuple[str, str]:
    """(programme code, target record id): two open proposals with the same key are one too many
    (duplicate rule 4), whatever their type."""
    try:
        code = catalogue.resolve(p.programme).code
    except UnknownProgramme:
        code = p.programme.strip().upper()
    return code, p.target_id.strip()
