"""Accounts: argon2 hashes, token login, expiry, revocation, throttling, the default-secret guard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from server.app import create_app
from server.models import AuthToken, User
from server.settings import Settings, UnsafeSettings
from tests.support.serverapp import PASSWORD, Api
from tests.support.serverdata import DESA_A


def test_password_is_stored_as_argon2_hash(api: Api) -> None:
    api.user("op1", "operator", DESA_A)
    with Session(api.engine) as s:
        user = s.exec(select(User).where(User.username == "op1")).one()
        assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
        tok = s.exec(select(AuthToken)).one()
        assert api.tokens["op1"] not in tok.token_hash  # only a keyed hash of the token is kept


def test_login_returns_role_and_area(api: Api) -> None:
    api.user("rev1", "reviewer", "19.02.01")
    r = api.client.post("/api/v1/auth/login", json={"username": "rev1", "password": PASSWORD})
    assert r.status_code == 200
    assert (r.json()["role"], r.json()["area_code"]) == ("reviewer", "190201")


def test_wrong_password_is_401_and_repeated_failures_are_throttled(api: Api) -> None:
    api.user("op1", "operator", DESA_A)
    for _ in range(5):
        r = api.client.post("/api/v1/auth/login", json={"username": "op1", "password": "salah-salah"})
        assert r.status_code == 401 and "salah" in r.json()["detail"]
    r = api.client.post("/api/v1/auth/login", json={"username": "op1", "password": PASSWORD})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    # Another account is not locked out by op1's failures.
    api.user("op2", "operator", "1902012004")


def test_logout_revokes_the_token(api: Api) -> None:
    h = api.user("op1", "operator", DESA_A)
    assert api.client.post("/api/v1/auth/logout", headers=h).status_code == 204
    r = api.client.post("/api/v1/devices", json={"desa_code": DESA_A}, headers=h)
    assert r.status_code == 401


def test_expired_token_is_refused(api: Api) -> None:
    h = api.user("op1", "operator", DESA_A)
    with Session(api.engine) as s:
        tok = s.exec(select(AuthToken)).one()
        tok.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        s.add(tok)
        s.commit()
    assert api.client.post("/api/v1/devices", json={"desa_code": DESA_A}, headers=h).status_code == 401


def test_garbage_token_is_401(api: Api) -> None:
    from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION

    r = api.client.get("/api/v1/review/proposals", headers={"Authorization": "Bearer nonsense",
                                                           PROTOCOL_HEADER: str(PROTOCOL_VERSION)})
    assert r.status_code == 401


def test_production_refuses_the_default_secret() -> None:
    with pytest.raises(UnsafeSettings):
        create_app(Settings(environment="production", database_url="sqlite://"))
    create_app(Settings(environment="production", database_url="sqlite://", secret_key="x" * 40))


def test_operator_can_register_a_device_only_for_their_desa(api: Api) -> None:
    h = api.user("op1", "operator", DESA_A)
    r = api.client.post("/api/v1/devices", json={"desa_code": "19.02.01.2004"}, headers=h)
    assert r.status_code == 403 and "19.02.01.2003" in r.json()["detail"]
    r = api.client.post("/api/v1/devices", json={"desa_code": "9999999999"}, headers=h)
    assert r.status_code == 422
    r = api.client.post("/api/v1/devices", json={"desa_code": "19.02.01.2003", "label": "PC kantor desa"}, headers=h)
    assert r.status_code == 200 and r.json()["desa_code"] == DESA_A
