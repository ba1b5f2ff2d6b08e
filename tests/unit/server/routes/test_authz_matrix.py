"""Authorization matrix: every endpoint x every role x own area / foreign area / no token.

"Own" accounts cover desa 19.02.01.2003 (where the resources live); "foreign" ones cover another
desa, kecamatan or kab/kota. A foreign area gets 403/404 or an empty list, never the data: the
test also checks that no resource id appears in a foreign answer.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from server import db
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.support.serverapp import Api, make_api
from tests.support.serverdata import DESA_A, DESA_B, DESA_C, batch, payload, person_ops

ROLES = ("none", "op_own", "op_foreign", "rev_own", "rev_foreign", "sup_own", "sup_foreign", "admin")
ACCOUNTS = {
    "op_own": ("operator", DESA_A), "op_foreign": ("operator", DESA_C), "rev_own": ("reviewer", "190201"),
    "rev_foreign": ("reviewer", "190202"), "sup_own": ("supervisor", "1902"), "sup_foreign": ("supervisor", "1901"),
    "admin": ("admin", ""), "op_b": ("operator", DESA_B),
}


@dataclass
class World:
    api: Api
    device: str
    device_foreign: str
    record: str
    batch_id: str
    group: int
    conflicts: dict[str, str]  # role -> a record in hard conflict, one per role that may settle it

    def secret_ids(self) -> list[str]:
        return [self.record, self.batch_id, *self.conflicts.values()]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    path: Path = tmp_path_factory.mktemp("authz") / "server.db"
    engine = db.make_engine(f"sqlite:///{path}")
    db.create_all(engine)
    for api in make_api(engine):
        for name, (role, area) in ACCOUNTS.items():
            api.user(name, role, area)
        dev = api.device("op_own", DESA_A)
        dev_b = api.device("op_b", DESA_B)
        dev_c = api.device("op_foreign", DESA_C)
        rec, twin = str(uuid.uuid4()), str(uuid.uuid4())
        key = "authz-batch-0001"
        p = payload(DESA_A, serial=11, kk_serial=11)
        assert api.send("op_own", batch(dev, person_ops(p, rec)), key).status_code == 200
        assert api.send("op_b", batch(dev_b, person_ops(payload(DESA_B, nik=p["nik"], kk_serial=12), twin))
                        ).status_code == 200
        groups = api.client.get("/api/v1/review/duplicates", headers=api.auth("admin")).json()
        conflicts: dict[str, str] = {}
        for i, role in enumerate(("rev_own", "sup_own", "admin")):
            rid = str(uuid.uuid4())
            base = payload(DESA_A, serial=30 + i, kk_serial=30 + i, name="Rahmat", sex="L")
            api.send("op_own", batch(dev, person_ops(base, rid)))
            for note in ("Jl. A", "Jl. B"):  # two edits of version 1's note: the second is a hard conflict
                [*_hm, prop] = person_ops(base, rid, base_version=1, local_rev=2)
                prop["payload"]["note"] = note
                r = api.send("op_own", batch(dev, [prop]))
            assert r.json()["results"][0]["status"] == "CONFLICT"
            conflicts[role] = rid
        yield World(api=api, device=dev, device_foreign=dev_c, record=rec, batch_id=key,
                    group=groups[0]["group_id"], conflicts=conflicts)
    engine.dispose()


Req = tuple[str, str, dict[str, Any] | None, dict[str, Any] | None]  # method, path, json, params


def _own_conflict(w: World, role: str) -> str:
    return w.conflicts.get(role, w.conflicts["rev_own"])


_TICKETS: dict[int, str] = {}


def _report_ticket(w: World) -> str:
    """A citizen's usul in DESA_A (made once per world) for the village outcome route."""
    if id(w) not in _TICKETS:
        from sqlmodel import Session

        from server.public.reports import ReportInput, submit
        with Session(w.api.engine) as s:
            _TICKETS[id(w)] = submit(s, ReportInput(
                kind="usul", name="Sarmini", nik="", desa_code=DESA_A, address="Dusun I", reason="Lansia sendiri",
                reporter_name="Rahmat", reporter_phone="081234567890"), client="uji", active_statuses=["aktif"]).ticket
    return _TICKETS[id(w)]


