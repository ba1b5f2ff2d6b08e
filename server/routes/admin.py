"""Admin API: accounts (the CLI does the same)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException
from sqlmodel import col, select

from server.deps import AdminUser, SessionDep
from server.models import User
from server.services.users import UserError, create_user
from sync.review_protocol import UserCreate, UserInfo

router = APIRouter(prefix="/admin", tags=["admin"])
_R: dict[int | str, dict[str, Any]] = {401: {"description": "Belum login"}, 403: {"description": "Bukan admin"}}


def _info(u: User) -> UserInfo:
    return UserInfo(id=u.id or 0, username=u.username, role=u.role, area_code=u.area_code, active=u.active,
                    created_at=u.created_at)


@router.get("/users", response_model=list[UserInfo], responses=_R)
def list_users(_admin: AdminUser, session: SessionDep) -> list[UserInfo]:
    return [_info(u) for u in session.exec(select(User).order_by(col(User.username)))]


@router.post("/users", response_model=UserInfo, responses={**_R, 409: {"description": "Sudah ada"}})
def add_user(body: UserCreate, _admin: AdminUser, session: SessionDep) -> UserInfo:
    try:
        user = create_user(session, username=body.username, role=body.role, area=body.area_code,
                           password=body.password)
    except UserError as e:
        status = 409 if "sudah ada" in str(e) else 422
        raise HTTPException(status, str(e)) from None
    return _info(user)
