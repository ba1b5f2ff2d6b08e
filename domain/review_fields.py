"""The fields a reviewer can name when returning a proposal for revision (proposal.review_fields).

A code is "<record type>.<payload field>" of the record the village must fix: the proposal itself, its
household, or its member (the person a person programme targets, or a household programme's pengurus).
The village's app reads the same codes to point the operator at the field. "household.members" names the
family's composition (a member missing, the wrong head of the family), which is no single payload field.
"""

from __future__ import annotations

from collections.abc import Iterable

# Ordered as the review screen lists them: the proposal, the member, then the household.
REVIEW_FIELDS: dict[str, str] = {
    "proposal.programme": "Program",
    "proposal.type": "Jenis usulan",
    "proposal.criteria": "Kriteria usulan",
    "proposal.pengurus_id": "Pengurus (penerima bantuan keluarga)",
    "proposal.removal_reason": "Alasan penghapusan",
    "proposal.musdesus_decision": "Keputusan/berita acara Musdesus",
    "proposal.note": "Catatan usulan",
    "member.nik": "NIK anggota",
    "member.name": "Nama anggota",
    "member.birth_place": "Tempat lahir",
    "member.birth_date": "Tanggal lahir",
    "member.sex": "Jenis kelamin",
    "member.relation": "Hubungan dengan kepala keluarga",
    "member.marital_status": "Status perkawinan",
    "member.education": "Pendidikan",
    "member.occupation": "Pekerjaan",
    "member.difficulties": "Kesulitan fungsional (disabilitas)",
    "member.chronic_illness": "Penyakit kronis",
    "member.ppks": "Kategori PPKS",
    "member.criteria": "Kriteria anggota",
    "household.kk": "Nomor KK",
    "household.address": "Alamat (dusun, RT/RW)",
    "household.members": "Susunan anggota keluarga",
    "household.housing": "Kondisi rumah",
    "household.assets": "Aset dan ternak",
    "household.phone": "Nomor telepon",
}


def label(code: str) -> str:
    """The Indonesian label of a field code (an unknown code as it is)."""
    return REVIEW_FIELDS.get(code, code)


def unknown(codes: Iterable[str]) -> list[str]:
    """The codes that are not review fields, in their order."""
    return [c for c in codes if c not in REVIEW_FIELDS]


def labels_text(codes: Iterable[str]) -> str:
    return ", ".join(label(c) for c in codes)
