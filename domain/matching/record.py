"""A person record and the features the matcher compares, computed once per record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.names import name_key

DMY = tuple[int, int, int]  # day, month, two-digit year: what a NIK can tell of a birth date
PATRONYM = frozenset({"bin", "binti", "bt", "bte"})
PARTICLES = frozenset({"br", "boru"})  # Batak "boru" before a woman's marga: often left out


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One person as a store row or a file row holds it. `nik`, `kk`: digits (possibly invalid)."""

    id: str
    nik: str
    kk: str
    name: str
    birth_date: date | None
    sex: str  # "L", "P" or "" when unknown
    desa_code: str = ""
    dusun: str = ""
    rt: str = ""
    rw: str = ""


@dataclass(frozen=True, slots=True)
class Prepared:
    rec: PersonRecord
    key: str  # domain.names.name_key
    joined: str  # the key without spaces: compounds meet (Sri Rahayu / Srirahayu)
    core: tuple[str, ...]  # own name words: no patronym (bin X), no Batak particle
    patronym: tuple[str, ...]
    nik: str  # 16 digits or ""
    nik_dmy: DMY | None
    nik_sex: str
    typed_dmy: DMY | None
    sexes: frozenset[str]
    sex_consistent: bool  # typed sex and NIK sex do not contradict each other
    rt_rw: str

    @property
    def dates(self) -> tuple[DMY, ...]:
        return tuple(d for d in (self.typed_dmy, self.nik_dmy) if d is not None)


def decode_nik(nik: str) -> tuple[DMY | None, str]:
    """(day, month, yy) and sex encoded in a 16-digit NIK, leniently: a typo still yields a date
    when the digits can be one."""
    if len(nik) != 16 or not nik.isdigit():
        return None, ""
    dd, mm, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = "L"
    if dd > 40:
        dd, sex = dd - 40, "P"
    if not (1 <= dd <= 31 and 1 <= mm <= 12):
        return None, ""
    return (dd, mm, yy), sex


def prepare(rec: PersonRecord) -> Prepared:
    key = name_key(rec.name)
    words = key.split()
    core: list[str] = []
    patronym: list[str] = []
    for i, w in enumerate(words):
        if w in PATRONYM and i > 0:
            patronym = words[i + 1:]
            break
        if w not in PARTICLES:
            core.append(w)
    nik = rec.nik if len(rec.nik) == 16 and rec.nik.isdigit() else ""
    nik_dmy, nik_sex = decode_nik(nik)
    typed = (rec.birth_date.day, rec.birth_date.month, rec.birth_date.year % 100) if rec.birth_date else None
    sex = rec.sex if rec.sex in ("L", "P") else ""
    sexes = frozenset(s for s in (sex, nik_sex) if s)
    return Prepared(
        rec=rec, key=key, joined=key.replace(" ", ""), core=tuple(core), patronym=tuple(patronym), nik=nik,
        nik_dmy=nik_dmy, nik_sex=nik_sex, typed_dmy=typed, sexes=sexes,
        sex_consistent=not (sex and nik_sex and sex != nik_sex),
        rt_rw=f"{rec.dusun.strip().lower()}|{rec.rt.strip().lstrip('0')}|{rec.rw.strip().lstrip('0')}",
    )


def nik_variants(nik: str) -> list[str]:
    """Every NIK one digit changed or two neighbours swapped away from `nik` (159 of them): the
    NIKs a typo could have turned the typed one from."""
    if len(nik) != 16 or not nik.isdigit():
        return []
    out: list[str] = []
    for i, c in enumerate(nik):
        for d in "0123456789":
            if d != c:
                out.append(nik[:i] + d + nik[i + 1:])
    for i in range(15):
        if nik[i] != nik[i + 1]:
            out.append(nik[:i] + nik[i + 1] + nik[i] + nik[i + 2:])
    return out


def nik_relation(a: str, b: str) -> str:
    """'same', 'substitution', 'swap' or '' (further apart, or unknown)."""
    if not a or not b:
        return ""
    if a == b:
        return "same"
    diff = [i for i in range(16) if a[i] != b[i]]
    if len(diff) == 1:
        return "substitution"
    if len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]:
        return "swap"
    return ""


def dmy_of(d: date) -> DMY:
    return d.day, d.month, d.year % 100
