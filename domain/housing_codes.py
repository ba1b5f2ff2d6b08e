"""Code lists of the DTSEN household data: the house (tenure, materials, water, electricity, cooking,
sanitation) and the assets, with the answer labels of the BPS Regsosek/DTSEN household questionnaire.
Sources and departures: docs/decisions/0005-household-model.md.
"""

from __future__ import annotations

from enum import StrEnum

from domain.codelist import CodeList


class Tenure(StrEnum):
    MILIK_SENDIRI = "milik_sendiri"
    KONTRAK_SEWA = "kontrak_sewa"
    BEBAS_SEWA = "bebas_sewa"
    DINAS = "dinas"
    LAINNYA = "lainnya"


TENURE = CodeList(Tenure, "Status kepemilikan bangunan tempat tinggal", {
    Tenure.MILIK_SENDIRI: "Milik sendiri",
    Tenure.KONTRAK_SEWA: "Kontrak/sewa",
    Tenure.BEBAS_SEWA: "Bebas sewa",
    Tenure.DINAS: "Dinas",
    Tenure.LAINNYA: "Lainnya",
})


class FloorMaterial(StrEnum):
    MARMER_GRANIT = "marmer_granit"
    KERAMIK = "keramik"
    PARKET_VINIL_KARPET = "parket_vinil_karpet"
    UBIN_TEGEL_TERASO = "ubin_tegel_teraso"
    KAYU_PAPAN = "kayu_papan"
    SEMEN_BATA_MERAH = "semen_bata_merah"
    BAMBU = "bambu"
    TANAH = "tanah"
    LAINNYA = "lainnya"


FLOOR_MATERIAL = CodeList(FloorMaterial, "Jenis lantai terluas", {
    FloorMaterial.MARMER_GRANIT: "Marmer/granit",
    FloorMaterial.KERAMIK: "Keramik",
    FloorMaterial.PARKET_VINIL_KARPET: "Parket/vinil/karpet",
    FloorMaterial.UBIN_TEGEL_TERASO: "Ubin/tegel/teraso",
    FloorMaterial.KAYU_PAPAN: "Kayu/papan",
    FloorMaterial.SEMEN_BATA_MERAH: "Semen/bata merah",
    FloorMaterial.BAMBU: "Bambu",
    FloorMaterial.TANAH: "Tanah",
    FloorMaterial.LAINNYA: "Lainnya",
})


class WallMaterial(StrEnum):
    TEMBOK = "tembok"
    PLESTERAN_ANYAMAN_BAMBU = "plesteran_anyaman_bambu"
    KAYU_PAPAN = "kayu_papan"
    ANYAMAN_BAMBU = "anyaman_bambu"
    BATANG_KAYU = "batang_kayu"
    BAMBU = "bambu"
    LAINNYA = "lainnya"


WALL_MATERIAL = CodeList(WallMaterial, "Jenis dinding terluas", {
    WallMaterial.TEMBOK: "Tembok",
    WallMaterial.PLESTERAN_ANYAMAN_BAMBU: "Plesteran anyaman bambu/kawat",
    WallMaterial.KAYU_PAPAN: "Kayu/papan/gipsum/GRC/kalsiboard",
    WallMaterial.ANYAMAN_BAMBU: "Anyaman bambu",
    WallMaterial.BATANG_KAYU: "Batang kayu",
    WallMaterial.BAMBU: "Bambu",
    WallMaterial.LAINNYA: "Lainnya",
})


class RoofMaterial(StrEnum):
    BETON = "beton"
    GENTENG = "genteng"
    SENG = "seng"
    ASBES = "asbes"
    BAMBU = "bambu"
    KAYU_SIRAP = "kayu_sirap"
    JERAMI_IJUK_RUMBIA = "jerami_ijuk_rumbia"
    LAINNYA = "lainnya"


ROOF_MATERIAL = CodeList(RoofMaterial, "Jenis atap terluas", {
    RoofMaterial.BETON: "Beton",
    RoofMaterial.GENTENG: "Genteng",
    RoofMaterial.SENG: "Seng",
    RoofMaterial.ASBES: "Asbes",
    RoofMaterial.BAMBU: "Bambu",
    RoofMaterial.KAYU_SIRAP: "Kayu/sirap",
    RoofMaterial.JERAMI_IJUK_RUMBIA: "Jerami/ijuk/daun-daunan/rumbia",
    RoofMaterial.LAINNYA: "Lainnya",
})


