"""The NIK / KK read back in words ("perempuan, lahir 17-05-80 · Kec. Tanjung Pandan, ..."), once for
the operator's entry form (one line beside the field) and the reviewer's entry panel (a few lines)."""

from __future__ import annotations

from datetime import date

from domain.idnumbers import SEX_NAMES, IdNumber, parse_kk, parse_nik


def place_text(n: IdNumber, *, unknown: bool = False) -> str:
    """'Kec. X, Kabupaten Y, Provinsi Z'; `unknown`: name a code that is not in the region list."""
    r = n.region
    if unknown:
        parts = (f"Kec. {r.kecamatan_name}" if r.kecamatan_name else f"kecamatan {r.kecamatan_code} (tidak dikenal)",
                 r.kabkota_name or f"kab/kota {r.kabkota_code}", r.province_name or f"provinsi {r.province_code}")
    else:
        parts = (f"Kec. {r.kecamatan_name}" if r.kecamatan_name else "", r.kabkota_name or "", r.province_name or "")
    return ", ".join(x for x in parts if x)


def summary(n: IdNumber) -> str:
    """One line: 'perempuan, lahir 23-08-85 · Kec. ...' (NIK) or 'dicatat 23-08-85 · ...' (KK)."""
    sex = SEX_NAMES.get(n.sex or "", "-")
    head = f"{sex}, lahir {n.date_text}" if n.kind == "nik" else f"dicatat {n.date_text}"
    place = place_text(n)
    return f"{head} · {place}" if place else head


def lines(n: IdNumber) -> list[str]:
    """The number read back line by line, with its problems (✖ error, ⚠ warning) or ✔ when sound."""
    person = n.kind == "nik"
    out: list[str] = []
    if n.region.province_code:
        out.append(("Diterbitkan di " if person else "Wilayah: ") + place_text(n, unknown=True))
    if n.date_text:
        if person:
            out.append(f"Lahir {n.date_text} (tahun 2 digit), {SEX_NAMES.get(n.sex or '', '-')}")
        else:
            out.append(f"Tanggal pencatatan {n.date_text}")
    if n.serial:
        out.append(f"Nomor urut {n.serial}")
    out.extend(f"✖ {i.message}" for i in n.errors)
    out.extend(f"⚠ {i.message}" for i in n.warnings)
    if n.valid and not n.warnings:
        out.append("✔ Struktur " + ("NIK" if person else "nomor KK") + " sah")
    return out


def _date_of(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except (TypeError, ValueError):
        return None


def nik_lines(nik: str, birth_date: str = "", sex: str = "") -> list[str]:
    """The NIK read back, compared with the birth date (ISO) and sex that were typed."""
    return lines(parse_nik(nik, typed_birth_date=_date_of(birth_date), typed_sex=sex or None))


def kk_lines(kk: str) -> list[str]:
    return lines(parse_kk(kk))
