"""Validation of one candidate entry, the same on the desktop and on the server.

Input is a plain dict of strings (what the form, a CSV row or a sync payload carries), so the
rules do not depend on any schema library.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from domain import criteria as crit
from domain import regions
from domain.dates import parse_date
from domain.idnumbers import IdNumber, parse_kk, parse_nik
from domain.issues import Issue, error, warning
from domain.programmes import DEFAULT, Catalogue, Programme, UnknownProgramme

FIELD_LABELS: dict[str, str] = {
    "nik": "NIK",
    "kk": "Nomor KK",
    "name": "Nama",
    "birth_place": "Tempat lahir",
    "birth_date": "Tanggal lahir",
    "sex": "Jenis kelamin",
    "desa_code": "Kode desa",
    "dusun": "Dusun",
    "rt": "RT",
    "rw": "RW",
    "address": "Alamat",
    "phone": "Nomor HP",
    "criteria": "Kriteria",
    "programme": "Program",
    "notes": "Catatan",
    "latitude": "Lintang",
    "longitude": "Bujur",
}
_RT_RW = re.compile(r"^\d{1,3}$")
_PHONE = re.compile(r"^(\+62|62|0)8\d{7,12}$")
_NAME_OK = re.compile(r"^[A-Za-z' .,\-]+$")
_PHONE_SEPARATORS = re.compile(r"[\s\-]")
MAX_AGE_YEARS = 130


@dataclass(slots=True)
class EntryCheck:
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    nik: IdNumber | None = None
    kk: IdNumber | None = None
    birth_date: date | None = None
    programme: Programme | None = None
    criteria: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def first_error_for(self, fld: str) -> Issue | None:
        return next((i for i in self.errors if i.field == fld), None)


def validate_entry(
    data: Mapping[str, object],
    *,
    catalogue: Catalogue = DEFAULT,
    operator_desa: str | None = None,
    today: date | None = None,
) -> EntryCheck:
    """Check one entry. Errors block saving; warnings are shown and recorded with it."""
    today = today or date.today()
    res = EntryCheck()

    def text(key: str) -> str:
        v = data.get(key)
        return "" if v is None else str(v).strip()

    # Name
    name = text("name")
    if not name:
        res.errors.append(error("name", "empty", "Nama wajib diisi."))
    elif len(name) > 100:
        res.errors.append(error("name", "too_long", "Nama terlalu panjang (maksimal 100 huruf)."))
    elif not _NAME_OK.match(name):
        res.errors.append(error("name", "chars", "Nama hanya boleh berisi huruf, spasi, titik, koma, tanda petik dan tanda hubung."))

    # Birth date and sex (typed), then NIK compared with them
    bd_text = text("birth_date")
    if not bd_text:
        res.errors.append(error("birth_date", "empty", "Tanggal lahir wajib diisi."))
    else:
        bd = parse_date(bd_text, today=today)
        if bd is None:
            res.errors.append(error("birth_date", "format",
                                    f"Tanggal lahir '{bd_text}' tidak dikenali; tulis seperti 1985-08-17 atau 17-08-1985."))
        elif bd > today:
            res.errors.append(error("birth_date", "future", "Tanggal lahir tidak boleh di masa depan."))
        elif today.year - bd.year > MAX_AGE_YEARS:
            res.errors.append(error("birth_date", "too_old", f"Tanggal lahir {bd:%d-%m-%Y} tidak masuk akal."))
        else:
            res.birth_date = bd
    sex = text("sex").upper()
    if sex not in ("L", "P"):
        res.errors.append(error("sex", "value", "Jenis kelamin harus L (laki-laki) atau P (perempuan)."))
        sex = ""

    desa = regions.digits_of(text("desa_code"))
    operator_kab = (operator_desa and regions.digits_of(operator_desa)[:4]) or (desa[:4] if desa else None)
    res.nik = parse_nik(text("nik"), typed_birth_date=res.birth_date, typed_sex=sex or None,
                        operator_kabkota=operator_kab or None)
    res.errors.extend(res.nik.errors)
    res.warnings.extend(res.nik.warnings)
    res.kk = parse_kk(text("kk"))
    res.errors.extend(res.kk.errors)
    res.warnings.extend(res.kk.warnings)

    # Desa
    if not desa:
        res.errors.append(error("desa_code", "empty", "Kode desa wajib diisi."))
    elif not regions.is_desa(desa):
        res.errors.append(error("desa_code", "unknown",
                                f"Kode desa {text('desa_code')} tidak ada di daftar desa/kelurahan Kemendagri."))
    elif operator_desa and desa != regions.digits_of(operator_desa):
        res.errors.append(error("desa_code", "foreign", "Entri harus untuk desa operator ini."))

    # Address parts
    for key in ("rt", "rw"):
        v = text(key)
        if v and not _RT_RW.match(v):
            res.errors.append(error(key, "format", f"{FIELD_LABELS[key]} harus angka 1-3 digit, misalnya 003."))
    phone = _PHONE_SEPARATORS.sub("", text("phone"))
    if phone and not _PHONE.match(phone):
        res.errors.append(error("phone", "format", "Nomor HP tidak dikenali; tulis seperti 081234567890."))
    for key, lo, hi in (("latitude", -11.5, 6.5), ("longitude", 94.5, 141.5)):
        v = text(key)
        if v:
            try:
                f = float(v)
            except ValueError:
                res.errors.append(error(key, "format", f"{FIELD_LABELS[key]} harus angka desimal."))
                continue
            if not lo <= f <= hi:
                res.errors.append(error(key, "range", f"{FIELD_LABELS[key]} {f} di luar wilayah Indonesia."))

    # Programme and criteria
    try:
        res.programme = catalogue.resolve(text("programme"))
    except UnknownProgramme as e:
        res.errors.append(error("programme", "unknown", str(e)))
    raw_criteria = data.get("criteria")
    if isinstance(raw_criteria, (list, tuple)):  # a tuple: a union type would be built per call
        codes, unknown = crit.parse_list(",".join(map(str, raw_criteria)))
    else:
        codes, unknown = crit.parse_list(text("criteria"))
    res.criteria = codes
    if unknown:
        res.errors.append(error("criteria", "unknown", f"Kriteria tidak dikenal: {', '.join(unknown)}."))
    if res.birth_date and "lansia" in codes and _age(res.birth_date, today) < 60:
        res.warnings.append(warning("criteria", "lansia_age", "Kriteria lansia tetapi umur di bawah 60 tahun."))
    return res


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