class WaterSource(StrEnum):
    AIR_KEMASAN = "air_kemasan"
    AIR_ISI_ULANG = "air_isi_ulang"
    LEDING = "leding"
    SUMUR_BOR = "sumur_bor"
    SUMUR_TERLINDUNG = "sumur_terlindung"
    SUMUR_TAK_TERLINDUNG = "sumur_tak_terlindung"
    MATA_AIR_TERLINDUNG = "mata_air_terlindung"
    MATA_AIR_TAK_TERLINDUNG = "mata_air_tak_terlindung"
    AIR_PERMUKAAN = "air_permukaan"
    AIR_HUJAN = "air_hujan"
    LAINNYA = "lainnya"


WATER_SOURCE = CodeList(WaterSource, "Sumber air minum utama", {
    WaterSource.AIR_KEMASAN: "Air kemasan bermerk",
    WaterSource.AIR_ISI_ULANG: "Air isi ulang",
    WaterSource.LEDING: "Leding",
    WaterSource.SUMUR_BOR: "Sumur bor/pompa",
    WaterSource.SUMUR_TERLINDUNG: "Sumur terlindung",
    WaterSource.SUMUR_TAK_TERLINDUNG: "Sumur tak terlindung",
    WaterSource.MATA_AIR_TERLINDUNG: "Mata air terlindung",
    WaterSource.MATA_AIR_TAK_TERLINDUNG: "Mata air tak terlindung",
    WaterSource.AIR_PERMUKAAN: "Air permukaan (sungai/danau/waduk/kolam/irigasi)",
    WaterSource.AIR_HUJAN: "Air hujan",
    WaterSource.LAINNYA: "Lainnya",
})


class Lighting(StrEnum):
    PLN_METERAN = "pln_meteran"
    PLN_TANPA_METERAN = "pln_tanpa_meteran"
    NON_PLN = "non_pln"
    BUKAN_LISTRIK = "bukan_listrik"


LIGHTING = CodeList(Lighting, "Sumber penerangan utama", {
    Lighting.PLN_METERAN: "Listrik PLN dengan meteran",
    Lighting.PLN_TANPA_METERAN: "Listrik PLN tanpa meteran",
    Lighting.NON_PLN: "Listrik non-PLN",
    Lighting.BUKAN_LISTRIK: "Bukan listrik",
})


class Wattage(StrEnum):
    VA_450 = "450"
    VA_900 = "900"
    VA_1300 = "1300"
    VA_2200 = "2200"
    VA_DI_ATAS_2200 = ">2200"


WATTAGE = CodeList(Wattage, "Daya terpasang", {
    Wattage.VA_450: "450 VA",
    Wattage.VA_900: "900 VA",
    Wattage.VA_1300: "1.300 VA",
    Wattage.VA_2200: "2.200 VA",
    Wattage.VA_DI_ATAS_2200: "Lebih dari 2.200 VA",
}, aliases={"1.300": Wattage.VA_1300, "2.200": Wattage.VA_2200, "> 2200 va": Wattage.VA_DI_ATAS_2200})


class CookingFuel(StrEnum):
    LISTRIK = "listrik"
    GAS_5_5KG = "gas_5_5kg"
    GAS_12KG = "gas_12kg"
    GAS_3KG = "gas_3kg"
    GAS_KOTA = "gas_kota"
    BIOGAS = "biogas"
    MINYAK_TANAH = "minyak_tanah"
    BRIKET = "briket"
    ARANG = "arang"
    KAYU_BAKAR = "kayu_bakar"
    LAINNYA = "lainnya"
    TIDAK_MEMASAK = "tidak_memasak"


COOKING_FUEL = CodeList(CookingFuel, "Bahan bakar utama untuk memasak", {
    CookingFuel.LISTRIK: "Listrik",
    CookingFuel.GAS_5_5KG: "Elpiji 5,5 kg/blue gaz",
    CookingFuel.GAS_12KG: "Elpiji 12 kg",
    CookingFuel.GAS_3KG: "Elpiji 3 kg",
    CookingFuel.GAS_KOTA: "Gas kota/meteran PGN",
    CookingFuel.BIOGAS: "Biogas",
    CookingFuel.MINYAK_TANAH: "Minyak tanah",
    CookingFuel.BRIKET: "Briket",
    CookingFuel.ARANG: "Arang",
    CookingFuel.KAYU_BAKAR: "Kayu bakar",
    CookingFuel.LAINNYA: "Lainnya",
    CookingFuel.TIDAK_MEMASAK: "Tidak memasak di rumah",
})


class ToiletFacility(StrEnum):
    SENDIRI = "sendiri"
    BERSAMA = "bersama"
    UMUM = "umum"
    TIDAK_ADA = "tidak_ada"


