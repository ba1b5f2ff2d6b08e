"""The conflict classification on its own: each row of design.md §4 that compares payloads (a
household here; the per-type fields are exercised through the API in test_ingest.py)."""

from __future__ import annotations

import pytest

from domain.records import HouseholdPayload, MemberPayload, RecordType
from server import failpoints
from server.services.conflicts import Outcome, classify_upsert
from tests.support.serverdata import household, member

BASE = HouseholdPayload.model_validate(household()).model_dump()


def _classify(new: dict[str, object], current: dict[str, object], base_version: int | None = 1,
              current_version: int = 2, base: dict[str, object] | None = BASE) -> tuple[Outcome, tuple[str, ...], dict[str, object]]:
    c = classify_upsert(new, current, base_version=base_version, current_version=current_version, base_payload=base,
                       record_type=RecordType.HOUSEHOLD)
    return c.outcome, c.fields, c.payload


def test_current_base_applies_the_edit() -> None:
    outcome, _, stored = _classify({**BASE, "rt": "009"}, BASE, base_version=2, current_version=2)
    assert outcome is Outcome.APPLY and stored["rt"] == "009"


def test_an_edit_equal_to_the_server_copy_is_a_noop() -> None:
    assert _classify(dict(BASE), dict(BASE))[0] is Outcome.NOOP


def test_stale_base_different_fields_merge() -> None:
    server = {**BASE, "address": "Jl. Server"}
    outcome, fields, stored = _classify({**BASE, "phone": "081234567890"}, server)
    assert outcome is Outcome.MERGE and fields == ("phone",)
    assert (stored["address"], stored["phone"]) == ("Jl. Server", "081234567890")


def test_stale_base_same_field_different_values_is_hard() -> None:
    server = {**BASE, "address": "Jl. Server"}
    outcome, fields, stored = _classify({**BASE, "address": "Jl. Desa", "phone": "081234567890"}, server)
    assert outcome is Outcome.HARD and fields == ("address",)
    assert stored["address"] == "Jl. Server"


def test_stale_base_same_field_same_value_is_not_a_conflict() -> None:
    server = {**BASE, "address": "Jl. Sama"}
    outcome, _, stored = _classify({**BASE, "address": "Jl. Sama", "rt": "007"}, server)
    assert outcome is Outcome.MERGE and stored["rt"] == "007"


def test_unknown_base_contests_every_differing_field() -> None:
    outcome, fields, _ = _classify({**BASE, "rt": "007"}, {**BASE, "rw": "009"}, base_version=None, base=None)
    assert outcome is Outcome.HARD and set(fields) == {"rt", "rw"}


def test_server_owned_desil_is_not_a_village_field() -> None:
    assert _classify({**BASE, "desil": 3}, BASE)[0] is Outcome.NOOP


def test_a_members_override_reason_follows_the_village_edit_in_a_merge() -> None:
    base = MemberPayload.model_validate(member("h-1")).model_dump()
    server = {**base, "occupation": "petani"}
    village = {**base, "phone": "081234567890", "override_reason": "Kembar"}
    c = classify_upsert(village, server, base_version=1, current_version=2, base_payload=base,
                        record_type=RecordType.MEMBER)
    assert c.outcome is Outcome.MERGE and c.fields == ("phone",)
    assert (c.payload["occupation"], c.payload["override_reason"]) == ("petani", "Kembar")


@pytest.mark.parametrize("env", ["development", "test"])
def test_failpoint_sleep_acts_outside_production(monkeypatch: pytest.MonkeyPatch, env: str) -> None:
    import time

    monkeypatch.setenv("BANSOS_ENVIRONMENT", env)
    monkeypatch.setenv("BANSOS_FAILPOINTS", "ingest_before_commit=sleep:0.2")
    t0 = time.monotonic()
    failpoints.hit("ingest_before_commit")
    assert time.monotonic() - t0 >= 0.2


def test_failpoints_are_inert_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BANSOS_ENVIRONMENT", "production")
    monkeypatch.setenv("BANSOS_FAILPOINTS", "ingest_before_commit=exit")
    failpoints.hit("ingest_before_commit")  # would os._exit(1) outside production
