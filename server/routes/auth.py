"""Token login and logout, with throttling of failed logins per username + address."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, cast

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy import Engine
from sqlmodel import select

from server.deps import CurrentUser, SessionDep, SettingsDep, _bearer, now
from server.models import AuthToken, User
from server.security import new_token, token_digest, verify_password
from server.throttle import LoginThrottle
from sync.protocol import LoginRequest, LoginResponse

router = APIRouter(prefix="/auth", tags=["auth"])
_ERR = {401: {"description": "Nama pengguna atau kata sandi salah"}, 429: {"description": "Terlalu banyak percobaan"}}


@router.post("/login", response_model=LoginResponse, responses=_ERR)  # type: ignore[arg-type]
def login(body: LoginRequest, request: Request, session: SessionDep, settings: SettingsDep) -> LoginResponse:
    throttle: LoginThrottle = request.app.state.throttle
    engine = cast(Engine, session.get_bind())  # its own short transactions: a failure counts even on 401
    ip = request.client.host if request.client else "-"  # the TCP peer (or a trusted proxy's X-Forwarded-For)
    wait = throttle.retry_after(engine, body.username, ip)
    if wait:
        raise HTTPException(429, f"Terlalu banyak percobaan login yang gagal; coba lagi dalam {wait} detik.",
                            headers={"Retry-After": str(wait)})
    user = session.exec(select(User).where(User.username == body.username)).first()
    if not verify_password(body.password, user.password_hash if user else None) or user is None or not user.active:
        throttle.failed(engine, body.username, ip)
        raise HTTPException(401, "Nama pengguna atau kata sandi salah.")
    throttle.succeeded(engine, body.username, ip)
    token = new_token()
    expires = now() + timedelta(hours=settings.token_ttl_hours)
    session.add(AuthToken(token_hash=token_digest(token, settings.secret_key.get_secret_value()),
                          user_id=user.id or 0, created_at=now(), expires_at=expires))
    session.commit()
    return LoginResponse(access_token=token, expires_at=expires, role=user.role, area_code=user.area_code)


@router.post("/logout", status_code=204, responses={401: {"description": "Belum login"}})
def logout(
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Response:
    assert creds is not None  # CurrentUser already refused a missing token
    tok = session.get(AuthToken, token_digest(creds.credentials, settings.secret_key.get_secret_value()))
    if tok is not None and tok.user_id == user.id:
        tok.revoked_at = now()
        session.add(tok)
        session.commit()
    return Response(status_code=204)
