"""The three "not found" answers of the status check take the same time (median of 50 tries each,
within 10%), against a real server process; and the address limit holds across two workers."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import requests

from tests.support.public_server import public_server

TRIES = 50


def test_not_found_answers_take_the_same_time(tmp_path: Path) -> None:
    srv, people = public_server(tmp_path, env={"BANSOS_PUBLIC_STATUS_PER_NIK": "1000",
                                               "BANSOS_PUBLIC_STATUS_PER_ADDRESS": "1000"})
    cases = {"wrong_kk": people.wrong_kk, "unknown": people.unknown, "no_proposal": people.no_proposal}
    times: dict[str, list[float]] = {name: [] for name in cases}
    bodies: dict[str, set[str]] = {name: set() for name in cases}
    try:
        with requests.Session() as http:
            http.post(f"{srv.url}/api/v1/public/status", json={"nik": "x", "kk": "y"}, timeout=30)  # warm up
            for _ in range(TRIES):  # interleaved, so machine noise falls on every case alike
                for name, pair in cases.items():
                    start = time.perf_counter()
                    r = http.post(f"{srv.url}/api/v1/public/status", json={"nik": pair.nik, "kk": pair.kk},
                                  timeout=30)
                    times[name].append(time.perf_counter() - start)
                    assert r.status_code == 200
                    bodies[name].add(r.text)
    finally:
        srv.stop()
    assert bodies["wrong_kk"] == bodies["unknown"] == bodies["no_proposal"] and len(bodies["unknown"]) == 1
    medians = {name: statistics.median(t) for name, t in times.items()}
    spread = max(medians.values()) / min(medians.values()) - 1
    assert spread < 0.10, {k: round(v * 1000, 2) for k, v in medians.items()}


def test_the_address_limit_holds_with_two_workers(tmp_path: Path) -> None:
    srv, people = public_server(tmp_path, workers=2, env={"BANSOS_PUBLIC_STATUS_PER_ADDRESS": "6",
                                                         "BANSOS_PUBLIC_STATUS_FLOOR_MS": "0"})
    try:
        codes = []
        for i in range(10):
            # A new connection each time (either worker answers) and a new NIK each time (only the address counts).
            r = requests.post(f"{srv.url}/api/v1/public/status",
                              json={"nik": f"19020101018000{i + 10}", "kk": people.found.kk},
                              headers={"Connection": "close"}, timeout=30)
            codes.append(r.status_code)
    finally:
        srv.stop()
    assert codes == [200] * 6 + [429] * 4, codes
