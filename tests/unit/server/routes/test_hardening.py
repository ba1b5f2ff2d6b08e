"""Findings of fuzzing and probing the server: each one is now a clear 4xx or a refusal to start.

Values beyond the 32-bit columns, unknown query parameters, weak passwords, a weak production
secret, and the OpenAPI document's promises (schemathesis checks the rest in test_openapi_conformance).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from server import db
from server.app import create_app
from server.cli import main
from server.passwords import weakness
from server.settings import Settings, UnsafeSettings
from tests.support.pg import fresh_schema_url
from tests.support.serverapp import Api, make_api
from tests.support.serverdata import DESA_A, KEC, batch, payload, person_ops


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    def on(engine: Engine) -> Iterator[Api]:
        db.create_all(engine)
        yield from make_api(engine)
        engine.dispose()

    if request.param == "sqlite":
        yield from on(db.make_engine(f"sqlite:///{tmp_path / 'server.db'}"))
        return
    with fresh_schema_url() as url:
        yield from on(db.make_engine(url))


def test_ids_and_cursors_beyond_the_columns_are_422_not_500(any_api: Api) -> None:
    rev = any_api.user("rev1", "reviewer", KEC)
    r = any_api.client.post("/api/v1/review/duplicates/2147483648/settle", headers=rev,
                            json={"keep_record_id": str(uuid.uuid4())})
    assert r.status_code == 422 and "group_id" in r.text
    r = any_api.client.post("/api/v1/review/duplicates/2147483647/settle", headers=rev,
                            json={"keep_record_id": str(uuid.uuid4())})
    assert r.status_code in (404, 422)  # the largest id the column holds: not found, never a 500
    opr = any_api.user("op1", "operator", DESA_A)
    dev = any_api.device("op1", DESA_A)
    r = any_api.client.get("/api/v1/sync/changes", headers=opr,
                           params={"since": 4611686018427387904, "device_id": dev})
    assert r.status_code == 422 and "since" in r.text


def test_changes_without_a_device_is_422_and_the_document_says_it_is_required(api: Api) -> None:
    h = api.user("op1", "operator", DESA_A)
    r = api.client.get("/api/v1/sync/changes", headers=h)
    assert r.status_code == 422 and "device_id" in r.json()["detail"]
    params = {p["name"]: p for p in api.client.get("/openapi.json").json()["paths"]["/api/v1/sync/changes"]["get"]
              ["parameters"]}
    assert params["device_id"]["required"] is True


def test_openapi_names_the_batch_body_and_the_error_body_as_sent(api: Api) -> None:
    doc = api.client.get("/openapi.json").json()
    post = doc["paths"]["/api/v1/sync/batches"]["post"]
    ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/RecordBatchRequest" and "ops" in doc["components"]["schemas"][
        "RecordBatchRequest"]["properties"]
    # The protocol header is documented on every sync operation (an old client gets 403 without it).
    params = {p["name"] for p in post["parameters"]}
    assert "X-Bansos-Protocol" in params
    assert doc["components"]["schemas"]["Error"]["properties"]["detail"]["type"] == "string"
    h = api.user("rev1", "reviewer", KEC)
    audit = doc["paths"]["/api/v1/audit"]["get"]["responses"]
    assert {"401", "403", "422"} <= set(audit)
    r = api.client.get("/api/v1/audit", headers=h, params={"limit": 0})
    assert r.status_code == 422 and isinstance(r.json()["detail"], str) and r.json()["errors"][0]["loc"]


def test_unknown_query_parameter_is_refused_by_name(api: Api) -> None:
    h = api.user("rev1", "reviewer", KEC)
    r = api.client.get("/api/v1/review/entries", headers=h, params={"stat": "PENDING"})
    assert r.status_code == 422 and "'stat'" in r.json()["detail"]


@pytest.mark.parametrize("password", ["12345678", "123456789012", "password1234", "sayangsayang", "Indonesia2024!",
                                      "aaaaaaaaaaaa", "bismillah123", "098765432112"])
def test_weak_passwords_are_refused(api: Api, password: str) -> None:
    h = api.user("adm", "admin")
    r = api.client.post("/api/v1/admin/users", headers=h, json={
        "username": "baru", "role": "operator", "area_code": DESA_A, "password": password})
    assert r.status_code == 422 and ("sandi" in r.json()["detail"].lower() or "password" in r.json()["detail"])
    assert weakness(password)


def test_a_long_uncommon_password_is_accepted(api: Api) -> None:
    h = api.user("adm", "admin")
    r = api.client.post("/api/v1/admin/users", headers=h, json={
        "username": "baru", "role": "operator", "area_code": DESA_A, "password": "kapal-durian-merah-7"})
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("secret", ["", "x", "a" * 31])
def test_production_refuses_a_weak_secret(secret: str) -> None:
    with pytest.raises(UnsafeSettings, match="BANSOS_SECRET_KEY"):
        create_app(Settings(environment="production", database_url="sqlite://", secret_key=secret))


def test_serve_in_production_with_a_short_secret_exits_with_a_message(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("BANSOS_ENVIRONMENT", "production")
    monkeypatch.setenv("BANSOS_SECRET_KEY", "x")
    assert main(["serve", "--data-dir", str(tmp_path), "--port", "1"]) == 2
    err = capsys.readouterr().err
    assert "BANSOS_SECRET_KEY terlalu pendek" in err and "Traceback" not in err


def test_a_batch_still_works_through_the_strict_document(api: Api) -> None:
    api.user("op1", "operator", DESA_A)
    dev = api.device("op1", DESA_A)
    r = api.send("op1", batch(dev, person_ops(payload(), str(uuid.uuid4()))))
    assert r.status_code == 200 and [x["status"] for x in r.json()["results"]] == ["ACCEPTED"] * 3
