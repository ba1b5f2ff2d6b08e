"""NIK and KK: strict structure checks and decoding (design.md §3).

NIK = province(2) kab/kota(2) kecamatan(2) DD MM YY serial(4); women have DD+40.
KK  = province(2) kab/kota(2) kecamatan(2) DD MM YY (recording date, no +40) serial(4).
The century is unknowable from the number, so the birth date is compared as DD/MM/YY only.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from domain import regions, temp_ids
from domain.issues import Issue, error, warning

_SEPARATORS = re.compile(r"[\s.\-]+")
SEX_NAMES = {"L": "laki-laki", "P": "perempuan"}


def normalize(raw: str) -> str:
    """Strip spaces, dots and dashes; nothing else is forgiven."""
    if raw and raw.isdigit():  # nothing to strip (the common case)
        return raw
    return _SEPARATORS.sub("", raw or "")


def _days_in_month(month: int, yy: int) -> int:
    if month == 2:
        # YY can be a leap year when 19YY or 20YY is one: 00 (2000), 04, ..., 96.
        return 29 if yy % 4 == 0 else 28
    return _DAYS_2001[month]


# calendar.monthrange(2001, m)[1] for each month (2001 is not a leap year), looked up per NIK/KK.
_DAYS_2001 = (0, *(calendar.monthrange(2001, m)[1] for m in range(1, 13)))


@dataclass(frozen=True, slots=True)
class RegionPart:
    province_code: str = ""
    kabkota_code: str = ""
    kecamatan_code: str = ""
    province_name: str | None = None
    kabkota_name: str | None = None
    kecamatan_name: str | None = None


@dataclass(frozen=True, slots=True)
class IdNumber:
    """Decoded NIK or KK. `valid` is False when any error is present."""

    kind: str  # "nik" or "kk"
    raw: str
    digits: str
    errors: tuple[Issue, ...] = ()
    warnings: tuple[Issue, ...] = ()
    region: RegionPart = field(default_factory=RegionPart)
    day: int | None = None  # as written, without the +40 for women
    month: int | None = None
    yy: int | None = None
    sex: str | None = None  # NIK only: "L" or "P"
    serial: str | None = None

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def date_text(self) -> str | None:
        """'17-08-85' style: the century is not in the number."""
        if self.day is None or self.month is None or self.yy is None:
            return None
        return f"{self.day:02d}-{self.month:02d}-{self.yy:02d}"

    def candidate_dates(self, today: date | None = None) -> list[date]:
        """The dates the DDMMYY can stand for, 19YY and 20YY, not in the future."""
        if self.day is None or self.month is None or self.yy is None:
            return []
        today = today or date.today()
        out = []
        for century in (1900, 2000):
            try:
                d = date(century + self.yy, self.month, self.day)
            except ValueError:
                continue
            if d <= today:
                out.append(d)
        return out

    def likely_date(self, today: date | None = None) -> date | None:
        """The most recent candidate date (for pre-filling; the operator confirms it)."""
        c = self.candidate_dates(today)
        return c[-1] if c else None

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "value": self.digits,
            "valid": self.valid,
            "province": {"code": self.region.province_code, "name": self.region.province_name},
            "kabkota": {"code": self.region.kabkota_code, "name": self.region.kabkota_name},
            "kecamatan": {"code": self.region.kecamatan_code, "name": self.region.kecamatan_name},
            "date": self.date_text,
            "sex": self.sex,
            "serial": self.serial,
            "errors": [i.to_dict() for i in self.errors],
            "warnings": [i.to_dict() for i in self.warnings],
        }


def _label(kind: str) -> str:
    return "NIK" if kind == "nik" else "Nomor KK"


def _check_shape(kind: str, raw: str, fld: str) -> tuple[str, list[Issue]]:
    label = _label(kind)
    digits = normalize(raw)
    if not digits:
        return digits, [error(fld, "empty", f"{label} wajib diisi.")]
    if not digits.isdigit():
        if temp_ids.looks_temporary(raw):
            hint = ("kosongkan NIK (orang ini memakai nomor sementara)" if kind == "nik"
                    else "kosongkan dan tandai 'KK belum terbit'")
            return digits, [error(fld, "temp_id", f"{label}: '{raw.strip()}' adalah nomor sementara, bukan {label}. "
                                                  f"Isi {label} 16 digit sesuai dokumen, atau {hint}.")]
        return digits, [error(fld, "not_digits", f"{label} hanya boleh berisi angka (ditemukan huruf atau simbol).")]
    if len(digits) != 16:
        return digits, [error(fld, "length", f"{label} harus 16 digit, yang diketik {len(digits)} digit.")]
    return digits, []


def _check_region(kind: str, digits: str, fld: str) -> tuple[RegionPart, list[Issue], list[Issue]]:
    part, errs, warns = _region_prefix(kind, digits[0:6], fld)
    return part, list(errs), list(warns)


@lru_cache(maxsize=65536)
def _region_prefix(kind: str, prefix: str, fld: str) -> tuple[RegionPart, tuple[Issue, ...], tuple[Issue, ...]]:
    """The region checks depend only on the first 6 digits (and the region table, which is fixed), so a
    batch of entries from one kecamatan looks them up once. Issues are frozen, safe to share."""
    label = _label(kind)
    errs: list[Issue] = []
    warns: list[Issue] = []
    prov, kab, kec = prefix[0:2], prefix[0:4], prefix[0:6]
    prov_name = kab_name = kec_name = None
    if prov not in regions.province_codes():
        errs.append(error(fld, "province", f"{label}: kode provinsi {prov} tidak dikenal."))
    else:
        prov_name = regions.name_of(prov)
    if prefix[2:4] == "00":
        errs.append(error(fld, "kabkota_00", f"{label}: kode kabupaten/kota tidak boleh 00."))
    if prefix[4:6] == "00":
        errs.append(error(fld, "kecamatan_00", f"{label}: kode kecamatan tidak boleh 00."))
    if not errs:
        kab_name = regions.name_of(kab)
        kec_name = regions.name_of(kec)
        if kab_name is None:
            warns.append(warning(fld, "kabkota_unknown",
                                 f"{label}: kode kabupaten/kota {regions.dotted(kab)} tidak ada di tabel wilayah "
                                 "(mungkin kode lama); periksa KTP/KK."))
        elif kec_name is None:
            warns.append(warning(fld, "kecamatan_unknown",
                                 f"{label}: kode kecamatan {regions.dotted(kec)} tidak ada di tabel wilayah "
                                 "(NIK tetap memakai kode saat diterbitkan); periksa KTP/KK."))
    part = RegionPart(regions.dotted(prov), regions.dotted(kab), regions.dotted(kec), prov_name, kab_name, kec_name)
    return part, tuple(errs), tuple(warns)


def parse_nik(
    raw: str,
    *,
    typed_birth_date: date | None = None,
    typed_sex: str | None = None,
    operator_kabkota: str | None = None,
    fld: str = "nik",
) -> IdNumber:
    """Parse a NIK strictly. Contradictions with what the operator typed are warnings."""
    digits, errs = _check_shape("nik", raw, fld)
    if errs:
        return IdNumber("nik", raw, digits, errors=tuple(errs))
    region, errs, warns = _check_region("nik", digits, fld)
    dd, mm, yy, serial = int(digits[6:8]), int(digits[8:10]), int(digits[10:12]), digits[12:16]
    day: int | None = None
    sex: str | None = None
    if 1 <= dd <= 31:
        day, sex = dd, "L"
    elif 41 <= dd <= 71:
        day, sex = dd - 40, "P"
    else:
        errs.append(error(fld, "day", f"NIK: tanggal lahir '{digits[6:8]}' tidak mungkin "
                                      "(laki-laki 01-31, perempuan 41-71)."))
    month: int | None = mm if 1 <= mm <= 12 else None
    if month is None:
        errs.append(error(fld, "month", f"NIK: bulan lahir '{digits[8:10]}' tidak mungkin (01-12)."))
    if day is not None and month is not None and day > _days_in_month(month, yy):
        errs.append(error(fld, "date", f"NIK: tanggal lahir {day:02d}-{month:02d}-{yy:02d} tidak ada di kalender."))
        day = None
    if serial == "0000":
        errs.append(error(fld, "serial", "NIK: nomor urut (4 digit terakhir) tidak boleh 0000."))
    if not errs:
        warns.extend(_compare_typed(day, month, yy, sex, typed_birth_date, typed_sex))
        if operator_kabkota and region.kabkota_code.replace(".", "") != regions.digits_of(operator_kabkota)[:4]:
            warns.append(warning(fld, "outside_kabkota",
                                 f"NIK diterbitkan di {region.kabkota_name or region.kabkota_code}, "
                                 "di luar kabupaten/kota operator; pastikan orang ini warga desa."))
    return IdNumber("nik", raw, digits, tuple(errs), tuple(warns), region,
                    day, month, yy, sex, serial)


def _compare_typed(day: int | None, month: int | None, yy: int, sex: str | None,
                   typed_birth_date: date | None, typed_sex: str | None) -> list[Issue]:
    out: list[Issue] = []
    if typed_birth_date is not None and day is not None and month is not None:
        t = typed_birth_date
        if (t.day, t.month, t.year % 100) != (day, month, yy):
            out.append(warning("birth_date", "nik_birth_date_mismatch",
                               f"Tanggal lahir {t:%d-%m-%Y} tidak cocok dengan NIK ({day:02d}-{month:02d}-{yy:02d})."))
    if typed_sex and sex and typed_sex.upper() != sex:
        out.append(warning("sex", "nik_sex_mismatch",
                           f"Jenis kelamin {SEX_NAMES.get(typed_sex.upper(), typed_sex)} tidak cocok dengan NIK "
                           f"({SEX_NAMES[sex]})."))
    return out


def parse_kk(raw: str, *, fld: str = "kk") -> IdNumber:
    """Parse a KK number: region prefix, DDMMYY recording date without +40, serial not 0000."""
    digits, errs = _check_shape("kk", raw, fld)
    if errs:
        return IdNumber("kk", raw, digits, errors=tuple(errs))
    region, errs, warns = _check_region("kk", digits, fld)
    dd, mm, yy, serial = int(digits[6:8]), int(digits[8:10]), int(digits[10:12]), digits[12:16]
    day: int | None = dd if 1 <= dd <= 31 else None
    month: int | None = mm if 1 <= mm <= 12 else None
    if day is None:
        errs.append(error(fld, "day", f"Nomor KK: tanggal pencatatan '{digits[6:8]}' tidak mungkin (01-31)."))
    if month is None:
        errs.append(error(fld, "month", f"Nomor KK: bulan pencatatan '{digits[8:10]}' tidak mungkin (01-12)."))
    if day is not None and month is not None and day > _days_in_month(month, yy):
        errs.append(error(fld, "date", f"Nomor KK: tanggal pencatatan {day:02d}-{month:02d}-{yy:02d} "
                                       "tidak ada di kalender."))
        day = None
    if serial == "0000":
        errs.append(error(fld, "serial", "Nomor KK: nomor urut (4 digit terakhir) tidak boleh 0000."))
    return IdNumber("kk", raw, digits, tuple(errs), tuple(warns), region, day, month, yy, None, serial)
