"""In-process server for tests: a FastAPI TestClient over a real SQLite file (or PostgreSQL), with
the session dependency overridden to the test engine, plus helpers to make accounts and log in."""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from server.app import create_app
from server.deps import get_session
from server.services.users import create_user
from server.settings import Settings
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION

with warnings.catch_warnings():
    # Starlette 1.x nudges towards httpx2; the pinned httpx works and is what the tree ships.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PASSWORD = "rahasia-uji-123"


def server_settings(**kw: Any) -> Settings:
    kw.setdefault("environment", "test")
    kw.setdefault("secret_key", "uji-" + uuid.uuid4().hex)
    kw.setdefault("database_url", "sqlite://")  # never used: the session dependency is overridden
    return Settings(**kw)


@dataclass
class Api:
    """A TestClient plus the engine behind it, with account helpers."""

    client: TestClient
    engine: Engine
    tokens: dict[str, str] = field(default_factory=dict)

    def user(self, username: str, role: str, area: str = "") -> dict[str, str]:
        with Session(self.engine) as s:
            create_user(s, username=username, role=role, area=area, password=PASSWORD, fast_hash=True)
        r = self.client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
        assert r.status_code == 200, r.text
        self.tokens[username] = r.json()["access_token"]
        return self.auth(username)

    def auth(self, username: str) -> dict[str, str]:
        """The account's bearer token and the protocol header every upgraded client sends (ADR 0005)."""
        return {"Authorization": f"Bearer {self.tokens[username]}", PROTOCOL_HEADER: str(PROTOCOL_VERSION)}

    def device(self, username: str, desa: str) -> str:
        r = self.client.post("/api/v1/devices", json={"desa_code": desa, "label": "uji"}, headers=self.auth(username))
        assert r.status_code == 200, r.text
        return str(r.json()["device_id"])

    def send(self, username: str, body: dict[str, Any], batch_id: str | None = None) -> Any:
        return self.client.post("/api/v1/sync/batches", json=body, headers={
            **self.auth(username), "Idempotency-Key": batch_id or uuid.uuid4().hex})

    def changes(self, username: str, device_id: str, since: int = 0, limit: int = 500) -> Any:
        r = self.client.get("/api/v1/sync/changes", params={"since": since, "limit": limit, "device_id": device_id},
                            headers=self.auth(username))
        assert r.status_code == 200, r.text
        return r.json()


def make_api(engine: Engine, **settings: Any) -> Iterator[Api]:
    app = create_app(server_settings(**settings))

    def _session() -> Iterator[Session]:
        with Session(engine) as s:
            yield s

    app.dependency_overrides[get_session] = _session
    with TestClient(app) as client:
        yield Api(client=client, engine=engine)
    app.state.engine.dispose()
    if app.state.read_engine is not None:
        app.state.read_engine.dispose()