# endpoint name -> (request builder, expected status per role)
ENDPOINTS: dict[str, tuple[Callable[[World, str], Req], dict[str, int]]] = {
    "health": (lambda w, r: ("GET", "/api/v1/health", None, None), dict.fromkeys(ROLES, 200)),
    # The citizens' side (server/public) needs no account and answers everyone alike.
    "public_status": (lambda w, r: ("POST", "/api/v1/public/status", {"nik": "1902010202900003",
                                                                      "kk": "1902011203100005"}, None),
                      dict.fromkeys(ROLES, 200)),
    "public_report": (lambda w, r: ("POST", "/api/v1/public/reports", {
        "kind": "sanggah", "name": "Pak Kaya", "desa_code": DESA_A, "reason_code": "mampu",
        "reason": "Sudah punya toko besar", "reporter_name": "Warga", "reporter_phone": "081234567890"}, None),
        dict.fromkeys(ROLES, 200)),
    "public_ticket": (lambda w, r: ("GET", "/api/v1/public/reports/U-22222-22222", None, None),
                      dict.fromkeys(ROLES, 404)),
    "public_regions": (lambda w, r: ("GET", "/api/v1/public/regions", None, {"parent": "1902"}),
                       dict.fromkeys(ROLES, 200)),
    "logout": (lambda w, r: ("POST", "/api/v1/auth/logout", None, None), {**dict.fromkeys(ROLES, 204), "none": 401}),
    "register_device": (
        lambda w, r: ("POST", "/api/v1/devices", {"desa_code": DESA_A}, None),
        {**dict.fromkeys(ROLES, 403), "none": 401, "op_own": 200},
    ),
    "post_batch": (
        lambda w, r: ("POST", "/api/v1/sync/batches",
                      batch(w.device, person_ops(payload(DESA_A, serial=500 + ROLES.index(r),
                                                         kk_serial=500 + ROLES.index(r)))),
                      None),
        {**dict.fromkeys(ROLES, 403), "none": 401, "op_own": 200},
    ),
    "changes": (
        lambda w, r: ("GET", "/api/v1/sync/changes", None, {"device_id": w.device}),
        {**dict.fromkeys(ROLES, 403), "none": 401, "op_own": 200},
    ),
    "village_reports": (
        lambda w, r: ("GET", "/api/v1/sync/reports", None, {"device_id": w.device}),
        {**dict.fromkeys(ROLES, 403), "none": 401, "op_own": 200},
    ),
    "village_report_outcome": (
        lambda w, r: ("POST", f"/api/v1/sync/reports/{_report_ticket(w)}/outcome", {"state": "IN_VERIFICATION"}, None),
        {**dict.fromkeys(ROLES, 403), "none": 401, "op_own": 200, "op_foreign": 404},
    ),
    "review_batches": (
        lambda w, r: ("GET", "/api/v1/review/batches", None, {"desa": DESA_A}),
        {**dict.fromkeys(ROLES, 403), "none": 401, "rev_own": 200, "sup_own": 200, "admin": 200},
    ),
    "review_batches_area": (
        lambda w, r: ("GET", "/api/v1/review/batches", None, None),
        {**dict.fromkeys(ROLES, 200), "none": 401, "op_own": 403, "op_foreign": 403},
    ),
    "batch_proposals": (
        lambda w, r: ("GET", f"/api/v1/review/batches/{w.batch_id}/proposals", None, None),
        {**dict.fromkeys(ROLES, 404), "none": 401, "op_own": 403, "op_foreign": 403, "rev_own": 200,
         "sup_own": 200, "admin": 200},
    ),
    "proposals": (
        lambda w, r: ("GET", "/api/v1/review/proposals", None, {"desa": DESA_A}),
        {**dict.fromkeys(ROLES, 403), "none": 401, "rev_own": 200, "sup_own": 200, "admin": 200},
    ),
    "proposals_area": (
        lambda w, r: ("GET", "/api/v1/review/proposals", None, None),
        {**dict.fromkeys(ROLES, 200), "none": 401, "op_own": 403, "op_foreign": 403},
    ),
    "proposal_detail": (
        lambda w, r: ("GET", f"/api/v1/review/proposals/{w.record}", None, None),
        {**dict.fromkeys(ROLES, 404), "none": 401, "op_own": 403, "op_foreign": 403, "rev_own": 200,
         "sup_own": 200, "admin": 200},
    ),
    "decisions": (
        lambda w, r: ("POST", "/api/v1/review/decisions",
                      {"record_ids": [w.record], "decision": "return", "note": "Periksa KK",
                       "review_fields": ["household.kk"]}, None),
        {**dict.fromkeys(ROLES, 404), "none": 401, "op_own": 403, "op_foreign": 403, "rev_own": 200,
         "sup_own": 200, "admin": 200},
    ),
    "duplicates": (
        lambda w, r: ("GET", "/api/v1/review/duplicates", None, {"state": "OPEN"}),
        {**dict.fromkeys(ROLES, 200), "none": 401, "op_own": 403, "op_foreign": 403},
    ),
    "settle_duplicates": (
        lambda w, r: ("POST", f"/api/v1/review/duplicates/{w.group}/settle", {"not_same": True}, None),
        {**dict.fromkeys(ROLES, 404), "none": 401, "op_own": 403, "op_foreign": 403, "rev_own": 200,
         "sup_own": 200, "admin": 200},
    ),
    "conflicts": (
        lambda w, r: ("GET", "/api/v1/review/conflicts", None, None),
        {**dict.fromkeys(ROLES, 200), "none": 401, "op_own": 403, "op_foreign": 403},
    ),
    "settle_conflict": (
        lambda w, r: ("POST", f"/api/v1/review/conflicts/{_own_conflict(w, r)}/settle",
                      {"choices": {"note": "village"}}, None),
        {**dict.fromkeys(ROLES, 404), "none": 401, "op_own": 403, "op_foreign": 403, "rev_own": 200,
         "sup_own": 200, "admin": 200},
    ),
    "stats": (
        lambda w, r: ("GET", "/api/v1/stats", None, {"area": DESA_A}),
        {**dict.fromkeys(ROLES, 403), "none": 401, "rev_own": 200, "sup_own": 200, "admin": 200},
    ),
    "stats_area": (
        lambda w, r: ("GET", "/api/v1/stats", None, None),
        {**dict.fromkeys(ROLES, 200), "none": 401, "op_own": 403, "op_foreign": 403},
    ),
    "audit": (
        lambda w, r: ("GET", "/api/v1/audit", None, {"record_id": w.record}),
        {**dict.fromkeys(ROLES, 404), "none": 401, "op_own": 403, "op_foreign": 403, "rev_own": 200,
         "sup_own": 200, "admin": 200},
    ),
    "admin_users": (
        lambda w, r: ("GET", "/api/v1/admin/users", None, None),
        {**dict.fromkeys(ROLES, 403), "none": 401, "admin": 200},
    ),
    "admin_add_user": (
        lambda w, r: ("POST", "/api/v1/admin/users",
                      {"username": f"baru-{r}", "role": "operator", "area_code": DESA_A, "password": "rahasia-baru-1"},
                      None),
        {**dict.fromkeys(ROLES, 403), "none": 401, "admin": 200},
    ),
}
FOREIGN = ("op_foreign", "rev_foreign", "sup_foreign")


