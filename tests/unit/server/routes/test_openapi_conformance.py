"""schemathesis over the whole API, every check, positive and negative data, each role's token.

The document must say what the server does: 0 server errors and 0 check failures (status codes,
content types, headers, response bodies, valid data accepted, invalid data rejected, auth not
ignored), on SQLite and on PostgreSQL. Examples per operation are few, to keep the run short.
"""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from sqlalchemy import Engine
from sqlmodel import Session

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import schemathesis
    from schemathesis import GenerationMode
    from schemathesis.checks import CHECKS, load_all_checks
    from schemathesis.core.failures import FailureGroup

from server import db
from server.app import create_app
from server.deps import get_session
from tests.support.pg import fresh_schema_url
from tests.support.serverapp import make_api, server_settings
from tests.support.serverdata import DESA_A, KAB, KEC, batch, payload, person_ops

EXAMPLES = 6
ROLES = (("op1", "operator", DESA_A), ("rev1", "reviewer", KEC), ("sup1", "supervisor", KAB), ("adm", "admin", ""))


def _prepare(engine: Engine) -> tuple[Any, dict[str, str], str]:
    """Accounts, a device and one accepted batch; the schema bound to an app on this engine."""
    db.create_all(engine)
    secret = "fuzz-" + uuid.uuid4().hex
    tokens: dict[str, str] = {}
    device = ""
    for api in make_api(engine, secret_key=secret):
        for name, role, area in ROLES:
            api.user(name, role, area)
            tokens[role] = api.tokens[name]
        device = api.device("op1", DESA_A)
        api.send("op1", batch(device, person_ops(payload())))
    app = create_app(server_settings(secret_key=secret))

    def _session() -> Iterator[Session]:
        with Session(engine) as s:
            yield s

    app.dependency_overrides[get_session] = _session
    return schemathesis.openapi.from_asgi("/openapi.json", app), tokens, device


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fuzz_target(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[tuple[Any, dict[str, str], str]]:
    if request.param == "sqlite":
        engine = db.make_engine(f"sqlite:///{tmp_path / 'server.db'}")
        yield _prepare(engine)
        engine.dispose()
        return
    with fresh_schema_url() as url:
        engine = db.make_engine(url)
        yield _prepare(engine)
        engine.dispose()


def _roles_for(path: str) -> tuple[str, ...]:
    if path.startswith(("/api/v1/sync", "/api/v1/devices")):
        return ("operator",)
    if path.startswith("/api/v1/admin"):
        return ("admin",)
    return ("reviewer", "supervisor")


# Rules beyond JSON Schema, answered with a documented 422 naming the field: a reject decision needs
# a reason code (and some a note), a password must not be a common one, a batch's ops must be valid
# entries of the device's desa, an account's area must fit its role, a desa code must be on the
# Kemendagri list.
BUSINESS_422 = {("POST", "/api/v1/devices"), ("POST", "/api/v1/review/decisions"), ("POST", "/api/v1/admin/users"),
                ("POST", "/api/v1/sync/batches"), ("POST", "/api/v1/review/conflicts/{record_id}/settle"),
                ("POST", "/api/v1/review/duplicates/{group_id}/settle")}


def _real(failure: Any, method: str, path: str) -> bool:
    return not (type(failure).__name__ == "RejectedPositiveData" and failure.status_code == 422
                and (method, path) in BUSINESS_422)


def _messages(exc: BaseException, method: str, path: str) -> list[str]:
    if isinstance(exc, FailureGroup):
        return [f"{type(f).__name__}: {getattr(f, 'title', '')} {str(getattr(f, 'message', ''))[:300]} status={getattr(f, 'status_code', '')}"
                f" <- {str(getattr(getattr(f, 'response', None), 'content', b''))[:200]}" for f in exc.exceptions if _real(f, method, path)]
    return [f"{type(exc).__name__}: {str(exc)[:300]}"]


def test_api_conforms_to_its_openapi_document(fuzz_target: tuple[Any, dict[str, str], str]) -> None:
    schema, tokens, device = fuzz_target
    load_all_checks()
    checks = CHECKS.get_all()
    failures: list[str] = []
    statuses: list[int] = []
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= 18

    def runner(operation: Any, mode: GenerationMode, role: str) -> Any:
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None,
                  derandomize=True)
        def run(case: Any) -> None:
            if mode is GenerationMode.POSITIVE and case.path.endswith("/changes") and case.query:
                case.query["device_id"] = device  # a registered device: the happy path too
            # The generated token is replaced by the role's real one; a case that leaves the token out
            # (negative data, or the logout, which must not revoke the shared tokens) goes without.
            headers = {}
            if "Authorization" in (case.headers or {}) and not case.path.endswith("/logout"):
                headers = {"Authorization": f"Bearer {tokens[role]}"}
            try:
                response = case.call_and_validate(headers=headers, checks=checks)
            except (AssertionError, FailureGroup) as e:
                failures.extend(f"{case.method} {case.formatted_path} [{role}, {mode.value}] {m} q={case.query}"
                                f" b={str(case.body)[:150]}" for m in _messages(e, case.method, case.path))
                return
            statuses.append(response.status_code)

        return run

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for role in _roles_for(operation.path):
                try:
                    runner(operation, mode, role)()
                except Unsatisfiable:
                    assert mode is GenerationMode.NEGATIVE  # nothing to break in an operation without input
    # The tokens worked: calls got past authentication into the handlers and their validation.
    assert statuses.count(200) > 20 and statuses.count(422) > 10
    assert failures == [], "\n".join(sorted(set(failures))[:80])
