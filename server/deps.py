"""FastAPI dependencies: the DB session, the current account and role checks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from domain.programmes import Catalogue
from domain.states import Role
from server.models import AuthToken, User
from server.security import token_digest
from server.settings import Settings
from sync.protocol import OLD_CLIENT_MESSAGE, PROTOCOL_HEADER, PROTOCOL_VERSION


def get_session(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine) as session:
        yield session


def get_settings(request: Request) -> Settings:
    s: Settings = request.app.state.settings
    return s


def get_catalogue(request: Request) -> Catalogue:
    c: Catalogue = request.app.state.catalogue
    return c


SessionDep = Annotated[Session, Depends(get_session)]


def get_read_session(request: Request, primary: SessionDep) -> Iterator[Session]:
    """For list and dashboard reads: the read replica (BANSOS_READ_DATABASE_URL) when one is set, else
    the primary session. Writes and anything that must see the caller's own last write use SessionDep."""
    engine = request.app.state.read_engine
    if engine is None:
        yield primary
        return
    with Session(engine) as session:
        yield session


ReadSessionDep = Annotated[Session, Depends(get_read_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
CatalogueDep = Annotated[Catalogue, Depends(get_catalogue)]
_bearer = HTTPBearer(auto_error=False, description="Token dari POST /api/v1/auth/login")


def now() -> datetime:
    return datetime.now(UTC)


def unauthorized(message: str = "Perlu login: token tidak ada, salah, atau kedaluwarsa.") -> HTTPException:
    return HTTPException(status_code=401, detail=message, headers={"WWW-Authenticate": "Bearer"})


def get_current_user(
    session: SessionDep,
    settings: SettingsDep,
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    if creds is None or not creds.credentials:
        raise unauthorized()
    digest = token_digest(creds.credentials, settings.secret_key.get_secret_value())
    tok = session.get(AuthToken, digest)
    if tok is None or tok.revoked_at is not None or tok.expires_at <= now():
        raise unauthorized()
    user = session.get(User, tok.user_id)
    if user is None or not user.active:
        raise unauthorized("Akun tidak aktif.")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_roles(*roles: Role) -> Callable[[User], User]:
    allowed = {str(r) for r in roles}

    def check(user: CurrentUser) -> User:
        if user.role not in allowed:
            raise HTTPException(status_code=403, detail="Peran akun ini tidak boleh memakai fitur ini.")
        return user

    return check


OperatorUser = Annotated[User, Depends(require_roles(Role.OPERATOR))]
ReviewerUser = Annotated[User, Depends(require_roles(Role.REVIEWER, Role.SUPERVISOR, Role.ADMIN))]
AdminUser = Annotated[User, Depends(require_roles(Role.ADMIN))]
# Citizens' reports (issue 16 stage 2): the desa's operator, or a field verifier of the area.
VerifierUser = Annotated[User, Depends(require_roles(Role.OPERATOR, Role.PSM, Role.TKSK))]


def require_protocol(
    protocol: Annotated[str | None, Header(alias=PROTOCOL_HEADER, description="Versi protokol sinkronisasi: 2")] = None,
) -> None:
    """Sync (and review) requests must speak protocol 2 (ADR 0005). An old app gets 403 with the
    Indonesian OLD_CLIENT_MESSAGE: a 403 stops its run and leaves its unsent work in its outbox."""
    if (protocol or "").strip() != str(PROTOCOL_VERSION):
        raise HTTPException(status_code=403, detail=OLD_CLIENT_MESSAGE)
