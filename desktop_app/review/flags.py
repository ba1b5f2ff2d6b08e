"""The reviewer's flag catalogue: what each flag (domain.flags.FlagCode) means and how serious it is.

An unknown code (a flag a newer server added) is still shown, verbatim, with a generic explanation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.flags import FlagCode


@dataclass(frozen=True, slots=True)
class FlagInfo:
    title: str
    explanation: str
    severity: str = "warning"  # "error" (likely reject), "warning" (check) or "info" (settled, nothing to do)


@dataclass(frozen=True, slots=True)
class FlagView:
    code: str  # a FlagCode, or the server's code verbatim when unknown
    title: str
    explanation: str
    severity: str  # "error" (likely reject), "warning" (check)
    related: tuple[str, ...] = ()  # record ids of the other entries involved


FLAG_INFO: dict[str, FlagInfo] = {  # keyed by FlagCode members
    FlagCode.NIK_INVALID: FlagInfo(
        "NIK tidak sah", "Struktur NIK tidak sah menurut aturan Dukcapil (kode wilayah, tanggal lahir atau "
        "nomor urut). Periksa KTP; biasanya ditolak dengan alasan R01.", "error"),
    FlagCode.KK_INVALID: FlagInfo(
        "Nomor KK tidak sah", "Struktur nomor KK tidak sah (kode wilayah, tanggal pencatatan atau nomor urut). "
        "Periksa Kartu Keluarga.", "error"),
    FlagCode.NIK_MISMATCH: FlagInfo(
        "Data NIK bertentangan", "Tanggal lahir atau jenis kelamin yang diketik operator tidak cocok dengan "
        "yang tersimpan di NIK. Salah satunya salah ketik; minta desa memeriksa KTP."),
    FlagCode.DUP_NIK: FlagInfo(
        "NIK sama di desa lain", "NIK anggota ini juga terdaftar sebagai anggota keluarga lain (biasanya di desa "
        "lain: pindah, atau didata dua kali). Buka grup duplikat (G), pertahankan satu data atau tandai bukan "
        "orang yang sama.", "error"),
    FlagCode.DUP_KK: FlagInfo(
        "KK sama / usulan ganda", "Nomor KK keluarga ini juga terdaftar di keluarga lain, atau sudah ada usulan "
        "terbuka lain untuk program dan sasaran yang sama. Buka grup duplikat (G) dan pilih satu (R03/R04)."),
    FlagCode.DUP_PERSON: FlagInfo(
        "Kemungkinan orang yang sama", "Ada anggota lain dengan tanggal lahir sama dan nama sangat mirip "
        "(ejaan lama, gelar, singkatan). Bandingkan berdampingan di tab Duplikat sebelum memutuskan."),
    FlagCode.REF_REJECT: FlagInfo(
        "Ditolak otomatis: penerima bantuan pusat", "NIK ini penerima bantuan pusat di daftar penerima; aturan "
        "program menolaknya otomatis (R05). Setujui hanya bila daftar penerima terbukti keliru.", "error"),
    FlagCode.REF_MATCH: FlagInfo(
        "Sudah penerima bantuan lain", "NIK sasaran atau anggota keluarganya ada di daftar penerima (DTKS/bantuan "
        "pusat atau daerah). "
        "Yang sudah mendapat bantuan pusat tidak dapat menerima bantuan provinsi/kabupaten; biasanya "
        "ditolak dengan alasan R05.", "error"),
    FlagCode.EDITED_AFTER_APPROVAL: FlagInfo(
        "Diubah setelah disetujui", "Desa mengubah usulan ini setelah disetujui. Versi yang disetujui tersimpan "
        "di riwayat; periksa perubahannya lalu setujui ulang."),
    FlagCode.RESUBMITTED: FlagInfo(
        "Dikirim ulang setelah perbaikan", "Usulan ini sebelumnya ditolak atau dikembalikan, lalu diperbaiki "
        "desa dan dikirim ulang. Catatan sebelumnya tetap terlihat."),
    FlagCode.CONFLICT_HARD: FlagInfo(
        "Konflik data", "Desa dan server mengubah kolom yang sama dari versi lama. Nilai server dipertahankan; "
        "perubahan desa disimpan di sampingnya. Pilih nilai yang benar per kolom atau kembalikan ke desa.",
        "error"),
    FlagCode.CONFLICT_SOFT: FlagInfo(
        "Perubahan digabung otomatis", "Desa mengubah dari versi lama, tetapi kolom yang berbeda; perubahan "
        "digabung otomatis. Cukup diperiksa."),
    FlagCode.DATA_WARNING: FlagInfo(
        "Peringatan data", "Operator desa menyimpan data ini meskipun pemeriksaan data memberi peringatan."),
    FlagCode.OVERRIDE: FlagInfo(
        "Disimpan walau mirip data lain", "Operator menyimpan anggota ini walau aplikasi desa memperingatkan "
        "kemungkinan duplikat; operator memberi alasan. Bandingkan dengan data terkait."),
    FlagCode.DUP_KEPT: FlagInfo(
        "Duplikat diselesaikan: data ini dipertahankan", "Grup duplikatnya sudah diselesaikan; data ini yang "
        "dipertahankan.", "info"),
    FlagCode.DUP_OTHER_KEPT: FlagInfo(
        "Duplikat: data desa lain dipertahankan", "Peninjau mempertahankan data yang sama di desa lain; usulan "
        "terbuka data ini ditolak sebagai duplikat (R03).", "error"),
    FlagCode.DUP_NOT_SAME: FlagInfo(
        "Bukan data yang sama", "Peninjau sudah memastikan data ini bukan orang/keluarga yang sama dengan data "
        "mirip di grup duplikatnya.", "info"),
}
_UNKNOWN = "Tanda dari server; periksa data usulan."


def flag_key(code: str) -> str:
    """The FlagCode member for `code`, or `code` itself when this client does not know it."""
    try:
        return FlagCode(code)
    except ValueError:
        return code


def flag_title(code: str) -> str:
    info = FLAG_INFO.get(flag_key(code))
    return info.title if info else code


def explain_flag(code: str, *, detail: str = "", related: Sequence[str] = ()) -> FlagView:
    key = flag_key(code)
    info = FLAG_INFO.get(key) or FlagInfo(code, _UNKNOWN)
    text = info.explanation + (f"\nRincian: {detail}" if detail else "")
    return FlagView(key, info.title, text, info.severity, tuple(related))
