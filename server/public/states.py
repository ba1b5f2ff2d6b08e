"""The words citizens read: report states, objection reasons, and a proposal's state in plain words."""

from __future__ import annotations

from enum import StrEnum

from domain.reasons import reason_text
from domain.states import ReviewState


class ReportKind(StrEnum):
    USUL = "usul"
    SANGGAH = "sanggah"


class ReportState(StrEnum):
    RECEIVED = "RECEIVED"  # waiting for the desa to verify it
    AUTO_CLOSED = "AUTO_CLOSED"  # stage 1: already a recipient
    IN_VERIFICATION = "IN_VERIFICATION"  # the desa / field verifier is on it
    PROPOSED = "PROPOSED"  # eligible: the desa made a proposal of it
    NOT_ELIGIBLE = "NOT_ELIGIBLE"
    CLOSED = "CLOSED"  # closed by the desa with a reason


REPORT_STATE_WORDS: dict[str, str] = {
    ReportState.RECEIVED: "Diterima, menunggu verifikasi desa",
    ReportState.AUTO_CLOSED: "Ditutup otomatis",
    ReportState.IN_VERIFICATION: "Sedang diverifikasi di lapangan",
    ReportState.PROPOSED: "Layak, sudah diusulkan oleh desa",
    ReportState.NOT_ELIGIBLE: "Tidak layak menurut verifikasi",
    ReportState.CLOSED: "Selesai",
}
KIND_WORDS: dict[str, str] = {ReportKind.USUL: "Usulan warga", ReportKind.SANGGAH: "Sanggahan"}

# Why a listed recipient should not be (sanggah): code -> words on the form.
OBJECTION_REASONS: dict[str, str] = {
    "mampu": "Sudah mampu / kondisi ekonomi membaik",
    "meninggal": "Meninggal dunia",
    "pindah": "Pindah domisili",
    "ganda": "Terdaftar lebih dari sekali",
    "tidak_dikenal": "Tidak dikenal / tidak tinggal di alamat",
    "lainnya": "Alasan lain (jelaskan)",
}

AUTO_CLOSED_TEXT = ("Orang yang dilaporkan sudah tercatat sebagai penerima bantuan, sehingga laporan ini ditutup "
                    "otomatis dan tidak diteruskan ke desa. Orang yang bersangkutan dapat melihat status bantuannya "
                    "sendiri di halaman Cek Status dengan NIK dan nomor KK miliknya.")
RECEIVED_USUL_TEXT = ("Laporan diteruskan ke pemerintah desa. Petugas desa atau pendamping akan memeriksa ke "
                      "alamat yang dilaporkan; hasilnya tampil di sini.")
RECEIVED_SANGGAH_TEXT = ("Sanggahan diteruskan ke pemerintah desa dan kecamatan untuk diperiksa; hasilnya tampil "
                         "di sini.")


def proposal_words(review_state: str, musdesus_decision: str = "", kecamatan_verified: bool = False,
                   reason_code: str | None = None) -> str:
    """A proposal's state as the citizen reads it: diusulkan desa / disetujui Musdesus / diverifikasi
    kecamatan / disetujui / ditolak (+ the reason's text) / dikembalikan."""
    if review_state == ReviewState.APPROVED:
        return "Disetujui"
    if review_state == ReviewState.REJECTED:
        text = reason_text(reason_code)
        return f"Ditolak: {text}" if text else "Ditolak"
    if review_state == ReviewState.RETURNED:
        return "Dikembalikan ke desa untuk diperbaiki"
    if kecamatan_verified:
        return "Diverifikasi kecamatan"
    if musdesus_decision == "agreed":
        return "Disetujui Musdesus"
    return "Diusulkan desa"
