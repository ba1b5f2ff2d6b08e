"""Coded reasons for rejection (the reviewer picks one; the village sees its text)."""

from __future__ import annotations

from enum import StrEnum


class ReasonCode(StrEnum):
    INVALID_ID = "R01"
    NOT_RESIDENT = "R02"
    DUPLICATE = "R03"
    KK_ALREADY_IN_PROGRAMME = "R04"
    ALREADY_RECIPIENT = "R05"
    NOT_ELIGIBLE = "R06"
    DIED = "R07"
    MOVED = "R08"
    BETTER_OFF = "R09"
    INCOMPLETE = "R10"
    OTHER = "R99"


REJECT_REASONS: dict[str, str] = {
    ReasonCode.INVALID_ID: "NIK/KK tidak valid atau tidak sesuai dokumen",
    ReasonCode.NOT_RESIDENT: "Bukan warga desa/kelurahan ini",
    ReasonCode.DUPLICATE: "Duplikat: orang yang sama sudah terdaftar",
    ReasonCode.KK_ALREADY_IN_PROGRAMME: "Satu KK sudah menerima program ini",
    ReasonCode.ALREADY_RECIPIENT: "Sudah menerima bantuan lain (daftar penerima)",
    ReasonCode.NOT_ELIGIBLE: "Tidak memenuhi kriteria program",
    ReasonCode.DIED: "Meninggal dunia",
    ReasonCode.MOVED: "Pindah domisili",
    ReasonCode.BETTER_OFF: "Mampu / kondisi ekonomi membaik",
    ReasonCode.INCOMPLETE: "Data tidak lengkap",
    ReasonCode.OTHER: "Alasan lain (lihat catatan)",
}
NOTE_REQUIRED = frozenset({ReasonCode.OTHER})


def reason_text(code: str | None) -> str:
    return REJECT_REASONS.get(code or "", code or "")
