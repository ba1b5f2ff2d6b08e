"""Area filters for SQL: what an account may see (operator desa, reviewer kecamatan, supervisor
kab/kota, admin everything)."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException
from sqlalchemy import and_, false, true
from sqlmodel import col

from domain import regions
from domain.states import Role
from server.models import Entry, User

# A region code as narrow() takes it: province, kab/kota, kecamatan or desa, dotted or not (or empty).
AREA_PATTERN = r"^(\d{2}(\.?\d{2}(\.?\d{2}(\.?\d{4})?)?)?)?$"


def entry_filter(user: User) -> Any:
    role = Role(user.role)
    if role is Role.ADMIN:
        return true()
    # province_code first: on PostgreSQL only the area's province partition is read (migration 0004).
    province = col(Entry.province_code) == user.area_code[:2]
    if role is Role.SUPERVISOR:
        return and_(province, col(Entry.kabkota_code) == user.area_code)
    if role is Role.REVIEWER:
        return and_(province, col(Entry.kecamatan_code) == user.area_code)
    if role in (Role.PSM, Role.TKSK):
        return false()  # field verifiers see citizens' reports only
    return and_(province, col(Entry.desa_code) == user.area_code)


def record_filter(user: User, table: Any) -> Any:
    """entry_filter for a household, member or proposal table (a Core table or a model: its columns by name)."""
    c = table.c if hasattr(table, "c") else table
    role = Role(user.role)
    if role is Role.ADMIN:
        return true()
    province = c.province_code == user.area_code[:2]  # PostgreSQL reads the province's partition only
    if role is Role.SUPERVISOR:
        return and_(province, c.kabkota_code == user.area_code)
    if role is Role.REVIEWER:
        return and_(province, c.kecamatan_code == user.area_code)
    if role in (Role.PSM, Role.TKSK):
        return false()  # field verifiers see citizens' reports only
    return and_(province, c.desa_code == user.area_code)


def in_area(user: User, code: str) -> bool:
    return Role(user.role) is Role.ADMIN or regions.digits_of(code).startswith(user.area_code)


def narrow(user: User, code: str | None) -> str:
    """An optional area filter given by the caller; a code outside the caller's area is 403."""
    if not code:
        return user.area_code
    digits = regions.digits_of(code)
    if not digits or len(digits) not in (2, 4, 6, 10):
        raise HTTPException(422, f"Kode wilayah '{code}' tidak sah.")
    if not in_area(user, digits):
        raise HTTPException(403, "Wilayah itu di luar wilayah akun ini.")
    return digits


def not_found(what: str = "Entri") -> HTTPException:
    # The same answer for "does not exist" and "exists in another area": nothing leaks.
    return HTTPException(404, f"{what} tidak ditemukan di wilayah akun ini.")
