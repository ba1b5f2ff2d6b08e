"""Fixtures of the sync unit tests: a real local store, and a small real HTTP server on loopback that
answers each path as the test scripts it (the real server's behaviour is tested in tests/integration)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from desktop_app.context import AppContext

HEALTH_V2 = {"status": "ok", "version": "test", "server_time": "2026-01-01T00:00:00Z", "protocol": 2}
HEALTH_OLD = {"status": "ok", "version": "old", "server_time": "2026-01-01T00:00:00Z"}  # no `protocol`: 1


@pytest.fixture
def ctx(data_dir: Path) -> Iterator[AppContext]:
    """A real local store of desa 1902012003 (Buluh Tumbang), in this test's data dir."""
    c = AppContext.open(data_dir)
    c.configure(desa_code="1902012003")
    yield c
    c.close()


@dataclass
class Routes:
    """path prefix -> (status, JSON body); what was asked, in order (method, path, headers)."""

    answers: dict[str, tuple[int, Any]] = field(default_factory=lambda: {"/api/v1/health": (200, HEALTH_V2)})
    seen: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)

    def paths(self, method: str | None = None) -> list[str]:
        return [p for m, p, _h in self.seen if method is None or m == method]


@pytest.fixture
def fake_server() -> Iterator[tuple[str, Routes]]:
    routes = Routes()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            path = self.path.split("?")[0]
            routes.seen.append((self.command, path, dict(self.headers)))
            status, body = next((a for p, a in routes.answers.items() if path.startswith(p)), (404, {"detail": "-"}))
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _answer

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", routes
    httpd.shutdown()
    httpd.server_close()
