"""Who may see what: an account's area is a region-code prefix (design.md §4)."""

from __future__ import annotations

from domain import regions
from domain.states import Role

AREA_DIGITS = {Role.OPERATOR: 10, Role.REVIEWER: 6, Role.SUPERVISOR: 4, Role.ADMIN: 0, Role.PSM: 10, Role.TKSK: 6}
AREA_LEVEL_NAMES = {Role.OPERATOR: "desa", Role.REVIEWER: "kecamatan", Role.SUPERVISOR: "kabupaten/kota",
                    Role.ADMIN: "seluruh wilayah", Role.PSM: "desa", Role.TKSK: "kecamatan"}


def check_area(role: Role, area: str) -> str:
    """Normalise and check an account's area code; raise ValueError with an Indonesian message."""
    digits = regions.digits_of(area or "")
    want = AREA_DIGITS[role]
    if role is Role.ADMIN:
        if digits:
            raise ValueError("Akun admin tidak memakai kode wilayah.")
        return ""
    if len(digits) != want or regions.get(digits) is None:
        raise ValueError(f"Peran {role} memerlukan kode {AREA_LEVEL_NAMES[role]} ({want} digit) yang terdaftar; "
                         f"'{area}' tidak dikenali.")
    return digits


def covers(area_prefix: str, code: str) -> bool:
    """True when a region code lies inside the area ('' = everywhere)."""
    return regions.digits_of(code).startswith(area_prefix)
