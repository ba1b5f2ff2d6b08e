"""Eligibility criteria: the one list the entry form, importers and the server use."""

from __future__ import annotations

CRITERIA: dict[str, str] = {
    "nelayan": "Nelayan",
    "petani": "Petani / buruh tani",
    "phk": "Pekerja korban PHK",
    "dirumahkan": "Pekerja dirumahkan",
    "kukm": "Pelaku KUKM / UMKM",
    "lansia": "Lanjut usia (lansia)",
    "disabilitas": "Penyandang disabilitas",
    "ibu_hamil": "Ibu hamil",
    "anak_sekolah": "Anak usia sekolah",
    "penyakit_kronis": "Anggota keluarga sakit kronis",
    "kepala_keluarga_perempuan": "Kepala keluarga perempuan",
    "tidak_bekerja": "Tidak bekerja / kehilangan penghasilan",
}


_BY_LABEL = {v.lower(): k for k, v in CRITERIA.items()}


def label(code: str) -> str:
    return CRITERIA.get(code, code)


def parse_list(text: str) -> tuple[list[str], list[str]]:
    """'nelayan; Lansia' -> (['nelayan', 'lansia'], unknown). Accepts codes or labels."""
    known: list[str] = []
    unknown: list[str] = []
    for part in (text or "").replace(";", ",").replace("|", ",").split(","):
        p = part.strip().lower()
        if not p:
            continue
        code = p if p in CRITERIA else _BY_LABEL.get(p)
        if code is None:
            unknown.append(part.strip())
        elif code not in known:
            known.append(code)
    return known, unknown