TOILET_FACILITY = CodeList(ToiletFacility, "Fasilitas tempat buang air besar", {
    ToiletFacility.SENDIRI: "Ada, digunakan hanya anggota keluarga sendiri",
    ToiletFacility.BERSAMA: "Ada, digunakan bersama keluarga tertentu",
    ToiletFacility.UMUM: "Ada, di MCK umum/komunal",
    ToiletFacility.TIDAK_ADA: "Tidak ada fasilitas",
}, aliases={"sendiri": ToiletFacility.SENDIRI, "umum": ToiletFacility.UMUM})


class ToiletType(StrEnum):
    LEHER_ANGSA = "leher_angsa"
    PLENGSENGAN = "plengsengan"
    CEMPLUNG = "cemplung"
    TIDAK_PAKAI = "tidak_pakai"


TOILET_TYPE = CodeList(ToiletType, "Jenis kloset", {
    ToiletType.LEHER_ANGSA: "Leher angsa",
    ToiletType.PLENGSENGAN: "Plengsengan dengan tutup",
    ToiletType.CEMPLUNG: "Cemplung/cubluk",
    ToiletType.TIDAK_PAKAI: "Tidak pakai kloset",
})


class Sewage(StrEnum):
    TANGKI_SEPTIK = "tangki_septik"
    IPAL = "ipal"
    KOLAM_SAWAH_SUNGAI = "kolam_sawah_sungai"
    LUBANG_TANAH = "lubang_tanah"
    PANTAI_KEBUN = "pantai_kebun"
    LAINNYA = "lainnya"


SEWAGE = CodeList(Sewage, "Tempat pembuangan akhir tinja", {
    Sewage.TANGKI_SEPTIK: "Tangki septik",
    Sewage.IPAL: "IPAL",
    Sewage.KOLAM_SAWAH_SUNGAI: "Kolam/sawah/sungai/danau/laut",
    Sewage.LUBANG_TANAH: "Lubang tanah",
    Sewage.PANTAI_KEBUN: "Pantai/tanah lapang/kebun",
    Sewage.LAINNYA: "Lainnya",
})


class Asset(StrEnum):
    """Things the household owns (yes/no): the 14 movable assets, then land or a house elsewhere."""

    TABUNG_GAS_5_5KG = "tabung_gas_5_5kg"
    LEMARI_ES = "lemari_es"
    AC = "ac"
    PEMANAS_AIR = "pemanas_air"
    TELEPON_RUMAH = "telepon_rumah"
    TV_LAYAR_DATAR = "tv_layar_datar"
    EMAS_10G = "emas_10g"
    KOMPUTER = "komputer"
    SEPEDA_MOTOR = "sepeda_motor"
    SEPEDA = "sepeda"
    MOBIL = "mobil"
    PERAHU = "perahu"
    PERAHU_MOTOR = "perahu_motor"
    SMARTPHONE = "smartphone"
    LAHAN_LAIN = "lahan_lain"
    RUMAH_LAIN = "rumah_lain"


ASSET = CodeList(Asset, "Aset yang dimiliki", {
    Asset.TABUNG_GAS_5_5KG: "Tabung gas 5,5 kg atau lebih",
    Asset.LEMARI_ES: "Lemari es/kulkas",
    Asset.AC: "Pendingin ruangan (AC)",
    Asset.PEMANAS_AIR: "Pemanas air",
    Asset.TELEPON_RUMAH: "Telepon rumah (PSTN)",
    Asset.TV_LAYAR_DATAR: "Televisi layar datar (minimal 30 inci)",
    Asset.EMAS_10G: "Emas/perhiasan (minimal 10 gram)",
    Asset.KOMPUTER: "Komputer/laptop/tablet",
    Asset.SEPEDA_MOTOR: "Sepeda motor",
    Asset.SEPEDA: "Sepeda",
    Asset.MOBIL: "Mobil",
    Asset.PERAHU: "Perahu",
    Asset.PERAHU_MOTOR: "Kapal/perahu motor",
    Asset.SMARTPHONE: "Smartphone",
    Asset.LAHAN_LAIN: "Lahan/tanah di tempat lain",
    Asset.RUMAH_LAIN: "Rumah di tempat lain",
})
MOVABLE_ASSETS = tuple(list(Asset)[:14])


class Livestock(StrEnum):
    """Livestock kept (a count each)."""

    SAPI = "sapi"
    KERBAU = "kerbau"
    KUDA = "kuda"
    BABI = "babi"
    KAMBING_DOMBA = "kambing_domba"


LIVESTOCK = CodeList(Livestock, "Jumlah ternak", {
    Livestock.SAPI: "Sapi",
    Livestock.KERBAU: "Kerbau",
    Livestock.KUDA: "Kuda",
    Livestock.BABI: "Babi",
    Livestock.KAMBING_DOMBA: "Kambing/domba",
})
