"""Coded reasons for rejection (the reviewer picks one; the village sees its text)."""

from __future__ import annotations

REJECT_REASONS: dict[str, str] = {
    "R01": "NIK/KK tidak valid atau tidak sesuai dokumen",
    "R02": "Bukan warga desa/kelurahan ini",
    "R03": "Duplikat: orang yang sama sudah terdaftar",
    "R04": "Satu KK sudah menerima program ini",
    "R05": "Sudah menerima bantuan lain (daftar penerima)",
    "R06": "Tidak memenuhi kriteria program",
    "R07": "Meninggal dunia",
    "R08": "Pindah domisili",
    "R09": "Mampu / kondisi ekonomi membaik",
    "R10": "Data tidak lengkap",
    "R99": "Alasan lain (lihat catatan)",
}
NOTE_REQUIRED = frozenset({"R99"})


def reason_text(code: str | None) -> str:
    return REJECT_REASONS.get(code or "", code or "")
