"""Account creation (CLI, demo and admin API share it)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, select

from domain.errors import KnownError
from domain.states import Role
from server.areas import check_area
from server.models import User
from server.passwords import weakness
from server.security import hash_password


class UserError(KnownError, ValueError):
    @classmethod
    def default_message(cls) -> str:
        return "Akun tidak bisa dibuat; periksa nama pengguna, peran, wilayah dan kata sandi."


def create_user(session: Session, *, username: str, role: str, area: str, password: str,
                replace: bool = False, fast_hash: bool = False) -> User:
    try:
        r = Role(role)
    except ValueError:
        raise UserError(f"Peran '{role}' tidak dikenal; pilih operator, reviewer, supervisor, admin, psm atau tksk.") from None
    try:
        area_code = check_area(r, area)
    except ValueError as e:
        raise UserError(str(e)) from None
    username = username.strip()
    if not username or len(username) > 100:
        raise UserError("Nama pengguna wajib diisi (paling banyak 100 huruf).")
    problem = weakness(password)
    if problem:
        raise UserError(problem)
    user = session.exec(select(User).where(User.username == username)).first()
    if user is not None and not replace:
        raise UserError(f"Pengguna '{username}' sudah ada.")
    if user is None:
        user = User(username=username, role=str(r), area_code=area_code, password_hash=hash_password(password, fast=fast_hash),
                    created_at=datetime.now(UTC))
    else:
        user.role, user.area_code, user.active = str(r), area_code, True
        user.password_hash = hash_password(password, fast=fast_hash)
    session.add(user)
    session.commit()
    session.refresh(user)
    return user
