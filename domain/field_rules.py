"""Checks of single fields that households and members share (address parts, phone, coordinates, names,
dates, desa). Each returns None when the value is fine, else an Issue naming the field in Indonesian."""

from __future__ import annotations

import re
from datetime import date

from domain import regions
from domain.entry import parse_date
from domain.issues import Issue, error

_RT_RW = re.compile(r"^\d{1,3}$")
_PHONE = re.compile(r"^(\+62|62|0)8\d{7,12}$")
_PHONE_SEPARATORS = re.compile(r"[\s\-]")
_NAME_OK = re.compile(r"^[A-Za-z' .,\-]+$")
MAX_AGE_YEARS = 130
# Indonesia's extent, with a margin: a point outside is a typing error (or a swapped pair).
LAT_RANGE = (-11.5, 6.5)
LON_RANGE = (94.5, 141.5)


def rt_rw(fld: str, label: str, value: str) -> Issue | None:
    if value and not _RT_RW.match(value.strip()):
        return error(fld, "format", f"{label} harus angka 1-3 digit, misalnya 003.")
    return None


def phone(fld: str, value: str) -> Issue | None:
    v = _PHONE_SEPARATORS.sub("", value or "")
    if v and not _PHONE.match(v):
        return error(fld, "format", "Nomor HP tidak dikenali; tulis seperti 081234567890.")
    return None


def coordinate(fld: str, label: str, value: float | None, lo: float, hi: float) -> Issue | None:
    if value is not None and not lo <= value <= hi:
        return error(fld, "range", f"{label} {value} di luar wilayah Indonesia.")
    return None


def coordinates(lat: float | None, lon: float | None) -> list[Issue]:
    out = [coordinate("latitude", "Lintang", lat, *LAT_RANGE), coordinate("longitude", "Bujur", lon, *LON_RANGE)]
    if (lat is None) != (lon is None):
        out.append(error("latitude" if lat is None else "longitude", "pair",
                         "Koordinat harus lengkap: isi lintang dan bujur, atau kosongkan keduanya."))
    return [i for i in out if i is not None]


def person_name(fld: str, value: str) -> Issue | None:
    name = (value or "").strip()
    if not name:
        return error(fld, "empty", "Nama wajib diisi.")
    if len(name) > 100:
        return error(fld, "too_long", "Nama terlalu panjang (maksimal 100 huruf).")
    if not _NAME_OK.match(name):
        return error(fld, "chars", "Nama hanya boleh berisi huruf, spasi, titik, koma, tanda petik dan tanda hubung.")
    return None


def birth_date(fld: str, value: str, today: date) -> tuple[date | None, Issue | None]:
    """The parsed date, or None and the error."""
    text = (value or "").strip()
    if not text:
        return None, error(fld, "empty", "Tanggal lahir wajib diisi.")
    bd = parse_date(text)
    if bd is None:
        return None, error(fld, "format", f"Tanggal lahir '{text}' tidak dikenali; tulis seperti 1985-08-17 atau 17-08-1985.")
    if bd > today:
        return None, error(fld, "future", "Tanggal lahir tidak boleh di masa depan.")
    if today.year - bd.year > MAX_AGE_YEARS:
        return None, error(fld, "too_old", f"Tanggal lahir {bd:%d-%m-%Y} tidak masuk akal.")
    return bd, None


def age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def desa(fld: str, value: str, operator_desa: str | None) -> Issue | None:
    code = regions.digits_of(value or "")
    if not code:
        return error(fld, "empty", "Kode desa wajib diisi.")
    if not regions.is_desa(code):
        return error(fld, "unknown", f"Kode desa {value} tidak ada di daftar desa/kelurahan Kemendagri.")
    if operator_desa and code != regions.digits_of(operator_desa):
        return error(fld, "foreign", "Keluarga harus di desa operator ini.")
    return None