def _headers(w: World, role: str, endpoint: str) -> dict[str, str]:
    if role == "none":
        return {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}  # an upgraded client without a token
    if endpoint == "logout":  # a fresh token, so logging out does not break the other cells
        from tests.support.serverapp import PASSWORD

        r = w.api.client.post("/api/v1/auth/login", json={"username": role, "password": PASSWORD})
        return {"Authorization": f"Bearer {r.json()['access_token']}"}
    return w.api.auth(role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_matrix(world: World, endpoint: str, role: str) -> None:
    build, expected = ENDPOINTS[endpoint]
    method, path, body, params = build(world, role)
    headers = _headers(world, role, endpoint)
    if endpoint == "post_batch":
        headers["Idempotency-Key"] = uuid.uuid4().hex
    r = world.api.client.request(method, path, json=body, params=params, headers=headers)
    assert r.status_code == expected[role], f"{endpoint} as {role}: {r.status_code} {r.text[:300]}"
    assert r.status_code < 500
    if role in FOREIGN or role == "none":
        for secret in world.secret_ids():
            assert secret not in r.text, f"{endpoint} as {role} leaked {secret}"
    if r.status_code in (401, 403, 404):
        assert r.json()["detail"]  # a message, in Indonesian


def test_every_route_is_in_the_matrix(world: World) -> None:
    spec = world.api.client.get("/openapi.json").json()
    operations = {(m.upper(), p) for p, item in spec["paths"].items() for m in item}
    covered = set()
    for build, _ in ENDPOINTS.values():
        method, path, _b, _p = build(world, "admin")
        template = next(p for p in spec["paths"] if _matches(p, path))
        covered.add((method, template))
    assert operations - {("POST", "/api/v1/auth/login")} <= covered


def _matches(template: str, path: str) -> bool:
    t, p = template.split("/"), path.split("/")
    return len(t) == len(p) and all(a == b or a.startswith("{") for a, b in zip(t, p, strict=True))
