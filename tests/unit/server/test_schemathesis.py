"""Property-based run of the app's own OpenAPI (schemathesis): no input gives a 5xx.

Each operation is called with the token of a role that may use it, so the requests get past
authentication into parsing, validation and the area checks.
"""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import schemathesis

from server import db
from server.app import create_app
from server.deps import get_session
from tests.support.serverapp import make_api, server_settings
from tests.support.serverdata import DESA_A, batch, payload, person_ops

TOKENS: dict[str, str] = {}
SEEN: list[int] = []


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    path: Path = tmp_path_factory.mktemp("fuzz") / "server.db"
    engine = db.make_engine(f"sqlite:///{path}")
    db.create_all(engine)
    secret = "fuzz-" + uuid.uuid4().hex
    for api in make_api(engine, secret_key=secret):
        for name, role, area in (("op1", "operator", DESA_A), ("rev1", "reviewer", "190201"), ("adm", "admin", "")):
            api.user(name, role, area)
            TOKENS[role] = api.tokens[name]
        dev = api.device("op1", DESA_A)
        api.send("op1", batch(dev, person_ops(payload())))
    app = create_app(server_settings(secret_key=secret))
    from sqlmodel import Session

    def _session() -> Iterator[Session]:
        with Session(engine) as s:
            yield s

    app.dependency_overrides[get_session] = _session
    yield schemathesis.openapi.from_asgi("/openapi.json", app)
    engine.dispose()


def _role_for(path: str) -> str:
    if path.startswith(("/api/v1/sync", "/api/v1/devices")):
        return "operator"
    if path.startswith("/api/v1/admin"):
        return "admin"
    return "reviewer"


def _operations(schema: Any) -> list[Any]:
    return [r.ok() for r in schema.get_all_operations()]


def test_no_server_errors(api_schema: Any) -> None:
    """Generated cases per operation (positive and negative data): every answer is below 500."""
    failures: list[str] = []
    operations = _operations(api_schema)
    assert len(operations) >= 18

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case: Any) -> None:
            headers = {"Authorization": f"Bearer {TOKENS[_role_for(case.path)]}"}
            if case.path.endswith("/logout"):
                headers = {}  # keep the shared tokens alive
            response = case.call(headers=headers)
            SEEN.append(response.status_code)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}")

        run()
    # The tokens worked: calls got past authentication into validation and the handlers.
    assert SEEN.count(200) > 10 and SEEN.count(422) > 5
    assert failures == []
