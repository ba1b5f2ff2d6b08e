"""Code lists about one member of a household (anggota keluarga), with the labels of the KK (Dukcapil)
and of the BPS Regsosek/DTSEN individual questionnaire. Codes are stable; labels are what the
operator reads. Sources and departures: docs/decisions/0005-household-model.md.
"""

from __future__ import annotations

from enum import StrEnum

from domain.codelist import CodeList


class Sex(StrEnum):
    L = "L"
    P = "P"


SEX = CodeList(Sex, "Jenis kelamin", {Sex.L: "Laki-laki", Sex.P: "Perempuan"})


class Relation(StrEnum):
    """Status hubungan dalam keluarga (SHDK), in the order and wording printed on the KK."""

    KEPALA_KELUARGA = "kepala_keluarga"
    SUAMI = "suami"
    ISTRI = "istri"
    ANAK = "anak"
    MENANTU = "menantu"
    CUCU = "cucu"
    ORANG_TUA = "orang_tua"
    MERTUA = "mertua"
    FAMILI_LAIN = "famili_lain"
    PEMBANTU = "pembantu"
    LAINNYA = "lainnya"


RELATION = CodeList(Relation, "Hubungan dengan kepala keluarga", {
    Relation.KEPALA_KELUARGA: "Kepala Keluarga",
    Relation.SUAMI: "Suami",
    Relation.ISTRI: "Istri",
    Relation.ANAK: "Anak",
    Relation.MENANTU: "Menantu",
    Relation.CUCU: "Cucu",
    Relation.ORANG_TUA: "Orang Tua",
    Relation.MERTUA: "Mertua",
    Relation.FAMILI_LAIN: "Famili Lain",
    Relation.PEMBANTU: "Pembantu",
    Relation.LAINNYA: "Lainnya",
}, aliases={"kk": Relation.KEPALA_KELUARGA, "kepala": Relation.KEPALA_KELUARGA, "famili": Relation.FAMILI_LAIN})
SPOUSES = frozenset({Relation.SUAMI, Relation.ISTRI})


class MaritalStatus(StrEnum):
    BELUM_KAWIN = "belum_kawin"
    KAWIN = "kawin"
    CERAI_HIDUP = "cerai_hidup"
    CERAI_MATI = "cerai_mati"


MARITAL_STATUS = CodeList(MaritalStatus, "Status perkawinan", {
    MaritalStatus.BELUM_KAWIN: "Belum kawin",
    MaritalStatus.KAWIN: "Kawin/nikah",
    MaritalStatus.CERAI_HIDUP: "Cerai hidup",
    MaritalStatus.CERAI_MATI: "Cerai mati",
}, aliases={"kawin tercatat": MaritalStatus.KAWIN, "kawin belum tercatat": MaritalStatus.KAWIN,
            "nikah": MaritalStatus.KAWIN})


class Education(StrEnum):
    """Highest certificate held (ijazah tertinggi)."""

    TIDAK_PUNYA_IJAZAH = "tidak_punya_ijazah"
    SD = "sd"
    SMP = "smp"
    SMA = "sma"
    D1_D3 = "d1_d3"
    D4_S1 = "d4_s1"
    S2_S3 = "s2_s3"


EDUCATION = CodeList(Education, "Ijazah tertinggi", {
    Education.TIDAK_PUNYA_IJAZAH: "Tidak/belum punya ijazah SD",
    Education.SD: "SD/MI/sederajat",
    Education.SMP: "SMP/MTs/sederajat",
    Education.SMA: "SMA/SMK/MA/sederajat",
    Education.D1_D3: "Diploma I/II/III",
    Education.D4_S1: "Diploma IV/S1",
    Education.S2_S3: "S2/S3",
})


class SchoolStatus(StrEnum):
    """School participation (partisipasi sekolah)."""

    TIDAK_PERNAH = "tidak_pernah"
    MASIH_SEKOLAH = "masih_sekolah"
    TIDAK_SEKOLAH_LAGI = "tidak_sekolah_lagi"


SCHOOL_STATUS = CodeList(SchoolStatus, "Partisipasi sekolah", {
    SchoolStatus.TIDAK_PERNAH: "Tidak/belum pernah sekolah",
    SchoolStatus.MASIH_SEKOLAH: "Masih sekolah",
    SchoolStatus.TIDAK_SEKOLAH_LAGI: "Tidak bersekolah lagi",
})


class Occupation(StrEnum):
    """Main activity / work (pekerjaan utama), grouped as village operators fill it in."""

    TIDAK_BEKERJA = "tidak_bekerja"
    SEKOLAH = "sekolah"
    MENGURUS_RUMAH_TANGGA = "mengurus_rumah_tangga"
    PETANI = "petani"
    BURUH_TANI = "buruh_tani"
    PEKEBUN = "pekebun"
    PETERNAK = "peternak"
    NELAYAN = "nelayan"
    BURUH_HARIAN = "buruh_harian"
    PEDAGANG = "pedagang"
    WIRASWASTA = "wiraswasta"
    KARYAWAN_SWASTA = "karyawan_swasta"
    PNS_TNI_POLRI = "pns_tni_polri"
    PEKERJA_RUMAH_TANGGA = "pekerja_rumah_tangga"
    PENGEMUDI = "pengemudi"
    PENSIUNAN = "pensiunan"
    LAINNYA = "lainnya"


