"""Login throttling against a real `bansos-server serve` on loopback: a forged X-Forwarded-For does
not buy fresh attempts, and the count holds across two worker processes (it lives in the database)."""

from __future__ import annotations

from pathlib import Path

import requests

from tests.support.serverproc import ServerProcess


def _attempts(url: str, n: int, *, forwarded: bool) -> list[int]:
    codes = []
    for i in range(n):
        # A new connection each time: with two workers, the kernel hands connections to either one.
        headers = {"X-Forwarded-For": f"10.0.{i}.{i + 1}", "Connection": "close"} if forwarded else {
            "Connection": "close"}
        r = requests.post(f"{url}/api/v1/auth/login", json={"username": "op1", "password": "salah-salah-salah"},
                          headers=headers, timeout=30)
        codes.append(r.status_code)
    return codes


def test_forged_forwarded_header_does_not_bypass_the_throttle(tmp_path: Path) -> None:
    srv = ServerProcess(tmp_path).setup()
    try:
        codes = _attempts(srv.url, 8, forwarded=True)
        assert codes[:5] == [401] * 5 and codes[5:] == [429] * 3, codes
    finally:
        srv.stop()


def test_throttle_holds_across_two_worker_processes(tmp_path: Path) -> None:
    srv = ServerProcess(tmp_path, serve_args=("--workers", "2")).setup()
    try:
        codes = _attempts(srv.url, 10, forwarded=False)
        assert codes[:5] == [401] * 5 and codes[5:] == [429] * 5, codes
        # The right password is refused too while locked out, whichever worker answers.
        for _ in range(4):
            r = requests.post(f"{srv.url}/api/v1/auth/login", json={"username": "op1", "password": "rahasia-uji-123"},
                              headers={"Connection": "close"}, timeout=30)
            assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    finally:
        srv.stop()
