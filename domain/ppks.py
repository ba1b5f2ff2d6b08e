"""The 26 types of PPKS (Pemerlu Pelayanan Kesejahteraan Sosial; PMKS in Permensos 8/2012), in the
regulation's order and wording. A member can belong to several."""

from __future__ import annotations

from enum import StrEnum

from domain.codelist import CodeList


class Ppks(StrEnum):
    ANAK_BALITA_TELANTAR = "anak_balita_telantar"
    ANAK_TELANTAR = "anak_telantar"
    ANAK_BERHADAPAN_HUKUM = "anak_berhadapan_hukum"
    ANAK_JALANAN = "anak_jalanan"
    ANAK_DISABILITAS = "anak_disabilitas"
    ANAK_KORBAN_KEKERASAN = "anak_korban_kekerasan"
    ANAK_PERLINDUNGAN_KHUSUS = "anak_perlindungan_khusus"
    LANJUT_USIA_TELANTAR = "lanjut_usia_telantar"
    PENYANDANG_DISABILITAS = "penyandang_disabilitas"
    TUNA_SUSILA = "tuna_susila"
    GELANDANGAN = "gelandangan"
    PENGEMIS = "pengemis"
    PEMULUNG = "pemulung"
    KELOMPOK_MINORITAS = "kelompok_minoritas"
    BEKAS_WARGA_BINAAN_LP = "bekas_warga_binaan_lp"
    ODHA = "odha"
    KORBAN_NAPZA = "korban_napza"
    KORBAN_TRAFFICKING = "korban_trafficking"
    KORBAN_TINDAK_KEKERASAN = "korban_tindak_kekerasan"
    PEKERJA_MIGRAN_BERMASALAH = "pekerja_migran_bermasalah"
    KORBAN_BENCANA_ALAM = "korban_bencana_alam"
    KORBAN_BENCANA_SOSIAL = "korban_bencana_sosial"
    PEREMPUAN_RAWAN_SOSEK = "perempuan_rawan_sosek"
    FAKIR_MISKIN = "fakir_miskin"
    KELUARGA_BERMASALAH_PSIKOLOGIS = "keluarga_bermasalah_psikologis"
    KOMUNITAS_ADAT_TERPENCIL = "komunitas_adat_terpencil"


PPKS = CodeList(Ppks, "Jenis PPKS", {
    Ppks.ANAK_BALITA_TELANTAR: "Anak balita telantar",
    Ppks.ANAK_TELANTAR: "Anak telantar",
    Ppks.ANAK_BERHADAPAN_HUKUM: "Anak yang berhadapan dengan hukum (ABH)",
    Ppks.ANAK_JALANAN: "Anak jalanan",
    Ppks.ANAK_DISABILITAS: "Anak dengan kedisabilitasan (ADK)",
    Ppks.ANAK_KORBAN_KEKERASAN: "Anak yang menjadi korban tindak kekerasan atau diperlakukan salah",
    Ppks.ANAK_PERLINDUNGAN_KHUSUS: "Anak yang memerlukan perlindungan khusus",
    Ppks.LANJUT_USIA_TELANTAR: "Lanjut usia telantar",
    Ppks.PENYANDANG_DISABILITAS: "Penyandang disabilitas",
    Ppks.TUNA_SUSILA: "Tuna susila",
    Ppks.GELANDANGAN: "Gelandangan",
    Ppks.PENGEMIS: "Pengemis",
    Ppks.PEMULUNG: "Pemulung",
    Ppks.KELOMPOK_MINORITAS: "Kelompok minoritas",
    Ppks.BEKAS_WARGA_BINAAN_LP: "Bekas warga binaan lembaga pemasyarakatan (BWBLP)",
    Ppks.ODHA: "Orang dengan HIV/AIDS (ODHA)",
    Ppks.KORBAN_NAPZA: "Korban penyalahgunaan NAPZA",
    Ppks.KORBAN_TRAFFICKING: "Korban trafficking",
    Ppks.KORBAN_TINDAK_KEKERASAN: "Korban tindak kekerasan",
    Ppks.PEKERJA_MIGRAN_BERMASALAH: "Pekerja migran bermasalah sosial (PMBS)",
    Ppks.KORBAN_BENCANA_ALAM: "Korban bencana alam",
    Ppks.KORBAN_BENCANA_SOSIAL: "Korban bencana sosial",
    Ppks.PEREMPUAN_RAWAN_SOSEK: "Perempuan rawan sosial ekonomi",
    Ppks.FAKIR_MISKIN: "Fakir miskin",
    Ppks.KELUARGA_BERMASALAH_PSIKOLOGIS: "Keluarga bermasalah sosial psikologis",
    Ppks.KOMUNITAS_ADAT_TERPENCIL: "Komunitas Adat Terpencil (KAT)",
}, aliases={"abh": Ppks.ANAK_BERHADAPAN_HUKUM, "adk": Ppks.ANAK_DISABILITAS, "bwblp": Ppks.BEKAS_WARGA_BINAAN_LP,
            "pmbs": Ppks.PEKERJA_MIGRAN_BERMASALAH, "kat": Ppks.KOMUNITAS_ADAT_TERPENCIL})
# Types about children: a member of 18 or more in one of these gets a warning.
CHILD_TYPES = frozenset({
    Ppks.ANAK_BALITA_TELANTAR, Ppks.ANAK_TELANTAR, Ppks.ANAK_BERHADAPAN_HUKUM, Ppks.ANAK_JALANAN,
    Ppks.ANAK_DISABILITAS, Ppks.ANAK_KORBAN_KEKERASAN, Ppks.ANAK_PERLINDUNGAN_KHUSUS,
})