OCCUPATION = CodeList(Occupation, "Pekerjaan utama", {
    Occupation.TIDAK_BEKERJA: "Tidak/belum bekerja",
    Occupation.SEKOLAH: "Pelajar/mahasiswa",
    Occupation.MENGURUS_RUMAH_TANGGA: "Mengurus rumah tangga",
    Occupation.PETANI: "Petani (tanaman pangan/hortikultura)",
    Occupation.BURUH_TANI: "Buruh tani",
    Occupation.PEKEBUN: "Pekebun",
    Occupation.PETERNAK: "Peternak",
    Occupation.NELAYAN: "Nelayan",
    Occupation.BURUH_HARIAN: "Buruh harian lepas",
    Occupation.PEDAGANG: "Pedagang",
    Occupation.WIRASWASTA: "Wiraswasta/usaha sendiri",
    Occupation.KARYAWAN_SWASTA: "Karyawan swasta",
    Occupation.PNS_TNI_POLRI: "PNS/TNI/Polri",
    Occupation.PEKERJA_RUMAH_TANGGA: "Pekerja rumah tangga",
    Occupation.PENGEMUDI: "Sopir/ojek",
    Occupation.PENSIUNAN: "Pensiunan",
    Occupation.LAINNYA: "Lainnya",
})


class Difficulty(StrEnum):
    """Functional difficulty (kesulitan fungsional, Washington Group questions used by BPS)."""

    MELIHAT = "melihat"
    MENDENGAR = "mendengar"
    BERJALAN = "berjalan"
    TANGAN_JARI = "tangan_jari"
    MENGINGAT = "mengingat"
    PERILAKU = "perilaku"
    BERBICARA = "berbicara"
    MENGURUS_DIRI = "mengurus_diri"


DIFFICULTY = CodeList(Difficulty, "Kesulitan fungsional", {
    Difficulty.MELIHAT: "Melihat",
    Difficulty.MENDENGAR: "Mendengar",
    Difficulty.BERJALAN: "Berjalan atau naik tangga",
    Difficulty.TANGAN_JARI: "Menggunakan/menggerakkan tangan dan jari",
    Difficulty.MENGINGAT: "Mengingat atau berkonsentrasi",
    Difficulty.PERILAKU: "Perilaku dan/atau emosi",
    Difficulty.BERBICARA: "Berbicara dan/atau memahami/berkomunikasi",
    Difficulty.MENGURUS_DIRI: "Mengurus diri sendiri (mandi, makan, berpakaian)",
})


class Severity(StrEnum):
    """How hard (only the difficulties a member has are recorded)."""

    SEDIKIT = "sedikit"
    PARAH = "parah"
    TIDAK_BISA = "tidak_bisa"


DIFFICULTY_SEVERITY = CodeList(Severity, "Tingkat kesulitan", {
    Severity.SEDIKIT: "Ya, sedikit kesulitan",
    Severity.PARAH: "Ya, banyak kesulitan",
    Severity.TIDAK_BISA: "Tidak bisa sama sekali",
})


class ChronicIllness(StrEnum):
    """Chronic illness (keluhan kesehatan kronis/menahun); TIDAK_ADA when none."""

    TIDAK_ADA = "tidak_ada"
    HIPERTENSI = "hipertensi"
    REMATIK = "rematik"
    ASMA = "asma"
    JANTUNG = "jantung"
    DIABETES = "diabetes"
    TBC = "tbc"
    STROKE = "stroke"
    KANKER = "kanker"
    GAGAL_GINJAL = "gagal_ginjal"
    LAINNYA = "lainnya"


CHRONIC_ILLNESS = CodeList(ChronicIllness, "Penyakit kronis/menahun", {
    ChronicIllness.TIDAK_ADA: "Tidak ada",
    ChronicIllness.HIPERTENSI: "Hipertensi (tekanan darah tinggi)",
    ChronicIllness.REMATIK: "Rematik",
    ChronicIllness.ASMA: "Asma",
    ChronicIllness.JANTUNG: "Masalah jantung",
    ChronicIllness.DIABETES: "Diabetes (kencing manis)",
    ChronicIllness.TBC: "Tuberkulosis (TBC)",
    ChronicIllness.STROKE: "Stroke",
    ChronicIllness.KANKER: "Kanker atau tumor ganas",
    ChronicIllness.GAGAL_GINJAL: "Gagal ginjal",
    ChronicIllness.LAINNYA: "Lainnya",
})
